//! Text forms inside Elem values: base64 (`$bytes`) and the ISO 8601 dates numpy writes.

use super::err;
use crate::types::TimeUnit;
use crate::SchemaError;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard, padded base64 without line breaks (`base64.b64encode`).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(B64[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, ASCII whitespace ignored).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, SchemaError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return Err(err(format!("invalid base64 text {text:?}"))),
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// dates

/// Parses an ISO 8601 date or datetime as numpy writes it (`2020-01-01`,
/// `2020-01-01T12:00:00.123`, `2020-01`, `2020`, `2020-01-01T12`, `2020-01-01T12:30`), returning
/// the value and the unit its precision implies. A trailing `Z` or `+HH:MM` offset is applied
/// (the result is then UTC).
pub fn parse_iso(text: &str) -> Option<(NaiveDateTime, TimeUnit)> {
    let text = text.trim();
    let (text, offset_secs) = split_offset(text);
    let (date_part, time_part) = match text.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut dparts = date_part.splitn(3, '-');
    // A leading '-' (negative year) is not supported.
    let year: i32 = dparts.next()?.parse().ok()?;
    let month = dparts.next();
    let day = dparts.next();
    let (date, date_unit) = match (month, day) {
        (None, _) => (NaiveDate::from_ymd_opt(year, 1, 1)?, TimeUnit::Year),
        (Some(m), None) => (
            NaiveDate::from_ymd_opt(year, m.parse().ok()?, 1)?,
            TimeUnit::Month,
        ),
        (Some(m), Some(d)) => (
            NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)?,
            TimeUnit::Day,
        ),
    };
    let Some(time_part) = time_part else {
        return Some((date.and_time(NaiveTime::MIN), date_unit));
    };
    let (hms, frac) = match time_part.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (time_part, None),
    };
    let mut tparts = hms.split(':');
    let h: u32 = tparts.next()?.parse().ok()?;
    let (m, s, mut unit) = match (tparts.next(), tparts.next()) {
        (None, _) => (0, 0, TimeUnit::Hour),
        (Some(m), None) => (m.parse().ok()?, 0, TimeUnit::Minute),
        (Some(m), Some(s)) => (m.parse().ok()?, s.parse().ok()?, TimeUnit::Second),
    };
    let mut nanos = 0u32;
    if let Some(frac) = frac {
        if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let padded = format!("{frac:0<9}");
        nanos = padded.parse().ok()?;
        unit = match frac.len() {
            1..=3 => TimeUnit::Milli,
            4..=6 => TimeUnit::Micro,
            _ => TimeUnit::Nano,
        };
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos)?;
    let dt = date
        .and_time(time)
        .checked_sub_signed(chrono::Duration::seconds(offset_secs as i64))?;
    Some((dt, unit))
}

fn split_offset(text: &str) -> (&str, i32) {
    if let Some(t) = text.strip_suffix('Z') {
        return (t, 0);
    }
    // `+HH:MM` / `-HH:MM` after a time part.
    if let Some(tpos) = text.find('T') {
        let time = &text[tpos..];
        if let Some(p) = time.rfind(['+', '-']) {
            let off = &time[p + 1..];
            let sign = if time.as_bytes()[p] == b'-' { -1 } else { 1 };
            let (hh, mm) = off.split_once(':').unwrap_or((off, "0"));
            if let (Ok(hh @ 0..=99), Ok(mm @ 0..=59)) = (hh.parse::<i32>(), mm.parse::<i32>()) {
                return (&text[..tpos + p], sign * (hh * 3600 + mm * 60));
            }
        }
    }
    (text, 0)
}

pub(super) fn parse_datetime(text: &str) -> Result<NaiveDateTime, SchemaError> {
    parse_iso(text)
        .map(|(dt, _)| dt)
        .ok_or_else(|| err(format!("invalid ISO datetime {text:?}")))
}

/// numpy's ISO text of a datetime at a unit (no fraction for seconds, `YYYY-MM-DD` for days).
pub fn iso_at_unit(dt: &NaiveDateTime, unit: TimeUnit) -> String {
    crate::repr::numpy_datetime(dt, unit)
}

//! Text forms inside Elem values: base64 (`$bytes`) and the ISO 8601 dates numpy writes (read
//! by [`crate::numpy::parse_iso_datetime`]).

use super::err;
use crate::types::TimeUnit;
use crate::SchemaError;
use chrono::NaiveDateTime;

pub use crate::repr::base64_encode;

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

/// A date-time text of the codec (`$datetime`, `$timestamp`, `$date`), read by numpy's ISO
/// parser.
pub(super) fn parse_datetime(text: &str) -> Result<NaiveDateTime, SchemaError> {
    crate::numpy::parse_iso_datetime(text)
        .map(|(dt, _)| dt)
        .ok_or_else(|| err(format!("invalid ISO datetime {text:?}")))
}

/// numpy's ISO text of a datetime at a unit (no fraction for seconds, `YYYY-MM-DD` for days).
pub fn iso_at_unit(dt: &NaiveDateTime, unit: TimeUnit) -> String {
    crate::repr::numpy_datetime(dt, unit)
}

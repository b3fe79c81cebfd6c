//! The Python, numpy and pandas conversions MLflow's request parsing leans on, as plain
//! functions: `int(str)`, `float(str)`, `base64.decodebytes`, and the datetime string parsers of
//! pandas (`astype("datetime64[ns]")`) and numpy (`np.datetime64(str)`).
//!
//! Errors are `(python exception class, message)` pairs; callers wrap them in MLflow's texts.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use signet::pynum::{self, IntText};
use signet::repr::py_str;
use std::ops::RangeInclusive;

/// A Python exception: class name and message.
pub(crate) type PyErr = (&'static str, String);

/// Python's `int(text)` in base 10 ([`pynum::parse_int`]) with its `ValueError`. Values beyond
/// 128 bits are reported as `None` inside `Ok` (too large for any numpy integer).
pub(crate) fn py_int_from_str(text: &str) -> Result<Option<i128>, PyErr> {
    match pynum::parse_int(text) {
        Ok(v) => Ok(Some(v)),
        Err(IntText::TooLarge) => Ok(None),
        Err(IntText::Invalid) => Err((
            "ValueError",
            format!("invalid literal for int() with base 10: {}", py_str(text)),
        )),
    }
}

/// Python's `float(text)` ([`pynum::parse_float`]) with its `ValueError`.
pub(crate) fn py_float_from_str(text: &str) -> Result<f64, PyErr> {
    pynum::parse_float(text).ok_or_else(|| {
        (
            "ValueError",
            format!("could not convert string to float: {}", py_str(text)),
        )
    })
}

/// `int(f)` for a float: truncation toward zero, Python's errors for NaN and infinities.
pub(crate) fn py_int_from_float(f: f64) -> Result<i128, PyErr> {
    if f.is_nan() {
        return Err(("ValueError", "cannot convert float NaN to integer".into()));
    }
    if f.is_infinite() {
        return Err((
            "OverflowError",
            "cannot convert float infinity to integer".into(),
        ));
    }
    let t = f.trunc();
    if t.abs() >= 1.7e38 {
        // Far beyond any numpy integer; report as too large.
        return Ok(if t > 0.0 { i128::MAX } else { i128::MIN });
    }
    Ok(t as i128)
}

/// Whether a character is in the standard base64 alphabet.
pub(crate) fn is_b64_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// `base64.decodebytes(text.encode())`: CPython's non-strict `a2b_base64` — characters outside
/// the alphabet are skipped, a complete pad sequence ends the input, a dangling quad is an
/// error (`Incorrect padding` or the "1 more than a multiple of 4" text).
pub(crate) fn b64_decodebytes(text: &str) -> Result<Vec<u8>, PyErr> {
    fn val(c: u8) -> Option<u8> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut quad_pos, mut left, mut pads) = (0u8, 0u8, 0u8);
    for &c in text.as_bytes() {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = val(c) else { continue };
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err((
            "Error",
            format!(
                "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
                out.len() / 3 * 4 + 1
            ),
        )),
        _ => Err(("Error", "Incorrect padding".into())),
    }
}

// ---------------------------------------------------------------------------------------------
// datetimes

/// The bounds of `datetime64[ns]`.
const NS_MIN: i128 = i64::MIN as i128;
const NS_MAX: i128 = i64::MAX as i128;

/// A parsed date-time string: wall-clock fields, an optional UTC offset in seconds, and the
/// precision the text implied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ParsedDt {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    pub offset: Option<i32>,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (any year).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl ParsedDt {
    /// Nanoseconds since the epoch of the UTC instant (wall time minus the offset), exact.
    pub fn epoch_nanos(&self) -> i128 {
        let days = days_from_civil(self.year, self.month, self.day) as i128;
        let secs = days * 86_400
            + (self.hour as i128) * 3600
            + (self.minute as i128) * 60
            + self.second as i128
            - self.offset.unwrap_or(0) as i128;
        secs * 1_000_000_000 + self.nanos as i128
    }

    /// `str()` of the wall time as pandas prints it in bounds errors: `1500-01-01 00:00:00`.
    pub fn display(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// Parses an ISO-8601-like text: `YYYY[-MM[-DD]]` then optionally `T` or a space and
/// `HH[:MM[:SS[.fffffffff]]]`, then optionally `Z` or `±HH[:MM]`. Returns the byte position of
/// the first character that does not fit.
pub(crate) fn parse_iso(text: &str) -> Result<ParsedDt, usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, max: usize| -> Option<(i64, usize)> {
        let start = *i;
        let mut v: i64 = 0;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            v = v * 10 + (b[*i] - b'0') as i64;
            *i += 1;
        }
        (*i > start).then_some((v, *i - start))
    };
    // Consumes one of the bytes `any` when it is next.
    let eat = |i: &mut usize, any: &[u8]| -> bool {
        let hit = *i < b.len() && any.contains(&b[*i]);
        *i += usize::from(hit);
        hit
    };
    // A field of exactly two digits within `range`; else the field's position.
    let two_digits = |i: &mut usize, range: RangeInclusive<i64>| -> Result<u32, usize> {
        let at = *i;
        match digits(i, 2) {
            Some((v, 2)) if range.contains(&v) => Ok(v as u32),
            _ => Err(at),
        }
    };
    let neg = eat(&mut i, b"-");
    let (mut year, ylen) = digits(&mut i, 9).ok_or(i)?;
    if ylen < 4 {
        return Err(i);
    }
    if neg {
        year = -year;
    }
    let mut dt = ParsedDt {
        year,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: None,
    };
    let mut fields = 1;
    if eat(&mut i, b"-") {
        dt.month = two_digits(&mut i, 1..=12)?;
        fields = 2;
        if eat(&mut i, b"-") {
            dt.day = two_digits(&mut i, 1..=i64::from(days_in_month(year, dt.month)))?;
            fields = 3;
        }
    }
    if fields == 3 && eat(&mut i, b"T ") {
        dt.hour = two_digits(&mut i, 0..=23)?;
        if eat(&mut i, b":") {
            dt.minute = two_digits(&mut i, 0..=59)?;
            if eat(&mut i, b":") {
                dt.second = two_digits(&mut i, 0..=59)?;
                if eat(&mut i, b".") {
                    let start = i;
                    let mut frac: u64 = 0;
                    while i < b.len() && b[i].is_ascii_digit() {
                        if i - start < 9 {
                            frac = frac * 10 + (b[i] - b'0') as u64;
                        }
                        i += 1;
                    }
                    let n = i - start;
                    if n == 0 {
                        return Err(i);
                    }
                    for _ in n.min(9)..9 {
                        frac *= 10;
                    }
                    dt.nanos = frac as u32;
                }
            }
        }
        if eat(&mut i, b"Z") {
            dt.offset = Some(0);
        } else if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            let sign = if b[i] == b'-' { -1 } else { 1 };
            i += 1;
            let hh = two_digits(&mut i, 0..=23)?;
            eat(&mut i, b":");
            let mm = if i < b.len() && b[i].is_ascii_digit() {
                two_digits(&mut i, 0..=59)?
            } else {
                0
            };
            dt.offset = Some(sign * (hh as i32 * 3600 + mm as i32 * 60));
        }
    }
    if i != b.len() {
        return Err(i);
    }
    Ok(dt)
}

/// A value for a `datetime64[ns]` column cell: `None` = NaT.
pub(crate) type NsCell = Option<i64>;

/// The UTC offset of a parsed pandas timestamp (`None` = naive).
pub(crate) type Offset = Option<i32>;

fn out_of_bounds(dt: &ParsedDt) -> PyErr {
    (
        "OutOfBoundsDatetime",
        format!("Out of bounds nanosecond timestamp: {}", dt.display()),
    )
}

fn try_formats(s: &str) -> Option<ParsedDt> {
    // A few of the forms dateutil reads besides ISO: `YYYY/MM/DD[ HH:MM[:SS]]` and
    // `MM/DD/YYYY[ HH:MM[:SS]]`.
    let (date, time) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('/').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[0], parts[1])
    } else {
        return None;
    };
    let iso = format!(
        "{y}-{:02}-{:02}{}",
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?,
        time.map(|t| format!("T{t}")).unwrap_or_default()
    );
    parse_iso(&iso).ok()
}

/// pandas' parse of one string for `astype("datetime64[ns]")`: NaT strings, ISO 8601 and a
/// few dateutil forms; a bare 4-digit year is a year. Returns the ns value and the offset.
pub(crate) fn pandas_datetime(s: &str) -> Result<(NsCell, Offset), PyErr> {
    let t = s.trim();
    if matches!(
        t,
        "" | "NaT" | "nat" | "NAT" | "nan" | "NaN" | "NAN" | "None"
    ) {
        return Ok((None, None));
    }
    let dt = parse_iso(t)
        .ok()
        .or_else(|| try_formats(t))
        .ok_or_else(|| {
            (
                "DateParseError",
                format!("Unknown datetime string format, unable to parse: {s}"),
            )
        })?;
    let ns = dt.epoch_nanos();
    if !(NS_MIN..=NS_MAX).contains(&ns) || ns == NS_MIN {
        return Err(out_of_bounds(&dt));
    }
    Ok((Some(ns as i64), dt.offset))
}

/// numpy's `np.datetime64(str)` cast to nanoseconds: ISO only, `""` / `NaT` are NaT, an offset
/// converts to UTC, and values beyond the ns range wrap silently (as numpy's unit conversion
/// does).
pub(crate) fn numpy_datetime_ns(s: &str) -> Result<NsCell, PyErr> {
    if s.is_empty() || s.eq_ignore_ascii_case("nat") {
        return Ok(None);
    }
    match parse_iso(s) {
        Ok(dt) => Ok(Some(dt.epoch_nanos() as i64)),
        Err(pos) => Err((
            "ValueError",
            format!("Error parsing datetime string \"{s}\" at position {pos}"),
        )),
    }
}

/// Converts a nanosecond count to a naive date-time (used by tests).
#[cfg(test)]
pub(crate) fn ns_to_naive(ns: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_nanos(ns).naive_utc()
}

/// Nanoseconds of a naive date-time (`None` when outside the ns range).
pub(crate) fn naive_to_ns(dt: &NaiveDateTime) -> Option<i64> {
    dt.and_utc().timestamp_nanos_opt()
}

/// A `ParsedDt` from a naive date-time (used by tests).
#[allow(dead_code)]
pub(crate) fn parsed_from_naive(dt: &NaiveDateTime) -> ParsedDt {
    ParsedDt {
        year: dt.year() as i64,
        month: dt.month(),
        day: dt.day(),
        hour: dt.hour(),
        minute: dt.minute(),
        second: dt.second(),
        nanos: dt.nanosecond(),
        offset: None,
    }
}

/// The Arrow timezone name of a fixed offset (`UTC`, `+02:00`).
pub(crate) fn tz_name(offset: i32) -> String {
    if offset == 0 {
        return "UTC".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a / 60) % 60)
}

/// 1970-01-01 (for tests).
#[allow(dead_code)]
pub(crate) fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_and_float_parsing() {
        assert_eq!(py_int_from_str(" 1_500 ").unwrap(), Some(1500));
        assert_eq!(py_int_from_str("-7").unwrap(), Some(-7));
        assert_eq!(
            py_int_from_str("1500.5").unwrap_err().1,
            "invalid literal for int() with base 10: '1500.5'"
        );
        assert!(py_int_from_str("1__0").is_err());
        assert_eq!(py_float_from_str("2.5").unwrap(), 2.5);
        assert!(py_float_from_str("-inf").unwrap().is_infinite());
        assert!(py_float_from_str(" NaN").unwrap().is_nan());
        assert_eq!(
            py_float_from_str("abc").unwrap_err().1,
            "could not convert string to float: 'abc'"
        );
        assert_eq!(py_int_from_float(-2.7).unwrap(), -2);
        assert!(py_int_from_float(f64::NAN).is_err());
    }

    #[test]
    fn base64_like_cpython() {
        for (text, bytes) in [
            ("YWJj", &b"abc"[..]),
            ("aGVsbG8=", b"hello"),
            ("MTUwMA==", b"1500"),
        ] {
            assert_eq!(b64_decodebytes(text).unwrap(), bytes, "{text}");
        }
        for (text, message) in [
            ("aGVsbG8", "Incorrect padding"),
            ("not base64!", "Invalid base64-encoded string: number of data characters (9) cannot be 1 more than a multiple of 4"),
        ] {
            assert_eq!(b64_decodebytes(text).unwrap_err().1, message, "{text}");
        }
    }

    #[test]
    fn iso_texts_and_where_they_stop_fitting() {
        for (text, offset) in [
            ("2021-06-30 12", None),
            ("2021-06-30T12:34:56+0230", Some(9000)),
            ("2021-06-30T12:34:56-02:00", Some(-7200)),
        ] {
            assert_eq!(parse_iso(text).map(|dt| dt.offset), Ok(offset), "{text}");
        }
        for (text, at) in [
            ("20", 2),
            ("2021-6", 5),
            ("2021-13-01", 5),
            ("2021-06-31", 8),
            ("2021-06-30X", 10),
            ("2021-06-30T1", 11),
            ("2021-06-30T24", 11),
            ("2021-06-30T12:60", 14),
            ("2021-06-30T12:34:56.", 20),
            ("2021-06-30T12:34:56+2", 20),
        ] {
            assert_eq!(parse_iso(text).map(|dt| dt.offset), Err(at), "{text}");
        }
    }

    #[test]
    fn datetimes() {
        let (ns, _) = pandas_datetime("2021-06-30T12:34:56.123456789").unwrap();
        assert_eq!(ns, Some(1_625_056_496_123_456_789));
        for (text, offset) in [
            ("2021-06-30T12:34:56.123456789", None),
            ("2021-06-30T12:34:56Z", Some(0)),
            ("2021-06-30T12:34:56+02:00", Some(7200)),
        ] {
            assert_eq!(pandas_datetime(text).unwrap().1, offset, "{text}");
        }
        for (text, message) in [
            (
                "1500",
                "Out of bounds nanosecond timestamp: 1500-01-01 00:00:00",
            ),
            (
                "abc",
                "Unknown datetime string format, unable to parse: abc",
            ),
        ] {
            assert_eq!(pandas_datetime(text).unwrap_err().1, message, "{text}");
        }
        assert_eq!(pandas_datetime("").unwrap(), (None, None));
        // numpy wraps year 1500 into 2084.
        let ns = numpy_datetime_ns("1500").unwrap().unwrap();
        assert_eq!(ns_to_naive(ns).to_string(), "2084-07-20 23:34:33.709551616");
        assert_eq!(
            numpy_datetime_ns("abc").unwrap_err().1,
            "Error parsing datetime string \"abc\" at position 0"
        );
        assert_eq!(numpy_datetime_ns("").unwrap(), None);
        assert_eq!(tz_name(7200), "+02:00");
        assert_eq!(naive_to_ns(&epoch()), Some(0));
        assert_eq!(parsed_from_naive(&epoch()).year, 1970);
    }
}

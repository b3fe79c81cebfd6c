//! numpy's datetime64 strings: `np.datetime64(text)` (its ISO 8601 parser, `NaT`, `today`,
//! `now`) and `.item()` of the result (a `date`, a `datetime` or `None`).

use crate::types::TimeUnit;
use crate::value::Value;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// What numpy's ISO parser made of a string.
pub enum Parsed {
    /// `NaT` (also `""`): `.item()` gives `None`.
    NaT,
    /// A value at the unit implied by the text's precision.
    At(NaiveDateTime, TimeUnit),
    /// Parsed, but outside what Python's `datetime` can hold.
    OutOfRange,
}

impl Parsed {
    /// The value and its unit when the text named a date-time (not `NaT`, not out of range).
    pub fn at(self) -> Option<(NaiveDateTime, TimeUnit)> {
        match self {
            Parsed::At(dt, unit) => Some((dt, unit)),
            Parsed::NaT | Parsed::OutOfRange => None,
        }
    }
}

/// [`parse_datetime64`] of a text that must name a date-time: `None` for a parse failure,
/// `NaT` or a value outside `NaiveDateTime`. The value keeps nanoseconds.
pub fn parse_iso_datetime(text: &str) -> Option<(NaiveDateTime, TimeUnit)> {
    parse_datetime64(text)?.at()
}

fn now_utc() -> NaiveDateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// C's `isspace`.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_leap(year: i64) -> bool {
    (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// numpy's `NpyDatetime_ParseISO8601Datetime` (no unit requested). `None` is a parse failure
/// (numpy's `ValueError`). The value keeps nanoseconds; finer digits only set the unit.
pub fn parse_datetime64(text: &str) -> Option<Parsed> {
    let s = text.as_bytes();
    if s.is_empty() || text.eq_ignore_ascii_case("nat") {
        return Some(Parsed::NaT);
    }
    if text.eq_ignore_ascii_case("today") {
        // numpy takes the local date; signet runs on UTC.
        let now = now_utc();
        return Some(Parsed::At(
            now.date().and_time(NaiveTime::MIN),
            TimeUnit::Day,
        ));
    }
    if text.eq_ignore_ascii_case("now") {
        return Some(Parsed::At(now_utc(), TimeUnit::Second));
    }
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        i += 1;
    }
    if i == s.len() {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        match (s.get(i), s.get(i + 1)) {
            (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(((a - b'0') * 10 + (b - b'0')) as u32)
            }
            _ => None,
        }
    };
    let mut year: i64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        year = year
            .checked_mul(10)
            .and_then(|y| y.checked_add((s[i] - b'0') as i64))?;
        i += 1;
    }
    if s[0] == b'-' {
        year = -year;
    }
    let mut md = [1u32; 2];
    let mut hms = [0u32; 3];
    let mut nanos = 0u32;
    let unit;
    'fields: {
        // [-MM[-DD]]: each field after a '-' and in its range, or the end of the text.
        for (k, coarse) in [TimeUnit::Year, TimeUnit::Month].into_iter().enumerate() {
            if i == s.len() {
                unit = coarse;
                break 'fields;
            }
            if s[i] != b'-' || i + 1 == s.len() {
                return None;
            }
            i += 1;
            // Months 1 to 12, days 1 to the month's length.
            let max = match (k, md[0]) {
                (0, _) => 12,
                (_, 2) if is_leap(year) => 29,
                (_, 2) => 28,
                (_, 4 | 6 | 9 | 11) => 30,
                _ => 31,
            };
            md[k] = two(i).filter(|v| (1..=max).contains(v))?;
            i += 2;
        }
        if i == s.len() {
            unit = TimeUnit::Day;
            break 'fields;
        }
        if s[i] != b'T' && s[i] != b' ' {
            return None;
        }
        i += 1;
        // hh[:mm[:ss[.fraction]]]: each field below its limit, then its separator or the end.
        for (k, (limit, separator, field_unit)) in [
            (24, b':', TimeUnit::Hour),
            (60, b':', TimeUnit::Minute),
            (60, b'.', TimeUnit::Second),
        ]
        .into_iter()
        .enumerate()
        {
            hms[k] = two(i).filter(|v| *v < limit)?;
            i += 2;
            if i < s.len() && s[i] == separator {
                i += 1;
            } else {
                unit = field_unit;
                break 'fields;
            }
        }
        // Up to 18 fraction digits in groups of six (us, ps, as); a group of more than three
        // digits names the finer unit.
        let group = |i: &mut usize| -> (u32, usize) {
            let (mut value, mut digits) = (0u32, 0usize);
            for _ in 0..6 {
                value *= 10;
                if *i < s.len() && s[*i].is_ascii_digit() {
                    value += (s[*i] - b'0') as u32;
                    *i += 1;
                    digits += 1;
                }
            }
            (value, digits)
        };
        let mut fraction_unit = TimeUnit::Second;
        for (k, (coarse, fine)) in [
            (TimeUnit::Milli, TimeUnit::Micro),
            (TimeUnit::Nano, TimeUnit::Pico),
            (TimeUnit::Femto, TimeUnit::Atto),
        ]
        .into_iter()
        .enumerate()
        {
            let (value, digits) = group(&mut i);
            // us → ns, ps → ns; attoseconds are below a nanosecond.
            nanos += [value * 1000, value / 1000, 0][k];
            fraction_unit = if digits > 3 { fine } else { coarse };
            if i == s.len() || !s[i].is_ascii_digit() {
                break;
            }
        }
        unit = fraction_unit;
    }
    // Time zone: `Z` or an offset, then trailing whitespace (only once a time was parsed).
    let mut offset_minutes: i64 = 0;
    if i < s.len() {
        if matches!(unit, TimeUnit::Year | TimeUnit::Month | TimeUnit::Day) {
            return None;
        }
        if s[i] == b'Z' {
            i += 1;
        } else if s[i] == b'-' || s[i] == b'+' {
            let negative = s[i] == b'-';
            i += 1;
            let h = two(i)? as i64;
            if h >= 24 {
                return None;
            }
            i += 2;
            let mut m = 0i64;
            if i < s.len() {
                if s[i] == b':' {
                    i += 1;
                }
                m = two(i)? as i64;
                if m >= 60 {
                    return None;
                }
                i += 2;
            }
            offset_minutes = if negative { -(h * 60 + m) } else { h * 60 + m };
        }
        while i < s.len() && is_c_space(s[i]) {
            i += 1;
        }
        if i != s.len() {
            return None;
        }
    }
    let Ok(year) = i32::try_from(year) else {
        return Some(Parsed::OutOfRange);
    };
    let [month, day] = md;
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        return Some(Parsed::OutOfRange);
    };
    let [hour, minute, second] = hms;
    let Some(time) = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos) else {
        return Some(Parsed::OutOfRange);
    };
    match date
        .and_time(time)
        .checked_sub_signed(Duration::minutes(offset_minutes))
    {
        Some(dt) => Some(Parsed::At(dt, unit)),
        None => Some(Parsed::OutOfRange),
    }
}

/// `datetime64.item()`: a `date` for day-or-coarser units, a `datetime` down to microseconds;
/// finer units (or years outside 1..=9999) give an int, which MLflow refuses.
pub fn datetime_item(dt: &NaiveDateTime, unit: TimeUnit) -> Option<Value> {
    if !(1..=9999).contains(&dt.year()) {
        return None;
    }
    match unit {
        TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => {
            Some(Value::Date(dt.date()))
        }
        TimeUnit::Hour
        | TimeUnit::Minute
        | TimeUnit::Second
        | TimeUnit::Milli
        | TimeUnit::Micro => Some(Value::DateTime(truncate_to_micros(dt))),
        TimeUnit::Generic => Some(Value::None),
        TimeUnit::Nano | TimeUnit::Pico | TimeUnit::Femto | TimeUnit::Atto => None,
    }
}

/// `dt` with its sub-microsecond digits dropped (Python's `datetime` holds microseconds).
pub fn truncate_to_micros(dt: &NaiveDateTime) -> NaiveDateTime {
    let micros = dt.nanosecond() / 1000 * 1000;
    dt.with_nanosecond(micros).unwrap_or(*dt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (NaiveDateTime, TimeUnit) {
        parse_iso_datetime(text).unwrap_or_else(|| panic!("{text:?} did not parse"))
    }

    #[test]
    fn units_follow_the_precision_written() {
        assert_eq!(at("2021").1, TimeUnit::Year);
        assert_eq!(at("2021-01").1, TimeUnit::Month);
        assert_eq!(at("2021-01-01").1, TimeUnit::Day);
        assert_eq!(at("2021-01-01T00").1, TimeUnit::Hour);
        assert_eq!(at("2021-01-01T00:00").1, TimeUnit::Minute);
        assert_eq!(at("2021-01-01T00:00:00").1, TimeUnit::Second);
        assert_eq!(at("2021-01-01T00:00:00.123").1, TimeUnit::Milli);
        assert_eq!(at("2021-01-01T00:00:00.1234").1, TimeUnit::Micro);
        assert_eq!(at("2021-01-01T00:00:00.123456789").1, TimeUnit::Nano);
        assert_eq!(at("2021-01-01T00:00:00.1234567891").1, TimeUnit::Pico);
    }

    #[test]
    fn nanoseconds_are_kept_and_offsets_applied() {
        assert_eq!(at("1970-01-01T00:00:00.000000001").0.nanosecond(), 1);
        assert_eq!(
            at("1970-01-01T00:00:00.123456789123").0.nanosecond(),
            123_456_789
        );
        assert_eq!(
            at("2021-01-01T01:00:00+01:00").0,
            at("2021-01-01T00:00:00").0
        );
        assert_eq!(at("2021-01-01T00:00:00Z").0, at("2021-01-01T00:00:00").0);
    }

    #[test]
    fn nat_failures_and_out_of_range_are_not_date_times() {
        assert!(matches!(parse_datetime64("NaT"), Some(Parsed::NaT)));
        assert!(matches!(parse_datetime64(""), Some(Parsed::NaT)));
        assert!(parse_iso_datetime("NaT").is_none());
        assert!(parse_datetime64("2021-13-01").is_none());
        assert!(parse_datetime64("2021-02-29").is_none());
        assert!(parse_datetime64("2021-01-01 ").is_none());
        assert!(matches!(
            parse_datetime64("99999999999-01-01"),
            Some(Parsed::OutOfRange)
        ));
    }
}

//! Python renderings MLflow embeds in its messages: `repr` of strings and values, and the
//! text forms of dates, bytes and numbers.

use crate::pyjson::float_repr;
use crate::types::{ColumnName, TimeUnit};
use crate::value::Value;
use chrono::{NaiveDateTime, Timelike};

/// Python `repr` of a string: single quotes unless the text contains `'` and no `"`.
pub fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python `repr` of a column label: `'sqft'` or bare `0`.
pub fn column_name(name: &ColumnName) -> String {
    match name {
        ColumnName::Str(s) => py_str(s),
        ColumnName::Int(i) => i.to_string(),
    }
}

/// Python `repr` of bytes: `b'ab\x00'`.
pub fn py_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{:02x}", c)),
        }
    }
    out.push(quote);
    out
}

/// Base64 with MIME line breaks, as Python's `base64.encodebytes` (a `\n` after every 76
/// characters and at the end).
pub fn base64_mime(b: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut flat = String::with_capacity(b.len().div_ceil(3) * 4);
    for chunk in b.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= n {
                flat.push(ALPHABET[((v >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                flat.push('=');
            }
        }
    }
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for (i, c) in flat.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    if !b.is_empty() {
        out.push('\n');
    }
    out
}

/// `datetime.isoformat()`: `2020-01-01T12:00:00`, with `.ffffff` only when microseconds are set.
pub fn iso_datetime(dt: &NaiveDateTime) -> String {
    let micros = dt.nanosecond() / 1000;
    if micros == 0 {
        dt.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        format!("{}.{:06}", dt.format("%Y-%m-%dT%H:%M:%S"), micros)
    }
}

/// `str(datetime)`: `2020-01-01 12:00:00[.ffffff]`.
pub fn str_datetime(dt: &NaiveDateTime) -> String {
    iso_datetime(dt).replacen('T', " ", 1)
}

/// numpy's ISO text of a `datetime64` scalar at its unit (`2020-01-01T00:00:00.000000000` for
/// ns, `2020-01-01` for days).
pub fn numpy_datetime(dt: &NaiveDateTime, unit: TimeUnit) -> String {
    let base = dt.format("%Y-%m-%dT%H:%M:%S");
    let nanos = dt.nanosecond();
    match unit {
        TimeUnit::Year => dt.format("%Y").to_string(),
        TimeUnit::Month => dt.format("%Y-%m").to_string(),
        TimeUnit::Week | TimeUnit::Day => dt.format("%Y-%m-%d").to_string(),
        TimeUnit::Hour => dt.format("%Y-%m-%dT%H").to_string(),
        TimeUnit::Minute => dt.format("%Y-%m-%dT%H:%M").to_string(),
        TimeUnit::Second | TimeUnit::Generic => base.to_string(),
        TimeUnit::Milli => format!("{base}.{:03}", nanos / 1_000_000),
        TimeUnit::Micro => format!("{base}.{:06}", nanos / 1_000),
        TimeUnit::Nano | TimeUnit::Pico | TimeUnit::Femto | TimeUnit::Atto => {
            format!("{base}.{:09}", nanos)
        }
    }
}

/// Python `str()` of a value (`True`, `None`, `1.5`, `abc`, `2020-01-01 00:00:00`, `{'a': 1}`).
pub fn py_str_of(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::DateTime(dt) | Value::Timestamp(dt) => str_datetime(dt),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Datetime64(dt, unit) => numpy_datetime(dt, *unit),
        Value::Numpy(_, inner) => py_str_of(inner),
        other => py_repr(other),
    }
}

/// Python `repr()` of a value (`'abc'`, `[1, 2]`, `{'a': 1}`, `datetime.date(2020, 1, 1)`).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::None => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => py_str(s),
        Value::Bytes(b) => py_bytes(b),
        Value::Date(d) => format!(
            "datetime.date({}, {}, {})",
            d.format("%Y"),
            d.format("%-m"),
            d.format("%-d")
        ),
        Value::DateTime(dt) => {
            let mut parts = vec![
                dt.format("%Y").to_string(),
                dt.format("%-m").to_string(),
                dt.format("%-d").to_string(),
                dt.format("%-H").to_string(),
                dt.format("%-M").to_string(),
            ];
            let (s, us) = (dt.second(), dt.nanosecond() / 1000);
            if s != 0 || us != 0 {
                parts.push(s.to_string());
            }
            if us != 0 {
                parts.push(us.to_string());
            }
            format!("datetime.datetime({})", parts.join(", "))
        }
        Value::Timestamp(dt) => format!("Timestamp('{}')", str_datetime(dt)),
        Value::Datetime64(dt, unit) => {
            format!("np.datetime64('{}')", numpy_datetime(dt, *unit))
        }
        Value::NaT => "NaT".into(),
        Value::NA => "<NA>".into(),
        Value::Numpy(dt, inner) => match inner.as_ref() {
            Value::Bool(b) => if *b { "np.True_" } else { "np.False_" }.into(),
            other => format!("np.{}({})", dt.name(), py_repr(other)),
        },
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(py_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Value::Dict(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(k), py_repr(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Ndarray(t) => format!("array({})", py_repr(&t.to_list())),
    }
}

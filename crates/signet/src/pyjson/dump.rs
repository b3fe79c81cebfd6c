//! `json.dumps` with Python's defaults.

use super::float::{self, Bits};
use crate::value::Value;

/// Writes a JSON string literal as `json.dumps` does with `ensure_ascii=True`.
pub fn write_str(out: &mut String, s: &str) {
    write_str_with(out, s, true);
}

/// Writes a JSON string literal as `json.dumps(..., ensure_ascii=False)` (and orjson) do:
/// non-ASCII text kept as UTF-8, only `"`, `\` and control characters escaped.
pub fn write_str_utf8(out: &mut String, s: &str) {
    write_str_with(out, s, false);
}

fn write_str_with(out: &mut String, s: &str, ensure_ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) > 0x7e) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let _ = float::write_float(out, f, Bits::F64);
    }
}

/// `json.dumps(value)` with Python's defaults. Values JSON cannot hold (bytes, dates, arrays)
/// are written the way MLflow's encoders write them: bytes as base64 text, dates/datetimes in
/// ISO form, arrays as nested lists, numpy scalars as plain numbers.
pub fn dumps(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None, 0);
    out
}

/// `json.dumps(value, indent=n)`: one element per line, `","` + newline between elements.
pub fn dumps_indent(value: &Value, indent: usize) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(indent), 0);
    out
}

fn newline(out: &mut String, indent: Option<usize>, level: usize) {
    if let Some(n) = indent {
        out.push('\n');
        for _ in 0..n * level {
            out.push(' ');
        }
    }
}

fn write_seq<'a>(
    out: &mut String,
    items: impl ExactSizeIterator<Item = &'a Value>,
    indent: Option<usize>,
    level: usize,
) {
    if items.len() == 0 {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(if indent.is_some() { "," } else { ", " });
        }
        newline(out, indent, level + 1);
        write_value(out, item, indent, level + 1);
    }
    newline(out, indent, level);
    out.push(']');
}

fn write_key(out: &mut String, key: &Value) {
    match key {
        Value::Str(s) => write_str(out, s),
        Value::Bool(b) => write_str(out, if *b { "true" } else { "false" }),
        Value::None => write_str(out, "null"),
        Value::Int(i) => write_str(out, &i.to_string()),
        Value::Float(f) => {
            let mut s = String::new();
            write_float(&mut s, *f);
            write_str(out, &s)
        }
        other => write_str(out, &crate::repr::py_str_of(other)),
    }
}

fn write_value(out: &mut String, value: &Value, indent: Option<usize>, level: usize) {
    match value {
        Value::None | Value::NaT | Value::NA => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => write_float(out, *f),
        Value::Str(s) => write_str(out, s),
        Value::Bytes(b) => write_str(out, &crate::repr::base64_mime(b)),
        Value::Date(d) => write_str(out, &d.format("%Y-%m-%d").to_string()),
        Value::DateTime(dt) | Value::Timestamp(dt) => {
            write_str(out, &crate::repr::iso_datetime(dt))
        }
        Value::Datetime64(dt, unit) => write_str(out, &crate::repr::numpy_datetime(dt, *unit)),
        Value::Numpy(_, v) => write_value(out, v, indent, level),
        Value::List(items) | Value::Tuple(items) => write_seq(out, items.iter(), indent, level),
        Value::Dict(items) => {
            if items.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if indent.is_some() { "," } else { ", " });
                }
                newline(out, indent, level + 1);
                write_key(out, k);
                out.push_str(": ");
                write_value(out, v, indent, level + 1);
            }
            newline(out, indent, level);
            out.push('}');
        }
        Value::Ndarray(t) => {
            let list = t.to_list();
            write_value(out, &list, indent, level)
        }
    }
}

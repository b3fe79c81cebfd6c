//! Compact JSON as MLServer writes its responses (`orjson.dumps`, or `json.dumps` with
//! `separators=(",", ":")` and `ensure_ascii=False`: no spaces, non-ASCII text kept as UTF-8),
//! for the [`Value`]s the V2 handlers build.

use signet::pyjson::{write_float, write_str_utf8 as write_str, Bits};
use signet::repr::timestamp_isoformat;
use signet::Value;
use signet_protocol::render::write_joined;

/// The compact JSON text of `value`.
///
/// Values JSON cannot hold are written the way MLServer's encoders write them: NaN and the
/// infinities as `null` (orjson), `bytes` decoded as UTF-8 "on a best-effort basis"
/// (`mlserver/rest/responses.py`), dates and datetimes in ISO form, numpy scalars as plain
/// numbers, arrays as nested lists, pandas' missing markers as `null`.
pub(crate) fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

/// Appends the compact JSON text of `value` to `out`.
pub(crate) fn write(out: &mut String, value: &Value) {
    match value {
        Value::None | Value::NA | Value::NaT => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) if f.is_finite() => {
            let _ = write_float(out, *f, Bits::F64);
        }
        Value::Float(_) => out.push_str("null"),
        Value::Str(s) => write_str(out, s),
        Value::Bytes(b) => write_str(out, &String::from_utf8_lossy(b)),
        Value::Date(d) => write_str(out, &d.format("%Y-%m-%d").to_string()),
        Value::DateTime(dt) | Value::Timestamp(dt) => write_str(out, &timestamp_isoformat(dt)),
        Value::Datetime64(dt, _) => write_str(out, &timestamp_isoformat(dt)),
        Value::Numpy(_, inner) => write(out, inner),
        Value::List(items) | Value::Tuple(items) => {
            write_joined(out, ["[", ",", "]"], items, write)
        }
        Value::Dict(items) => write_joined(out, ["{", ",", "}"], items, |out, (k, v)| {
            match k {
                Value::Str(s) => write_str(out, s),
                // `json.dumps` turns int, float, bool and None keys into their JSON text.
                other => write_str(out, to_json(other).trim_matches('"')),
            }
            out.push(':');
            write(out, v);
        }),
        Value::Ndarray(t) => write(out, &t.to_list()),
    }
}

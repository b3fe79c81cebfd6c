//! Python's `repr()` and `str()` of [`Value`]s as numpy 2 and pandas 3 print them: numpy
//! scalars as `np.int64(1)`, arrays as `array([1., 2.])`, `Timestamp('2020-01-01 00:00:00')`.

pub(crate) mod numpy;

use super::join::write_joined;
use super::num::{float_text, Bits};
use signet::repr::{
    datetime_repr, datetime_text, numpy_class_name, numpy_datetime, py_bytes, py_str,
    timestamp_text,
};
use signet::types::NumpyDtype;
use signet::value::Value;

/// The [`Bits`] of a numpy float dtype (`None` for other dtypes).
pub(crate) fn float_bits(dtype: NumpyDtype) -> Option<Bits> {
    match dtype {
        NumpyDtype::Float16 => Some(Bits::F16),
        NumpyDtype::Float32 => Some(Bits::F32),
        NumpyDtype::Float64 => Some(Bits::F64),
        _ => None,
    }
}

/// `str()` of a numpy scalar's value (`1.5`, `True`, `3`).
fn numpy_scalar_str(dtype: NumpyDtype, inner: &Value) -> String {
    match (inner, float_bits(dtype)) {
        (Value::Float(f), Some(bits)) => float_text(*f, bits),
        (Value::Int(i), Some(bits)) => float_text(*i as f64, bits),
        (Value::Int(i), None) => match dtype {
            NumpyDtype::Timedelta64(u) => format!("{i} {}", timedelta_unit_word(u, *i)),
            _ => i.to_string(),
        },
        (other, _) => py_str_value(other),
    }
}

fn timedelta_unit_word(u: signet::types::TimeUnit, n: i128) -> String {
    use signet::types::TimeUnit as U;
    let w = match u {
        U::Year => "year",
        U::Month => "month",
        U::Week => "week",
        U::Day => "day",
        U::Hour => "hour",
        U::Minute => "minute",
        U::Second => "second",
        U::Milli => "millisecond",
        U::Micro => "microsecond",
        U::Nano => "nanosecond",
        U::Pico => "picosecond",
        U::Femto => "femtosecond",
        U::Atto => "attosecond",
        U::Generic => return String::new(),
    };
    if n == 1 {
        w.to_string()
    } else {
        format!("{w}s")
    }
}

/// Python `repr()` of a value as numpy 2 / pandas 3 show it inside containers.
pub fn py_repr_value(v: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, v);
    out
}

fn write_repr(out: &mut String, v: &Value) {
    match v {
        Value::None => out.push_str("None"),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float_text(*f, Bits::F64)),
        Value::Str(s) => out.push_str(&py_str(s)),
        Value::Bytes(b) => out.push_str(&py_bytes(b)),
        Value::Date(d) => out.push_str(&format!(
            "datetime.date({}, {}, {})",
            d.format("%Y"),
            d.format("%-m"),
            d.format("%-d")
        )),
        Value::DateTime(dt) => out.push_str(&datetime_repr(dt)),
        Value::Timestamp(dt) => {
            out.push_str("Timestamp('");
            out.push_str(&timestamp_text(dt, ' '));
            out.push_str("')");
        }
        Value::Datetime64(dt, unit) => {
            out.push_str("np.datetime64('");
            out.push_str(&numpy_datetime(dt, *unit));
            out.push_str("')");
        }
        Value::NaT => out.push_str("NaT"),
        Value::NA => out.push_str("<NA>"),
        Value::Numpy(dt, inner) => match (dt, inner.as_ref()) {
            (_, Value::Bool(b)) => out.push_str(if *b { "np.True_" } else { "np.False_" }),
            (NumpyDtype::Timedelta64(u), Value::Int(i)) => {
                out.push_str(&format!("np.timedelta64({i},'{}')", u.code()))
            }
            (NumpyDtype::Str, Value::Str(s)) => {
                out.push_str("np.str_(");
                out.push_str(&py_str(s));
                out.push(')');
            }
            (NumpyDtype::Bytes, Value::Bytes(b)) => {
                out.push_str("np.bytes_(");
                out.push_str(&py_bytes(b));
                out.push(')');
            }
            (dt, inner) => {
                out.push_str("np.");
                out.push_str(&numpy_class_name(*dt));
                out.push('(');
                out.push_str(&numpy_scalar_str(*dt, inner));
                out.push(')');
            }
        },
        Value::List(items) => write_joined(out, ["[", ", ", "]"], items, write_repr),
        // A one-element tuple keeps its trailing comma: `(1,)`.
        Value::Tuple(items) => {
            let close = if items.len() == 1 { ",)" } else { ")" };
            write_joined(out, ["(", ", ", close], items, write_repr)
        }
        Value::Dict(items) => write_joined(out, ["{", ", ", "}"], items, |out, (k, val)| {
            write_repr(out, k);
            out.push_str(": ");
            write_repr(out, val);
        }),
        Value::Ndarray(t) => out.push_str(&numpy::array_repr(t)),
    }
}

/// Python `str()` of a value: strings bare, dates in ISO form, numpy scalars as their number,
/// arrays as numpy's `str`, containers as their `repr`.
pub fn py_str_value(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(dt) => datetime_text(dt, ' '),
        Value::Timestamp(dt) => timestamp_text(dt, ' '),
        Value::Datetime64(dt, unit) => numpy_datetime(dt, *unit),
        Value::Numpy(dt, inner) => match inner.as_ref() {
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            other => numpy_scalar_str(*dt, other),
        },
        Value::Ndarray(t) => numpy::array_str(t),
        other => py_repr_value(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs() {
        let v = Value::dict([
            (
                "y",
                Value::Numpy(NumpyDtype::Int64, Box::new(Value::Int(3))),
            ),
            (
                "z",
                Value::Numpy(NumpyDtype::Float32, Box::new(Value::Float(0.1f32 as f64))),
            ),
            (
                "b",
                Value::Numpy(NumpyDtype::Bool, Box::new(Value::Bool(true))),
            ),
            ("n", Value::NaT),
        ]);
        assert_eq!(
            py_repr_value(&v),
            "{'y': np.int64(3), 'z': np.float32(0.1), 'b': np.True_, 'n': NaT}"
        );
        assert_eq!(
            py_str_value(&Value::Numpy(
                NumpyDtype::Float64,
                Box::new(Value::Float(1.0))
            )),
            "1.0"
        );
        assert_eq!(py_str_value(&Value::str("a'b")), "a'b");
        assert_eq!(py_repr_value(&Value::Tuple(vec![Value::Int(1)])), "(1,)");
    }
}

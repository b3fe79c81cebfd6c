//! One Python value as Elem JSON and back: [`to_elem`], [`from_elem`], [`encode`], [`decode`].

mod ndarray;

pub use ndarray::*;

use super::{err, text::*};
use crate::pyjson;
use crate::types::NumpyDtype;
use crate::value::Value;
use crate::SchemaError;

/// Converts a Python value to its Elem form (a JSON tree; write it with [`pyjson::dumps`]).
pub fn to_elem(value: &Value) -> Value {
    fn tag(name: &str, v: Value) -> Value {
        Value::Dict(vec![(Value::str(name), v)])
    }
    match value {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Str(_) => value.clone(),
        Value::Float(f) => {
            if f.is_nan() {
                tag("$float", Value::str("nan"))
            } else if f.is_infinite() {
                tag("$float", Value::str(if *f > 0.0 { "inf" } else { "-inf" }))
            } else {
                Value::Float(*f)
            }
        }
        Value::Bytes(b) => tag("$bytes", Value::Str(base64_encode(b))),
        Value::Date(d) => tag("$date", Value::Str(d.format("%Y-%m-%d").to_string())),
        Value::DateTime(dt) => tag("$datetime", Value::Str(crate::repr::iso_datetime(dt))),
        Value::Timestamp(dt) => tag(
            "$timestamp",
            Value::Str(crate::repr::timestamp_isoformat(dt)),
        ),
        Value::Datetime64(dt, unit) => tag("$datetime64", Value::Str(iso_at_unit(dt, *unit))),
        Value::NaT => tag("$nat", Value::Bool(true)),
        Value::NA => tag("$na", Value::Bool(true)),
        Value::Numpy(dt, inner) => tag(
            "$numpy",
            Value::List(vec![Value::Str(dt.name()), to_elem(inner)]),
        ),
        Value::List(items) => Value::List(items.iter().map(to_elem).collect()),
        Value::Tuple(items) => tag("$tuple", Value::List(items.iter().map(to_elem).collect())),
        Value::Dict(items) => {
            let plain = items.iter().all(|(k, _)| matches!(k, Value::Str(_)))
                && !(items.len() == 1
                    && matches!(&items[0].0, Value::Str(s) if s.starts_with('$')));
            if plain {
                Value::Dict(items.iter().map(|(k, v)| (k.clone(), to_elem(v))).collect())
            } else {
                tag(
                    "$dict",
                    Value::List(
                        items
                            .iter()
                            .map(|(k, v)| Value::List(vec![to_elem(k), to_elem(v)]))
                            .collect(),
                    ),
                )
            }
        }
        Value::Ndarray(t) => tag("$ndarray", tensor_to_value(t)),
    }
}

/// The Elem text of a Python value (`json.dumps` of [`to_elem`]).
pub fn encode(value: &Value) -> String {
    pyjson::dumps(&to_elem(value))
}

/// Decodes the Elem text of a Python value.
pub fn decode(text: &str) -> Result<Value, SchemaError> {
    let json = pyjson::loads(text).map_err(|e| err(e.to_string()))?;
    from_elem(&json)
}

/// Converts an Elem (a JSON tree as parsed by [`pyjson::loads`]) to the Python value it stands
/// for.
pub fn from_elem(elem: &Value) -> Result<Value, SchemaError> {
    match elem {
        Value::List(items) => Ok(Value::List(
            items.iter().map(from_elem).collect::<Result<_, _>>()?,
        )),
        Value::Dict(items) => {
            if items.len() == 1 {
                if let Value::Str(key) = &items[0].0 {
                    if key.starts_with('$') {
                        return from_tag(key, &items[0].1);
                    }
                }
            }
            Ok(Value::Dict(
                items
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), from_elem(v)?)))
                    .collect::<Result<_, SchemaError>>()?,
            ))
        }
        other => Ok(other.clone()),
    }
}

fn tag_str<'a>(tag: &str, v: &'a Value) -> Result<&'a str, SchemaError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(err(format!("`{tag}` expects a string"))),
    }
}

fn from_tag(tag: &str, v: &Value) -> Result<Value, SchemaError> {
    Ok(match tag {
        "$float" => match tag_str(tag, v)? {
            "nan" => Value::Float(f64::NAN),
            "inf" => Value::Float(f64::INFINITY),
            "-inf" => Value::Float(f64::NEG_INFINITY),
            other => Value::Float(
                other
                    .parse()
                    .map_err(|_| err(format!("invalid `$float` {other:?}")))?,
            ),
        },
        "$bytes" => Value::Bytes(base64_decode(tag_str(tag, v)?)?),
        "$datetime" => Value::DateTime(parse_datetime(tag_str(tag, v)?)?),
        "$timestamp" => Value::Timestamp(parse_datetime(tag_str(tag, v)?)?),
        "$date" => Value::Date(parse_datetime(tag_str(tag, v)?)?.date()),
        "$datetime64" => {
            let text = tag_str(tag, v)?;
            let (dt, unit) = crate::numpy::parse_iso_datetime(text)
                .ok_or_else(|| err(format!("invalid `$datetime64` {text:?}")))?;
            Value::Datetime64(dt, unit)
        }
        "$nat" => Value::NaT,
        "$na" => Value::NA,
        "$numpy" => match v {
            Value::List(pair) if pair.len() == 2 => {
                let name = tag_str(tag, &pair[0])?;
                let dtype = NumpyDtype::parse(name)?;
                let inner = from_elem(&pair[1])?;
                match (dtype, inner) {
                    (NumpyDtype::Datetime64(_), Value::Str(s)) => {
                        let (dt, unit) = crate::numpy::parse_iso_datetime(&s)
                            .ok_or_else(|| err(format!("invalid datetime64 {s:?}")))?;
                        Value::Datetime64(dt, unit)
                    }
                    (NumpyDtype::Str, s @ Value::Str(_)) => s,
                    (NumpyDtype::Bytes, Value::Str(s)) => Value::Bytes(base64_decode(&s)?),
                    (dtype, Value::Int(i)) if is_float_dtype(dtype) => {
                        Value::Numpy(dtype, Box::new(Value::Float(i as f64)))
                    }
                    (dtype, inner) => Value::Numpy(dtype, Box::new(inner)),
                }
            }
            _ => return Err(err("`$numpy` expects [dtype, value]")),
        },
        "$ndarray" => Value::Ndarray(Box::new(tensor_from_value(v)?)),
        "$tuple" => match v {
            Value::List(items) => {
                Value::Tuple(items.iter().map(from_elem).collect::<Result<_, _>>()?)
            }
            _ => return Err(err("`$tuple` expects a list")),
        },
        "$dict" => match v {
            Value::List(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for p in pairs {
                    match p {
                        Value::List(kv) if kv.len() == 2 => {
                            out.push((from_elem(&kv[0])?, from_elem(&kv[1])?))
                        }
                        _ => return Err(err("`$dict` expects [[key, value], ...]")),
                    }
                }
                Value::Dict(out)
            }
            _ => return Err(err("`$dict` expects a list of pairs")),
        },
        "$value" => {
            return Err(err(
                "a DataFrame or Series nested inside a value (`$value`) is not supported",
            ))
        }
        other => return Err(err(format!("unknown Elem tag `{other}`"))),
    })
}

fn is_float_dtype(d: NumpyDtype) -> bool {
    matches!(
        d,
        NumpyDtype::Float16 | NumpyDtype::Float32 | NumpyDtype::Float64
    )
}

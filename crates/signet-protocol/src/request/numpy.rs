//! `np.array(data, dtype=...)` for JSON data: numpy's shape discovery (ragged input is an
//! error unless the dtype is `object`), its dtype inference, and its element conversions
//! (`int()` / `float()` / `str()` semantics, truthiness for `bool`, ns counts for datetimes).

use super::pyconv;
use arrow_array::{BinaryArray, BooleanArray, Float64Array, StringArray};
use signet::enforce::Compat;
use signet::input::{Tensor, TensorData};
use signet::repr::{py_repr, py_str_of, py_tuple};
use signet::types::{NumpyDtype, TimeUnit};
use signet::value::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// A failed conversion: the text MLflow puts after `Invalid input. `.
pub(crate) type NpErr = String;

fn is_seq(v: &Value) -> bool {
    matches!(v, Value::List(_) | Value::Tuple(_) | Value::Ndarray(_))
}

fn children(v: &Value) -> Vec<Cow<'_, Value>> {
    match v {
        Value::List(l) | Value::Tuple(l) => l.iter().map(Cow::Borrowed).collect(),
        Value::Ndarray(t) => {
            if t.shape.is_empty() {
                return vec![Cow::Owned(t.element(0))];
            }
            let n = t.shape[0];
            let inner: usize = t.shape[1..].iter().product();
            (0..n)
                .map(|i| {
                    if t.shape.len() == 1 {
                        Cow::Owned(t.element(i))
                    } else {
                        Cow::Owned(Value::Ndarray(Box::new(sub_tensor(t, i * inner, inner))))
                    }
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Row `i` of a tensor (elements `start..start+len`) as a tensor of one rank less.
fn sub_tensor(t: &Tensor, start: usize, len: usize) -> Tensor {
    let data = match &t.data {
        TensorData::Object(v) => TensorData::Object(v[start..start + len].to_vec()),
        TensorData::Arrow(a) => TensorData::Arrow(a.slice(start, len)),
    };
    Tensor {
        dtype: t.dtype,
        shape: t.shape[1..].to_vec(),
        data,
    }
}

fn seq_len(v: &Value) -> usize {
    match v {
        Value::List(l) | Value::Tuple(l) => l.len(),
        Value::Ndarray(t) => t.shape.first().copied().unwrap_or(1),
        _ => 0,
    }
}

/// numpy's shape discovery: the shape and the leaves in C order. Ragged nesting is an error,
/// except for `object` arrays, which stop at the last homogeneous level.
fn discover(v: &Value, object: bool) -> Result<(Vec<usize>, Vec<Cow<'_, Value>>), NpErr> {
    let mut shape = Vec::new();
    let mut level: Vec<Cow<'_, Value>> = vec![Cow::Borrowed(v)];
    loop {
        if level.is_empty() {
            return Ok((shape, level));
        }
        let seqs = level.iter().filter(|x| is_seq(x)).count();
        if seqs == 0 {
            return Ok((shape, level));
        }
        let n = seq_len(&level[0]);
        let homogeneous = seqs == level.len() && level.iter().all(|x| seq_len(x) == n);
        if !homogeneous {
            if object {
                return Ok((shape, level));
            }
            return Err(format!(
                "setting an array element with a sequence. The requested array has an inhomogeneous shape after {} dimensions. The detected shape was {} + inhomogeneous part.",
                shape.len(),
                py_tuple(&shape.iter().map(|d| d.to_string()).collect::<Vec<_>>())
            ));
        }
        if let Value::Ndarray(t) = level[0].as_ref() {
            if t.shape.is_empty() {
                // 0-d arrays are scalars.
                let next: Vec<Cow<'_, Value>> = level
                    .iter()
                    .map(|x| {
                        Cow::Owned(
                            children(x)
                                .into_iter()
                                .next()
                                .map(Cow::into_owned)
                                .unwrap_or(Value::None),
                        )
                    })
                    .collect();
                return Ok((shape, next));
            }
        }
        shape.push(n);
        let next: Vec<Cow<'_, Value>> = level
            .iter()
            .flat_map(|x| match x {
                Cow::Borrowed(b) => children(b),
                Cow::Owned(o) => children(o)
                    .into_iter()
                    .map(|c| Cow::Owned(c.into_owned()))
                    .collect(),
            })
            .collect();
        level = next;
    }
}

/// numpy's dtype for a list of Python scalars (`np.array(values).dtype`).
fn infer_dtype(leaves: &[Cow<'_, Value>]) -> NumpyDtype {
    use NumpyDtype as D;
    if leaves.is_empty() {
        return D::Float64;
    }
    let (mut b, mut int, mut uint, mut huge, mut float, mut s, mut bytes, mut other) =
        (false, false, false, false, false, false, false, false);
    let mut numpy: Option<NumpyDtype> = None;
    let mut dt: Option<TimeUnit> = None;
    for v in leaves {
        match v.as_ref() {
            Value::Bool(_) => b = true,
            Value::Int(i) => {
                if i64::try_from(*i).is_ok() {
                    int = true
                } else if *i >= 0 && *i <= u64::MAX as i128 {
                    uint = true
                } else {
                    huge = true
                }
            }
            Value::Float(_) => float = true,
            Value::Str(_) => s = true,
            Value::Bytes(_) => bytes = true,
            Value::Numpy(d, _) => {
                numpy = Some(match numpy {
                    None => *d,
                    Some(p) => promote(p, *d),
                })
            }
            Value::Datetime64(_, u) => dt = Some(*u),
            _ => other = true,
        }
    }
    if other || huge || (s && bytes) {
        return D::Object;
    }
    if let Some(u) = dt {
        return if b || int || float || s || numpy.is_some() {
            D::Object
        } else {
            D::Datetime64(u)
        };
    }
    if s {
        return D::Str;
    }
    if bytes {
        return D::Bytes;
    }
    let mut py: Option<NumpyDtype> = None;
    if b {
        py = Some(D::Bool);
    }
    if int {
        py = Some(D::Int64);
    }
    if uint {
        py = Some(if int { D::Float64 } else { D::UInt64 });
    }
    if float {
        py = Some(D::Float64);
    }
    match (py, numpy) {
        (Some(a), Some(b)) => promote(a, b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => D::Float64,
    }
}

/// numpy's type promotion ([`signet::numpy::promote_types`]); `object` for a mix numpy
/// cannot promote.
fn promote(a: NumpyDtype, b: NumpyDtype) -> NumpyDtype {
    signet::numpy::promote_types(a, b).unwrap_or(NumpyDtype::Object)
}

fn unwrap_numpy(v: &Value) -> &Value {
    match v {
        Value::Numpy(_, inner) => inner,
        other => other,
    }
}

/// An integer dtype's bounds ([`NumpyDtype::int_bounds`]), bits and signedness; int64's for
/// any other dtype.
fn int_range(d: NumpyDtype) -> (i128, i128, u32, bool) {
    match (d.int_bounds(), d.itemsize()) {
        (Some((lo, hi)), Some(size)) => (lo, hi, 8 * size as u32, lo < 0),
        _ => (i64::MIN.into(), i64::MAX.into(), 64, true),
    }
}

/// numpy's check of a Python int stored into an integer dtype.
fn check_int(v: i128, d: NumpyDtype) -> Result<i128, NpErr> {
    let (lo, hi, bits, signed) = int_range(d);
    if v >= lo && v <= hi {
        return Ok(v);
    }
    let fits_c_long = i64::try_from(v).is_ok();
    if bits == 64 || !fits_c_long {
        if !signed && v < 0 && fits_c_long {
            return Err(format!("Python integer {v} out of bounds for {}", d.name()));
        }
        return Err(format!(
            "Python int too large to convert to C {}",
            if signed { "long" } else { "unsigned long" }
        ));
    }
    Err(format!("Python integer {v} out of bounds for {}", d.name()))
}

fn wrap(v: i128, d: NumpyDtype) -> i128 {
    let (_, hi, bits, signed) = int_range(d);
    let m = v & ((1i128 << bits) - 1);
    if signed && m > hi {
        m - (1i128 << bits)
    } else {
        m
    }
}

/// One converted element.
enum Leaf {
    I(i128),
    F(f64),
    B(bool),
    S(String),
    Y(Vec<u8>),
    T(Option<i64>),
    O(Value),
}

fn refuse(v: &Value, why: &str) -> NpErr {
    format!("{} {why}", py_repr(v))
}

fn convert_leaf(v: &Value, d: NumpyDtype, strict: bool) -> Result<Leaf, NpErr> {
    use NumpyDtype as D;
    let raw = unwrap_numpy(v);
    let is_numpy = matches!(v, Value::Numpy(..));
    Ok(match d {
        D::Object => Leaf::O(v.clone()),
        D::Bool => {
            if strict && !matches!(raw, Value::Bool(_)) {
                return Err(refuse(
                    raw,
                    "is not a boolean; refusing to read it by Python truthiness",
                ));
            }
            Leaf::B(raw.is_truthy())
        }
        D::Int8 | D::Int16 | D::Int32 | D::Int64 | D::UInt8 | D::UInt16 | D::UInt32 | D::UInt64 => {
            let name = match d {
                D::Int64 => "long".to_string(),
                D::Int32 => "integer".to_string(),
                other => other.name(),
            };
            match raw {
                Value::Int(i) => {
                    if !is_numpy {
                        check_int(*i, d)?;
                    } else if strict {
                        check_int(*i, d)
                            .map_err(|_| refuse(raw, &format!("is out of range for {name}")))?;
                    }
                    Leaf::I(if is_numpy { wrap(*i, d) } else { *i })
                }
                Value::Float(f) => {
                    if strict && f.is_finite() && f.fract() != 0.0 {
                        return Err(refuse(raw, &format!("is not an integer; refusing a lossy conversion to {name}")));
                    }
                    let i = pyconv::py_int_from_float(*f).map_err(|e| e.1)?;
                    if i64::try_from(i).is_err() {
                        return Err("Python int too large to convert to C long".into());
                    }
                    if strict {
                        check_int(i, d).map_err(|_| refuse(raw, &format!("is out of range for {name}")))?;
                    }
                    Leaf::I(wrap(i, d))
                }
                Value::Bool(b) => {
                    if strict {
                        return Err(refuse(raw, &format!("is not an integer; refusing to read a boolean as {name}")));
                    }
                    Leaf::I(*b as i128)
                }
                Value::Str(s) => match pyconv::py_int_from_str(s).map_err(|e| e.1)? {
                    Some(i) => Leaf::I(check_int(i, d)?),
                    None => return Err("Python int too large to convert to C long".into()),
                },
                other => {
                    return Err(format!(
                        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                        other.type_name()
                    ))
                }
            }
        }
        D::Float16 | D::Float32 | D::Float64 => {
            let f = match raw {
                Value::Int(i) => {
                    let f = *i as f64;
                    if f.is_infinite() {
                        return Err("int too large to convert to float".into());
                    }
                    let exact = match d {
                        D::Float64 => f as i128 == *i,
                        D::Float32 => (f as f32) as i128 == *i,
                        _ => i.abs() <= 2048,
                    };
                    if strict && !exact {
                        return Err(refuse(
                            raw,
                            &format!(
                                "cannot be represented exactly as {}; refusing a lossy conversion",
                                d.name()
                            ),
                        ));
                    }
                    f
                }
                Value::Float(f) => *f,
                Value::Bool(b) => {
                    if strict {
                        return Err(refuse(
                            raw,
                            "is not a number; refusing to read a boolean as a float",
                        ));
                    }
                    *b as u8 as f64
                }
                Value::Str(s) => pyconv::py_float_from_str(s).map_err(|e| e.1)?,
                Value::None => f64::NAN,
                other => {
                    return Err(format!(
                        "float() argument must be a string or a real number, not '{}'",
                        other.type_name()
                    ))
                }
            };
            if strict && f.is_finite() && d == D::Float32 && (f as f32).is_infinite() {
                return Err(refuse(raw, "overflows float32"));
            }
            Leaf::F(f)
        }
        D::Str => {
            if strict && !matches!(raw, Value::Str(_)) {
                return Err(refuse(
                    raw,
                    "is not a string; refusing to store its text form",
                ));
            }
            Leaf::S(match v {
                Value::Str(s) => s.clone(),
                other => py_str_of(other),
            })
        }
        D::Bytes => {
            if strict && !matches!(raw, Value::Str(_) | Value::Bytes(_)) {
                return Err(refuse(
                    raw,
                    "is not a string; refusing to store its text form",
                ));
            }
            match raw {
                Value::Bytes(b) => Leaf::Y(b.clone()),
                Value::Str(s) => {
                    if let Some((pos, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
                        let esc = if (c as u32) <= 0xff {
                            format!("\\x{:02x}", c as u32)
                        } else if (c as u32) <= 0xffff {
                            format!("\\u{:04x}", c as u32)
                        } else {
                            format!("\\U{:08x}", c as u32)
                        };
                        return Err(format!(
                            "'ascii' codec can't encode character '{esc}' in position {pos}: ordinal not in range(128)"
                        ));
                    }
                    Leaf::Y(s.as_bytes().to_vec())
                }
                other => Leaf::Y(py_str_of(other).into_bytes()),
            }
        }
        D::Datetime64(unit) => {
            let per_ns = unit_nanos(unit);
            match raw {
                Value::None => Leaf::T(None),
                Value::Str(s) => {
                    if strict {
                        if s.is_empty() {
                            return Err(refuse(
                                raw,
                                "is not a datetime; refusing to read it as NaT",
                            ));
                        }
                        if let Ok(p) = pyconv::parse_iso(s) {
                            if i64::try_from(p.epoch_nanos()).is_err() && per_ns == 1 {
                                return Err(refuse(raw, "is out of range for datetime64[ns]; refusing a wrapped-around value"));
                            }
                        }
                    }
                    match pyconv::numpy_datetime_ns(s).map_err(|e| e.1)? {
                        None => Leaf::T(None),
                        Some(_) if per_ns > 1 => {
                            let p = pyconv::parse_iso(s).map_err(|pos| {
                                format!("Error parsing datetime string \"{s}\" at position {pos}")
                            })?;
                            Leaf::T(Some((p.epoch_nanos().div_euclid(per_ns as i128)) as i64))
                        }
                        Some(ns) => Leaf::T(Some(ns)),
                    }
                }
                Value::Int(i) => {
                    if strict {
                        return Err(refuse(raw, "is a number, not a datetime; refusing to read it as a count since the epoch"));
                    }
                    Leaf::T(Some(*i as i64))
                }
                Value::Bool(b) => {
                    if strict {
                        return Err(refuse(raw, "is not a datetime"));
                    }
                    Leaf::T(Some(*b as i64))
                }
                Value::Datetime64(dt, _) | Value::Timestamp(dt) | Value::DateTime(dt) => {
                    Leaf::T(pyconv::naive_to_ns(dt).map(|n| n.div_euclid(per_ns)))
                }
                Value::NaT => Leaf::T(None),
                _ => return Err("Could not convert object to NumPy datetime".into()),
            }
        }
        other => {
            return Err(format!(
                "Cannot convert data to numpy dtype {}",
                other.name()
            ))
        }
    })
}

fn unit_nanos(u: TimeUnit) -> i64 {
    match u {
        TimeUnit::Nano => 1,
        TimeUnit::Micro => 1_000,
        TimeUnit::Milli => 1_000_000,
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Minute => 60_000_000_000,
        TimeUnit::Hour => 3_600_000_000_000,
        _ => 86_400_000_000_000,
    }
}

/// The tensor data of converted leaves (integers already wrapped or range-checked into `d`).
fn build(d: NumpyDtype, leaves: Vec<Leaf>) -> Result<TensorData, NpErr> {
    use NumpyDtype as D;
    let floats = || {
        leaves.iter().map(|l| match l {
            Leaf::F(f) => *f,
            _ => f64::NAN,
        })
    };
    Ok(match d {
        D::Object => TensorData::Object(
            leaves
                .into_iter()
                .map(|l| match l {
                    Leaf::O(v) => v,
                    _ => Value::None,
                })
                .collect(),
        ),
        D::Bool => TensorData::Arrow(Arc::new(BooleanArray::from(
            leaves
                .iter()
                .map(|l| matches!(l, Leaf::B(true)))
                .collect::<Vec<_>>(),
        ))),
        d if d.is_int() => {
            let ints = leaves.iter().map(|l| match l {
                Leaf::I(i) => Some(*i),
                _ => Some(0),
            });
            match signet::numpy::int_array(d, ints) {
                Some(Ok(array)) => TensorData::Arrow(array),
                _ => return Err(format!("a value out of the {} range", d.name())),
            }
        }
        d if d.is_float() => TensorData::Arrow(
            signet::numpy::float_array(d, floats())
                .ok_or_else(|| format!("no float array for {}", d.name()))?,
        ),
        D::Str => TensorData::Arrow(Arc::new(StringArray::from(
            leaves
                .iter()
                .map(|l| match l {
                    Leaf::S(s) => s.as_str(),
                    _ => "",
                })
                .collect::<Vec<_>>(),
        ))),
        D::Bytes => TensorData::Arrow(Arc::new(BinaryArray::from_iter_values(leaves.iter().map(
            |l| match l {
                Leaf::Y(b) => b.as_slice(),
                _ => &[][..],
            },
        )))),
        D::Datetime64(u) => {
            let values: Vec<Option<i64>> = leaves
                .iter()
                .map(|l| match l {
                    Leaf::T(t) => *t,
                    _ => None,
                })
                .collect();
            let (unit, values) = match u {
                TimeUnit::Nano | TimeUnit::Micro | TimeUnit::Milli | TimeUnit::Second => {
                    (u, values)
                }
                // Coarser units are stored as seconds (days as Date32).
                _ => (
                    if matches!(
                        u,
                        TimeUnit::Day | TimeUnit::Week | TimeUnit::Month | TimeUnit::Year
                    ) {
                        TimeUnit::Day
                    } else {
                        TimeUnit::Second
                    },
                    values
                        .into_iter()
                        .map(|v| v.map(|x| x.saturating_mul(unit_nanos(u) / 1_000_000_000)))
                        .collect(),
                ),
            };
            TensorData::Arrow(signet::numpy::timestamp_array(unit, None, values))
        }
        _ => TensorData::Arrow(Arc::new(Float64Array::from(floats().collect::<Vec<_>>()))),
    })
}

/// `np.array(data, dtype=dtype)`; `dtype` `None` infers it. The error is numpy's message.
pub(crate) fn np_array(
    data: &Value,
    dtype: Option<NumpyDtype>,
    compat: Compat,
) -> Result<Tensor, NpErr> {
    let object = dtype == Some(NumpyDtype::Object);
    let (shape, leaves) = discover(data, object)?;
    let strict = compat == Compat::Strict;
    let d = match dtype {
        Some(d) => d,
        None => {
            let d = infer_dtype(&leaves);
            if strict {
                let has_str = leaves.iter().any(|v| matches!(v.as_ref(), Value::Str(_)));
                let has_num = leaves.iter().position(|v| {
                    matches!(
                        unwrap_numpy(v.as_ref()),
                        Value::Int(_) | Value::Float(_) | Value::Bool(_)
                    )
                });
                if let (true, Some(p)) = (has_str, has_num) {
                    return Err(format!(
                        "{} mixed with strings; refusing to turn the numbers into text",
                        py_repr(leaves[p].as_ref())
                    ));
                }
                let has_bool = leaves
                    .iter()
                    .position(|v| matches!(v.as_ref(), Value::Bool(_)));
                let has_number = leaves
                    .iter()
                    .any(|v| matches!(v.as_ref(), Value::Int(_) | Value::Float(_)));
                if let (Some(p), true) = (has_bool, has_number) {
                    return Err(format!(
                        "{} mixed with numbers; refusing to read booleans as numbers",
                        py_repr(leaves[p].as_ref())
                    ));
                }
            }
            d
        }
    };
    let strict_leaf = strict && dtype.is_some();
    let converted = leaves
        .iter()
        .enumerate()
        .map(|(k, v)| {
            convert_leaf(v.as_ref(), d, strict_leaf).map_err(|e| {
                // Strict refusals name the element (the row of a 1-D array).
                if strict && e.contains("refusing") && shape.len() <= 1 {
                    format!("row {k}: {e}")
                } else {
                    e
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tensor {
        dtype: d,
        shape,
        data: build(d, converted)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use signet::pyjson::loads;

    fn arr(text: &str, d: Option<NumpyDtype>) -> Result<Tensor, NpErr> {
        np_array(&loads(text).unwrap(), d, Compat::Mlflow)
    }

    #[test]
    fn shapes_and_dtypes() {
        let t = arr("[[1, 2], [3, 4]]", None).unwrap();
        assert_eq!((t.dtype, t.shape.clone()), (NumpyDtype::Int64, vec![2, 2]));
        assert_eq!(
            arr("[1, \"a\"]", None).unwrap().to_list(),
            loads("[\"1\", \"a\"]").unwrap()
        );
        assert_eq!(arr("[1, null]", None).unwrap().dtype, NumpyDtype::Object);
        assert_eq!(arr("[true, 2]", None).unwrap().dtype, NumpyDtype::Int64);
        assert_eq!(arr("[]", None).unwrap().dtype, NumpyDtype::Float64);
        assert_eq!(
            arr("{\"b\": [1]}", None).unwrap().shape,
            Vec::<usize>::new()
        );
        assert_eq!(
            arr("[[1, 2], [3]]", Some(NumpyDtype::Float32)).unwrap_err(),
            "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part."
        );
        assert_eq!(
            arr("[[1, 2], [3]]", Some(NumpyDtype::Object))
                .unwrap()
                .shape,
            vec![2]
        );
    }

    #[test]
    fn element_conversions() {
        assert_eq!(
            arr("[3000000000]", Some(NumpyDtype::Int32)).unwrap_err(),
            "Python integer 3000000000 out of bounds for int32"
        );
        assert_eq!(
            arr("[9223372036854775808]", Some(NumpyDtype::Int64)).unwrap_err(),
            "Python int too large to convert to C long"
        );
        assert_eq!(
            arr("[null]", Some(NumpyDtype::Int64)).unwrap_err(),
            "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'"
        );
        assert_eq!(
            arr("[1.7]", Some(NumpyDtype::Int64)).unwrap().to_list(),
            loads("[1]").unwrap()
        );
        assert_eq!(
            arr("[null]", Some(NumpyDtype::Str)).unwrap().to_list(),
            loads("[\"None\"]").unwrap()
        );
        assert_eq!(
            arr("[\"false\", \"\"]", Some(NumpyDtype::Bool))
                .unwrap()
                .to_list(),
            loads("[true, false]").unwrap()
        );
        assert_eq!(
            arr("[\"a\"]", Some(NumpyDtype::Float32)).unwrap_err(),
            "could not convert string to float: 'a'"
        );
        assert!(np_array(
            &loads("[1.5]").unwrap(),
            Some(NumpyDtype::Int64),
            Compat::Strict
        )
        .is_err());
        assert!(np_array(&loads("[1, \"a\"]").unwrap(), None, Compat::Strict).is_err());
        assert_eq!(
            promote(NumpyDtype::Int32, NumpyDtype::Float32),
            NumpyDtype::Float64
        );
        assert_eq!(
            promote(NumpyDtype::Int64, NumpyDtype::UInt64),
            NumpyDtype::Float64
        );
    }
}

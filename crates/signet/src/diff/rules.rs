//! The compatibility rules: whether data a caller could send under one type is still accepted
//! under another, derived from MLflow's enforcement (ENFORCEMENT.md §5.1, §6, §7, §8).

use crate::types::{ColType, DataType, ParamShape, ParamType, TensorSpec};

/// The kinds of pandas/numpy column data MLflow's scalar enforcement tells apart (the rows of
/// ENFORCEMENT.md §5.1, value-dependent rows left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Data {
    Bool,
    SmallInt,  // int8, int16, uint8, uint16
    Int32,     // int32
    UInt32,    // uint32
    Int64,     // int64 (values other than 0/1)
    Float16,   // float16
    Float32,   // float32
    Float64,   // float64
    Str,       // pandas string column
    Bytes,     // numpy bytes (|S)
    Object,    // object columns of mixed values, None, Decimal, dates
    ObjectInt, // object of Python ints
    Datetime,  // datetime64 (naive)
}

const ALL: [Data; 13] = [
    Data::Bool,
    Data::SmallInt,
    Data::Int32,
    Data::UInt32,
    Data::Int64,
    Data::Float16,
    Data::Float32,
    Data::Float64,
    Data::Str,
    Data::Bytes,
    Data::Object,
    Data::ObjectInt,
    Data::Datetime,
];

/// Whether a column of `data` passes enforcement against scalar type `t` (§5.1's matrix).
fn accepts(t: DataType, data: Data) -> bool {
    use Data::*;
    match t {
        DataType::Boolean => matches!(data, Bool | Object),
        DataType::Integer => matches!(data, SmallInt | Int32),
        DataType::Long => matches!(data, SmallInt | Int32 | UInt32 | Int64 | ObjectInt),
        DataType::Float => matches!(data, Float16 | Float32),
        DataType::Double => matches!(
            data,
            SmallInt | Int32 | UInt32 | Float16 | Float32 | Float64 | Object
        ),
        DataType::String => matches!(data, Str | Object | ObjectInt),
        DataType::Binary => matches!(data, Str | Bytes | Object | ObjectInt),
        DataType::Datetime => matches!(data, Datetime | Object),
    }
}

/// Scalar column rule: every kind of data `old` accepted is accepted by `new`.
pub fn scalar_widens(old: DataType, new: DataType) -> bool {
    ALL.iter().all(|d| !accepts(old, *d) || accepts(new, *d))
}

/// Whether every value valid for `old` is valid for `new` (request direction). `None`: yes;
/// `Some(why)`: no, with the reason.
pub fn type_accepts(old: &ColType, new: &ColType) -> Result<(), String> {
    match (old, new) {
        (_, ColType::Any) => Ok(()),
        (ColType::Any, _) => Err("AnyType accepted any value; the new type checks them".into()),
        (ColType::Scalar(a), ColType::Scalar(b)) => {
            if scalar_widens(*a, *b) {
                Ok(())
            } else {
                Err(format!(
                    "MLflow does not safely convert every {} column to {}",
                    a.name(),
                    b.name()
                ))
            }
        }
        (ColType::Array(a), ColType::Array(b)) => {
            type_accepts(a, b).map_err(|e| format!("array items: {e}"))
        }
        (ColType::SparkMLVector, ColType::SparkMLVector) => Ok(()),
        (ColType::SparkMLVector, ColType::Array(b)) => {
            type_accepts(&ColType::Scalar(DataType::Double), b)
        }
        (ColType::Map(a), ColType::Map(b)) => {
            type_accepts(a, b).map_err(|e| format!("map values: {e}"))
        }
        (ColType::Object(a), ColType::Object(b)) => {
            for p in a.properties() {
                match b.get(&p.name) {
                    None => {
                        return Err(format!(
                            "property '{}' was removed: MLflow refuses unknown properties",
                            p.name
                        ))
                    }
                    Some(q) => {
                        if q.required.is_required() && !p.required.is_required() {
                            return Err(format!("property '{}' became required", p.name));
                        }
                        type_accepts(&p.ty, &q.ty)
                            .map_err(|e| format!("property '{}': {e}", p.name))?;
                    }
                }
            }
            for q in b.properties() {
                if a.get(&q.name).is_none() && q.required.is_required() {
                    return Err(format!("new required property '{}'", q.name));
                }
            }
            Ok(())
        }
        _ => Err(format!(
            "a {} value is not a valid {}",
            old.type_name(),
            new.type_name()
        )),
    }
}

/// Tensor rule (§7.1): the dtype must match exactly (no casting); every shape valid for `old`
/// must be valid for `new`: same rank, each new dimension `-1` or equal.
pub fn tensor_accepts(old: &TensorSpec, new: &TensorSpec) -> Result<(), String> {
    if old.dtype != new.dtype {
        return Err(format!(
            "MLflow casts no tensor: {} input is refused for dtype {}",
            old.dtype.name(),
            new.dtype.name()
        ));
    }
    if old.shape.len() != new.shape.len() {
        return Err("the number of dimensions changed".into());
    }
    for (i, (o, n)) in old.shape.iter().zip(&new.shape).enumerate() {
        if *n != -1 && o != n {
            return Err(format!(
                "dimension {i} was {} and must now be {n}",
                if *o == -1 {
                    "any size".to_string()
                } else {
                    o.to_string()
                }
            ));
        }
    }
    Ok(())
}

/// Param rule (§8): the scalar rule's widenings (long accepts integer; float and double accept
/// integer and long; double accepts float); Objects as columns; the shape must not change.
pub fn param_accepts(
    old: (&ParamType, ParamShape),
    new: (&ParamType, ParamShape),
) -> Result<(), String> {
    if old.1 != new.1 {
        return Err("the param's shape changed (scalar ↔ list)".into());
    }
    match (old.0, new.0) {
        (ParamType::Scalar(a), ParamType::Scalar(b)) => {
            use DataType::*;
            let ok = a == b
                || matches!(
                    (a, b),
                    (Integer, Long)
                        | (Integer, Float)
                        | (Integer, Double)
                        | (Long, Float)
                        | (Long, Double)
                        | (Float, Double)
                );
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "MLflow does not convert {} param values to {}",
                    a.name(),
                    b.name()
                ))
            }
        }
        (ParamType::Object(a), ParamType::Object(b)) => {
            type_accepts(&ColType::Object(a.clone()), &ColType::Object(b.clone()))
        }
        _ => Err("the param's type changed between scalar and object".into()),
    }
}

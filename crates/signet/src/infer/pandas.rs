//! Types of pandas columns (`_infer_pandas_column`), including pandas' own `infer_objects`
//! re-inference of `object` columns.

use super::values::{infer_list, is_none_or_nan};
use super::InferError;
use crate::table::{self, DtypeInfo};
use crate::types::{ColType, DataType, NumpyDtype};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::Array;
use arrow_schema::{DataType as ArrowType, Field};

/// `_infer_numpy_dtype` by numpy kind and item size.
pub(crate) fn numpy_kind_type(
    name: &str,
    kind: char,
    itemsize: usize,
) -> Result<DataType, InferError> {
    let t = match kind {
        'b' => Some(DataType::Boolean),
        'i' | 'u' => {
            if itemsize < 4 || (kind == 'i' && itemsize == 4) {
                Some(DataType::Integer)
            } else if itemsize < 8 || (kind == 'i' && itemsize == 8) {
                Some(DataType::Long)
            } else {
                None
            }
        }
        'f' => {
            if itemsize <= 4 {
                Some(DataType::Float)
            } else if itemsize <= 8 {
                Some(DataType::Double)
            } else {
                None
            }
        }
        'U' => Some(DataType::String),
        'S' => Some(DataType::Binary),
        'M' => Some(DataType::Datetime),
        'O' => return Err(InferError::other(
            "Exception",
            "Can not infer object without looking at the values, call _map_numpy_array instead.",
        )),
        _ => None,
    };
    t.ok_or_else(|| {
        InferError::mlflow(format!(
            "Unsupported numpy data type '{name}', kind '{kind}'"
        ))
    })
}

/// What pandas' `Series.infer_objects()` (`lib.maybe_convert_objects` with
/// `convert_non_numeric=True`) makes of an `object` column: `None` when it stays object-kind
/// (including pandas 3's `str` dtype for all-string columns), else the new dtype's name, kind
/// and item size.
pub(crate) fn infer_objects(values: &[Value]) -> Option<DtypeInfo> {
    #[derive(Default)]
    struct Seen {
        null: bool,
        nan: bool,
        bool_: bool,
        int: bool,
        uint: bool,
        sint: bool,
        float: bool,
        complex: bool,
        datetime: bool,
        timedelta: bool,
        nat: bool,
        str_: bool,
    }
    let mut s = Seen::default();
    for v in values {
        let v = match v {
            Value::Numpy(NumpyDtype::Complex64 | NumpyDtype::Complex128, _) => {
                s.complex = true;
                continue;
            }
            Value::Numpy(NumpyDtype::Timedelta64(_), _) => {
                s.timedelta = true;
                continue;
            }
            Value::Numpy(_, inner) => inner.as_ref(),
            other => other,
        };
        match v {
            Value::None => s.null = true,
            Value::NaT => s.nat = true,
            Value::Bool(_) => s.bool_ = true,
            Value::Float(f) => {
                s.float = true;
                if f.is_nan() {
                    s.nan = true;
                }
            }
            Value::Int(i) => {
                if *i < i64::MIN as i128 || *i > u64::MAX as i128 {
                    return None;
                }
                s.int = true;
                if *i > i64::MAX as i128 {
                    s.uint = true;
                }
                if *i < 0 {
                    s.sint = true;
                }
            }
            Value::Str(_) => s.str_ = true,
            Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..) => s.datetime = true,
            // pd.NA, bytes, dates, containers, arrays: the column stays object.
            _ => return None,
        }
    }
    let numeric = s.int || s.float || s.complex;
    let info = |name: &str, kind: char, itemsize: usize| {
        Some(DtypeInfo {
            name: name.to_string(),
            kind,
            itemsize,
        })
    };
    if s.str_ {
        return None;
    }
    if s.bool_ {
        let only = !(numeric || s.null || s.nat || s.datetime || s.timedelta);
        return if only { info("bool", 'b', 1) } else { None };
    }
    if s.datetime {
        let only = !(numeric || s.timedelta);
        return if only {
            info("datetime64[us]", 'M', 8)
        } else {
            None
        };
    }
    if s.timedelta {
        let only = !numeric && !s.datetime;
        return if only {
            info("timedelta64[us]", 'm', 8)
        } else {
            None
        };
    }
    if s.nat {
        return None;
    }
    if s.complex {
        return info("complex128", 'c', 16);
    }
    if s.float || s.nan {
        return info("float64", 'f', 8);
    }
    if s.int {
        if s.null {
            return info("float64", 'f', 8);
        }
        if s.uint && s.sint {
            return None;
        }
        return if s.uint {
            info("uint64", 'u', 8)
        } else {
            info("int64", 'i', 8)
        };
    }
    None
}

/// pandas' `is_string_dtype(col)` for an object-kind column.
fn is_string_dtype(info: &DtypeInfo, values: &[Value], array: &dyn Array) -> bool {
    match info.name.as_str() {
        "str" | "string" => true,
        "object" => values.is_empty() || values.iter().all(|v| matches!(v, Value::Str(_))),
        "category" => array.as_any_dictionary_opt().is_some_and(|d| {
            matches!(
                d.values().data_type(),
                ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
            ) && !d.values().is_empty()
        }),
        _ => false,
    }
}

/// Type and required flag of one pandas column (`_infer_pandas_column` and `_infer_required`).
pub(crate) fn infer_column(
    field: &Field,
    array: &dyn Array,
) -> Result<(ColType, bool), InferError> {
    let info = table::dtype_info(field, array);
    if info.kind != 'O' {
        let t = numpy_kind_type(&info.name, info.kind, info.itemsize)?;
        return Ok((ColType::Scalar(t), !table::has_missing(field, array)));
    }
    let values = table::object_values(field, array);
    let required = !values.iter().any(is_none_or_nan);
    if info.name == "object" {
        if let Some(converted) = infer_objects(&values) {
            let t = numpy_kind_type(&converted.name, converted.kind, converted.itemsize)?;
            return Ok((ColType::Scalar(t), required));
        }
    }
    let outcome = match infer_list(&values) {
        Ok(Some(ColType::Array(inner))) => Ok(*inner),
        Ok(_) => Err(InferError::other(
            "AttributeError",
            "'AnyType' object has no attribute 'dtype'",
        )),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(t) => Ok((t, required)),
        Err(e) => {
            if is_string_dtype(&info, &values, array) {
                Ok((ColType::Scalar(DataType::String), required))
            } else {
                Err(InferError::mlflow(format!(
                    "Failed to infer schema for pandas.Series. Error: {}",
                    e.message
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(values: Vec<Value>) -> Option<String> {
        infer_objects(&values).map(|i| i.name)
    }

    #[test]
    fn object_reinference() {
        use Value::*;
        assert_eq!(kind(vec![Int(1), Int(2)]).as_deref(), Some("int64"));
        assert_eq!(kind(vec![Int(1), None]).as_deref(), Some("float64"));
        assert_eq!(kind(vec![Int(1), Float(2.5)]).as_deref(), Some("float64"));
        assert_eq!(kind(vec![None, None]), Option::None);
        assert_eq!(
            kind(vec![None, Float(f64::NAN)]).as_deref(),
            Some("float64")
        );
        assert_eq!(kind(vec![Bool(true), None]), Option::None);
        assert_eq!(kind(vec![Bool(true), Int(1)]), Option::None);
        assert_eq!(kind(vec![Bool(true), Bool(false)]).as_deref(), Some("bool"));
        assert_eq!(kind(vec![Int(1 << 63)]).as_deref(), Some("uint64"));
        assert_eq!(kind(vec![Int(1 << 63), Int(-1)]), Option::None);
        assert_eq!(kind(vec![Int(1 << 70)]), Option::None);
        assert_eq!(kind(vec![Value::str("a"), None]), Option::None);
        assert_eq!(
            kind(vec![Numpy(NumpyDtype::Int32, Box::new(Int(1)))]).as_deref(),
            Some("int64")
        );
        assert_eq!(kind(vec![NaT, None]), Option::None);
        assert_eq!(kind(vec![Date(chrono::NaiveDate::MIN)]), Option::None);
    }

    #[test]
    fn kinds() {
        assert_eq!(numpy_kind_type("uint32", 'u', 4).unwrap(), DataType::Long);
        assert_eq!(
            numpy_kind_type("uint16", 'u', 2).unwrap(),
            DataType::Integer
        );
        assert_eq!(
            numpy_kind_type("uint64", 'u', 8).unwrap_err().message,
            "Unsupported numpy data type 'uint64', kind 'u'"
        );
        assert_eq!(numpy_kind_type("float16", 'f', 2).unwrap(), DataType::Float);
    }
}

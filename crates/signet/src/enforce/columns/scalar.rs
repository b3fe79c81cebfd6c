//! docs/enforcement.md#safe-conversion: one column against a scalar [`DataType`] (`_enforce_mlflow_datatype`).
//!
//! The column is an Arrow array typed by the [`crate::table`] conventions. Typed columns are
//! decided from their Arrow type alone (a column already of the target type is returned as the
//! same `Arc`); casts use `arrow-cast`. Only `object` columns are looked at value by value.

use super::build::{self, Inferred};
use super::Col;
use crate::enforce::{Compat, EnforceError, ErrorKind};
use crate::repr::{py_repr, py_str_of};
use crate::table::{self, is_json_field, PANDAS_DTYPE_KEY};
use crate::types::{ColumnName, DataType, NumpyDtype};
use crate::value::Value;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float64Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, TimestampNanosecondArray, UInt64Array,
};
use arrow_schema::{DataType as ArrowType, Field, TimeUnit as ArrowUnit};
use std::sync::Arc;

/// The hint MLflow appends when a float column with NaN holds only integral values.
const HINT: &str = " Hint: the type mismatch is likely caused by missing values. Integer columns \
in python can not represent missing values and are therefore encoded as floats. The best way to \
avoid this problem is to infer the model schema based on a realistic data sample (training \
dataset) that includes missing values. Alternatively, you can declare integer columns as doubles \
(float64) whenever these columns may have missing values. See `Handling Integers With Missing \
Values <https://www.mlflow.org/docs/latest/models.html#handling-integers-with-missing-values>`_ \
for more details.";

/// A column's pandas dtype as the safe-conversion rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pd {
    /// numpy `bool`
    Bool,
    /// numpy or nullable (`Int64`, ...) integers of `bytes` bytes.
    Int {
        bytes: u8,
        signed: bool,
        nullable: bool,
    },
    /// numpy or nullable (`Float64`) floats of `bytes` bytes.
    Float { bytes: u8, nullable: bool },
    /// nullable `boolean`
    Boolean,
    /// pandas 3's `str`
    Str,
    /// nullable `string`
    StringNa,
    /// `object`
    Object,
    /// `datetime64[unit]` or, with `tz`, `datetime64[unit, tz]`
    Datetime { tz: bool, nanos: bool },
    /// anything else (`category`, `timedelta64`), by numpy kind
    Other(char),
}

impl Pd {
    fn kind(self) -> char {
        match self {
            Pd::Bool | Pd::Boolean => 'b',
            Pd::Int { signed: true, .. } => 'i',
            Pd::Int { .. } => 'u',
            Pd::Float { .. } => 'f',
            Pd::Str | Pd::StringNa | Pd::Object => 'O',
            Pd::Datetime { .. } => 'M',
            Pd::Other(k) => k,
        }
    }

    fn itemsize(self) -> u8 {
        match self {
            Pd::Bool | Pd::Boolean => 1,
            Pd::Int { bytes, .. } | Pd::Float { bytes, .. } => bytes,
            Pd::Datetime { .. } => 8,
            Pd::Other('m') => 8,
            _ => 0,
        }
    }

    fn nullable(self) -> bool {
        matches!(
            self,
            Pd::Boolean | Pd::Int { nullable: true, .. } | Pd::Float { nullable: true, .. }
        )
    }
}

/// Classifies a column without allocating (mirrors [`table::dtype_info`]).
pub(crate) fn classify(field: &Field, array: &dyn Array) -> Pd {
    classify_typed(field, array.data_type(), array.null_count() > 0)
}

/// Classifies a column of Arrow type `ty` from its field alone, given whether it holds
/// missing values (`nulls`).
fn classify_typed(field: &Field, ty: &ArrowType, nulls: bool) -> Pd {
    let meta = field.metadata().get(PANDAS_DTYPE_KEY).map(String::as_str);
    if meta == Some("object") || is_json_field(field) {
        return Pd::Object;
    }
    let int = |bytes: u8, signed: bool, ext: &str| Pd::Int {
        bytes,
        signed,
        nullable: nulls || meta == Some(ext),
    };
    match ty {
        ArrowType::Boolean => {
            if nulls || meta == Some("boolean") {
                Pd::Boolean
            } else {
                Pd::Bool
            }
        }
        ArrowType::Int8 => int(1, true, "Int8"),
        ArrowType::Int16 => int(2, true, "Int16"),
        ArrowType::Int32 => int(4, true, "Int32"),
        ArrowType::Int64 => int(8, true, "Int64"),
        ArrowType::UInt8 => int(1, false, "UInt8"),
        ArrowType::UInt16 => int(2, false, "UInt16"),
        ArrowType::UInt32 => int(4, false, "UInt32"),
        ArrowType::UInt64 => int(8, false, "UInt64"),
        ArrowType::Float16 => Pd::Float {
            bytes: 2,
            nullable: false,
        },
        ArrowType::Float32 => Pd::Float {
            bytes: 4,
            nullable: meta == Some("Float32"),
        },
        ArrowType::Float64 => Pd::Float {
            bytes: 8,
            nullable: meta == Some("Float64"),
        },
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => {
            if meta == Some("string") {
                Pd::StringNa
            } else {
                Pd::Str
            }
        }
        ArrowType::Timestamp(u, tz) => Pd::Datetime {
            tz: tz.is_some(),
            nanos: *u == ArrowUnit::Nanosecond,
        },
        ArrowType::Duration(_) => Pd::Other('m'),
        ArrowType::Dictionary(..) => Pd::Other('O'),
        _ => Pd::Object,
    }
}

/// numpy's `(kind, itemsize)` of a DataType's numpy type.
fn target(t: DataType) -> (char, u8) {
    match t {
        DataType::Boolean => ('b', 1),
        DataType::Integer => ('i', 4),
        DataType::Long => ('i', 8),
        DataType::Float => ('f', 4),
        DataType::Double => ('f', 8),
        DataType::String => ('U', 0),
        DataType::Binary => ('S', 0),
        DataType::Datetime => ('M', 8),
    }
}

fn arrow_target(t: DataType) -> Option<ArrowType> {
    Some(match t {
        DataType::Boolean => ArrowType::Boolean,
        DataType::Integer => ArrowType::Int32,
        DataType::Long => ArrowType::Int64,
        DataType::Float => ArrowType::Float32,
        DataType::Double => ArrowType::Float64,
        _ => return None,
    })
}

/// Whether the column already has `t`'s numpy or pandas type (returned as is).
fn exact(pd: Pd, t: DataType) -> bool {
    matches!(
        (pd, t),
        (Pd::Bool, DataType::Boolean)
            | (
                Pd::Int {
                    bytes: 4,
                    signed: true,
                    nullable: false
                },
                DataType::Integer
            )
            | (
                Pd::Int {
                    bytes: 8,
                    signed: true,
                    nullable: false
                },
                DataType::Long
            )
            | (
                Pd::Float {
                    bytes: 4,
                    nullable: false
                },
                DataType::Float
            )
            | (
                Pd::Float {
                    bytes: 8,
                    nullable: false
                },
                DataType::Double
            )
            | (Pd::StringNa, DataType::String)
            | (
                Pd::Datetime {
                    tz: false,
                    nanos: true
                },
                DataType::Datetime
            )
    )
}

/// An MlflowException-class failure naming the column (when it has a name).
fn mlflow_error(name: &str, message: String) -> EnforceError {
    let e = EnforceError::new(ErrorKind::IncompatibleType, message);
    if name.is_empty() {
        e
    } else {
        e.column(name)
    }
}

/// A raw Python exception leaking through MLflow (`cannot convert NA to integer`).
pub(crate) fn leaked(class: &'static str, message: impl Into<String>) -> EnforceError {
    EnforceError::new(ErrorKind::IncompatibleType, message).exception(class)
}

fn incompatible(name: &str, c: &Col, t: DataType, hint: &str) -> EnforceError {
    let dtype = table::pandas_dtype(&c.field, c.array.as_ref());
    mlflow_error(
        name,
        format!(
            "Incompatible input types for column {name}. Can not safely convert {dtype} to {}.{hint}",
            t.numpy_text()
        ),
    )
    .types(t.numpy_text(), dtype)
}

/// A Strict-mode refusal of a value MLflow would pass or convert nonsensically.
fn strict_refusal(
    name: &str,
    c: &Col,
    t: DataType,
    row: usize,
    v: &Value,
    why: &str,
) -> EnforceError {
    let dtype = table::pandas_dtype(&c.field, c.array.as_ref());
    mlflow_error(
        name,
        format!(
            "Incompatible input types for column {name}. Can not safely convert {dtype} to {}: \
             {why} (row {row}: {}).",
            t.numpy_text(),
            py_repr(v)
        ),
    )
    .types(t.numpy_text(), v.type_name())
    .at(row, py_repr(v))
}

fn failed_to_convert(name: &str, t: DataType) -> EnforceError {
    mlflow_error(
        name,
        format!(
            "Failed to convert column {name} from type object to {}.",
            t.qualified()
        ),
    )
    .types(t.numpy_text(), "object")
}

fn label(c: &Col) -> ColumnName {
    table::column_label(&c.field)
}

/// A column of `array` with `c`'s label and no pandas dtype metadata.
fn retyped(c: &Col, array: ArrayRef) -> Col {
    Col {
        field: Arc::new(build::field(&label(c), array.data_type().clone(), &[])),
        array,
    }
}

fn is_missing(v: &Value) -> bool {
    v.is_missing()
}

/// Whether [`enforce_scalar`] returns a column with `field` (and no missing values) as it is,
/// in every [`Compat`] mode, decided without its values: it already has `t`'s type.
pub(crate) fn passes_as_is(field: &Field, t: DataType) -> bool {
    exact(classify_typed(field, field.data_type(), false), t)
}

/// Enforces `t` on a column named `name` (its label as `str()` prints it) and returns the
/// column the model receives.
pub(crate) fn enforce_scalar(
    name: &str,
    c: Col,
    t: DataType,
    compat: Compat,
) -> Result<Col, EnforceError> {
    let pd = classify(&c.field, c.array.as_ref());
    if exact(pd, t) {
        return Ok(c);
    }
    let mut c = c;
    let mut pd = pd;
    // 1. object columns are re-inferred unless the target is string or binary.
    let mut objects: Option<Vec<Value>> = None;
    // The values of an object column: those step 1 read, else read now.
    let object_values = |objects: Option<Vec<Value>>, c: &Col| {
        objects.unwrap_or_else(|| table::object_values(&c.field, c.array.as_ref()))
    };
    if pd == Pd::Object && !matches!(t, DataType::String | DataType::Binary) {
        let values = table::object_values(&c.field, c.array.as_ref());
        let kind = build::infer(&values, true);
        if kind == Inferred::Object {
            objects = Some(values);
        } else {
            c = build::build(&label(&c), &values, kind);
            pd = classify(&c.field, c.array.as_ref());
            if exact(pd, t) {
                return Ok(c);
            }
        }
    }
    // 2.–4. string and binary columns, object columns for binary.
    match (t, pd) {
        (DataType::String, Pd::Object | Pd::Str) | (DataType::Binary, Pd::Object) => {
            if compat == Compat::Strict && pd == Pd::Object {
                strict_object_check(name, &c, t)?;
            }
            return Ok(c);
        }
        (DataType::Binary, Pd::Str | Pd::StringNa) => return Ok(c),
        _ => {}
    }
    if t == DataType::Datetime {
        match pd {
            // 6. datetime64 of any unit → datetime64[ns].
            Pd::Datetime { tz: true, .. } => {
                return Err(EnforceError::new(
                    ErrorKind::IncompatibleType,
                    "Please ensure that the input data of datetime column only contains \
                     timezone-naive datetime objects. Error: Cannot use .astype to convert from \
                     timezone-aware dtype to timezone-naive dtype. Use obj.tz_localize(None) or \
                     obj.tz_convert('UTC').tz_localize(None) instead.",
                )
                .types(
                    t.numpy_text(),
                    table::pandas_dtype(&c.field, c.array.as_ref()),
                ))
            }
            Pd::Datetime { .. } => return to_nanos(&c),
            // 7. object → datetime64[ns], value by value.
            Pd::Object => {
                return objects_to_datetime(name, &c, &object_values(objects, &c), compat);
            }
            _ => {}
        }
    }
    if pd == Pd::Object {
        match t {
            // 8. object passes for boolean.
            DataType::Boolean => {
                if compat == Compat::Strict {
                    strict_object_check(name, &c, t)?;
                }
                return Ok(c);
            }
            // 9. object → numeric parse for double.
            DataType::Double => {
                return to_numeric(name, &c, &object_values(objects, &c), compat);
            }
            _ => {}
        }
    }
    // 10. the width/kind rule.
    let (kind, size) = target(t);
    let (k, s) = (pd.kind(), pd.itemsize());
    let upcast = if k == kind {
        s <= size
    } else if k == 'u' && kind == 'i' {
        s < size
    } else if matches!(k, 'i' | 'u') && t == DataType::Double {
        s <= 6
    } else {
        false
    };
    if upcast {
        return cast(&c, pd, t);
    }
    // 11. int64 of 0/1 values → float32/float64.
    let int64 = Pd::Int {
        bytes: 8,
        signed: true,
        nullable: false,
    };
    if pd == int64 && matches!(t, DataType::Float | DataType::Double) && all_zero_one(&c) {
        return cast(&c, pd, t);
    }
    // 12. refused, with a hint for integral floats with missing values.
    let float64 = Pd::Float {
        bytes: 8,
        nullable: false,
    };
    let hint = if pd == float64 && matches!(kind, 'i' | 'u') && has_nans(&c) && all_ints(&c)? {
        HINT
    } else {
        ""
    };
    Err(incompatible(name, &c, t, hint))
}

/// Strict mode: an `object` column passed unchanged for string, binary or boolean must hold
/// only values of that type (or missing values); a string column may also hold lists of
/// strings (the one-row reading of `{"text": ["a", "b"]}`, which MLflow means to support).
fn strict_object_check(name: &str, c: &Col, t: DataType) -> Result<(), EnforceError> {
    let text = matches!(
        c.array.data_type(),
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View
    ) && !is_json_field(&c.field);
    let bytes = matches!(
        c.array.data_type(),
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView
    );
    match t {
        DataType::String if text => return Ok(()),
        DataType::Binary if text || bytes => return Ok(()),
        _ => {}
    }
    let is_str = |v: &Value| matches!(v, Value::Str(_));
    let values = table::object_values(&c.field, c.array.as_ref());
    for (row, v) in values.iter().enumerate() {
        let ok = is_missing(v)
            || match t {
                DataType::String => {
                    is_str(v)
                        || matches!(v, Value::List(items) if items.iter().all(is_str))
                        || matches!(v, Value::Ndarray(nd) if nd.dtype == NumpyDtype::Str)
                }
                DataType::Binary => matches!(v, Value::Str(_) | Value::Bytes(_)),
                _ => matches!(v, Value::Bool(_) | Value::Numpy(NumpyDtype::Bool, _)),
            };
        if !ok {
            let what = match t {
                DataType::String => "only strings and lists of strings",
                DataType::Binary => "only bytes and strings",
                _ => "only bools",
            };
            return Err(strict_refusal(
                name,
                c,
                t,
                row,
                v,
                &format!("{what} (or missing values) are passed on unconverted"),
            ));
        }
    }
    Ok(())
}

fn all_zero_one(c: &Col) -> bool {
    match c.array.as_primitive_opt::<Int64Type>() {
        Some(a) => a.iter().all(|v| matches!(v, None | Some(0) | Some(1))),
        None => false,
    }
}

fn has_nans(c: &Col) -> bool {
    c.array.null_count() > 0
        || c.array
            .as_primitive_opt::<Float64Type>()
            .is_some_and(|a| a.values().iter().any(|v| v.is_nan()))
}

/// `all(pd.isnull(x) or int(x) == x for x in values)`, with Python's `OverflowError` for an
/// infinity met before a fractional value.
fn all_ints(c: &Col) -> Result<bool, EnforceError> {
    let Some(a) = c.array.as_primitive_opt::<Float64Type>() else {
        return Ok(false);
    };
    for v in a.iter().flatten() {
        if v.is_nan() {
            continue;
        }
        if v.is_infinite() {
            return Err(leaked(
                "OverflowError",
                "cannot convert float infinity to integer",
            ));
        }
        if v.fract() != 0.0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `values.astype(numpy_type)` for the numeric upcasts (and nullable columns without NA).
fn cast(c: &Col, pd: Pd, t: DataType) -> Result<Col, EnforceError> {
    let Some(to) = arrow_target(t) else {
        return Err(incompatible("", c, t, ""));
    };
    if pd.nullable() && c.array.null_count() > 0 {
        match t {
            DataType::Boolean => {
                return Err(leaked("ValueError", "cannot convert float NaN to bool"))
            }
            DataType::Integer | DataType::Long => {
                return Err(leaked("ValueError", "cannot convert NA to integer"))
            }
            _ => {}
        }
    }
    let array = if c.array.data_type() == &to {
        c.array.clone()
    } else if let Some(wide) = crate::numpy::widen(c.array.as_ref(), &to) {
        wide
    } else {
        arrow_cast::cast(c.array.as_ref(), &to).map_err(|e| leaked("ValueError", e.to_string()))?
    };
    Ok(retyped(c, array))
}

const NANOS: [i64; 4] = [1_000_000_000, 1_000_000, 1_000, 1];

/// `datetime64[unit]` → `datetime64[ns]`, refusing values outside the nanosecond range as
/// pandas does.
fn to_nanos(c: &Col) -> Result<Col, EnforceError> {
    let a = c.array.as_ref();
    let (raw, factor): (Vec<Option<i64>>, i64) = match a.data_type() {
        ArrowType::Timestamp(ArrowUnit::Nanosecond, _) => return Ok(retyped(c, c.array.clone())),
        ArrowType::Timestamp(ArrowUnit::Second, _) => (
            a.as_primitive::<TimestampSecondType>().iter().collect(),
            NANOS[0],
        ),
        ArrowType::Timestamp(ArrowUnit::Millisecond, _) => (
            a.as_primitive::<TimestampMillisecondType>()
                .iter()
                .collect(),
            NANOS[1],
        ),
        ArrowType::Timestamp(ArrowUnit::Microsecond, _) => (
            a.as_primitive::<TimestampMicrosecondType>()
                .iter()
                .collect(),
            NANOS[2],
        ),
        _ => return Err(leaked("TypeError", "not a datetime column")),
    };
    let mut out = Vec::with_capacity(raw.len());
    for (i, v) in raw.into_iter().enumerate() {
        match v {
            None => out.push(None),
            Some(v) => match v.checked_mul(factor) {
                Some(ns) => out.push(Some(ns)),
                None => {
                    let shown = match table::array_value(a, i) {
                        Value::Datetime64(d, _) => crate::repr::str_datetime(&d),
                        other => py_str_of(&other),
                    };
                    return Err(leaked(
                        "OutOfBoundsDatetime",
                        format!("Out of bounds nanosecond timestamp: {shown}"),
                    ));
                }
            },
        }
    }
    Ok(retyped(c, Arc::new(TimestampNanosecondArray::from(out))))
}

/// Step 7: an `object` column → `datetime64[ns]` (`astype(errors="raise")`).
fn objects_to_datetime(
    name: &str,
    c: &Col,
    values: &[Value],
    compat: Compat,
) -> Result<Col, EnforceError> {
    let t = DataType::Datetime;
    let mut out = Vec::with_capacity(values.len());
    for (row, v) in values.iter().enumerate() {
        let ns = match v {
            v if is_missing(v) => None,
            Value::Date(_) | Value::DateTime(_) | Value::Timestamp(_) | Value::Datetime64(..) => {
                match build::datetime_nanos(v) {
                    Some(ns) => Some(ns),
                    None => return Err(failed_to_convert(name, t)),
                }
            }
            Value::Str(s) => {
                let s = s.trim();
                if s.is_empty() || s.eq_ignore_ascii_case("nat") {
                    None
                } else {
                    match crate::numpy::parse_iso_datetime(s)
                        .and_then(|(d, _)| d.and_utc().timestamp_nanos_opt())
                    {
                        Some(ns) => Some(ns),
                        None => return Err(failed_to_convert(name, t)),
                    }
                }
            }
            Value::Bool(_) | Value::Numpy(NumpyDtype::Bool, _) => return Err(not_convertible(v)),
            v => match numeric(v) {
                Some(n) => {
                    if compat == Compat::Strict {
                        return Err(strict_refusal(
                            name,
                            c,
                            t,
                            row,
                            v,
                            "numbers are not read as nanoseconds since the epoch",
                        ));
                    }
                    match n {
                        Numeric::Int(i) => match i64::try_from(i) {
                            Ok(i) => Some(i),
                            Err(_) => return Err(failed_to_convert(name, t)),
                        },
                        Numeric::Float(f) => {
                            if f.is_finite() && f.abs() < 9.2e18 {
                                Some(f as i64)
                            } else {
                                return Err(failed_to_convert(name, t));
                            }
                        }
                    }
                }
                None => return Err(not_convertible(v)),
            },
        };
        out.push(ns);
    }
    Ok(retyped(c, Arc::new(TimestampNanosecondArray::from(out))))
}

fn not_convertible(v: &Value) -> EnforceError {
    leaked(
        "TypeError",
        format!(
            "{} is not convertible to datetime",
            crate::repr::py_class(v)
        ),
    )
}

enum Numeric {
    Int(i128),
    Float(f64),
}

fn numeric(v: &Value) -> Option<Numeric> {
    match v {
        Value::Int(i) => Some(Numeric::Int(*i)),
        Value::Float(f) => Some(Numeric::Float(*f)),
        Value::Numpy(dt, inner) if *dt != NumpyDtype::Bool => match inner.as_ref() {
            Value::Int(i) => Some(Numeric::Int(*i)),
            Value::Float(f) => Some(Numeric::Float(*f)),
            _ => None,
        },
        _ => None,
    }
}

/// Python's `float(text)` as pandas' numeric parser applies it: `Some((value, looks_int))`.
fn parse_number(text: &str) -> Option<(f64, Option<i128>)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    let special = matches!(body, "inf" | "infinity" | "nan");
    let f: f64 = if special {
        let v = if body == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        if lower.starts_with('-') {
            -v
        } else {
            v
        }
    } else {
        if !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
        {
            return None;
        }
        t.parse().ok()?
    };
    let looks_int = !special && !lower.contains(['.', 'e']);
    let int = if looks_int {
        t.parse::<i128>().ok()
    } else {
        None
    };
    Some((f, int))
}

/// Step 9: `pd.to_numeric` of an `object` column (`lib.maybe_convert_numeric`): ints → `int64`,
/// any float or missing value → `float64`, only bools → `bool`. Text that is not a number is a
/// `ValueError` (MLflow's "Failed to convert"), containers and dates a `TypeError` that leaks.
fn to_numeric(name: &str, c: &Col, values: &[Value], compat: Compat) -> Result<Col, EnforceError> {
    let t = DataType::Double;
    let (mut seen_float, mut seen_int, mut seen_bool, mut seen_uint, mut seen_neg) =
        (false, false, false, false, false);
    let mut floats = Vec::with_capacity(values.len());
    let mut ints: Vec<i128> = Vec::with_capacity(values.len());
    for (row, v) in values.iter().enumerate() {
        let strict_text = matches!(v, Value::Str(_) | Value::Bytes(_))
            || matches!(v, Value::Bool(_) | Value::Numpy(NumpyDtype::Bool, _));
        if compat == Compat::Strict && strict_text {
            return Err(strict_refusal(
                name,
                c,
                t,
                row,
                v,
                "text, bytes and bools are not read as numbers",
            ));
        }
        match v {
            v if is_missing(v) => {
                seen_float = true;
                floats.push(None);
                ints.push(0);
            }
            Value::Bool(_) | Value::Numpy(NumpyDtype::Bool, _) => {
                let b = v.is_truthy();
                seen_bool = true;
                floats.push(Some(b as u8 as f64));
                ints.push(b as i128);
            }
            Value::Str(_) | Value::Bytes(_) => {
                let text = match v {
                    Value::Str(s) => Some(s.as_str()),
                    Value::Bytes(b) => std::str::from_utf8(b).ok(),
                    _ => None,
                };
                match text.and_then(parse_number) {
                    Some((f, Some(i))) => {
                        seen_int = true;
                        seen_neg |= i < 0;
                        seen_uint |= i > i64::MAX as i128;
                        floats.push(Some(f));
                        ints.push(i);
                    }
                    Some((f, None)) => {
                        seen_float = true;
                        floats.push(if f.is_nan() { None } else { Some(f) });
                        ints.push(0);
                    }
                    None => return Err(failed_to_convert(name, t)),
                }
            }
            v => match numeric(v) {
                Some(Numeric::Int(i)) => {
                    seen_int = true;
                    seen_neg |= i < 0;
                    seen_uint |= i > i64::MAX as i128;
                    floats.push(Some(i as f64));
                    ints.push(i);
                }
                Some(Numeric::Float(f)) => {
                    seen_float = true;
                    floats.push(if f.is_nan() { None } else { Some(f) });
                    ints.push(0);
                }
                None => {
                    return Err(leaked(
                        "TypeError",
                        format!("Invalid object type at position {row}"),
                    ))
                }
            },
        }
    }
    let array: ArrayRef = if seen_float || (seen_uint && seen_neg) {
        Arc::new(Float64Array::from(floats))
    } else if seen_int {
        if seen_uint {
            Arc::new(UInt64Array::from(
                ints.iter().map(|i| *i as u64).collect::<Vec<_>>(),
            ))
        } else {
            Arc::new(Int64Array::from(
                ints.iter().map(|i| *i as i64).collect::<Vec<_>>(),
            ))
        }
    } else if seen_bool {
        Arc::new(BooleanArray::from(
            ints.iter().map(|i| *i != 0).collect::<Vec<_>>(),
        ))
    } else {
        Arc::new(Int64Array::from(Vec::<i64>::new()))
    };
    Ok(retyped(c, array))
}

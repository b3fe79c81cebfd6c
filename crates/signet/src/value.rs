//! [`Value`]: a Python value as MLflow sees it — params, defaults, JSON-style model inputs
//! (dicts, lists, scalars) and the cells of pandas `object` columns — and [`Tensor`], the
//! numpy array, which holds values (`object` arrays) and is one (`Value::Ndarray`).

use crate::types::{NumpyDtype, TimeUnit};
use arrow_array::{Array, ArrayRef};
use chrono::{NaiveDate, NaiveDateTime};

/// A Python value.
///
/// Plain JSON maps onto `None`/`Bool`/`Int`/`Float`/`Str`/`List`/`Dict`; the other variants
/// stand for the Python and numpy values MLflow distinguishes (bytes, dates, numpy scalars and
/// arrays, pandas' missing-value markers).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `bool`.
    Bool(bool),
    /// `int` (Python ints are unbounded; signet keeps 128 bits).
    Int(i128),
    /// `float`, including NaN and infinities.
    Float(f64),
    /// `str`.
    Str(String),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// `datetime.date`.
    Date(NaiveDate),
    /// `datetime.datetime` (naive).
    DateTime(NaiveDateTime),
    /// `numpy.datetime64` scalar with its unit.
    Datetime64(NaiveDateTime, TimeUnit),
    /// `pandas.Timestamp`.
    Timestamp(NaiveDateTime),
    /// `pandas.NaT`.
    NaT,
    /// `pandas.NA`.
    NA,
    /// A numpy scalar of a numeric/bool dtype; the value is held as the widest Python value.
    Numpy(NumpyDtype, Box<Value>),
    /// `list`.
    List(Vec<Value>),
    /// `tuple`.
    Tuple(Vec<Value>),
    /// `dict`, in insertion order; keys are usually `Str`.
    Dict(Vec<(Value, Value)>),
    /// A numpy array nested inside a value.
    Ndarray(Box<Tensor>),
}

impl Value {
    /// A `str` value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// The text of a `str`; `None` for any other value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A dict with string keys.
    pub fn dict<K: Into<String>>(items: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Dict(
            items
                .into_iter()
                .map(|(k, v)| (Value::Str(k.into()), v))
                .collect(),
        )
    }

    /// Python truthiness.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::None | Value::NaT => false,
            Value::NA => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) | Value::Tuple(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Numpy(_, v) => v.is_truthy(),
            _ => true,
        }
    }

    /// Whether pandas counts this value as missing (`None`, NaN, `NaT`, `NA`).
    pub fn is_missing(&self) -> bool {
        match self {
            Value::None | Value::NaT | Value::NA => true,
            Value::Float(f) => f.is_nan(),
            Value::Numpy(_, v) => v.is_missing(),
            _ => false,
        }
    }

    /// The value under a string key of a dict.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .rev()
                .find(|(k, _)| matches!(k, Value::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python's type name (`int`, `str`, `NoneType`, `list`, `ndarray`, ...), as in MLflow's
    /// `got <TypeName>` messages.
    pub fn type_name(&self) -> String {
        match self {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::Bytes(_) => "bytes".into(),
            Value::Date(_) => "date".into(),
            Value::DateTime(_) => "datetime".into(),
            Value::Datetime64(..) => "datetime64".into(),
            Value::Timestamp(_) => "Timestamp".into(),
            Value::NaT => "NaTType".into(),
            Value::NA => "NAType".into(),
            Value::Numpy(dt, _) => dt.name(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(_) => "dict".into(),
            Value::Ndarray(_) => "ndarray".into(),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i as i128)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

/// A numpy array: a dtype, a shape and the elements in C order.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// Element dtype.
    pub dtype: NumpyDtype,
    /// Shape (empty for a 0-d array).
    pub shape: Vec<usize>,
    /// Elements, flattened in C order.
    pub data: TensorData,
}

/// The elements of a [`Tensor`].
#[derive(Clone, Debug)]
pub enum TensorData {
    /// A flat Arrow array (numeric, bool, Utf8 for `str`, Binary for `bytes`, Timestamp or
    /// Date32 for `datetime64`).
    Arrow(ArrayRef),
    /// Python objects, for `object` arrays.
    Object(Vec<Value>),
}

impl PartialEq for TensorData {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TensorData::Arrow(a), TensorData::Arrow(b)) => a.to_data() == b.to_data(),
            (TensorData::Object(a), TensorData::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl Tensor {
    /// Number of elements (product of the shape).
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the tensor holds no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

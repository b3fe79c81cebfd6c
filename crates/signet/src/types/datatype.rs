//! The eight scalar column types of MLflow (`mlflow.types.DataType`).

use super::{NumpyDtype, TimeUnit};
use std::fmt;

/// A scalar column type, MLflow's `DataType`.
///
/// The JSON name (`long`, `string`, ...) is what appears in signatures; the numpy text
/// (`int64`, `<U0`, ...) is what appears in MLflow's conversion error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataType {
    /// `boolean` — numpy `bool`.
    Boolean,
    /// `integer` — numpy `int32`.
    Integer,
    /// `long` — numpy `int64`.
    Long,
    /// `float` — numpy `float32`.
    Float,
    /// `double` — numpy `float64`.
    Double,
    /// `string` — numpy unsized unicode (`<U0`).
    String,
    /// `binary` — numpy unsized bytes (`|S0`).
    Binary,
    /// `datetime` — numpy `datetime64[ns]`.
    Datetime,
}

impl DataType {
    /// All eight types in MLflow's ordinal order.
    pub const ALL: [DataType; 8] = [
        DataType::Boolean,
        DataType::Integer,
        DataType::Long,
        DataType::Float,
        DataType::Double,
        DataType::String,
        DataType::Binary,
        DataType::Datetime,
    ];

    /// The JSON name, e.g. `long`.
    pub fn name(self) -> &'static str {
        match self {
            DataType::Boolean => "boolean",
            DataType::Integer => "integer",
            DataType::Long => "long",
            DataType::Float => "float",
            DataType::Double => "double",
            DataType::String => "string",
            DataType::Binary => "binary",
            DataType::Datetime => "datetime",
        }
    }

    /// Looks a type up by its JSON name.
    pub fn from_name(name: &str) -> Option<DataType> {
        DataType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The numpy dtype text MLflow prints in conversion errors (`int64`, `<U0`, `|S0`, ...).
    pub fn numpy_text(self) -> &'static str {
        match self {
            DataType::Boolean => "bool",
            DataType::Integer => "int32",
            DataType::Long => "int64",
            DataType::Float => "float32",
            DataType::Double => "float64",
            DataType::String => "<U0",
            DataType::Binary => "|S0",
            DataType::Datetime => "datetime64[ns]",
        }
    }

    /// `DataType.to_numpy()`: the numpy dtype of this type, the one [`Self::numpy_text`] names
    /// (`<U0` and `|S0` are unsized `str` and `bytes`).
    pub fn numpy_dtype(self) -> NumpyDtype {
        match self {
            DataType::Boolean => NumpyDtype::Bool,
            DataType::Integer => NumpyDtype::Int32,
            DataType::Long => NumpyDtype::Int64,
            DataType::Float => NumpyDtype::Float32,
            DataType::Double => NumpyDtype::Float64,
            DataType::String => NumpyDtype::Str,
            DataType::Binary => NumpyDtype::Bytes,
            DataType::Datetime => NumpyDtype::Datetime64(TimeUnit::Nano),
        }
    }

    /// Python's `str(DataType.x)` form, `DataType.long`.
    pub fn qualified(self) -> String {
        format!("DataType.{}", self.name())
    }
}

impl fmt::Display for DataType {
    /// Python's `repr(DataType.x)`, i.e. the bare name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

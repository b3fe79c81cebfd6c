//! How pandas DataFrames (and Series) map onto Arrow — the conventions every part of signet
//! shares.
//!
//! A pandas DataFrame is an Arrow [`RecordBatch`](arrow_array::RecordBatch); a Series is one
//! Arrow column plus an optional label ([`crate::input::Series`]); a numpy array is a
//! [`crate::input::Tensor`] (a dtype, a shape and a flat Arrow array in C order, or a
//! `Vec<Value>` for `object` arrays). Any other Python object is a [`Value`].
//!
//! # Model inputs
//!
//! | Python object | signet |
//! | --- | --- |
//! | `pandas.DataFrame` | [`ModelInput::Table`](crate::input::ModelInput::Table) (columns below) |
//! | `pandas.Series` | [`ModelInput::Series`](crate::input::ModelInput::Series) |
//! | `numpy.ndarray` | [`ModelInput::Tensor`](crate::input::ModelInput::Tensor): [`NumpyDtype`](crate::types::NumpyDtype), shape, flat Arrow array in C order (bool, numeric, Utf8 for `str`, Binary for `bytes`, Timestamp or Date32 for `datetime64`), or `Vec<Value>` for `object` |
//! | `dict` of `numpy.ndarray` | [`ModelInput::TensorDict`](crate::input::ModelInput::TensorDict) (key order kept) |
//! | `scipy.sparse` csr/csc matrix | [`ModelInput::Sparse`](crate::input::ModelInput::Sparse) |
//! | anything else | [`ModelInput::Value`](crate::input::ModelInput::Value); `None` there means "not given" |
//!
//! | Python value | [`Value`] |
//! | --- | --- |
//! | `None`, `bool`, `int`, `float` (NaN, ±inf included), `str`, `bytes` | `None`, `Bool`, `Int` (128 bits), `Float`, `Str`, `Bytes` |
//! | `list`, `tuple`, `dict` (insertion order) | `List`, `Tuple`, `Dict` |
//! | `datetime.date`, naive `datetime.datetime`, `pandas.Timestamp` | `Date`, `DateTime`, `Timestamp` |
//! | `numpy.datetime64` (with its unit) | `Datetime64` |
//! | numpy numeric/bool scalar (`np.int32(5)`) | `Numpy(dtype, value)` |
//! | `numpy.ndarray` inside a value | `Ndarray` |
//! | `pandas.NaT`, `pandas.NA` | `NaT`, `NA` |
//!
//! # Column dtypes
//!
//! The Arrow type decides the pandas dtype; the field metadata key [`PANDAS_DTYPE_KEY`]
//! (`signet.pandas_dtype`) overrides it where the Arrow type alone does not decide.
//!
//! | pandas / numpy notion | Arrow type | metadata `signet.pandas_dtype` | missing value |
//! | --- | --- | --- | --- |
//! | `bool` | Boolean | — | (none) |
//! | `int8` … `int64`, `uint8` … `uint64` | Int8 … Int64, UInt8 … UInt64 | — | (none) |
//! | `float16` / `float32` / `float64` | Float16 / Float32 / Float64 | — | null or NaN (both are pandas NaN) |
//! | nullable `Int8` … `Int64`, `UInt8` … `UInt64` | Int8 … UInt64 | `Int64` etc., or absent when the column has nulls | null = `pd.NA` |
//! | nullable `Float32` / `Float64` | Float32 / Float64 | `Float32` / `Float64` | null = `pd.NA` (NaN stays NaN) |
//! | nullable `boolean` | Boolean | `boolean`, or absent when the column has nulls | null = `pd.NA` |
//! | `str` (pandas' default text dtype) | Utf8 / LargeUtf8 / Utf8View | — | null = NaN |
//! | `string` (nullable `StringDtype`) | Utf8 … | `string` | null = `pd.NA` |
//! | `object` column of strings | Utf8 … | `object` | null = `None` |
//! | `object` column of bytes | Binary / LargeBinary / BinaryView / FixedSizeBinary | — | null = `None` |
//! | `object` column of arbitrary Python values | Utf8 with extension `arrow.json` (field metadata `ARROW:extension:name` = `arrow.json`); each cell is the [Elem](crate::elem) JSON text of the value | — | null = `None` |
//! | `object` column of lists | List / LargeList / FixedSizeList | — | null = `None` |
//! | `object` column of dicts | Struct or Map | — | null = `None` |
//! | `object` column of `datetime.date` | Date32 / Date64 | — | null = `None` |
//! | `object` column of any other Arrow type | that type | `object` | null = `None` |
//! | `datetime64[unit]` | Timestamp(unit, None) | — | null = `NaT` |
//! | `datetime64[unit, tz]` | Timestamp(unit, tz) | — | null = `NaT` |
//! | `timedelta64[unit]` | Duration(unit) | — | null = `NaT` |
//! | `category` | Dictionary | — | null = NaN |
//!
//! Column labels: the field name is the label; an integer label (pandas `0`, `1`, … from
//! unnamed data) has the metadata [`LABEL_KIND_KEY`] (`signet.label`) = `int` and its decimal
//! text as the field name.
//!
//! # Elements
//!
//! [`array_value`] gives an element the way iterating a numpy array does (numpy scalars,
//! [`Value::Numpy`], for numeric dtypes; `numpy.datetime64` for datetimes); [`object_values`]
//! gives a column's cells the way pandas' `Series.tolist()` does (plain Python values, the
//! dtype's missing-value marker for nulls).
//!
//! Values Python has but [`Value`] cannot hold are approximated: timedeltas are given as integer
//! counts of the column's unit, decimals as floats, times of day as `HH:MM:SS` strings, and
//! tz-aware timestamps as their wall time when the zone is `UTC` or a fixed `±HH:MM` offset
//! (the UTC instant otherwise).

mod elements;
mod to_pandas;

pub use elements::{array_value, has_missing, is_missing, object_values, py_value};
pub(crate) use elements::{bytes_at, str_at};
pub use to_pandas::{pandas_view, PandasPlan};

use crate::types::{ColumnName, NumpyDtype};
use crate::value::Value;
use arrow_array::{Array, ArrayRef, BinaryArray, RecordBatch, StringArray};
use arrow_schema::{DataType as ArrowType, Field, FieldRef, TimeUnit as ArrowUnit};
use std::collections::HashMap;
use std::sync::Arc;

/// Field metadata key holding the pandas dtype name when the Arrow type alone does not decide
/// it (`object`, `string`, `Int64`, `Float64`, `boolean`, ...).
pub const PANDAS_DTYPE_KEY: &str = "signet.pandas_dtype";

/// Field metadata key marking an integer column label (`"int"`); the field name is its text.
pub const LABEL_KIND_KEY: &str = "signet.label";

/// Arrow's field metadata key naming an extension type.
pub const EXTENSION_NAME_KEY: &str = "ARROW:extension:name";

/// The extension name of JSON-text columns; signet uses them for `object` columns of arbitrary
/// Python values, each cell holding the [Elem](crate::elem) text of its value.
pub const JSON_EXTENSION: &str = "arrow.json";

/// A batch's columns with their fields, in order.
pub fn fields_and_columns(
    batch: &RecordBatch,
) -> impl Iterator<Item = (&FieldRef, &ArrayRef)> + '_ {
    batch.schema_ref().fields().iter().zip(batch.columns())
}

/// Whether the field is an `arrow.json` column (cells are Elem texts).
pub fn is_json_field(field: &Field) -> bool {
    field.metadata().get(EXTENSION_NAME_KEY).map(String::as_str) == Some(JSON_EXTENSION)
}

/// A pandas dtype as signet classifies it: its name and numpy's `kind` / `itemsize`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DtypeInfo {
    /// The dtype name as pandas prints it (`int64`, `Int64`, `str`, `object`,
    /// `datetime64[ns, UTC]`, `category`, ...).
    pub name: String,
    /// numpy's kind character: `b`, `i`, `u`, `f`, `c`, `M`, `m`, or `O` for object-like dtypes
    /// (`object`, `str`, `string`, `category`).
    pub kind: char,
    /// Item size in bytes for fixed-size kinds (0 for object-like dtypes).
    pub itemsize: usize,
}

impl DtypeInfo {
    fn from_name(name: String) -> DtypeInfo {
        let lower = name.to_ascii_lowercase();
        let digits: String = lower.chars().filter(|c| c.is_ascii_digit()).collect();
        let bits: usize = digits.parse().unwrap_or(0);
        let (kind, itemsize) = if lower == "bool" || lower == "boolean" {
            ('b', 1)
        } else if lower.starts_with("uint") {
            ('u', bits / 8)
        } else if lower.starts_with("int") {
            ('i', bits / 8)
        } else if lower.starts_with("float") {
            ('f', bits / 8)
        } else if lower.starts_with("complex") {
            ('c', bits / 8)
        } else if lower.starts_with("datetime64") {
            ('M', 8)
        } else if lower.starts_with("timedelta64") {
            ('m', 8)
        } else {
            ('O', 0)
        };
        DtypeInfo {
            name,
            kind,
            itemsize,
        }
    }

    /// pandas' missing-value marker for a null cell of a column of this dtype (`None` for
    /// `object`, `pd.NA` for `string` and the nullable extension dtypes, NaN for `str`,
    /// `category` and numpy floats, `NaT` for datetimes and timedeltas).
    pub fn missing_value(&self) -> Value {
        match self.name.as_str() {
            "object" => Value::None,
            "string" => Value::NA,
            "str" | "category" => Value::Float(f64::NAN),
            _ if self.is_nullable_extension() => Value::NA,
            _ if self.kind == 'f' => Value::Float(f64::NAN),
            _ if self.kind == 'M' || self.kind == 'm' => Value::NaT,
            _ => Value::None,
        }
    }

    /// Whether the dtype is a pandas nullable extension dtype (`Int64`, `Float64`, `boolean`)
    /// whose missing value is `pd.NA`.
    pub fn is_nullable_extension(&self) -> bool {
        self.name == "boolean"
            || self.name.starts_with("Int")
            || self.name.starts_with("UInt")
            || self.name.starts_with("Float")
    }
}

fn unit_code(u: &ArrowUnit) -> &'static str {
    match u {
        ArrowUnit::Second => "s",
        ArrowUnit::Millisecond => "ms",
        ArrowUnit::Microsecond => "us",
        ArrowUnit::Nanosecond => "ns",
    }
}

fn metadata_dtype(field: &Field) -> Option<&str> {
    field.metadata().get(PANDAS_DTYPE_KEY).map(String::as_str)
}

/// The pandas dtype of a column (see the table in the module docs).
pub fn dtype_info(field: &Field, array: &dyn Array) -> DtypeInfo {
    let meta = metadata_dtype(field);
    if is_json_field(field) || meta == Some("object") {
        return DtypeInfo::from_name("object".into());
    }
    let nulls = array.null_count() > 0;
    let numeric = |numpy: &str, ext: &str| -> String {
        if meta == Some(ext) || (nulls && !numpy.starts_with("float")) {
            ext.to_string()
        } else {
            numpy.to_string()
        }
    };
    let name = match array.data_type() {
        ArrowType::Boolean => numeric("bool", "boolean"),
        ArrowType::Int8 => numeric("int8", "Int8"),
        ArrowType::Int16 => numeric("int16", "Int16"),
        ArrowType::Int32 => numeric("int32", "Int32"),
        ArrowType::Int64 => numeric("int64", "Int64"),
        ArrowType::UInt8 => numeric("uint8", "UInt8"),
        ArrowType::UInt16 => numeric("uint16", "UInt16"),
        ArrowType::UInt32 => numeric("uint32", "UInt32"),
        ArrowType::UInt64 => numeric("uint64", "UInt64"),
        ArrowType::Float16 => "float16".into(),
        ArrowType::Float32 => numeric("float32", "Float32"),
        ArrowType::Float64 => numeric("float64", "Float64"),
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => match meta {
            Some("string") => "string".into(),
            _ => "str".into(),
        },
        ArrowType::Timestamp(u, None) => format!("datetime64[{}]", unit_code(u)),
        ArrowType::Timestamp(u, Some(tz)) => format!("datetime64[{}, {}]", unit_code(u), tz),
        ArrowType::Duration(u) => format!("timedelta64[{}]", unit_code(u)),
        ArrowType::Dictionary(..) => "category".into(),
        _ => "object".into(),
    };
    DtypeInfo::from_name(name)
}

/// The pandas dtype name of a column as it appears in messages (`int64`, `str`, `object`,
/// `datetime64[ns]`, `datetime64[us, UTC]`, `Int64`, `category`, ...).
pub fn pandas_dtype(field: &Field, array: &dyn Array) -> String {
    dtype_info(field, array).name
}

/// The Arrow type signet stores a numpy dtype's elements in (the column dtypes above); `None` for dtypes
/// without an Arrow form here (`object`, complex, `timedelta64`).
pub fn numpy_arrow_type(d: NumpyDtype) -> Option<ArrowType> {
    use crate::types::{NumpyDtype::*, TimeUnit};
    Some(match d {
        Bool => ArrowType::Boolean,
        Int8 => ArrowType::Int8,
        Int16 => ArrowType::Int16,
        Int32 => ArrowType::Int32,
        Int64 => ArrowType::Int64,
        UInt8 => ArrowType::UInt8,
        UInt16 => ArrowType::UInt16,
        UInt32 => ArrowType::UInt32,
        UInt64 => ArrowType::UInt64,
        Float16 => ArrowType::Float16,
        Float32 => ArrowType::Float32,
        Float64 => ArrowType::Float64,
        Str => ArrowType::Utf8,
        Bytes => ArrowType::Binary,
        Datetime64(u) => match u {
            TimeUnit::Nano => ArrowType::Timestamp(ArrowUnit::Nanosecond, None),
            TimeUnit::Micro => ArrowType::Timestamp(ArrowUnit::Microsecond, None),
            TimeUnit::Milli => ArrowType::Timestamp(ArrowUnit::Millisecond, None),
            TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => ArrowType::Date32,
            _ => ArrowType::Timestamp(ArrowUnit::Second, None),
        },
        _ => return None,
    })
}

/// The pandas column label of a field: its name, or an integer when marked with
/// [`LABEL_KIND_KEY`] = `int`.
pub fn column_label(field: &Field) -> ColumnName {
    if field.metadata().get(LABEL_KIND_KEY).map(String::as_str) == Some("int") {
        if let Ok(i) = field.name().parse::<i64>() {
            return ColumnName::Int(i);
        }
    }
    ColumnName::Str(field.name().clone())
}

/// A DataFrame from its columns: `rows` rows even when there are no columns (an Arrow
/// batch needs the count then).
pub fn frame_of(
    fields: impl Into<arrow_schema::Fields>,
    arrays: Vec<ArrayRef>,
    rows: usize,
) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    arrow_array::RecordBatch::try_new_with_options(
        Arc::new(arrow_schema::Schema::new(fields)),
        arrays,
        &arrow_array::RecordBatchOptions::new().with_row_count(Some(rows)),
    )
}

/// The pandas column label of a Python value (a dict key, a `columns` entry): a str, an int
/// within int64, else the value's `str()`.
pub fn label_of_value(v: &Value) -> ColumnName {
    match v {
        Value::Str(s) => ColumnName::Str(s.clone()),
        Value::Int(i) => match i64::try_from(*i) {
            Ok(x) => ColumnName::Int(x),
            Err(_) => ColumnName::Str(i.to_string()),
        },
        other => ColumnName::Str(crate::repr::py_str_of(other)),
    }
}

/// `field` carrying `label`: the label's text as its name, and an integer label marked in the
/// metadata ([`LABEL_KIND_KEY`]) as [`column_label`] reads it back.
pub fn with_label(field: Field, label: &ColumnName) -> Field {
    let mut md = field.metadata().clone();
    match label {
        ColumnName::Int(_) => md.insert(LABEL_KIND_KEY.to_string(), "int".to_string()),
        ColumnName::Str(_) => md.remove(LABEL_KIND_KEY),
    };
    field.with_name(label.as_text()).with_metadata(md)
}

/// A nullable field of type `dt` for a column labelled `label` ([`with_label`]), with extra
/// metadata.
pub fn labelled_field(label: &ColumnName, dt: ArrowType, meta: &[(&str, &str)]) -> Field {
    let md = meta
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    with_label(Field::new("", dt, true).with_metadata(md), label)
}

/// The field of the one column `pd.DataFrame(series)` makes: labelled by the series' name,
/// or `0` for an unnamed series.
pub fn series_field(s: &crate::input::Series) -> Field {
    let label = s.name.clone().unwrap_or(ColumnName::Int(0));
    let field = Field::new("", s.values.data_type().clone(), true)
        .with_metadata(s.field.metadata().clone());
    with_label(field, &label)
}

/// The pandas column labels of a batch's columns, in order ([`column_label`]).
pub fn column_labels(batch: &arrow_array::RecordBatch) -> Vec<ColumnName> {
    batch
        .schema()
        .fields()
        .iter()
        .map(|f| column_label(f))
        .collect()
}

fn field_with(name: &str, array: &ArrayRef, meta: &[(&str, &str)]) -> Field {
    let field = Field::new(name, array.data_type().clone(), true);
    if meta.is_empty() {
        return field;
    }
    let md: HashMap<String, String> = meta
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    field.with_metadata(md)
}

/// Builds an `object` column from Python values: strings (with `None`) become a Utf8 column
/// marked `object`, bytes (with `None`) a Binary column, anything else an `arrow.json` column
/// of Elem texts. `None` cells are nulls.
pub fn object_column(name: &str, values: &[Value]) -> (Field, ArrayRef) {
    let all_str = values
        .iter()
        .all(|v| matches!(v, Value::Str(_) | Value::None));
    if all_str {
        let array: ArrayRef = Arc::new(StringArray::from(
            values.iter().map(Value::as_str).collect::<Vec<_>>(),
        ));
        let field = field_with(name, &array, &[(PANDAS_DTYPE_KEY, "object")]);
        return (field, array);
    }
    let all_bytes = values
        .iter()
        .all(|v| matches!(v, Value::Bytes(_) | Value::None));
    if all_bytes {
        let array: ArrayRef = Arc::new(BinaryArray::from_opt_vec(
            values
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => Some(b.as_slice()),
                    _ => None,
                })
                .collect(),
        ));
        let field = field_with(name, &array, &[]);
        return (field, array);
    }
    let texts: Vec<Option<String>> = values
        .iter()
        .map(|v| match v {
            Value::None => None,
            other => Some(crate::elem::encode(other)),
        })
        .collect();
    let array: ArrayRef = Arc::new(StringArray::from(texts));
    let field = field_with(name, &array, &[(EXTENSION_NAME_KEY, JSON_EXTENSION)]);
    (field, array)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::NumpyDtype;
    use arrow_array::{Float64Array, Int64Array};

    #[test]
    fn dtypes_and_values() {
        let ints: ArrayRef = Arc::new(Int64Array::from(vec![Some(1), None]));
        let f = Field::new("a", ints.data_type().clone(), true);
        assert_eq!(pandas_dtype(&f, ints.as_ref()), "Int64");
        assert_eq!(object_values(&f, ints.as_ref())[1], Value::NA);
        let floats: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.0), None]));
        let f = Field::new("a", floats.data_type().clone(), true);
        assert_eq!(pandas_dtype(&f, floats.as_ref()), "float64");
        assert!(has_missing(&f, floats.as_ref()));
        assert_eq!(
            array_value(floats.as_ref(), 0),
            Value::Numpy(NumpyDtype::Float64, Box::new(Value::Float(1.0)))
        );
    }

    #[test]
    fn pandas_plan_follows_the_metadata() {
        use arrow_array::{BooleanArray, RecordBatch};
        use arrow_schema::Schema as ArrowSchema;
        let pandas = r#"{"index_columns": ["__index_level_0__"], "columns": [
            {"field_name": "a", "numpy_type": "Int64"},
            {"field_name": "d", "numpy_type": "object"},
            {"field_name": "e", "numpy_type": "Int64"},
            {"field_name": "e", "numpy_type": "int64"},
            {"field_name": "__index_level_0__", "numpy_type": "int64"}]}"#;
        let ints = |v: Vec<Option<i64>>| -> ArrayRef { Arc::new(Int64Array::from(v)) };
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("a", ints(vec![Some(1), None])),
            ("b", ints(vec![Some(1), None])),
            ("c", Arc::new(BooleanArray::from(vec![Some(true), None]))),
            ("d", ints(vec![Some(1), Some(2)])),
            ("e", ints(vec![Some(1), None])),
            ("__index_level_0__", ints(vec![Some(0), Some(1)])),
        ];
        let schema = Arc::new(
            ArrowSchema::new(
                columns
                    .iter()
                    .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
                    .collect::<Vec<_>>(),
            )
            .with_metadata([("pandas".to_string(), pandas.to_string())].into()),
        );
        let batch = RecordBatch::try_new(
            schema.clone(),
            columns.into_iter().map(|(_, a)| a).collect(),
        )
        .unwrap();
        let plan = PandasPlan::new(&schema);
        let labels: Vec<String> = plan.columns().iter().map(|(_, l)| l.as_text()).collect();
        assert_eq!(labels, ["a", "b", "c", "d", "e"]);
        let dtypes = |b: &RecordBatch| -> Vec<String> {
            b.schema()
                .fields()
                .iter()
                .zip(b.columns())
                .map(|(f, a)| pandas_dtype(f, a.as_ref()))
                .collect()
        };
        let view = plan.apply(batch.clone()).unwrap();
        assert_eq!(view.schema().metadata(), schema.metadata());
        assert_eq!(
            dtypes(&view),
            ["Int64", "float64", "object", "int64", "float64"]
        );
        assert_eq!(dtypes(&pandas_view(batch.clone()).unwrap()), dtypes(&view));
        // A projection of the fields, as `signet check` reads them.
        // (`e` is named twice in the metadata: the last entry, `int64`, decides.)
        let view = plan.apply(batch.project(&[4, 5]).unwrap()).unwrap();
        assert_eq!(dtypes(&view), ["float64"]);
    }

    #[test]
    fn object_columns_round_trip() {
        let vals = vec![
            Value::Int(1),
            Value::str("a"),
            Value::None,
            Value::Float(f64::NAN),
        ];
        let (f, a) = object_column("x", &vals);
        assert!(is_json_field(&f));
        assert_eq!(pandas_dtype(&f, a.as_ref()), "object");
        let back = object_values(&f, a.as_ref());
        assert_eq!(back[..3], vals[..3]);
        assert!(matches!(back[3], Value::Float(x) if x.is_nan()));
        let (f, a) = object_column("s", &[Value::str("a"), Value::None]);
        assert_eq!(pandas_dtype(&f, a.as_ref()), "object");
        assert_eq!(object_values(&f, a.as_ref())[1], Value::None);
        let label = Field::new("0", arrow_schema::DataType::Int64, true).with_metadata(
            [(LABEL_KIND_KEY.to_string(), "int".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(column_label(&label), ColumnName::Int(0));
    }
}

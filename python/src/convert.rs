//! Python data in and out: the payloads `signet/_convert.py` builds from Python objects, read
//! into signet's [`ModelInput`], and model outputs handed back.
//!
//! | payload | from | read as |
//! | --- | --- | --- |
//! | `("arrow", obj)` | anything with `__arrow_c_stream__` (pyarrow, polars, ...), and pandas frames through pyarrow | one Arrow table, viewed as pandas would show it ([`signet::table::pandas_view`]) |
//! | `("pandas", df)` | a pandas DataFrame | its blocks read in place by [`crate::frame`]; when that reader declines, the payload `signet/_convert.py`'s `frame_payload` builds |
//! | `("columns", [(label, dtype, array)], rows)` | a pandas frame of numpy numeric/bool/datetime64 columns and pyarrow-backed text | one Arrow column over each array's memory (no copy) |
//! | `("ndarray", array)` | a numpy array | a [`Tensor`] over its memory (no copy) when it is numeric/bool, C-contiguous and in this machine's byte order (read from `__array_struct__`); else the payload `signet/_convert.py`'s `declined_payload` builds |
//! | `("tensor", dtype, shape, array)` | a numeric/bool numpy array | a [`Tensor`] over the array's memory (no copy) |
//! | `("dict", d)` | a non-empty dict | a `TensorDict` over the arrays' memory when its keys are text and its values numpy arrays Rust reads as `("ndarray", array)` does; else the payload `declined_payload` builds |
//! | `("tensors", [(name, dtype, shape, array)])` | a dict of numeric/bool numpy arrays | a `TensorDict` of such tensors |
//! | `("series", name, dtype, array)` | a numeric/bool Series named by text, an int or nothing | a `Series` over its array's memory, as the Value form reads one |
//! | `("value", json)` | everything else (object columns, lists, dicts, ...) | the corpus' Value form (FORMAT.md §2), [`signet::elem::model_input_from_value`] |

use crate::errors::input_error;
use crate::export::Handover;
use crate::numpy_mem::{column_at, datetime_column, numpy_array, NumpyOwner};
use arrow_array::ffi_stream::ArrowArrayStreamReader;
use arrow_array::ArrayRef;
use arrow_array::{BooleanArray, RecordBatch, RecordBatchOptions, RecordBatchReader};
use arrow_buffer::Buffer;
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::{DataType as ArrowType, Field, FieldRef, Schema as ArrowSchema};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use signet::input::TensorData;
use signet::types::{ColumnName, NumpyDtype};
use signet::{elem, pyjson, ModelInput, Tensor, Value};
use std::sync::Arc;

/// Reads a payload tuple into a model input.
pub fn model_input(py: Python<'_>, payload: &Bound<'_, PyTuple>) -> PyResult<ModelInput> {
    read_input(py, payload).map(|(input, _)| input)
}

/// A numeric/bool numpy array of `shape` as a tensor over its memory (no copy but for bools).
fn numpy_tensor(
    py: Python<'_>,
    dtype: &str,
    shape: Vec<usize>,
    array: &Bound<'_, PyAny>,
) -> PyResult<Tensor> {
    let n: usize = shape.iter().product();
    let data = numpy_array(py, dtype, array, n)?;
    let dtype = NumpyDtype::parse(dtype).map_err(|e| input_error(py, e.message()))?;
    Ok(Tensor {
        dtype,
        shape,
        data: TensorData::Arrow(data),
    })
}

/// The payload `signet/_convert.py` builds for `data` that a reader here declined, read.
fn read_declined(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    as_is: impl FnOnce(&[FieldRef]) -> bool,
) -> PyResult<Read> {
    let slow = py
        .import("signet._convert")?
        .call_method1("declined_payload", (data,))?;
    read_unless(py, slow.downcast::<PyTuple>()?, as_is)
}

/// A dict of text keys to numpy arrays each read as a tensor over its memory ([`contiguous`]
/// arrays, key order kept); `None` for any other dict.
///
/// [`contiguous`]: crate::array_struct::contiguous
fn in_place_tensors(
    py: Python<'_>,
    dict: &Bound<'_, PyDict>,
) -> PyResult<Option<Vec<(String, Tensor)>>> {
    let ndarray = crate::frame::NDARRAY.import(py, "numpy", "ndarray")?;
    let mut tensors = Vec::with_capacity(dict.len());
    for (key, array) in dict.iter() {
        let Ok(name) = key.downcast_exact::<PyString>() else {
            return Ok(None);
        };
        if !array.get_type().is(ndarray) {
            return Ok(None);
        }
        let Some(c) = crate::array_struct::contiguous(py, &array)? else {
            return Ok(None);
        };
        tensors.push((name.to_cow()?.into_owned(), in_place_tensor(py, c, &array)?));
    }
    Ok(Some(tensors))
}

/// A tensor over the memory of numpy array `array`, laid out as `c` (no copy but for bools).
fn in_place_tensor(
    py: Python<'_>,
    c: crate::array_struct::Contiguous,
    array: &Bound<'_, PyAny>,
) -> PyResult<Tensor> {
    let n: usize = c.shape.iter().product();
    let data = column_at(py, c.dtype, c.address, c.nbytes, n, || {
        NumpyOwner::of(array)
    })?;
    let dtype = NumpyDtype::parse(c.dtype).map_err(|e| input_error(py, e.message()))?;
    Ok(Tensor {
        dtype,
        shape: c.shape,
        data: TensorData::Arrow(data),
    })
}

/// The DataFrame of a `("pandas", df)` payload; `None` for other payloads.
pub fn pandas_frame<'py>(payload: &Bound<'py, PyTuple>) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(if payload.get_item(0)?.eq("pandas")? {
        Some(payload.get_item(1)?)
    } else {
        None
    })
}

/// [`model_input`], and whether the input is a pandas DataFrame read in place from its blocks
/// (a table whose every column is the frame's own column, with the frame's dtype).
pub fn read_input(py: Python<'_>, payload: &Bound<'_, PyTuple>) -> PyResult<(ModelInput, bool)> {
    match read_unless(py, payload, |_| false)? {
        Read::Input(input, in_place) => Ok((input, in_place)),
        Read::AsIs => unreachable!("read_unless reads when told to"),
    }
}

/// A payload read, or left unread.
pub enum Read {
    /// The input, and whether it is a pandas DataFrame read in place ([`read_input`]).
    Input(ModelInput, bool),
    /// A pandas DataFrame with numpy columns that `as_is` said need not be read.
    AsIs,
}

/// [`read_input`], except that a pandas DataFrame with numpy columns (whose reading builds an
/// Arrow array for each, and copies strided ones) is first shown to `as_is` as its columns'
/// fields, and left unread when it answers `true`.
pub fn read_unless(
    py: Python<'_>,
    payload: &Bound<'_, PyTuple>,
    as_is: impl FnOnce(&[FieldRef]) -> bool,
) -> PyResult<Read> {
    let kind: String = payload.get_item(0)?.extract()?;
    if kind == "pandas" {
        let df = payload.get_item(1)?;
        return match crate::frame::read(py, &df)? {
            Some(frame) => {
                let fields: Vec<FieldRef> = frame
                    .labels
                    .into_iter()
                    .map(|(label, dtype, ty)| Arc::new(column_field(label, dtype, ty)))
                    .collect();
                // `frame_passes_as_is` judges columns without missing values. Unread columns
                // are numpy numbers and bools, which have none; the columns read already are
                // datetimes and text, whose classes do not depend on them.
                if frame.values.unread() && as_is(&fields) {
                    return Ok(Read::AsIs);
                }
                let rows = frame.values.rows;
                let arrays = frame.values.read(py)?;
                Ok(Read::Input(batch_of(py, fields, arrays, rows)?, true))
            }
            None => {
                let slow = py
                    .import("signet._convert")?
                    .call_method1("frame_payload", (df,))?;
                Ok(Read::Input(
                    model_input(py, slow.downcast::<PyTuple>()?)?,
                    false,
                ))
            }
        };
    }
    let input = match kind.as_str() {
        "arrow" => arrow_table(py, &payload.get_item(1)?),
        "columns" => {
            let cols = payload.get_item(1)?;
            let rows: usize = payload.get_item(2)?.extract()?;
            numpy_columns(py, cols.downcast::<PyList>()?, rows)
        }
        "ndarray" => {
            let array = payload.get_item(1)?;
            match crate::array_struct::contiguous(py, &array)? {
                Some(c) => in_place_tensor(py, c, &array).map(ModelInput::Tensor),
                // Another dtype, byte order or layout.
                None => return read_declined(py, &array, as_is),
            }
        }
        "dict" => {
            let dict = payload.get_item(1)?;
            match in_place_tensors(py, dict.downcast::<PyDict>()?)? {
                Some(tensors) => Ok(ModelInput::TensorDict(tensors)),
                None => return read_declined(py, &dict, as_is),
            }
        }
        "tensor" => {
            let dtype: String = payload.get_item(1)?.extract()?;
            let shape: Vec<usize> = payload.get_item(2)?.extract()?;
            numpy_tensor(py, &dtype, shape, &payload.get_item(3)?).map(ModelInput::Tensor)
        }
        "tensors" => {
            let items = payload.get_item(1)?;
            let mut tensors = Vec::new();
            for item in items.downcast::<PyList>()?.iter() {
                let (name, dtype, shape, array): (String, String, Vec<usize>, Bound<'_, PyAny>) =
                    item.extract()?;
                tensors.push((name, numpy_tensor(py, &dtype, shape, &array)?));
            }
            Ok(ModelInput::TensorDict(tensors))
        }
        "series" => {
            let name = match payload.get_item(1)? {
                n if n.is_none() => None,
                n => Some(match n.extract::<String>() {
                    Ok(text) => ColumnName::Str(text),
                    Err(_) => ColumnName::Int(n.extract()?),
                }),
            };
            let dtype: String = payload.get_item(2)?.extract()?;
            let array = payload.get_item(3)?;
            let values = numpy_array(py, &dtype, &array, array.len()?)?;
            // As the Value form reads a series (`signet::elem::series_from_value`).
            let label = name.clone().unwrap_or(ColumnName::Str(String::new()));
            Ok(ModelInput::Series(signet::input::Series {
                field: signet::table::labelled_field(&label, values.data_type().clone(), &[]),
                name,
                values,
            }))
        }
        "value" => {
            let text: String = payload.get_item(1)?.extract()?;
            py.allow_threads(|| {
                let v = pyjson::loads(&text).map_err(|e| e.to_string())?;
                elem::model_input_from_value(&v).map_err(|e| e.message().to_string())
            })
            .map_err(|m| input_error(py, m))
        }
        other => Err(input_error(py, format!("unknown payload kind {other:?}"))),
    }?;
    Ok(Read::Input(input, false))
}

/// Params as `(name, value)` pairs from the JSON text of an object of Elems.
pub fn params(py: Python<'_>, json: Option<&str>) -> PyResult<Option<Value>> {
    let Some(text) = json else { return Ok(None) };
    let v = pyjson::loads(text).map_err(|e| input_error(py, e.to_string()))?;
    elem::from_elem(&v)
        .map(Some)
        .map_err(|e| input_error(py, e.message()))
}

fn arrow_table(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<ModelInput> {
    let reader = ArrowArrayStreamReader::from_pyarrow_bound(obj)?;
    let schema = reader.schema();
    // The stream's batches do not carry the schema's metadata (pandas' dtypes): put it back.
    let batches = reader
        .map(|b| b.and_then(|b| b.with_schema(schema.clone())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| input_error(py, format!("cannot read the Arrow stream: {e}")))?;
    let batches = if batches.is_empty() {
        vec![RecordBatch::new_empty(schema.clone())]
    } else {
        batches
    };
    let batch = py
        .allow_threads(|| {
            let batch = match batches.len() {
                1 => batches.into_iter().next().expect("one batch"),
                _ => arrow_select::concat::concat_batches(&schema, &batches)?,
            };
            signet::table::pandas_view(batch)
        })
        .map_err(|e| input_error(py, format!("cannot read the Arrow table: {e}")))?;
    Ok(ModelInput::Table(batch))
}

fn numpy_columns(py: Python<'_>, cols: &Bound<'_, PyList>, rows: usize) -> PyResult<ModelInput> {
    let mut columns = Vec::with_capacity(cols.len());
    for col in cols.iter() {
        let (label, dtype, array): (String, String, Bound<'_, PyAny>) = col.extract()?;
        let (dtype, array) = if let Some(unit) = dtype.strip_prefix("datetime64[") {
            let ints = numpy_array(py, "int64", &array, rows)?;
            (
                "datetime64",
                datetime_column(py, unit.trim_end_matches(']'), ints)?,
            )
        } else if dtype == "str" || dtype == "string" {
            // pandas' pyarrow-backed text: its Arrow array, shared through the C data interface.
            let data = arrow_data::ArrayData::from_pyarrow_bound(&array)?;
            let name = if dtype == "string" { "string" } else { "str" };
            (name, arrow_array::make_array(data))
        } else {
            ("numpy", numpy_array(py, &dtype, &array, rows)?)
        };
        columns.push((ColumnName::Str(label), dtype, array));
    }
    columns_batch(py, columns, rows)
}

/// A DataFrame's columns `(label, dtype, values)` (numpy or datetime64 columns, pandas' `str`
/// and `string` text) as one table of `rows` rows; the `string` dtype (missing values are
/// `pd.NA`) is kept in the field's metadata.
pub(crate) fn columns_batch(
    py: Python<'_>,
    columns: Vec<crate::frame::FrameColumn>,
    rows: usize,
) -> PyResult<ModelInput> {
    let (fields, arrays): (Vec<FieldRef>, Vec<ArrayRef>) = columns
        .into_iter()
        .map(|(label, dtype, array)| {
            let field = column_field(label, dtype, array.data_type().clone());
            (Arc::new(field), array)
        })
        .unzip();
    batch_of(py, fields, arrays, rows)
}

/// The field of a DataFrame column labelled `label`, of numpy/pandas `dtype` held as Arrow
/// type `ty`: the `string` dtype (missing values are `pd.NA`) is kept in its metadata.
fn column_field(label: ColumnName, dtype: &str, ty: ArrowType) -> Field {
    // A text label built directly: `labelled_field` would clone a metadata map per column.
    let field = match label {
        ColumnName::Str(name) => Field::new(name, ty, true),
        int => signet::table::labelled_field(&int, ty, &[]),
    };
    if dtype != "string" {
        return field;
    }
    let mut metadata = field.metadata().clone();
    metadata.insert(
        signet::table::PANDAS_DTYPE_KEY.to_string(),
        dtype.to_string(),
    );
    field.with_metadata(metadata)
}

/// A table of `rows` rows of these columns.
fn batch_of(
    py: Python<'_>,
    fields: Vec<FieldRef>,
    arrays: Vec<ArrayRef>,
    rows: usize,
) -> PyResult<ModelInput> {
    let batch = RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| input_error(py, e.to_string()))?;
    Ok(ModelInput::Table(batch))
}

/// How a caller wants a model input or output back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Tables as pyarrow record batches (numeric tensors as numpy arrays, the rest as Values).
    Arrow,
    /// Tables as pandas holds them: numpy columns when they are plain numbers, else the corpus
    /// Value form (exact pandas dtypes once decoded); numeric tensors as numpy arrays.
    Value,
}

/// A model input or output as a payload tuple for `signet/_convert.py`:
/// `("arrow", pyarrow.RecordBatch)`, `("tensor", ndarray)` (in the tensor's shape),
/// `("columns", (label, ...), [ndarray, ...], rows)` (a table of plain numpy columns, each
/// array of shape `(1, rows)`, a pandas block's: exact without the Value form's cost) or
/// `("value", json)`.
/// Buffers go to numpy through `handover` (no copy unless the input still shares them).
pub fn to_python(
    py: Python<'_>,
    data: &ModelInput,
    want: Want,
    handover: &mut Handover,
) -> PyResult<PyObject> {
    if let ModelInput::Table(batch) = data {
        if want == Want::Value {
            if let Some(columns) = numpy_columns_out(batch) {
                let rows = batch.num_rows();
                let mut labels = Vec::with_capacity(columns.len());
                let mut arrays = Vec::with_capacity(columns.len());
                for (label, dtype, bytes) in columns {
                    labels.push(match label {
                        ColumnName::Str(s) => s.into_pyobject(py)?.into_any(),
                        ColumnName::Int(i) => i.into_pyobject(py)?.into_any(),
                    });
                    arrays.push(handover.export(py, bytes, dtype, &[1, rows])?);
                }
                let labels = PyTuple::new(py, labels)?;
                let tuple = ("columns", labels, arrays, rows);
                return Ok(tuple.into_pyobject(py)?.into_any().unbind());
            }
            if pandas_faithful(batch) {
                return arrow_payload(py, batch);
            }
        }
    }
    if let ModelInput::Table(batch) = data {
        if want == Want::Arrow {
            return arrow_payload(py, batch);
        }
    }
    if let ModelInput::Tensor(t) = data {
        // A numeric tensor is a numpy array either way (exact dtype and shape).
        if let Some(bytes) = tensor_bytes(t) {
            let array = handover.export(py, bytes, &t.dtype.name(), &t.shape)?;
            return Ok(("tensor", array).into_pyobject(py)?.into_any().unbind());
        }
    }
    let text = py.allow_threads(|| pyjson::dumps(&elem::model_input_to_value(data)));
    Ok(("value", text).into_pyobject(py)?.into_any().unbind())
}

fn arrow_payload(py: Python<'_>, batch: &RecordBatch) -> PyResult<PyObject> {
    let rb = batch.to_pyarrow(py)?;
    Ok(("arrow", rb).into_pyobject(py)?.into_any().unbind())
}

/// Whether pyarrow's `to_pandas()` gives this table's pandas dtypes back exactly (see
/// `signet::table`): numeric columns (integers and bools without missing values), `str`
/// text, naive datetimes, and no column relying on signet's metadata (extension dtypes,
/// integer labels, object columns).
fn pandas_faithful(batch: &RecordBatch) -> bool {
    use arrow_array::Array;
    use arrow_schema::DataType as T;
    let schema = batch.schema();
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .all(|(field, array)| {
            field.metadata().is_empty()
                && match field.data_type() {
                    T::Float16 | T::Float32 | T::Float64 | T::Utf8 | T::LargeUtf8 => true,
                    T::Timestamp(_, None) => true,
                    t if t.is_integer() || *t == T::Boolean => array.null_count() == 0,
                    _ => false,
                }
        })
}

/// A table whose columns are all plain numpy columns (numeric or bool, no missing values, no
/// pandas extension dtype; text or integer labels) as `(label, numpy dtype, bytes)`; `None`
/// otherwise.
fn numpy_columns_out(batch: &RecordBatch) -> Option<Vec<(ColumnName, &'static str, Buffer)>> {
    use arrow_array::Array;
    use arrow_schema::DataType as T;
    let schema = batch.schema();
    let mut out = Vec::with_capacity(batch.num_columns());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let plain = field
            .metadata()
            .keys()
            .all(|k| k == signet::table::LABEL_KIND_KEY);
        if !plain || array.null_count() > 0 {
            return None;
        }
        let dtype = match field.data_type() {
            T::Boolean => "bool",
            T::Int8 => "int8",
            T::Int16 => "int16",
            T::Int32 => "int32",
            T::Int64 => "int64",
            T::UInt8 => "uint8",
            T::UInt16 => "uint16",
            T::UInt32 => "uint32",
            T::UInt64 => "uint64",
            T::Float16 => "float16",
            T::Float32 => "float32",
            T::Float64 => "float64",
            _ => return None,
        };
        let bytes = if dtype == "bool" {
            let b = array.as_any().downcast_ref::<BooleanArray>()?;
            Buffer::from_vec(b.values().iter().map(u8::from).collect::<Vec<u8>>())
        } else {
            primitive_bytes(array.as_ref())?
        };
        out.push((signet::table::column_label(field), dtype, bytes));
    }
    Some(out)
}

/// The native-endian bytes of a numeric tensor without nulls (`None` for other tensors).
pub(crate) fn tensor_bytes(t: &Tensor) -> Option<Buffer> {
    let TensorData::Arrow(a) = &t.data else {
        return None;
    };
    if !matches!(
        t.dtype,
        NumpyDtype::Int8
            | NumpyDtype::Int16
            | NumpyDtype::Int32
            | NumpyDtype::Int64
            | NumpyDtype::UInt8
            | NumpyDtype::UInt16
            | NumpyDtype::UInt32
            | NumpyDtype::UInt64
            | NumpyDtype::Float16
            | NumpyDtype::Float32
            | NumpyDtype::Float64
    ) {
        return None;
    }
    primitive_bytes(a.as_ref())
}

/// The native-endian bytes of a numeric Arrow array's values (`None` when it has missing
/// values or is not numeric): a view of them, no copy (`Handover::export` hands it over or
/// copies it once), without building the array's `ArrayData` (~0.05 µs a column).
fn primitive_bytes(array: &dyn arrow_array::Array) -> Option<Buffer> {
    if array.null_count() > 0 {
        return None;
    }
    crate::export::numeric_values(array)
}

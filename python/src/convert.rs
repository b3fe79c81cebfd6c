//! Python data in and out: the payloads `signet/_convert.py` builds from Python objects, read
//! into signet's [`ModelInput`], and model outputs handed back.
//!
//! | payload | from | read as |
//! | --- | --- | --- |
//! | `("arrow", obj)` | anything with `__arrow_c_stream__` (pyarrow, polars, ...), and pandas frames through pyarrow | one Arrow table, viewed as pandas would show it ([`signet::table::pandas_view`]) |
//! | `("pandas", df)` | a pandas DataFrame | its blocks read in place by [`crate::frame`]; when that reader declines, the payload `signet/_convert.py`'s `frame_payload` builds |
//! | `("columns", [(label, dtype, array)], rows)` | a pandas frame of numpy numeric/bool/datetime64 columns and pyarrow-backed text | one Arrow column over each array's memory (no copy) |
//! | `("tensor", dtype, shape, array)` | a numeric/bool numpy array | a [`Tensor`] over the array's memory (no copy) |
//! | `("value", json)` | everything else (object columns, lists, dicts, ...) | the corpus' Value form (FORMAT.md §2), [`signet::elem::model_input_from_value`] |

use crate::errors::input_error;
use arrow_array::ffi_stream::ArrowArrayStreamReader;
use arrow_array::types::*;
use arrow_array::{
    ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, RecordBatchOptions, RecordBatchReader,
};
use arrow_buffer::{BooleanBuffer, Buffer, ScalarBuffer};
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::{Field, Schema as ArrowSchema};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyList, PyTuple};
use signet::input::TensorData;
use signet::types::NumpyDtype;
use signet::{elem, pyjson, ModelInput, Tensor, Value};
use std::sync::Arc;

/// Reads a payload tuple into a model input.
pub fn model_input(py: Python<'_>, payload: &Bound<'_, PyTuple>) -> PyResult<ModelInput> {
    read_input(py, payload).map(|(input, _)| input)
}

/// [`model_input`], and whether the input is a pandas DataFrame read in place from its blocks
/// (a table whose every column is the frame's own column, with the frame's dtype).
pub fn read_input(py: Python<'_>, payload: &Bound<'_, PyTuple>) -> PyResult<(ModelInput, bool)> {
    let kind: String = payload.get_item(0)?.extract()?;
    if kind == "pandas" {
        let df = payload.get_item(1)?;
        return match crate::frame::read(py, &df)? {
            Some((columns, rows)) => Ok((columns_batch(py, columns, rows)?, true)),
            None => {
                let slow = py
                    .import("signet._convert")?
                    .call_method1("frame_payload", (df,))?;
                Ok((model_input(py, slow.downcast::<PyTuple>()?)?, false))
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
        "tensor" => {
            let dtype: String = payload.get_item(1)?.extract()?;
            let shape: Vec<usize> = payload.get_item(2)?.extract()?;
            let n: usize = shape.iter().product();
            let data = numpy_array(py, &dtype, &payload.get_item(3)?, n)?;
            let dtype = NumpyDtype::parse(&dtype).map_err(|e| input_error(py, e.message()))?;
            Ok(ModelInput::Tensor(Tensor {
                dtype,
                shape,
                data: TensorData::Arrow(data),
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
    Ok((input, false))
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
        columns.push((label, dtype, array));
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
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for (label, dtype, array) in columns {
        let mut field = Field::new(label, array.data_type().clone(), true);
        if dtype == "string" {
            field = field.with_metadata(
                [(
                    signet::table::PANDAS_DTYPE_KEY.to_string(),
                    dtype.to_string(),
                )]
                .into(),
            );
        }
        fields.push(field);
        arrays.push(array);
    }
    let batch = RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map_err(|e| input_error(py, e.to_string()))?;
    Ok(ModelInput::Table(batch))
}

/// Keeps a numpy array alive for as long as an Arrow buffer points into its memory.
pub(crate) struct NumpyOwner(#[allow(dead_code)] Py<PyAny>);

impl NumpyOwner {
    /// An owner of `array`, shared by every Arrow buffer over its memory.
    pub(crate) fn of(array: &Bound<'_, PyAny>) -> Arc<NumpyOwner> {
        Arc::new(NumpyOwner(array.clone().unbind()))
    }
}

impl std::panic::RefUnwindSafe for NumpyOwner {}

/// The address of a numpy array's memory and whether it is C-contiguous, read through
/// `__array_interface__`.
fn array_memory(array: &Bound<'_, PyAny>) -> PyResult<(usize, bool)> {
    let interface = array.getattr("__array_interface__")?;
    let (address, _readonly): (usize, bool) = interface.get_item("data")?.extract()?;
    let contiguous = interface.get_item("strides")?.is_none();
    Ok((address, contiguous))
}

/// An Arrow array over a numpy array's memory (see [`column_at`]).
fn numpy_array(
    py: Python<'_>,
    dtype: &str,
    array: &Bound<'_, PyAny>,
    n: usize,
) -> PyResult<ArrayRef> {
    let nbytes: usize = array.getattr("nbytes")?.extract()?;
    let (address, contiguous) = array_memory(array)?;
    if !contiguous {
        return Err(input_error(py, "signet needs C-contiguous numpy arrays"));
    }
    column_at(py, dtype, address, nbytes, n, || NumpyOwner::of(array))
}

/// An Arrow array of `n` elements of numpy's `dtype` over the `nbytes` bytes of numpy memory
/// at `address`, kept alive by `owner`: no copy for numeric dtypes when the memory is aligned
/// for the element type (numpy's allocations are), one copy otherwise and for `bool` (Arrow
/// packs booleans into bits). An error when `nbytes` does not hold `n` elements.
pub(crate) fn column_at(
    py: Python<'_>,
    dtype: &str,
    address: usize,
    nbytes: usize,
    n: usize,
    owner: impl FnOnce() -> Arc<NumpyOwner>,
) -> PyResult<ArrayRef> {
    let width = numpy_width(py, dtype)?;
    if nbytes != n * width {
        return Err(input_error(
            py,
            format!("a {dtype} array of {nbytes} bytes does not hold {n} elements"),
        ));
    }
    if n == 0 {
        return Ok(copied(dtype, &[], 0));
    }
    if dtype == "bool" || !address.is_multiple_of(width) {
        // SAFETY: the caller's array is alive while this runs and its `nbytes` bytes start at
        // `address` (numpy's array interface); the slice is read before this function returns.
        let bytes = unsafe { std::slice::from_raw_parts(address as *const u8, nbytes) };
        return Ok(copied(dtype, bytes, n));
    }
    let ptr = std::ptr::NonNull::new(address as *mut u8)
        .ok_or_else(|| input_error(py, "a numpy array without memory"))?;
    // SAFETY: the memory stays valid while `owner` holds the array; Arrow only reads it.
    let buffer = unsafe { Buffer::from_custom_allocation(ptr, nbytes, owner()) };
    Ok(typed(dtype, buffer, n))
}

/// A flat Arrow array copied from `n` native-endian elements of numpy's `dtype` (a dtype
/// [`numpy_width`] knows, `bytes.len()` checked by the caller).
pub(crate) fn copied(dtype: &str, bytes: &[u8], n: usize) -> ArrayRef {
    match dtype {
        "bool" => Arc::new(BooleanArray::new(pack_bools(&bytes[..n]), None)),
        other => typed(other, Buffer::from_slice_ref(bytes), n),
    }
}

/// The bytes of one element of numpy's `dtype`; an error naming a dtype signet does not read.
pub(crate) fn numpy_width(py: Python<'_>, dtype: &str) -> PyResult<usize> {
    Ok(match dtype {
        "bool" | "int8" | "uint8" => 1,
        "int16" | "uint16" | "float16" => 2,
        "int32" | "uint32" | "float32" => 4,
        "int64" | "uint64" | "float64" => 8,
        other => return Err(input_error(py, format!("unsupported numpy dtype {other}"))),
    })
}

fn primitive<T: ArrowPrimitiveType>(buffer: Buffer, n: usize) -> ArrayRef {
    Arc::new(PrimitiveArray::<T>::new(
        ScalarBuffer::new(buffer, 0, n),
        None,
    ))
}

/// A numeric Arrow array of `n` elements over `buffer` (holding numpy's `dtype`).
fn typed(dtype: &str, buffer: Buffer, n: usize) -> ArrayRef {
    match dtype {
        "int8" => primitive::<Int8Type>(buffer, n),
        "int16" => primitive::<Int16Type>(buffer, n),
        "int32" => primitive::<Int32Type>(buffer, n),
        "int64" => primitive::<Int64Type>(buffer, n),
        "uint8" => primitive::<UInt8Type>(buffer, n),
        "uint16" => primitive::<UInt16Type>(buffer, n),
        "uint32" => primitive::<UInt32Type>(buffer, n),
        "uint64" => primitive::<UInt64Type>(buffer, n),
        "float16" => primitive::<Float16Type>(buffer, n),
        "float32" => primitive::<Float32Type>(buffer, n),
        _ => primitive::<Float64Type>(buffer, n),
    }
}

/// numpy's one-byte bools (any non-zero byte is true) packed into Arrow's bits, eight at a
/// time: a word's non-zero bytes marked in their high bits, then gathered into one byte by a
/// multiplication (element `i` of the eight lands in bit `i`, Arrow's order).
fn pack_bools(bytes: &[u8]) -> BooleanBuffer {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut packed: Vec<u8> = Vec::with_capacity(bytes.len().div_ceil(8));
    let mut eights = bytes.chunks_exact(8);
    for eight in &mut eights {
        let x = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
        let nonzero = (((x & LOW7) + LOW7) | x) & HIGH;
        packed.push(((nonzero >> 7).wrapping_mul(GATHER) >> 56) as u8);
    }
    let rest = eights.remainder();
    if !rest.is_empty() {
        packed.push(
            rest.iter()
                .enumerate()
                .fold(0u8, |byte, (j, b)| byte | (u8::from(*b != 0) << j)),
        );
    }
    BooleanBuffer::new(Buffer::from_vec(packed), 0, bytes.len())
}

/// A numpy `datetime64[unit]` column, read as int64 (`ints`), as an Arrow timestamp array;
/// `NaT` (the smallest int64) becomes a missing value.
pub(crate) fn datetime_column(py: Python<'_>, unit: &str, ints: ArrayRef) -> PyResult<ArrayRef> {
    use arrow_array::{Array, Int64Array};
    use arrow_schema::TimeUnit;
    let unit = match unit {
        "s" => TimeUnit::Second,
        "ms" => TimeUnit::Millisecond,
        "us" => TimeUnit::Microsecond,
        "ns" => TimeUnit::Nanosecond,
        other => {
            return Err(input_error(
                py,
                format!("unsupported datetime64 unit {other}"),
            ))
        }
    };
    let ints = ints
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| input_error(py, "datetime64 values are not int64"))?;
    let nulls = ints
        .values()
        .contains(&i64::MIN)
        .then(|| arrow_buffer::NullBuffer::from_iter(ints.values().iter().map(|v| *v != i64::MIN)));
    let data = PrimitiveArray::<Int64Type>::new(ints.values().clone(), nulls)
        .into_data()
        .into_builder()
        .data_type(arrow_schema::DataType::Timestamp(unit, None))
        .build()
        .map_err(|e| input_error(py, e.to_string()))?;
    Ok(arrow_array::make_array(data))
}

/// How a caller wants a model input or output back.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Tables as pyarrow record batches, numeric tensors as buffers, the rest as Values.
    Arrow,
    /// Everything as the corpus Value form (exact pandas dtypes once decoded).
    Value,
}

/// A model input or output as a payload tuple for `signet/_convert.py`:
/// `("arrow", pyarrow.RecordBatch)`, `("tensor", dtype, shape, bytes)`,
/// `("columns", [(label, dtype, bytes)], rows)` (a table of plain numpy columns: exact
/// without the Value form's cost) or `("value", json)`.
pub fn to_python(py: Python<'_>, data: &ModelInput, want: Want) -> PyResult<PyObject> {
    if let ModelInput::Table(batch) = data {
        if want == Want::Value {
            if let Some(columns) = numpy_columns_out(batch) {
                let cols = columns
                    .into_iter()
                    .map(|(label, dtype, bytes)| (label, dtype, PyByteArray::new(py, &bytes)))
                    .collect::<Vec<_>>();
                let tuple = ("columns", cols, batch.num_rows());
                return Ok(tuple.into_pyobject(py)?.into_any().unbind());
            }
            if pandas_faithful(batch) {
                return arrow_payload(py, batch);
            }
        }
    }
    if want == Want::Arrow {
        match data {
            ModelInput::Table(batch) => {
                let rb = batch.to_pyarrow(py)?;
                return Ok(
                    PyTuple::new(py, ["arrow".into_pyobject(py)?.into_any().unbind(), rb])?
                        .into_any()
                        .unbind(),
                );
            }
            ModelInput::Tensor(t) => {
                if let Some(bytes) = tensor_bytes(t) {
                    let tuple = (
                        "tensor",
                        t.dtype.name(),
                        t.shape.clone(),
                        PyByteArray::new(py, &bytes),
                    );
                    return Ok(tuple.into_pyobject(py)?.into_any().unbind());
                }
            }
            _ => {}
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
/// pandas extension dtype, string labels) as `(label, numpy dtype, bytes)`; `None` otherwise.
fn numpy_columns_out(batch: &RecordBatch) -> Option<Vec<(String, &'static str, Buffer)>> {
    use arrow_array::Array;
    use arrow_schema::DataType as T;
    let schema = batch.schema();
    let mut out = Vec::with_capacity(batch.num_columns());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        if !field.metadata().is_empty() || array.null_count() > 0 {
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
        out.push((field.name().clone(), dtype, bytes));
    }
    Some(out)
}

/// The native-endian bytes of a numeric tensor without nulls (`None` for other tensors).
fn tensor_bytes(t: &Tensor) -> Option<Buffer> {
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

/// The native-endian bytes of a primitive Arrow array's values (`None` when it has missing
/// values or is not primitive).
fn primitive_bytes(array: &dyn arrow_array::Array) -> Option<Buffer> {
    if array.null_count() > 0 || !array.data_type().is_primitive() {
        return None;
    }
    let width = array.data_type().primitive_width()?;
    let data = array.to_data();
    let start = data.offset() * width;
    // A view of the values (no copy): the caller copies them once, into Python's bytearray.
    Some(data.buffers()[0].slice_with_length(start, array.len() * width))
}

//! pandas DataFrames read from their block manager in one pass, without Python-side work per
//! column: `df._mgr.blocks` gives each block's values (a 2-D ndarray of several columns, a 2-D
//! `DatetimeArray`, or a 1-D `ArrowStringArray`) and `mgr_locs` (the columns' positions), so
//! one look at a block's array interface (`__array_struct__`; `__array_interface__` for
//! datetimes, whose unit only the dict carries) locates every column's memory.
//!
//! | block values | read as |
//! | --- | --- |
//! | `ndarray` of a numeric/bool dtype (little-endian) | one Arrow array per row of the block, over its memory (no copy when each column is contiguous, one copy otherwise), built only when asked ([`FrameValues::read`]): a caller that needs only the columns' fields reads none |
//! | `DatetimeArray` without a time zone (`datetime64[s|ms|us|ns]`) | its int64 memory as a timestamp array, `NaT` missing |
//! | `ArrowStringArray` (pandas' `str` and `string[pyarrow]`) | its Arrow array, shared through the C data interface |
//!
//! Anything else — object or extension columns of other kinds, bool or float labels, a frame
//! without columns, a pandas whose internals differ — answers `None`, and the caller takes
//! `signet/_convert.py`'s route, which gives the same answers (only more slowly).

use crate::array_struct::{layout_2d, Layout2d};
use crate::numpy_mem::{column_at, datetime_column, gathered, numpy_width, NumpyOwner};
use arrow_array::ArrayRef;
use arrow_pyarrow::FromPyArrow;
use arrow_schema::DataType as ArrowType;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PySlice, PyString, PyType};
use signet::input::TensorData;
use signet::types::{ColumnName, NumpyDtype};
use signet::Tensor;
use std::sync::{Arc, Mutex};

/// One column read from a block: its label, numpy/pandas dtype name and values.
pub(crate) type FrameColumn = (ColumnName, &'static str, ArrayRef);

/// A DataFrame read from its blocks: each column's label, dtype and Arrow type, and its values
/// ([`FrameValues`]), numpy columns not read yet — so that a caller who finds from the columns'
/// fields alone that it needs no values ([`signet::enforce::frame_passes_as_is`]) does not
/// build them, nor copy a strided block's.
pub(crate) struct FrameRead<'py> {
    /// Each column's label, numpy/pandas dtype name and Arrow type.
    pub labels: Vec<(ColumnName, &'static str, ArrowType)>,
    /// Their values.
    pub values: FrameValues<'py>,
}

/// A DataFrame's column values, some perhaps not read yet ([`FrameValues::read`]).
pub(crate) struct FrameValues<'py> {
    columns: Vec<Values>,
    blocks: Vec<Block<'py>>,
    /// The number of rows.
    pub rows: usize,
}

/// A column's values: an Arrow array, or column `k` of numpy block `block`, not read yet.
enum Values {
    Read(ArrayRef),
    Unread { block: usize, k: usize },
}

/// A 2-D numpy block: `layout` (`shape = (columns, rows)`) over memory `values` owns, of
/// elements of numpy's `element` dtype, `width` bytes each, read as Arrow type `ty`.
struct Block<'py> {
    values: Bound<'py, PyAny>,
    ty: ArrowType,
    layout: Layout2d,
    element: &'static str,
    width: usize,
}

impl FrameValues<'_> {
    /// Whether some columns are not read yet (a numpy block's).
    pub(crate) fn unread(&self) -> bool {
        !self.blocks.is_empty()
    }

    /// The columns' values, each numpy block read once.
    pub(crate) fn read(self, py: Python<'_>) -> PyResult<Vec<ArrayRef>> {
        let read = self
            .blocks
            .iter()
            .map(|b| b.read(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(self
            .columns
            .into_iter()
            .map(|values| match values {
                Values::Read(array) => array,
                Values::Unread { block, k } => read[block][k].clone(),
            })
            .collect())
    }
}

impl Block<'_> {
    /// The block's columns as Arrow arrays of its element type: over the block's memory (no
    /// copy) when each column is contiguous, else gathered into copies in one pass.
    fn read(&self, py: Python<'_>) -> PyResult<Vec<ArrayRef>> {
        let Layout2d {
            shape: (columns, rows),
            strides: (column_stride, row_stride),
            address,
            ..
        } = self.layout;
        let (element, width) = (self.element, self.width);
        if row_stride == width as isize {
            let owner = NumpyOwner::of(&self.values);
            return (0..columns)
                .map(|k| {
                    let start = address as isize + k as isize * column_stride;
                    column_at(py, element, start as usize, rows * width, rows, || {
                        owner.clone()
                    })
                })
                .collect();
        }
        // SAFETY: numpy's interface says element i of column k is at
        // address + k * column_stride + i * row_stride, inside the block's memory, which
        // `self.values` keeps alive.
        Ok(unsafe {
            gathered(
                element,
                width,
                address,
                columns,
                column_stride,
                rows,
                row_stride,
            )
        })
    }
}

/// `numpy.ndarray`.
pub(crate) static NDARRAY: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static DATETIME_ARRAY: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static ARROW_STRING_ARRAY: GILOnceCell<Py<PyType>> = GILOnceCell::new();
static PD_NA: GILOnceCell<PyObject> = GILOnceCell::new();

/// The columns of a pandas DataFrame `df` as labels, dtypes and values, and its row count,
/// read from its blocks; `None` when the frame is not one this reader handles (see the
/// module doc).
pub(crate) fn read<'py>(
    py: Python<'py>,
    df: &Bound<'py, PyAny>,
) -> PyResult<Option<FrameRead<'py>>> {
    // Any surprise in pandas' internals means: not for this reader. The other route decides.
    Ok(walk(py, df).ok().flatten())
}

fn walk<'py>(py: Python<'py>, df: &Bound<'py, PyAny>) -> PyResult<Option<FrameRead<'py>>> {
    let Some(labels) = column_labels(py, &df.getattr(intern!(py, "columns"))?)? else {
        return Ok(None);
    };
    let width = labels.len();
    if width == 0 {
        return Ok(None);
    }
    let rows = df.getattr(intern!(py, "index"))?.len()?;
    let mut slots: Vec<Option<(&'static str, Values)>> = (0..width).map(|_| None).collect();
    let mut numpy_blocks = Vec::new();
    let blocks = df
        .getattr(intern!(py, "_mgr"))?
        .getattr(intern!(py, "blocks"))?;
    let ndarray = NDARRAY.import(py, "numpy", "ndarray")?;
    let datetimes = DATETIME_ARRAY.import(py, "pandas.arrays", "DatetimeArray")?;
    let strings = ARROW_STRING_ARRAY.import(py, "pandas.arrays", "ArrowStringArray")?;
    for block in blocks.try_iter()? {
        let block = block?;
        let locs = block_positions(py, &block, width)?;
        let values = block.getattr(intern!(py, "values"))?;
        let ty = values.get_type();
        let read = if ty.is(ndarray) {
            match layout_2d(py, &values)? {
                Some(layout) => numpy_block(py, &values, layout, &locs, rows, &mut numpy_blocks)?,
                None => None,
            }
        } else if ty.is(datetimes) {
            if !values.getattr(intern!(py, "tz"))?.is_none() {
                return Ok(None);
            }
            let ints = values.getattr(intern!(py, "_ndarray"))?;
            match datetime_layout(py, &ints)? {
                Some(layout) => numpy_block(py, &ints, layout, &locs, rows, &mut numpy_blocks)?,
                None => None,
            }
        } else if ty.is(strings) {
            string_block(py, &values, &locs, rows)?.map(|cols| {
                cols.into_iter()
                    .map(|(d, a)| (d, Values::Read(a)))
                    .collect()
            })
        } else {
            None
        };
        let Some(read) = read else { return Ok(None) };
        for (pos, col) in locs.into_iter().zip(read) {
            match slots.get_mut(pos) {
                Some(slot @ None) => *slot = Some(col),
                _ => return Ok(None),
            }
        }
    }
    let mut columns = Vec::with_capacity(width);
    let mut out = Vec::with_capacity(width);
    for (label, slot) in labels.iter().zip(slots) {
        let Some((dtype, values)) = slot else {
            return Ok(None);
        };
        let ty = match &values {
            Values::Read(array) => array.data_type().clone(),
            Values::Unread { block, .. } => numpy_blocks[*block].ty.clone(),
        };
        out.push((label.clone(), dtype, ty));
        columns.push(values);
    }
    Ok(Some(FrameRead {
        labels: out,
        values: FrameValues {
            columns,
            blocks: numpy_blocks,
            rows,
        },
    }))
}

/// The values of a DataFrame of several numeric columns held in one row-major numpy block
/// (`pd.DataFrame(array)` over a C-contiguous 2-D array): `df.to_numpy()` as pandas gives it
/// without a copy, here a `(rows, columns)` tensor over the block's memory (no copy either);
/// `None` for any other frame (fewer than two columns, several blocks, bools, a layout
/// that is not row-major, a pandas whose internals differ).
pub(crate) fn row_major_values(py: Python<'_>, df: &Bound<'_, PyAny>) -> Option<Tensor> {
    values_walk(py, df).ok().flatten()
}

fn values_walk(py: Python<'_>, df: &Bound<'_, PyAny>) -> PyResult<Option<Tensor>> {
    let width = df.getattr(intern!(py, "columns"))?.len()?;
    let rows = df.getattr(intern!(py, "index"))?.len()?;
    let blocks = df
        .getattr(intern!(py, "_mgr"))?
        .getattr(intern!(py, "blocks"))?;
    if width < 2 || blocks.len()? != 1 {
        return Ok(None);
    }
    let block = blocks.get_item(0)?;
    let locs = block_positions(py, &block, width)?;
    if !locs.iter().copied().eq(0..width) {
        return Ok(None);
    }
    let values = block.getattr(intern!(py, "values"))?;
    if !values
        .get_type()
        .is(NDARRAY.import(py, "numpy", "ndarray")?)
    {
        return Ok(None);
    }
    let Some(layout) = layout_2d(py, &values)? else {
        return Ok(None);
    };
    let item = numpy_width(py, layout.dtype)? as isize;
    let row_major =
        layout.strides.0 == item && (rows <= 1 || layout.strides.1 == item * width as isize);
    if layout.dtype == "bool" || layout.shape != (width, rows) || !row_major {
        return Ok(None);
    }
    let n = rows * width;
    let array = column_at(
        py,
        layout.dtype,
        layout.address,
        n * item as usize,
        n,
        || NumpyOwner::of(&values),
    )?;
    let Ok(dtype) = NumpyDtype::parse(layout.dtype) else {
        return Ok(None);
    };
    Ok(Some(Tensor {
        dtype,
        shape: vec![rows, width],
        data: TensorData::Arrow(array),
    }))
}

/// The last column Index read and its labels. pandas' Index objects are immutable and the
/// cache holds this one (so its identity is not reused): frames of one schema, read again
/// and again (a scoring loop), skip reading their labels (~0.6 µs through pyarrow).
static LABELS: Mutex<Option<LabelsOf>> = Mutex::new(None);

/// A column Index and its labels.
type LabelsOf = (Py<PyAny>, Arc<[ColumnName]>);

/// The column labels, when each is text or an integer (not a bool) in int64's range (see
/// [`labels`]), through [`LABELS`]: what the corpus Value form carries as a column label.
fn column_labels(
    py: Python<'_>,
    columns: &Bound<'_, PyAny>,
) -> PyResult<Option<Arc<[ColumnName]>>> {
    let cache = || {
        LABELS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some((index, labels)) = &*cache() {
        if index.is(columns) {
            return Ok(Some(labels.clone()));
        }
    }
    let Some(list) = labels(py, columns)? else {
        return Ok(None);
    };
    let list = list.downcast::<PyList>()?;
    let mut out = Vec::with_capacity(list.len());
    for label in list.iter() {
        if let Ok(text) = label.downcast::<PyString>() {
            out.push(ColumnName::Str(text.to_cow()?.into_owned()));
        } else if label.is_instance_of::<PyInt>() && !label.is_instance_of::<PyBool>() {
            let Ok(i) = label.extract::<i64>() else {
                return Ok(None);
            };
            out.push(ColumnName::Int(i));
        } else {
            return Ok(None);
        }
    }
    let out: Arc<[ColumnName]> = out.into();
    // The Index it replaces is released once the lock is (its release may run Python).
    let old = cache().replace((columns.clone().unbind(), out.clone()));
    drop(old);
    Ok(Some(out))
}

/// The column labels as a list, when they may all be text or integers: an `object` or
/// integer Index's values (a RangeIndex's too), or the Arrow array under a `str` Index
/// (pandas 3's default; `Index.tolist()` costs ~10 µs there).
fn labels<'py>(
    py: Python<'py>,
    columns: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let values = columns.getattr(intern!(py, "_values"))?;
    let ty = values.get_type();
    if ty.is(NDARRAY.import(py, "numpy", "ndarray")?) {
        return values.call_method0(intern!(py, "tolist")).map(Some);
    }
    if ty.is(ARROW_STRING_ARRAY.import(py, "pandas.arrays", "ArrowStringArray")?) {
        return values
            .call_method0(intern!(py, "__arrow_array__"))?
            .call_method0(intern!(py, "to_pylist"))
            .map(Some);
    }
    Ok(None)
}

/// The column positions of `block` (of a frame `width` columns wide).
fn block_positions(py: Python<'_>, block: &Bound<'_, PyAny>, width: usize) -> PyResult<Vec<usize>> {
    positions(
        &block
            .getattr(intern!(py, "mgr_locs"))?
            .getattr(intern!(py, "indexer"))?,
        width,
    )
}

/// A block's column positions from `BlockPlacement.indexer` (a slice or an integer ndarray).
fn positions(indexer: &Bound<'_, PyAny>, width: usize) -> PyResult<Vec<usize>> {
    if let Ok(slice) = indexer.downcast::<PySlice>() {
        let ix = slice.indices(width as isize)?;
        let mut out = Vec::with_capacity(ix.slicelength);
        let mut i = ix.start;
        for _ in 0..ix.slicelength {
            out.push(usize::try_from(i)?);
            i += ix.step;
        }
        return Ok(out);
    }
    indexer.call_method0("tolist")?.extract()
}

/// numpy's dtype name for the array-interface `typestr` of a `datetime64` in s/ms/us/ns.
fn datetime_name(typestr: &str) -> Option<&'static str> {
    Some(match typestr.strip_prefix(['<', '='])? {
        "M8[s]" => "datetime64[s]",
        "M8[ms]" => "datetime64[ms]",
        "M8[us]" => "datetime64[us]",
        "M8[ns]" => "datetime64[ns]",
        _ => return None,
    })
}

/// An entry of an `__array_interface__` dict.
fn item<'py>(dict: &Bound<'py, PyDict>, key: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyAny>> {
    dict.get_item(key)?
        .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.to_string()))
}

/// The layout of a `DatetimeArray`'s datetime64 memory (2-D), from its
/// `__array_interface__`: the C form does not carry the unit. `dtype` is `datetime64[unit]`.
fn datetime_layout<'py>(py: Python<'py>, values: &Bound<'py, PyAny>) -> PyResult<Option<Layout2d>> {
    let interface = values.getattr(intern!(py, "__array_interface__"))?;
    let interface = interface.downcast::<PyDict>()?;
    let item = |key: &Bound<'py, PyString>| item(interface, key);
    let typestr: String = item(intern!(py, "typestr"))?.extract()?;
    let Some(dtype) = datetime_name(&typestr) else {
        return Ok(None);
    };
    let shape: (usize, usize) = item(intern!(py, "shape"))?.extract()?;
    let (address, _readonly): (usize, bool) = item(intern!(py, "data"))?.extract()?;
    let strides = match item(intern!(py, "strides"))?.extract()? {
        Some(strides) => strides,
        None => ((shape.1 * 8) as isize, 8),
    };
    Ok(Some(Layout2d {
        dtype,
        shape,
        strides,
        address,
    }))
}

/// The columns of a 2-D numpy block laid out as `layout` (`shape = (columns, rows)`; memory
/// `values` owns), one per entry of `locs`: a numeric block joins `blocks`, its columns read
/// when asked for; a `datetime64[unit]` layout (a `DatetimeArray`'s memory) is read now, as
/// timestamps.
fn numpy_block<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    layout: Layout2d,
    locs: &[usize],
    rows: usize,
    blocks: &mut Vec<Block<'py>>,
) -> PyResult<Option<Vec<(&'static str, Values)>>> {
    let Layout2d {
        dtype,
        shape: (columns, length),
        ..
    } = layout;
    let unit = dtype
        .strip_prefix("datetime64[")
        .map(|u| u.trim_end_matches(']'));
    let element = if unit.is_some() { "int64" } else { dtype };
    let width = numpy_width(py, element)?;
    if columns != locs.len() || length != rows {
        return Ok(None);
    }
    let Some(ty) = NumpyDtype::parse(element)
        .ok()
        .and_then(signet::table::numpy_arrow_type)
    else {
        return Ok(None);
    };
    let block = Block {
        values: values.clone(),
        ty,
        layout,
        element,
        width,
    };
    let Some(unit) = unit else {
        blocks.push(block);
        let at = blocks.len() - 1;
        return Ok(Some(
            (0..columns)
                .map(|k| (dtype, Values::Unread { block: at, k }))
                .collect(),
        ));
    };
    let mut out = Vec::with_capacity(columns);
    for ints in block.read(py)? {
        out.push((dtype, Values::Read(datetime_column(py, unit, ints)?)));
    }
    Ok(Some(out))
}

/// The column of an `ArrowStringArray` block: `str` (pandas 3's default text, NaN-missing) or
/// `string` (`pd.NA`-missing).
fn string_block(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    locs: &[usize],
    rows: usize,
) -> PyResult<Option<Vec<(&'static str, ArrayRef)>>> {
    if locs.len() != 1 {
        return Ok(None);
    }
    let na = PD_NA.get_or_try_init(py, || -> PyResult<PyObject> {
        Ok(py.import("pandas")?.getattr("NA")?.unbind())
    })?;
    let dtype = values.getattr(intern!(py, "dtype"))?;
    let name = if dtype.getattr(intern!(py, "na_value"))?.is(na) {
        "string"
    } else {
        "str"
    };
    let chunked = values.getattr(intern!(py, "_pa_array"))?;
    let chunks: usize = chunked.getattr(intern!(py, "num_chunks"))?.extract()?;
    let array = if chunks == 1 {
        chunked.call_method1(intern!(py, "chunk"), (0,))?
    } else {
        chunked.call_method0(intern!(py, "combine_chunks"))?
    };
    let data = arrow_data::ArrayData::from_pyarrow_bound(&array)?;
    if data.len() != rows {
        return Ok(None);
    }
    Ok(Some(vec![(name, arrow_array::make_array(data))]))
}

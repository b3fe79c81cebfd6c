//! numpy's array interface in its C form (`__array_struct__`: a capsule holding a
//! `PyArrayInterface`), read to locate a numpy block's memory. numpy builds the
//! `__array_interface__` dict (a formatted type string, shape and strides tuples) on every
//! access, ~0.9 µs; the capsule costs ~50 ns. A public numpy protocol (version 3 of the array
//! interface). Results go the other way through [`crate::numpy_api`].

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::{c_char, c_int, c_void};

/// numpy's `PyArrayInterface`.
#[repr(C)]
struct ArrayInterface {
    /// Always 2 (a sanity check).
    two: c_int,
    /// Number of dimensions.
    nd: c_int,
    /// The type string's kind character (`b`, `i`, `u`, `f`, `M`, ...).
    typekind: c_char,
    /// Bytes per element.
    itemsize: c_int,
    /// numpy's array flags.
    flags: c_int,
    /// `nd` lengths.
    shape: *mut isize,
    /// `nd` strides in bytes.
    strides: *mut isize,
    /// The first element.
    data: *mut c_void,
    /// A richer type description (only with `ARR_HAS_DESCR`; signet never sets it).
    descr: *mut ffi::PyObject,
}

/// `NPY_ARRAY_C_CONTIGUOUS`.
const C_CONTIGUOUS: c_int = 0x0001;
/// `NPY_ARRAY_NOTSWAPPED`: the elements are in this machine's byte order.
const NOTSWAPPED: c_int = 0x0200;

/// Where a 2-D numpy array's elements are.
pub(crate) struct Layout2d {
    /// numpy's dtype name (`int64`, `bool`, ...).
    pub dtype: &'static str,
    /// The two lengths.
    pub shape: (usize, usize),
    /// The two strides, in bytes.
    pub strides: (isize, isize),
    /// The first element's address.
    pub address: usize,
}

/// numpy's dtype name for a kind and element size signet reads in place (numbers and bools).
fn dtype_name(kind: u8, size: c_int) -> Option<&'static str> {
    Some(match (kind, size) {
        (b'b', 1) => "bool",
        (b'i', 1) => "int8",
        (b'i', 2) => "int16",
        (b'i', 4) => "int32",
        (b'i', 8) => "int64",
        (b'u', 1) => "uint8",
        (b'u', 2) => "uint16",
        (b'u', 4) => "uint32",
        (b'u', 8) => "uint64",
        (b'f', 2) => "float16",
        (b'f', 4) => "float32",
        (b'f', 8) => "float64",
        _ => return None,
    })
}

/// The `PyArrayInterface` of `values`'s `__array_struct__`, and the capsule that owns it; `None`
/// when the capsule holds none.
fn interface<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
) -> PyResult<Option<(Bound<'py, PyAny>, *const ArrayInterface)>> {
    let capsule = values.getattr(pyo3::intern!(py, "__array_struct__"))?;
    let ptr = capsule.downcast::<PyCapsule>()?.pointer() as *const ArrayInterface;
    // SAFETY: a non-null `__array_struct__` pointer is a `PyArrayInterface` (numpy's protocol).
    if ptr.is_null() || unsafe { (*ptr).two } != 2 {
        return Ok(None);
    }
    Ok(Some((capsule, ptr)))
}

/// The address of a numpy array's memory and whether it is C-contiguous (any rank); `None`
/// for an object that does not describe its memory this way.
pub(crate) fn memory(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Option<(usize, bool)>> {
    let Some((_capsule, ptr)) = interface(py, values)? else {
        return Ok(None);
    };
    // SAFETY: `ptr` lives as long as `_capsule`, held until this returns.
    let s = unsafe { &*ptr };
    Ok(Some((s.data as usize, s.flags & C_CONTIGUOUS != 0)))
}

/// A C-contiguous numpy array of numbers or bools in this machine's byte order, any rank.
pub(crate) struct Contiguous {
    /// numpy's dtype name (`int64`, `bool`, ...).
    pub dtype: &'static str,
    /// The lengths.
    pub shape: Vec<usize>,
    /// The first element's address.
    pub address: usize,
    /// The bytes of all elements.
    pub nbytes: usize,
}

/// `values` as a [`Contiguous`] array; `None` for anything else (other dtypes, swapped bytes,
/// another layout). The memory stays `values`'s: the caller keeps `values` alive while it
/// reads it.
pub(crate) fn contiguous(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
) -> PyResult<Option<Contiguous>> {
    let Some((_capsule, ptr)) = interface(py, values)? else {
        return Ok(None);
    };
    // SAFETY: `ptr` lives as long as `_capsule`, held until this returns.
    let s = unsafe { &*ptr };
    let nd = usize::try_from(s.nd)?;
    if s.flags & NOTSWAPPED == 0 || s.flags & C_CONTIGUOUS == 0 || (nd > 0 && s.shape.is_null()) {
        return Ok(None);
    }
    let Some(dtype) = dtype_name(s.typekind as u8, s.itemsize) else {
        return Ok(None);
    };
    let shape = if nd == 0 {
        Vec::new()
    } else {
        // SAFETY: `shape` holds `nd` entries.
        let lengths = unsafe { std::slice::from_raw_parts(s.shape, nd) };
        lengths
            .iter()
            .map(|&n| usize::try_from(n))
            .collect::<Result<Vec<_>, _>>()?
    };
    let nbytes = shape.iter().product::<usize>() * s.itemsize as usize;
    Ok(Some(Contiguous {
        dtype,
        shape,
        address: s.data as usize,
        nbytes,
    }))
}

/// The layout of `values`, a 2-D numpy array of numbers or bools in this machine's byte order;
/// `None` for anything else (other dtypes, other shapes, swapped bytes). The memory stays
/// `values`'s: the caller keeps `values` alive while it reads it.
pub(crate) fn layout_2d(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Option<Layout2d>> {
    let Some((_capsule, ptr)) = interface(py, values)? else {
        return Ok(None);
    };
    // SAFETY: `ptr` lives as long as `_capsule`, held until this returns.
    let s = unsafe { &*ptr };
    if s.nd != 2 || s.flags & NOTSWAPPED == 0 || s.shape.is_null() {
        return Ok(None);
    }
    let Some(dtype) = dtype_name(s.typekind as u8, s.itemsize) else {
        return Ok(None);
    };
    // SAFETY: `shape` and (when not null) `strides` hold `nd` = 2 entries.
    let shape = unsafe { std::slice::from_raw_parts(s.shape, 2) };
    let (columns, rows) = (usize::try_from(shape[0])?, usize::try_from(shape[1])?);
    let strides = if s.strides.is_null() {
        ((rows * s.itemsize as usize) as isize, s.itemsize as isize)
    } else {
        // SAFETY: as above.
        let st = unsafe { std::slice::from_raw_parts(s.strides, 2) };
        (st[0], st[1])
    };
    Ok(Some(Layout2d {
        dtype,
        shape: (columns, rows),
        strides,
        address: s.data as usize,
    }))
}

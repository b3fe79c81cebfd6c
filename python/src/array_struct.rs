//! numpy's array interface in its C form (`__array_struct__`: a capsule holding a
//! `PyArrayInterface`), both ways: reading a numpy block's layout, and handing a result's
//! memory to numpy. numpy builds the `__array_interface__` dict (a formatted type string, shape
//! and strides tuples) on every access, ~0.9 µs; the capsule costs ~50 ns, and `np.asarray`
//! reads it without parsing a type string. Both are public numpy protocols (version 3 of the
//! array interface documents the two).

use arrow_buffer::Buffer;
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
/// `NPY_ARRAY_ALIGNED`.
const ALIGNED: c_int = 0x0100;
/// `NPY_ARRAY_NOTSWAPPED`: the elements are in this machine's byte order.
const NOTSWAPPED: c_int = 0x0200;
/// `NPY_ARRAY_WRITEABLE`.
const WRITEABLE: c_int = 0x0400;

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

/// The layout of `values`, a 2-D numpy array of numbers or bools in this machine's byte order;
/// `None` for anything else (other dtypes, other shapes, swapped bytes). The memory stays
/// `values`'s: the caller keeps `values` alive while it reads it.
pub(crate) fn layout_2d(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Option<Layout2d>> {
    let capsule = values.getattr(pyo3::intern!(py, "__array_struct__"))?;
    let capsule = capsule.downcast::<PyCapsule>()?;
    let ptr = capsule.pointer() as *const ArrayInterface;
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: numpy's `__array_struct__` capsule points to a `PyArrayInterface` that lives as
    // long as the capsule, which `capsule` holds.
    let s = unsafe { &*ptr };
    if s.two != 2 || s.nd != 2 || s.flags & NOTSWAPPED == 0 || s.shape.is_null() {
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

/// What a result's capsule holds: the interface, the shape and strides it points to, and the
/// memory it describes (numpy makes the capsule the array's base). `repr(C)`: the capsule's
/// pointer is read by numpy as the `PyArrayInterface` at its start.
#[repr(C)]
struct Exported {
    interface: ArrayInterface,
    /// The shape, then the strides (one allocation).
    dims: Vec<isize>,
    /// Owned, never read: the memory lives as long as the capsule.
    #[allow(dead_code)]
    memory: Buffer,
}

/// Frees a capsule's [`Exported`] (the capsule's destructor).
unsafe extern "C" fn free_exported(capsule: *mut ffi::PyObject) {
    // SAFETY: the capsule was made by `capsule` with a null name, around a leaked Box.
    unsafe {
        let p = ffi::PyCapsule_GetPointer(capsule, std::ptr::null());
        if !p.is_null() {
            drop(Box::from_raw(p as *mut Exported));
        }
    }
}

/// A capsule describing a C-contiguous array of `shape` writable elements of numpy type
/// string `typestr` (`<i8`, `|b1`, ...) in `memory`, for an object's `__array_struct__`: numpy
/// makes the array over the memory with the capsule as its base, and the capsule keeps the
/// memory alive. The caller checks that `memory` holds the elements.
pub(crate) fn capsule(
    py: Python<'_>,
    typestr: &str,
    memory: Buffer,
    shape: &[usize],
) -> PyResult<PyObject> {
    let bytes = typestr.as_bytes();
    let itemsize: c_int = typestr[2..]
        .parse()
        .map_err(|_| pyo3::exceptions::PyValueError::new_err(format!("type {typestr}")))?;
    let rank = shape.len();
    // The shape, then its C-order strides: each the bytes of one step along its axis.
    let mut dims: Vec<isize> = Vec::with_capacity(2 * rank);
    dims.extend(shape.iter().map(|&n| n as isize));
    dims.resize(2 * rank, itemsize as isize);
    for i in (0..rank.saturating_sub(1)).rev() {
        dims[rank + i] = dims[rank + i + 1] * dims[i + 1];
    }
    let mut exported = Box::new(Exported {
        interface: ArrayInterface {
            two: 2,
            nd: c_int::try_from(rank)?,
            typekind: bytes[1] as c_char,
            itemsize,
            flags: C_CONTIGUOUS | ALIGNED | NOTSWAPPED | WRITEABLE,
            shape: std::ptr::null_mut(),
            strides: std::ptr::null_mut(),
            data: memory.as_ptr() as *mut c_void,
            descr: std::ptr::null_mut(),
        },
        dims,
        memory,
    });
    // The vector's heap storage does not move while the box lives.
    let dims = exported.dims.as_mut_ptr();
    exported.interface.shape = dims;
    // SAFETY: `dims` holds 2 * rank entries; the strides start at entry rank.
    exported.interface.strides = unsafe { dims.add(rank) };
    let raw = Box::into_raw(exported);
    // SAFETY: `raw` is a valid pointer; the capsule owns it from here and frees it in
    // `free_exported`.
    let capsule =
        unsafe { ffi::PyCapsule_New(raw as *mut c_void, std::ptr::null(), Some(free_exported)) };
    if capsule.is_null() {
        // SAFETY: the capsule was not made, so `raw` is still ours.
        drop(unsafe { Box::from_raw(raw) });
        return Err(PyErr::fetch(py));
    }
    // SAFETY: `capsule` is a new reference.
    Ok(unsafe { Bound::from_owned_ptr(py, capsule) }.unbind())
}

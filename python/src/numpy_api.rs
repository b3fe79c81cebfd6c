//! numpy arrays made over Rust memory through numpy's C API: the `_ARRAY_API` table every numpy
//! extension imports (`import_array`). signet calls two of its entries, `PyArray_NewFromDescr`
//! and `PyArray_SetBaseObject` (slots 94 and 282, the same from numpy 1.7 to 2.x; rust-numpy
//! binds them at the same slots), and reads one, `PyArray_Type` (slot 2). `np.asarray` of an
//! `__array_struct__` exporter costs ~0.75 µs a column (numpy formats a type string and parses
//! it back into a dtype); an array made here ~0.15 µs. This is the one place signet relies on
//! numpy's binary interface beyond the documented array-interface protocol
//! ([`crate::array_struct`], which reads numpy's memory).

use arrow_buffer::Buffer;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyCapsule;
use std::ffi::{c_int, c_void};

/// The memory of an array made by [`array`]: the array's `base`, so the memory lives as long
/// as the array (and every view of it).
#[pyclass(frozen, module = "signet._signet")]
pub struct ArrowMemory {
    /// Owned, never read here: numpy reads and writes it through the array.
    #[allow(dead_code)]
    buffer: Buffer,
}

/// The numpy dtypes [`array`] makes (`python/signet/_convert.py` lists the same).
const DTYPES: [&str; 12] = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16",
    "float32", "float64",
];

/// `NPY_ARRAY_WRITEABLE`: numpy works out contiguity and alignment itself.
const WRITEABLE: c_int = 0x0400;

/// `PyArray_NewFromDescr(subtype, descr, nd, dims, strides, data, flags, obj)`; steals `descr`.
type NewFromDescr = unsafe extern "C" fn(
    *mut ffi::PyTypeObject,
    *mut ffi::PyObject,
    c_int,
    *const isize,
    *const isize,
    *mut c_void,
    c_int,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// `PyArray_SetBaseObject(array, base)`; steals `base`, also when it fails.
type SetBaseObject = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> c_int;

/// What signet takes from numpy once: the two functions, the ndarray type and a dtype object
/// per name in [`DTYPES`].
struct Api {
    new_from_descr: NewFromDescr,
    set_base_object: SetBaseObject,
    array_type: usize,
    dtypes: Vec<Py<PyAny>>,
}

static API: GILOnceCell<Api> = GILOnceCell::new();

fn api(py: Python<'_>) -> PyResult<&'static Api> {
    API.get_or_try_init(py, || {
        // numpy 2 moved its core to `numpy._core`; numpy 1.x has it at `numpy.core`.
        let module = py
            .import("numpy._core._multiarray_umath")
            .or_else(|_| py.import("numpy.core._multiarray_umath"))?;
        let capsule = module.getattr("_ARRAY_API")?;
        let table = capsule.downcast::<PyCapsule>()?.pointer() as *const *const c_void;
        if table.is_null() {
            return Err(PyTypeError::new_err("numpy's _ARRAY_API capsule is empty"));
        }
        let dtype = py.import("numpy")?.getattr("dtype")?;
        let dtypes = DTYPES
            .iter()
            .map(|name| Ok(dtype.call1((*name,))?.unbind()))
            .collect::<PyResult<Vec<_>>>()?;
        // SAFETY: `_ARRAY_API` is numpy's table of C API entries, static data of numpy's
        // extension module (which stays loaded); slots 2, 94 and 282 hold `PyArray_Type` and
        // the two functions with the signatures above in every numpy signet supports (>= 1.24).
        unsafe {
            Ok(Api {
                new_from_descr: std::mem::transmute::<*const c_void, NewFromDescr>(*table.add(94)),
                set_base_object: std::mem::transmute::<*const c_void, SetBaseObject>(
                    *table.add(282),
                ),
                array_type: *table.add(2) as usize,
                dtypes,
            })
        }
    })
}

/// A C-contiguous, writable numpy array of `shape` elements of numpy's `dtype` (a name in
/// [`DTYPES`]) over `buffer`, without a copy; the array's base is an [`ArrowMemory`] owning the
/// buffer. The caller checks that `buffer` holds the elements, in this machine's byte order,
/// aligned for the element type (numpy records an unaligned buffer as such).
pub(crate) fn array(
    py: Python<'_>,
    buffer: Buffer,
    dtype: &str,
    shape: &[usize],
) -> PyResult<PyObject> {
    let api = api(py)?;
    let Some(at) = DTYPES.iter().position(|d| *d == dtype) else {
        return Err(PyTypeError::new_err(format!(
            "signet cannot hand numpy a {dtype} result"
        )));
    };
    let dims = shape
        .iter()
        .map(|&n| isize::try_from(n))
        .collect::<Result<Vec<_>, _>>()?;
    let rank = c_int::try_from(dims.len())?;
    let data = buffer.as_ptr() as *mut c_void;
    let base = Bound::new(py, ArrowMemory { buffer })?;
    let descr = api.dtypes[at].clone_ref(py);
    // SAFETY: the functions and the type come from numpy's table (`api`); `descr` is a numpy
    // dtype (a new reference, which `PyArray_NewFromDescr` steals); `dims` holds `rank`
    // lengths, and `data` holds their product of elements (the caller's check), kept alive by
    // `base`, which `PyArray_SetBaseObject` takes over (it steals the reference either way).
    unsafe {
        let array = (api.new_from_descr)(
            api.array_type as *mut ffi::PyTypeObject,
            descr.into_ptr(),
            rank,
            dims.as_ptr(),
            std::ptr::null(),
            data,
            WRITEABLE,
            std::ptr::null_mut(),
        );
        if array.is_null() {
            return Err(PyErr::fetch(py));
        }
        let array = Bound::from_owned_ptr(py, array);
        if (api.set_base_object)(array.as_ptr(), base.into_ptr()) < 0 {
            return Err(PyErr::fetch(py));
        }
        Ok(array.unbind())
    }
}

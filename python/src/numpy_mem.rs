//! numpy memory as Arrow arrays: one Arrow buffer over a numpy array's memory, kept alive by
//! the array ([`NumpyOwner`]), for numeric dtypes (no copy when aligned), bools (packed into
//! bits, eight at a time) and `datetime64` (as Arrow timestamps, `NaT` missing). The frame
//! reader ([`crate::frame`]) and the payload reader ([`crate::convert`]) both build on it.

use crate::errors::input_error;
use arrow_array::types::*;
use arrow_array::{ArrayRef, ArrowPrimitiveType, BooleanArray, PrimitiveArray};
use arrow_buffer::{BooleanBuffer, Buffer, ScalarBuffer};
use pyo3::prelude::*;
use std::sync::Arc;

/// Keeps a numpy array alive for as long as an Arrow buffer points into its memory.
pub(crate) struct NumpyOwner(#[allow(dead_code)] Py<PyAny>);

impl NumpyOwner {
    /// An owner of `array`, shared by every Arrow buffer over its memory.
    pub(crate) fn of(array: &Bound<'_, PyAny>) -> Arc<NumpyOwner> {
        Arc::new(NumpyOwner(array.clone().unbind()))
    }
}

impl std::panic::RefUnwindSafe for NumpyOwner {}

/// An Arrow array over a numpy array's memory (see [`column_at`]).
pub(crate) fn numpy_array(
    py: Python<'_>,
    dtype: &str,
    array: &Bound<'_, PyAny>,
    n: usize,
) -> PyResult<ArrayRef> {
    let nbytes: usize = array.getattr("nbytes")?.extract()?;
    let (address, contiguous) = crate::array_struct::memory(py, array)?.ok_or_else(|| {
        input_error(
            py,
            "a numpy array whose __array_struct__ describes no memory",
        )
    })?;
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

/// The `columns` columns of a strided numpy block (a row-major block: `pd.DataFrame(array)`'s,
/// or a transposed or row-sliced frame's) as flat Arrow arrays of numpy's `dtype` (a dtype
/// [`numpy_width`] knows, `width` bytes an element): element i of column k is at `start + k * column_stride + i *
/// row_stride`. Gathered in one pass over the rows, a tile of rows at a time, so each row's
/// memory is read once for all its columns and each column is written in order (column by
/// column, a row-major block was read `columns` times over: 20 float64 columns of 10k rows
/// 680 -> ~100 µs).
///
/// # Safety
/// Every element must be in memory that stays valid while this runs.
pub(crate) unsafe fn gathered(
    dtype: &str,
    width: usize,
    start: usize,
    columns: usize,
    column_stride: isize,
    rows: usize,
    row_stride: isize,
) -> Vec<ArrayRef> {
    /// The columns as `T`s, read unaligned.
    unsafe fn gather<T: arrow_buffer::ArrowNativeType>(
        start: usize,
        columns: usize,
        column_stride: isize,
        rows: usize,
        row_stride: isize,
    ) -> Vec<Buffer> {
        const TILE: usize = 64;
        let mut out: Vec<Vec<T>> = (0..columns).map(|_| Vec::with_capacity(rows)).collect();
        for tile in (0..rows).step_by(TILE) {
            let end = (tile + TILE).min(rows);
            for (k, column) in out.iter_mut().enumerate() {
                let base = start as isize + k as isize * column_stride;
                // SAFETY: the caller's contract: element i of column k is at
                // base + i * row_stride.
                let at = |i: usize| unsafe {
                    std::ptr::read_unaligned((base + i as isize * row_stride) as *const T)
                };
                column.extend((tile..end).map(at));
            }
        }
        out.into_iter().map(Buffer::from_vec).collect()
    }
    // SAFETY: the caller's contract.
    let buffers = unsafe {
        match width {
            1 => gather::<u8>(start, columns, column_stride, rows, row_stride),
            2 => gather::<u16>(start, columns, column_stride, rows, row_stride),
            4 => gather::<u32>(start, columns, column_stride, rows, row_stride),
            _ => gather::<u64>(start, columns, column_stride, rows, row_stride),
        }
    };
    if dtype == "bool" {
        return buffers
            .iter()
            .map(|b| copied(dtype, b.as_slice(), rows))
            .collect();
    }
    buffers.into_iter().map(|b| typed(dtype, b, rows)).collect()
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

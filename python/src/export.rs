//! Result columns and tensors handed to numpy as arrays over their Arrow buffers
//! ([`crate::numpy_api::array`]): a buffer the result owns alone becomes the numpy array's
//! memory without a copy; a buffer that shares memory with the input (a column enforcement
//! passed through, numpy's own memory read in place) or that the result already handed over
//! is copied first, so a result never aliases the caller's data nor itself.

use arrow_array::{Array, ArrayRef};
use arrow_buffer::Buffer;
use arrow_data::ArrayData;
use pyo3::prelude::*;
use signet::input::TensorData;
use signet::{ModelInput, Tensor};

/// The memory a result may not hand over without a copy: every buffer of the input, and every
/// buffer already handed over. The input's buffers are listed on the first export only (a
/// result that exports nothing costs a few reference counts).
pub struct Handover {
    input: Vec<ArrayRef>,
    taken: Option<Vec<(usize, usize)>>,
}

impl Handover {
    /// The arrays of `input` (its columns, values, tensors).
    pub fn of(input: &ModelInput) -> Self {
        let tensor = |t: &Tensor| match &t.data {
            TensorData::Arrow(a) => Some(a.clone()),
            TensorData::Object(_) => None,
        };
        let input = match input {
            ModelInput::Table(batch) => batch.columns().to_vec(),
            ModelInput::Series(s) => vec![s.values.clone()],
            ModelInput::Tensor(t) => tensor(t).into_iter().collect(),
            ModelInput::TensorDict(ts) => ts.iter().filter_map(|(_, t)| tensor(t)).collect(),
            ModelInput::Sparse(m) => tensor(&m.data).into_iter().collect(),
            ModelInput::Value(_) => Vec::new(),
        };
        Handover { input, taken: None }
    }

    /// The memory taken: the input's buffers (with their children's), then what was exported.
    fn taken(&mut self) -> &mut Vec<(usize, usize)> {
        fn add(taken: &mut Vec<(usize, usize)>, d: &ArrayData) {
            for b in d.buffers() {
                taken.push((b.as_ptr() as usize, b.len()));
            }
            if let Some(nulls) = d.nulls() {
                let b = nulls.buffer();
                taken.push((b.as_ptr() as usize, b.len()));
            }
            d.child_data().iter().for_each(|c| add(taken, c));
        }
        let input = &self.input;
        self.taken.get_or_insert_with(|| {
            let mut taken = Vec::new();
            for a in input {
                match numeric_values(a.as_ref()) {
                    // A numeric array's buffers, without building its `ArrayData`.
                    Some(values) => {
                        taken.push((values.as_ptr() as usize, values.len()));
                        if let Some(nulls) = a.nulls() {
                            let b = nulls.buffer();
                            taken.push((b.as_ptr() as usize, b.len()));
                        }
                    }
                    None => add(&mut taken, &a.to_data()),
                }
            }
            taken
        })
    }

    /// Whether `b` overlaps memory taken.
    fn is_taken(&mut self, b: &Buffer) -> bool {
        let (start, end) = (b.as_ptr() as usize, b.as_ptr() as usize + b.len());
        self.taken()
            .iter()
            .any(|&(s, len)| start < s + len && s < end)
    }

    /// The values of numpy's `dtype` (a name `_signet` hands out: `int64`, `bool`, ...) in
    /// `buffer`, C-contiguous in `shape`, as a numpy array: handed over as they are, or copied
    /// first when the memory is taken. An error for a dtype signet does not hand out or a
    /// buffer too short for the shape (neither happens: a guard against a caller's slip).
    pub fn export(
        &mut self,
        py: Python<'_>,
        buffer: Buffer,
        dtype: &str,
        shape: &[usize],
    ) -> PyResult<PyObject> {
        let width = crate::numpy_mem::numpy_width(py, dtype)?;
        let need = shape.iter().product::<usize>().saturating_mul(width);
        if buffer.len() < need {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "a {dtype} result of {} bytes does not hold shape {shape:?}",
                buffer.len()
            )));
        }
        let buffer = if self.is_taken(&buffer) {
            Buffer::from_slice_ref(&buffer.as_slice()[..need])
        } else {
            self.taken().push((buffer.as_ptr() as usize, buffer.len()));
            buffer
        };
        crate::numpy_api::array(py, buffer, dtype, shape)
    }
}

/// The values of a numeric Arrow array (integers, floats) as one buffer: a view with the
/// array's offset applied, no copy; `None` for other arrays.
pub(crate) fn numeric_values(array: &dyn Array) -> Option<Buffer> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    use arrow_array::ArrowPrimitiveType;
    use arrow_schema::DataType as T;
    fn values<P: ArrowPrimitiveType>(a: &dyn Array) -> Option<Buffer> {
        Some(a.as_primitive_opt::<P>()?.values().inner().clone())
    }
    match array.data_type() {
        T::Int8 => values::<Int8Type>(array),
        T::Int16 => values::<Int16Type>(array),
        T::Int32 => values::<Int32Type>(array),
        T::Int64 => values::<Int64Type>(array),
        T::UInt8 => values::<UInt8Type>(array),
        T::UInt16 => values::<UInt16Type>(array),
        T::UInt32 => values::<UInt32Type>(array),
        T::UInt64 => values::<UInt64Type>(array),
        T::Float16 => values::<Float16Type>(array),
        T::Float32 => values::<Float32Type>(array),
        T::Float64 => values::<Float64Type>(array),
        _ => None,
    }
}

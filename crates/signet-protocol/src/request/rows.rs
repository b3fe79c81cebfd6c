//! `dataframe_split` bodies against a tensor signature, read straight into the row-major
//! tensor (docs/serving.md#dataframe-split, docs/enforcement.md#dataframe-to-tensor).
//!
//! MLflow parses the rows into a DataFrame, casts every column to the spec's dtype
//! (`cast_df_types_according_to_schema`) and enforcement then takes the frame's values as one
//! array (`DataFrame.to_numpy()`). When the signature is a single unnamed
//! `Tensor(dtype, (-1, k))` and the body is `k` labelled columns of plain numbers, that array
//! is exactly the numbers in body order, cast one by one: [`read`] reads them so, without the
//! per-column detour and transpose. Anything else (other dtypes or shapes, a cell that is not a
//! number the cast takes without a refusal, ragged rows) goes the general way.
//!
//! The DataFrame itself is still what MLflow quotes in messages about the parsed data:
//! [`frame_of`] rebuilds it from the tensor and the labels, only when a message needs it.

use super::cast::{batch, field};
use super::scan::Scanner;
use super::typed;
use super::RequestError;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray, RecordBatch};
use signet::enforce::Compat;
use signet::input::{Tensor, TensorData};
use signet::types::{ColumnName, NumpyDtype, Schema, SchemaKind};
use std::sync::Arc;

/// The dtype every cell of a `width`-column frame is cast to when the schema is one unnamed
/// `Tensor(dtype, (-1, width))` with a numeric dtype this reader handles (`None` otherwise).
pub(crate) fn tensor_target(schema: Option<&Schema>, width: usize) -> Option<NumpyDtype> {
    let s = schema?;
    if s.has_input_names() || width < 2 {
        return None;
    }
    let SchemaKind::Tensors(specs) = s.kind() else {
        return None;
    };
    let [spec] = specs.as_slice() else {
        return None;
    };
    let dtype = spec.dtype;
    let numeric = matches!(
        dtype,
        NumpyDtype::Float32 | NumpyDtype::Float64 | NumpyDtype::Int32 | NumpyDtype::Int64
    );
    (numeric && spec.shape == [-1, width as i64]).then_some(dtype)
}

/// Reads the `data` rows at the cursor as a `(rows, width)` tensor of `dtype`; `None` when the
/// rows are not `width` plain numbers each that the column cast takes without a refusal.
pub(crate) fn read(
    sc: &mut Scanner<'_>,
    dtype: NumpyDtype,
    width: usize,
    compat: Compat,
) -> Option<Tensor> {
    let t = typed::nd_array(sc, dtype, compat == Compat::Strict)?;
    (t.shape.len() == 2 && t.shape[1] == width).then_some(t)
}

/// The DataFrame MLflow parsed (one cast column per label) from its row-major values.
pub(crate) fn frame_of(t: &Tensor, labels: &[ColumnName]) -> Result<RecordBatch, RequestError> {
    fn columns<T: ArrowPrimitiveType>(a: &ArrayRef, rows: usize, cols: usize) -> Vec<ArrayRef> {
        let Some(p) = a.as_any().downcast_ref::<PrimitiveArray<T>>() else {
            return Vec::new();
        };
        let v = p.values();
        (0..cols)
            .map(|c| {
                let col: Vec<T::Native> = (0..rows).map(|r| v[r * cols + c]).collect();
                Arc::new(PrimitiveArray::<T>::from_iter_values(col)) as ArrayRef
            })
            .collect()
    }
    let (rows, cols) = (t.shape[0], t.shape[1]);
    let arrays = match (&t.data, t.dtype) {
        (TensorData::Arrow(a), NumpyDtype::Float32) => columns::<Float32Type>(a, rows, cols),
        (TensorData::Arrow(a), NumpyDtype::Float64) => columns::<Float64Type>(a, rows, cols),
        (TensorData::Arrow(a), NumpyDtype::Int32) => columns::<Int32Type>(a, rows, cols),
        (TensorData::Arrow(a), NumpyDtype::Int64) => columns::<Int64Type>(a, rows, cols),
        _ => Vec::new(),
    };
    if arrays.len() != labels.len() {
        return Err(RequestError::invalid_input(
            "Failed to build the data frame: the tensor does not match its labels",
        ));
    }
    let fields = labels
        .iter()
        .zip(&arrays)
        .map(|(l, a)| field(l, a, &[]))
        .collect();
    batch(fields, arrays, rows)
}

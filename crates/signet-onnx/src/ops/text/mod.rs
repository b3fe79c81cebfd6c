//! The text operators of scikit-learn's `TfidfVectorizer` / `CountVectorizer` as skl2onnx
//! exports them, following onnxruntime's kernels:
//!
//! * `StringNormalizer` ([`normalizer`]): stop-word filtering and case change;
//! * `com.microsoft:Tokenizer` ([`tokenizer`]): split strings into tokens by a regular
//!   expression, separators or characters, padded to the longest row;
//! * `TfIdfVectorizer` ([`tfidf`]): n-gram (with skips) counts over a pool, weighted TF, IDF
//!   or TFIDF.
//!
//! Their outputs' sizes depend on the data (the number of tokens, the strings left after
//! filtering): such an axis is a fresh tract symbol, bound when the graph runs.
//! Each operator is a [`UnaryOp`](super::native::UnaryOp).

mod normalizer;
mod tfidf;
mod tokenizer;

use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

pub(crate) use normalizer::StringNormalizer;
pub(crate) use tfidf::TfIdfVectorizer;
pub(crate) use tokenizer::Tokenizer;

/// The strings of a string tensor.
fn strings(input: &Tensor, op: &str) -> TractResult<Vec<String>> {
    ensure!(
        input.datum_type() == DatumType::String,
        "{op} takes strings, not {:?}",
        input.datum_type()
    );
    Ok(input.try_as_plain_ram()?.as_slice::<String>()?.to_vec())
}

/// The shape of a `[C]` or `[N, C]` string input (`rows` names what `N` may be, for the
/// error).
fn string_rows(op: &str, rows: &str, input: &TypedFact) -> TractResult<TVec<TDim>> {
    ensure!(
        matches!(input.rank(), 1 | 2),
        "{op} takes [C] or [{rows}, C] strings, got rank {}",
        input.rank()
    );
    Ok(input.shape.to_tvec())
}

/// A string tensor of `shape`.
fn string_tensor(shape: &[usize], v: Vec<String>) -> TractResult<Tensor> {
    Ok(tract_ndarray::Array::from_shape_vec(shape, v)?.into())
}

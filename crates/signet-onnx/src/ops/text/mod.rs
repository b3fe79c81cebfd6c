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
//! Each operator implements [`TextOp`]; [`Text`] makes it a [`NativeOp`](super::native::NativeOp).

mod normalizer;
mod tfidf;
mod tokenizer;

use super::native::{register, NativeOp};
use std::fmt::Debug;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// What a one-input, one-output text operator provides; the tract traits come from [`Text`].
trait TextOp: Debug + Clone + PartialEq + Eq + Send + Sync + 'static {
    /// The ONNX operator's name.
    const NAME: &'static str;

    /// The output's element type.
    fn output_type(&self) -> DatumType;

    /// The output's shape for an input of shape `input`.
    fn output_shape(&self, input: &[TDim]) -> TractResult<TVec<TDim>>;

    /// Runs the operator.
    fn run(&self, input: &Tensor) -> TractResult<Tensor>;
}

/// A [`TextOp`] as a [`NativeOp`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct Text<T>(T);

fn boxed<T: TextOp>(op: T) -> (Box<dyn InferenceOp>, Vec<String>) {
    register(Text(op))
}

/// Builds `StringNormalizer`.
pub(crate) fn build_string_normalizer(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = normalizer::StringNormalizer::parse(ctx, node)
        .with_context(|| format!("invalid StringNormalizer node `{}`", node.name))?;
    Ok(boxed(op))
}

/// Builds `com.microsoft:Tokenizer`.
pub(crate) fn build_tokenizer(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = tokenizer::Tokenizer::parse(ctx, node)
        .with_context(|| format!("invalid Tokenizer node `{}`", node.name))?;
    Ok(boxed(op))
}

/// Builds `TfIdfVectorizer`.
pub(crate) fn build_tfidf(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = tfidf::TfIdfVectorizer::parse(node)
        .with_context(|| format!("invalid TfIdfVectorizer node `{}`", node.name))?;
    Ok(boxed(op))
}

/// The strings of a string tensor.
fn strings(input: &Tensor, op: &str) -> TractResult<Vec<String>> {
    ensure!(
        input.datum_type() == DatumType::String,
        "{op} takes strings, not {:?}",
        input.datum_type()
    );
    Ok(input.try_as_plain_ram()?.as_slice::<String>()?.to_vec())
}

/// A string tensor of `shape`.
fn string_tensor(shape: &[usize], v: Vec<String>) -> TractResult<Tensor> {
    Ok(tract_ndarray::Array::from_shape_vec(shape, v)?.into())
}

impl<T: TextOp> NativeOp for Text<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        s.equals(&outputs[0].datum_type, self.0.output_type())?;
        s.given(&inputs[0].shape, move |s, shape| {
            let out = self.0.output_shape(&shape)?;
            s.equals(&outputs[0].shape, ShapeFactoid::from(out))
        })?;
        Ok(())
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let shape: TVec<TDim> = inputs[0].shape.iter().cloned().collect();
        let out = self.0.output_shape(&shape)?;
        Ok(tvec!(self.0.output_type().fact(out)))
    }

    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>> {
        Ok(tvec!(self.0.run(&inputs[0])?))
    }
}

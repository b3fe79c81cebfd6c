//! The tract boilerplate of the operators signet evaluates itself, written once.
//!
//! An operator (the preprocessing operators of [`super::encoders`]) or an operator family's
//! adapter (the scoring operators of [`super::scoring`], the text operators of
//! [`super::text`]) implements [`NativeOp`]; [`Native`] turns that into tract's `Expansion`
//! (shape inference, wired as itself), `Op`, `EvalOp` and `TypedOp`.

use std::fmt::Debug;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// An operator evaluated by signet's own code.
pub(crate) trait NativeOp: Debug + Clone + PartialEq + Eq + Send + Sync + 'static {
    /// The operator's name.
    fn name(&self) -> &'static str;

    /// The number of inputs (`None`: any number).
    fn inputs(&self) -> Option<usize> {
        Some(1)
    }

    /// The number of outputs.
    fn outputs(&self) -> usize {
        1
    }

    /// The inference rules relating the inputs to the outputs (arities are checked already).
    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult;

    /// The outputs' facts for the inputs'.
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>>;

    /// Runs the operator.
    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>>;
}

/// A [`NativeOp`] as a tract operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Native<T>(pub(crate) T);

/// The boxed inference operator an `OnnxOpRegister` entry returns for `op`.
pub(crate) fn register<T: NativeOp>(op: T) -> (Box<dyn InferenceOp>, Vec<String>) {
    (expand(Native(op)), vec![])
}

impl<T: NativeOp> Expansion for Native<T> {
    fn name(&self) -> StaticName {
        self.0.name().into()
    }

    fn nboutputs(&self) -> TractResult<usize> {
        Ok(self.0.outputs())
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        if let Some(n) = self.0.inputs() {
            check_input_arity(inputs, n)?;
        }
        check_output_arity(outputs, self.0.outputs())?;
        self.0.rules(s, inputs, outputs)
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        model.wire_node(prefix, self.clone(), inputs)
    }
}

impl<T: NativeOp> Op for Native<T> {
    fn name(&self) -> StaticName {
        self.0.name().into()
    }

    op_as_typed_op!();
}

impl<T: NativeOp> EvalOp for Native<T> {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        Ok(self
            .0
            .eval(&inputs)?
            .into_iter()
            .map(IntoTValue::into_tvalue)
            .collect())
    }
}

impl<T: NativeOp> TypedOp for Native<T> {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        self.0.output_facts(inputs)
    }

    as_op!();
}

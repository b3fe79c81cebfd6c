//! The tract boilerplate of the operators signet adds to tract's ONNX loader, written once.
//!
//! An operator implements [`NativeOp`] in one of two ways:
//!
//! * it runs itself: [`NativeOp::output_facts`] and [`NativeOp::eval`] (the scoring operators
//!   through [`super::scoring`], the one-input operators of [`super::encoders`] and
//!   [`super::text`] through [`UnaryOp`]);
//! * it is a rewrite into tract's own operators: [`NativeOp::rewrite`] (`Flatten`,
//!   `ArrayFeatureExtractor`, `Scaler`), whose output facts are those of the operators it wires.
//!
//! [`Native`] turns either into tract's `Expansion`, `Op`, `EvalOp` and `TypedOp`; its shape
//! inference is derived from the output facts once every input's type and shape are known.

use std::fmt::Debug;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// An operator signet adds to tract.
pub(crate) trait NativeOp: Debug + Clone + PartialEq + Send + Sync + 'static {
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

    /// The outputs' facts for the inputs' (default: the facts of what [`NativeOp::rewrite`]
    /// wires).
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        rewritten_facts(self, inputs)
    }

    /// Runs the operator (only called for an operator wired as itself).
    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>> {
        let _ = inputs;
        bail!(
            "{} is wired as tract operators and never runs itself",
            self.name()
        )
    }

    /// tract's operators wired in place of this one, or `None` (the default) to wire the
    /// operator itself.
    fn rewrite(&self, site: &mut Site) -> TractResult<Option<TVec<OutletId>>> {
        let _ = site;
        Ok(None)
    }
}

/// A one-input, one-output operator that runs itself; [`Unary`] makes it a [`NativeOp`].
pub(crate) trait UnaryOp: Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The ONNX operator's name.
    const NAME: &'static str;

    /// The output's fact for the input's (default: the same type and shape).
    fn output_fact(&self, input: &TypedFact) -> TractResult<TypedFact> {
        Ok(input.without_value())
    }

    /// Runs the operator.
    fn run(&self, input: &Tensor) -> TractResult<Tensor>;
}

/// A [`UnaryOp`] as a [`NativeOp`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Unary<T>(pub(crate) T);

impl<T: UnaryOp> NativeOp for Unary<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(self.0.output_fact(inputs[0])?))
    }

    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>> {
        Ok(tvec!(self.0.run(&inputs[0])?))
    }
}

/// Where a rewriting operator wires tract's operators: the typed model, the node's name and
/// its inputs.
pub(crate) struct Site<'a> {
    model: &'a mut TypedModel,
    prefix: &'a str,
    /// The operator's inputs.
    pub(crate) inputs: &'a [OutletId],
}

impl Site<'_> {
    /// The fact of `outlet`.
    pub(crate) fn fact(&self, outlet: OutletId) -> TractResult<TypedFact> {
        Ok(self.model.outlet_fact(outlet)?.clone())
    }

    /// Wires `op` on `inputs` as the node `<name>.<suffix>` (the node's own name when `suffix`
    /// is empty) and returns its first output.
    pub(crate) fn wire(
        &mut self,
        suffix: &str,
        op: impl Into<Box<dyn TypedOp>>,
        inputs: &[OutletId],
    ) -> TractResult<OutletId> {
        Ok(self.model.wire_node(self.name(suffix), op, inputs)?[0])
    }

    /// Adds the constant `value` as the node `<name>.<suffix>`.
    pub(crate) fn konst(&mut self, suffix: &str, value: Arc<Tensor>) -> TractResult<OutletId> {
        self.model.add_const(self.name(suffix), value)
    }

    fn name(&self, suffix: &str) -> String {
        if suffix.is_empty() {
            self.prefix.to_string()
        } else {
            format!("{}.{suffix}", self.prefix)
        }
    }
}

/// The facts of the outputs `op` rewrites itself into, for inputs of facts `inputs` (wired in
/// a scratch model).
fn rewritten_facts<T: NativeOp>(op: &T, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
    let mut model = TypedModel::default();
    let sources = inputs
        .iter()
        .enumerate()
        .map(|(ix, f)| model.add_source(format!("input.{ix}"), f.without_value()))
        .collect::<TractResult<TVec<_>>>()?;
    let mut site = Site {
        model: &mut model,
        prefix: op.name(),
        inputs: &sources,
    };
    let Some(outputs) = op.rewrite(&mut site)? else {
        bail!("{} gives neither its output facts nor a rewrite", op.name());
    };
    outputs
        .iter()
        .map(|o| Ok(model.outlet_fact(*o)?.without_value()))
        .collect()
}

/// A [`NativeOp`] as a tract operator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Native<T>(pub(crate) T);

impl<T: NativeOp> Eq for Native<T> {}

/// An operator read from its ONNX node.
pub(crate) trait Parse: Sized {
    /// Reads the operator's attributes.
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self>;
}

impl<T: Parse> Parse for Unary<T> {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        T::parse(ctx, node).map(Unary)
    }
}

/// The `OnnxOpRegister` entry of operator `T`: parse errors name the node (`invalid <op> node
/// `<name>``).
pub(crate) fn build<T: NativeOp + Parse>(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = T::parse(ctx, node)
        .with_context(|| format!("invalid {} node `{}`", node.op_type, node.name))?;
    Ok((expand(Native(op)), vec![]))
}

impl<T: NativeOp> Expansion for Native<T> {
    fn name(&self) -> StaticName {
        self.0.name().into()
    }

    fn nboutputs(&self) -> TractResult<usize> {
        Ok(self.0.outputs())
    }

    /// The arities, then the output facts once every input's type and shape are known.
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
        s.given_all(inputs.iter().map(|i| &i.datum_type), move |s, types| {
            s.given_all(inputs.iter().map(|i| &i.shape), move |s, shapes| {
                let facts: TVec<TypedFact> = types
                    .iter()
                    .zip(shapes)
                    .map(|(dt, shape)| dt.fact(shape))
                    .collect();
                let facts: TVec<&TypedFact> = facts.iter().collect();
                for (output, fact) in outputs.iter().zip(self.0.output_facts(&facts)?) {
                    s.equals(&output.datum_type, fact.datum_type)?;
                    s.equals(&output.shape, ShapeFactoid::from(fact.shape.to_tvec()))?;
                }
                Ok(())
            })
        })
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        let mut site = Site {
            model,
            prefix,
            inputs,
        };
        match self.0.rewrite(&mut site)? {
            Some(outputs) => Ok(outputs),
            None => model.wire_node(prefix, self.clone(), inputs),
        }
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

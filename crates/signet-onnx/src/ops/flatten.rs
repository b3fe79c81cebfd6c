//! `Flatten` that accepts several symbolic axes.
//!
//! tract's `Flatten` refuses an input with more than one axis of unknown length ("square of
//! symbols"), but skl2onnx puts one after `Tokenizer`, whose `[N, tokens]` output has two. This
//! is tract's operator without that refusal: the output is `[prod(shape[..axis]),
//! prod(shape[axis..])]`, wired as the same axis operations (none when the shape is already
//! that, as `[N, tokens]` with `axis = 1` is).

use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// `Flatten`.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct Flatten {
    axis: i64,
}

/// Builds `Flatten` (attribute `axis`, default 1).
pub(crate) fn build(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let axis = super::attrs::int_attr(node, "axis").unwrap_or(1);
    Ok((expand(Flatten { axis }), vec![]))
}

impl Flatten {
    fn shape(&self, shape: &[TDim]) -> TractResult<[TDim; 2]> {
        let rank = shape.len() as i64;
        let axis = if self.axis >= 0 {
            self.axis
        } else {
            self.axis + rank
        };
        ensure!(
            (0..=rank).contains(&axis),
            "Flatten: axis {} is out of range for rank {rank}",
            self.axis
        );
        let axis = axis as usize;
        let product = |d: &[TDim]| d.iter().fold(TDim::from(1), |acc, x| acc * x.clone());
        Ok([product(&shape[..axis]), product(&shape[axis..])])
    }
}

impl Expansion for Flatten {
    fn name(&self) -> StaticName {
        "Flatten".into()
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 1)?;
        check_output_arity(outputs, 1)?;
        s.equals(&outputs[0].datum_type, &inputs[0].datum_type)?;
        s.given(&inputs[0].shape, move |s, shape| {
            let [a, b] = self.shape(&shape)?;
            s.equals(&outputs[0].shape, ShapeFactoid::from(vec![a, b]))
        })
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        let input_shape = model.outlet_fact(inputs[0])?.shape.to_tvec();
        let output_shape = self.shape(&input_shape)?;
        let mut wire = tvec!(inputs[0]);
        if input_shape.as_slice() == output_shape.as_slice() {
            return Ok(wire);
        }
        for (ix, op) in
            tract_core::ops::change_axes::to_axis_ops_with_tf_rules(&input_shape, &output_shape)?
                .into_iter()
                .enumerate()
        {
            wire = model.wire_node(format!("{prefix}.{ix}"), op, &wire)?;
        }
        Ok(wire)
    }
}

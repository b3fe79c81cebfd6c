//! `ai.onnx.ml.ArrayFeatureExtractor` with onnxruntime's output shape.
//!
//! onnxruntime selects the indices (flattened) along the last axis and keeps the input's rank:
//! `X [..., C]` gives `[..., k]` for `k` indices, and a 1-D `X [C]` gives `[1, k]`. tract's
//! version is a `Gather` whose rank depends on the indices' rank (a scalar index drops the
//! axis), which breaks the `Concat`s skl2onnx puts after it (SVC's vote counting,
//! KBinsDiscretizer). This expansion reshapes the indices to 1-D and gives 1-D inputs a
//! leading axis before the `Gather`.

use tract_core::ops::array::Gather;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// `ArrayFeatureExtractor`.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct ArrayFeatureExtractor;

/// Builds `ArrayFeatureExtractor`.
pub(crate) fn build(
    _ctx: &ParsingContext,
    _node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    Ok((expand(ArrayFeatureExtractor), vec![]))
}

impl Expansion for ArrayFeatureExtractor {
    fn name(&self) -> StaticName {
        "ArrayFeatureExtractor".into()
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 2)?;
        check_output_arity(outputs, 1)?;
        s.equals(&inputs[0].datum_type, &outputs[0].datum_type)?;
        s.equals(&inputs[1].datum_type, i64::datum_type())?;
        s.given_2(
            &inputs[0].shape,
            &inputs[1].shape,
            move |s, input_shape, indices_shape| {
                let k = indices_shape
                    .iter()
                    .fold(TDim::from(1), |acc, d| acc * d.clone());
                let mut out: TVec<TDim> = if input_shape.len() <= 1 {
                    tvec![1.to_dim()]
                } else {
                    input_shape[..input_shape.len() - 1]
                        .iter()
                        .cloned()
                        .collect()
                };
                out.push(k);
                s.equals(&outputs[0].shape, out)
            },
        )?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        let mut x = inputs[0];
        let rank = model.outlet_fact(x)?.rank();
        ensure!(
            rank >= 1,
            "ArrayFeatureExtractor: the input must have at least one axis"
        );
        if rank == 1 {
            x = model.wire_node(format!("{prefix}.add_axis"), AxisOp::Add(0), &[x])?[0];
        }
        let mut idx = inputs[1];
        let idx_fact = model.outlet_fact(idx)?.clone();
        match idx_fact.rank() {
            0 => idx = model.wire_node(format!("{prefix}.idx_1d"), AxisOp::Add(0), &[idx])?[0],
            1 => {}
            _ => {
                let from: TVec<TDim> = idx_fact.shape.iter().cloned().collect();
                let n = from.iter().fold(TDim::from(1), |acc, d| acc * d.clone());
                idx = model.wire_node(
                    format!("{prefix}.idx_flat"),
                    AxisOp::Reshape(0, from, tvec![n]),
                    &[idx],
                )?[0];
            }
        }
        let last = model.outlet_fact(x)?.rank() - 1;
        model.wire_node(
            prefix,
            Gather {
                axis: last,
                output_type: None,
            },
            &[x, idx],
        )
    }
}

//! `ai.onnx.ml.Scaler`: `Y = (X - offset) * scale`, as onnxruntime computes it.
//!
//! `offset` and `scale` hold either one value (applied to every element) or one value per
//! feature (the second axis of a 2-D input, the only axis of a 1-D input). onnxruntime subtracts
//! and multiplies in the input's arithmetic (double for `double` inputs, float otherwise) and
//! returns float; this expansion does the same with tract's `Sub`, `Mul` and `Cast`.

use super::attrs::float_list;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// The `Scaler` operator as an expansion into tract core operators.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scaler {
    offset: Vec<f32>,
    scale: Vec<f32>,
}

/// Builds the operator from its ONNX node (the `OnnxOpRegister` entry).
pub(crate) fn build(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let scale = float_list(node, "scale")?.unwrap_or_default();
    let offset = float_list(node, "offset")?.unwrap_or_default();
    ensure!(
        !scale.is_empty(),
        "Scaler node `{}`: empty scale in attributes",
        node.name
    );
    ensure!(
        scale.len() == offset.len(),
        "Scaler node `{}`: scale has {} values and offset {}; they must have the same size",
        node.name,
        scale.len(),
        offset.len()
    );
    Ok((expand(Scaler { offset, scale }), vec![]))
}

impl Expansion for Scaler {
    fn name(&self) -> StaticName {
        "Scaler".into()
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 1)?;
        check_output_arity(outputs, 1)?;
        s.equals(&outputs[0].datum_type, DatumType::F32)?;
        s.equals(&outputs[0].shape, &inputs[0].shape)?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        let fact = model.outlet_fact(inputs[0])?.clone();
        let rank = fact.rank();
        ensure!(
            rank == 1 || rank == 2,
            "Scaler expects a 1-D or 2-D input, got rank {rank}"
        );
        let n = self.scale.len();
        let features = &fact.shape[rank - 1];
        if n != 1 {
            if let Ok(c) = features.to_usize() {
                ensure!(
                    c == n,
                    "Scaler: either both scale and offset can be of feature size ({c}) or 1, got {n}"
                );
            }
        }
        // Per-feature constants broadcast along the last axis; single values everywhere.
        let mut shape = vec![1usize; rank];
        shape[rank - 1] = n;
        let wide = fact.datum_type == f64::datum_type();
        let dt = if wide {
            f64::datum_type()
        } else {
            f32::datum_type()
        };
        let konst = |v: &[f32]| -> TractResult<Arc<Tensor>> {
            let t = Tensor::from_shape(&shape, v)?;
            Ok(t.cast_to_dt(dt)?.into_owned().into_arc_tensor())
        };
        let offset = model.add_const(format!("{prefix}.offset"), konst(&self.offset)?)?;
        let scale = model.add_const(format!("{prefix}.scale"), konst(&self.scale)?)?;
        let mut x = inputs[0];
        if fact.datum_type != dt {
            x = model.wire_node(
                format!("{prefix}.cast_in"),
                tract_core::ops::cast::cast(dt),
                &[x],
            )?[0];
        }
        let centered = model.wire_node(
            format!("{prefix}.sub"),
            tract_core::ops::math::sub(),
            &[x, offset],
        )?[0];
        let mut y = model.wire_node(
            format!("{prefix}.mul"),
            tract_core::ops::math::mul(),
            &[centered, scale],
        )?[0];
        if wide {
            y = model.wire_node(
                format!("{prefix}.cast_out"),
                tract_core::ops::cast::cast(f32::datum_type()),
                &[y],
            )?[0];
        }
        Ok(tvec!(y))
    }
}

//! `ai.onnx.ml.Scaler`: `Y = (X - offset) * scale`, as onnxruntime computes it.
//!
//! `offset` and `scale` hold either one value (applied to every element) or one value per
//! feature (the second axis of a 2-D input, the only axis of a 1-D input). onnxruntime subtracts
//! and multiplies in the input's arithmetic (double for `double` inputs, float otherwise) and
//! returns float; this expansion does the same with tract's `Sub`, `Mul` and `Cast`.

use super::attrs::float_list;
use super::native::{NativeOp, Parse, Site};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// The `Scaler` operator, rewritten into tract core operators.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scaler {
    offset: Vec<f32>,
    scale: Vec<f32>,
}

impl Parse for Scaler {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let scale = float_list(node, "scale")?.unwrap_or_default();
        let offset = float_list(node, "offset")?.unwrap_or_default();
        ensure!(!scale.is_empty(), "empty scale in attributes");
        ensure!(
            scale.len() == offset.len(),
            "scale has {} values and offset {}; they must have the same size",
            scale.len(),
            offset.len()
        );
        Ok(Scaler { offset, scale })
    }
}

impl NativeOp for Scaler {
    fn name(&self) -> &'static str {
        "Scaler"
    }

    fn rewrite(&self, site: &mut Site) -> TractResult<Option<TVec<OutletId>>> {
        let mut x = site.inputs[0];
        let fact = site.fact(x)?;
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
        let offset = site.konst("offset", konst(&self.offset)?)?;
        let scale = site.konst("scale", konst(&self.scale)?)?;
        if fact.datum_type != dt {
            x = site.wire("cast_in", tract_core::ops::cast::cast(dt), &[x])?;
        }
        let centered = site.wire("sub", tract_core::ops::math::sub(), &[x, offset])?;
        let mut y = site.wire("mul", tract_core::ops::math::mul(), &[centered, scale])?;
        if wide {
            let to_float = tract_core::ops::cast::cast(f32::datum_type());
            y = site.wire("cast_out", to_float, &[y])?;
        }
        Ok(Some(tvec!(y)))
    }
}

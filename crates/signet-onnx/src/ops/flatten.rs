//! `Flatten` that accepts several symbolic axes.
//!
//! tract's `Flatten` refuses an input with more than one axis of unknown length ("square of
//! symbols"), but skl2onnx puts one after `Tokenizer`, whose `[N, tokens]` output has two. This
//! is tract's operator without that refusal: the output is `[prod(shape[..axis]),
//! prod(shape[axis..])]`, wired as the same axis operations (none when the shape is already
//! that, as `[N, tokens]` with `axis = 1` is).

use super::native::{NativeOp, Parse, Site};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// `Flatten`.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct Flatten {
    axis: i64,
}

/// Reads `Flatten` (attribute `axis`, default 1).
impl Parse for Flatten {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let axis = super::attrs::int_attr(node, "axis").unwrap_or(1);
        Ok(Flatten { axis })
    }
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

impl NativeOp for Flatten {
    fn name(&self) -> &'static str {
        "Flatten"
    }

    fn rewrite(&self, site: &mut Site) -> TractResult<Option<TVec<OutletId>>> {
        let input = site.inputs[0];
        let input_shape = site.fact(input)?.shape.to_tvec();
        let output_shape = self.shape(&input_shape)?;
        let mut wire = input;
        if input_shape.as_slice() != output_shape.as_slice() {
            let ops = tract_core::ops::change_axes::to_axis_ops_with_tf_rules(
                &input_shape,
                &output_shape,
            )?;
            for (ix, op) in ops.into_iter().enumerate() {
                wire = site.wire(&ix.to_string(), op, &[wire])?;
            }
        }
        Ok(Some(tvec!(wire)))
    }
}

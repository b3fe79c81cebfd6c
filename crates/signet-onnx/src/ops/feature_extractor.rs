//! `ai.onnx.ml.ArrayFeatureExtractor` with onnxruntime's output shape.
//!
//! onnxruntime selects the indices (flattened) along the last axis and keeps the input's rank:
//! `X [..., C]` gives `[..., k]` for `k` indices, and a 1-D `X [C]` gives `[1, k]`. tract's
//! version is a `Gather` whose rank depends on the indices' rank (a scalar index drops the
//! axis), which breaks the `Concat`s skl2onnx puts after it (SVC's vote counting,
//! KBinsDiscretizer). This expansion reshapes the indices to 1-D and gives 1-D inputs a
//! leading axis before the `Gather`.

use super::native::{NativeOp, Parse, Site};
use tract_core::ops::array::Gather;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// `ArrayFeatureExtractor`.
#[derive(Clone, Debug, Default, Hash, PartialEq, Eq)]
pub(crate) struct ArrayFeatureExtractor;

impl Parse for ArrayFeatureExtractor {
    fn parse(_ctx: &ParsingContext, _node: &NodeProto) -> TractResult<Self> {
        Ok(ArrayFeatureExtractor)
    }
}

impl NativeOp for ArrayFeatureExtractor {
    fn name(&self) -> &'static str {
        "ArrayFeatureExtractor"
    }

    fn inputs(&self) -> Option<usize> {
        Some(2)
    }

    fn rewrite(&self, site: &mut Site) -> TractResult<Option<TVec<OutletId>>> {
        let [mut x, mut idx] = [site.inputs[0], site.inputs[1]];
        let rank = site.fact(x)?.rank();
        ensure!(
            rank >= 1,
            "ArrayFeatureExtractor: the input must have at least one axis"
        );
        let idx_fact = site.fact(idx)?;
        ensure!(
            idx_fact.datum_type == i64::datum_type(),
            "ArrayFeatureExtractor: the indices must be int64, not {:?}",
            idx_fact.datum_type
        );
        if rank == 1 {
            x = site.wire("add_axis", AxisOp::Add(0), &[x])?;
        }
        match idx_fact.rank() {
            0 => idx = site.wire("idx_1d", AxisOp::Add(0), &[idx])?,
            1 => {}
            _ => {
                let from: TVec<TDim> = idx_fact.shape.iter().cloned().collect();
                let n = from.iter().fold(TDim::from(1), |acc, d| acc * d.clone());
                idx = site.wire("idx_flat", AxisOp::Reshape(0, from, tvec![n]), &[idx])?;
            }
        }
        let last = site.fact(x)?.rank() - 1;
        let gather = Gather {
            axis: last,
            output_type: None,
        };
        Ok(Some(tvec!(site.wire("", gather, &[x, idx])?)))
    }
}

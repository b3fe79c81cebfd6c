//! Evaluating an [`Ensemble`] row by row, as onnxruntime's `TreeEnsembleCommon` and
//! `TreeAggregator*` do.

use super::{Aggregate, Ensemble, Node, TreeEnsembleClassifierOp};
use crate::ops::post_transform::{logistic, post_transform, probit, PostTransform};
use crate::ops::scoring::Pick;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// The precision scores accumulate in (onnxruntime's `ThresholdType`).
pub(super) trait Acc:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Div<Output = Self>
{
    fn from_f64(v: f64) -> Self;
    fn from_usize(v: usize) -> Self;
    fn to_f32(self) -> f32;
}

impl Acc for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn from_usize(v: usize) -> Self {
        v as f32
    }
    fn to_f32(self) -> f32 {
        self
    }
}

impl Acc for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn from_usize(v: usize) -> Self {
        v as f64
    }
    fn to_f32(self) -> f32 {
        self as f32
    }
}

impl Ensemble {
    /// The leaf reached by row `x` in the tree rooted at `root`.
    #[inline]
    fn leaf<const WIDE: bool>(&self, root: usize, x: &[f64]) -> (usize, usize) {
        let mut i = root;
        loop {
            match self.nodes[i] {
                Node::Leaf { start, end } => return (start, end),
                Node::Branch {
                    feature,
                    mode,
                    threshold,
                    threshold_f32,
                    if_true,
                    if_false,
                    missing_true,
                } => {
                    let v = x[feature];
                    let t = if WIDE { threshold } else { threshold_f32 };
                    i = if mode.holds(v, t) || (missing_true && v.is_nan()) {
                        if_true
                    } else {
                        if_false
                    };
                }
            }
        }
    }

    /// The aggregated scores of one row (`None` for targets no reached leaf scores).
    fn accumulate<A: Acc, const WIDE: bool>(&self, x: &[f64], scores: &mut [Option<A>]) {
        scores.iter_mut().for_each(|s| *s = None);
        for &root in &self.roots {
            let (start, end) = self.leaf::<WIDE>(root, x);
            for &(target, w) in &self.weights[start..end] {
                let w = A::from_f64(w);
                let s = &mut scores[target];
                *s = Some(match (*s, self.aggregate) {
                    (None, _) => w,
                    (Some(s), Aggregate::Sum | Aggregate::Average) => s + w,
                    (Some(s), Aggregate::Min) => {
                        if w < s {
                            w
                        } else {
                            s
                        }
                    }
                    (Some(s), Aggregate::Max) => {
                        if w > s {
                            w
                        } else {
                            s
                        }
                    }
                });
            }
        }
    }

    fn base(&self, t: usize) -> Option<f64> {
        self.base_values.as_ref().and_then(|b| b.get(t).copied())
    }

    /// Regressor scores of one row into `out` (`n_targets` floats).
    fn regress_row<A: Acc, const WIDE: bool>(
        &self,
        x: &[f64],
        scores: &mut [Option<A>],
        out: &mut [f32],
    ) {
        self.accumulate::<A, WIDE>(x, scores);
        let n_trees = A::from_usize(self.roots.len());
        for (t, (s, o)) in scores.iter().zip(out.iter_mut()).enumerate() {
            let base = A::from_f64(self.base(t).unwrap_or(0.0));
            let s = s.unwrap_or(A::from_f64(0.0));
            let v = match self.aggregate {
                Aggregate::Average => s / n_trees + base,
                _ => base + s,
            };
            *o = v.to_f32();
        }
        post_transform(self.post_transform, out);
    }

    /// Checks the input width and calls `row` on each row (an empty slice for a 0-wide input,
    /// only possible for an ensemble of leaves).
    fn for_rows(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
        mut row: impl FnMut(usize, &[f64]) -> TractResult<()>,
    ) -> TractResult<()> {
        ensure!(
            width >= self.n_features,
            "tree ensemble: the input has {width} features, the trees use feature {}",
            self.n_features.saturating_sub(1)
        );
        if width == 0 {
            for r in 0..rows {
                row(r, &[])?;
            }
        } else {
            for (r, features) in x.chunks(width).enumerate() {
                row(r, features)?;
            }
        }
        Ok(())
    }

    pub(super) fn regress<A: Acc, const WIDE: bool>(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
    ) -> TractResult<Vec<f32>> {
        let n = self.n_targets;
        let mut out = vec![0f32; rows * n];
        let mut scores = vec![None; n];
        self.for_rows(rows, width, x, |r, features| {
            self.regress_row::<A, WIDE>(features, &mut scores, &mut out[r * n..][..n]);
            Ok(())
        })?;
        Ok(out)
    }
}

impl TreeEnsembleClassifierOp {
    /// Label and probabilities of one row, following onnxruntime's `TreeAggregatorClassifier`.
    fn classify_row<A: Acc, const WIDE: bool>(
        &self,
        x: &[f64],
        scores: &mut [Option<A>],
        probs: &mut [f32],
    ) -> TractResult<Pick> {
        let e = &*self.ensemble;
        e.accumulate::<A, WIDE>(x, scores);
        let zero = A::from_f64(0.0);
        if scores.len() != 2 {
            for (k, s) in scores.iter_mut().enumerate() {
                if let Some(b) = e.base(k) {
                    let b = A::from_f64(b);
                    *s = Some(s.map_or(b, |v| v + b));
                }
            }
            let mut best: Option<(usize, A)> = None;
            for (k, s) in scores.iter().enumerate() {
                if let Some(v) = *s {
                    if best.is_none_or(|(_, b)| v > b) {
                        best = Some((k, v));
                    }
                }
            }
            let (k, _) = best
                .ok_or_else(|| format_err!("TreeEnsembleClassifier: no class received a score"))?;
            for (p, s) in probs.iter_mut().zip(scores.iter()) {
                *p = s.unwrap_or(zero).to_f32();
            }
            post_transform(e.post_transform, probs);
            return Ok(Pick::Class(k));
        }
        // Two classes: raw scores and "has a score" flags, as onnxruntime keeps them.
        let (has0, has1) = (scores[0].is_some(), scores[1].is_some());
        let (mut v0, mut v1) = (scores[0].unwrap_or(zero), scores[1].unwrap_or(zero));
        let b0 = A::from_f64(e.base(0).unwrap_or(0.0));
        let b1 = A::from_f64(e.base(1).unwrap_or(0.0));
        // Whether both scores are written (else only the first, completed below).
        let both = match e.base_values.as_ref().map_or(0, Vec::len) {
            2 => {
                if has1 {
                    v1 = b1 + v0;
                    v0 = zero - v1;
                } else {
                    v0 = v0 + b0;
                    v1 = v1 + b1;
                }
                true
            }
            1 => {
                v0 = v0 + b0;
                has1
            }
            _ => has1,
        };
        let positive = if has1 {
            v1
        } else if has0 {
            v0
        } else {
            zero
        };
        // onnxruntime's `add_second_class`: 0/1 non-negative binary, 2/3 mixed binary, -1 other.
        let (pick, complement) = if self.binary {
            let threshold = if self.all_positive { 0.5 } else { 0.0 };
            let class = if positive > A::from_f64(threshold) {
                1
            } else {
                0
            };
            (Pick::Class(class), self.all_positive)
        } else if positive > zero {
            (Pick::Positive, false)
        } else {
            (Pick::Negative, false)
        };
        if both {
            probs[0] = if has0 { v0.to_f32() } else { 0.0 };
            probs[1] = if has1 { v1.to_f32() } else { 0.0 };
            post_transform(e.post_transform, probs);
        } else {
            let s = v0.to_f32();
            match e.post_transform {
                PostTransform::Probit => {
                    // onnxruntime writes one value and leaves the second uninitialized.
                    probs[0] = probit(s);
                    probs[1] = f32::NAN;
                }
                PostTransform::Logistic if complement => {
                    let v = logistic(s);
                    probs[0] = 1.0 - v;
                    probs[1] = v;
                }
                PostTransform::Logistic => {
                    probs[0] = logistic(-s);
                    probs[1] = logistic(s);
                }
                _ if complement => {
                    probs[0] = 1.0 - s;
                    probs[1] = s;
                }
                _ => {
                    probs[0] = -s;
                    probs[1] = s;
                }
            }
        }
        Ok(pick)
    }

    pub(super) fn classify<A: Acc, const WIDE: bool>(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
    ) -> TractResult<(Vec<Pick>, Vec<f32>)> {
        let n = self.labels.len();
        let mut picks = Vec::with_capacity(rows);
        let mut probs = vec![0f32; rows * n];
        let mut scores = vec![None; n];
        self.ensemble.for_rows(rows, width, x, |r, features| {
            picks.push(self.classify_row::<A, WIDE>(
                features,
                &mut scores,
                &mut probs[r * n..][..n],
            )?);
            Ok(())
        })?;
        Ok((picks, probs))
    }
}

//! The `post_transform` of the ONNX-ML scoring operators (TreeEnsemble*, SVM*, Linear*):
//! `NONE`, `LOGISTIC`, `SOFTMAX`, `SOFTMAX_ZERO`, `PROBIT`, computed as onnxruntime's
//! `ml_common.h` computes them, in float.

use super::attrs::choice;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;

/// The transform applied to the aggregated scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PostTransform {
    /// `NONE`.
    None,
    /// `LOGISTIC`.
    Logistic,
    /// `SOFTMAX`.
    Softmax,
    /// `SOFTMAX_ZERO`: softmax over the non-zero scores, zeros stay zero.
    SoftmaxZero,
    /// `PROBIT`.
    Probit,
}

/// The node's `post_transform` attribute (`NONE` when absent).
pub(crate) fn parse_post_transform(node: &NodeProto) -> TractResult<PostTransform> {
    {
        use PostTransform::*;
        choice(
            node,
            "post_transform",
            &[None, Logistic, Softmax, SoftmaxZero, Probit],
        )
    }
}

/// onnxruntime's `ComputeLogistic`.
pub(crate) fn logistic(v: f32) -> f32 {
    let e = 1.0 / (1.0 + (-v.abs()).exp());
    if v < 0.0 {
        1.0 - e
    } else {
        e
    }
}

/// onnxruntime's `ErfInv` approximation.
fn erf_inv(x: f32) -> f32 {
    let sgn = if x < 0.0 { -1.0f32 } else { 1.0 };
    let x = (1.0 - x) * (1.0 + x);
    let log = x.ln();
    let v = 2.0 / (std::f32::consts::PI * 0.147) + 0.5 * log;
    let v2 = 1.0 / 0.147 * log;
    let v3 = -v + (v * v - v2).sqrt();
    sgn * v3.sqrt()
}

/// onnxruntime's `ComputeProbit`.
pub(crate) fn probit(v: f32) -> f32 {
    std::f32::consts::SQRT_2 * erf_inv(v * 2.0 - 1.0)
}

/// Applies `t` to one row of scores in place, as onnxruntime's `write_scores` does (in float).
pub(crate) fn post_transform(t: PostTransform, out: &mut [f32]) {
    match t {
        PostTransform::None => {}
        PostTransform::Logistic => out.iter_mut().for_each(|v| *v = logistic(*v)),
        PostTransform::Probit => out.iter_mut().for_each(|v| *v = probit(*v)),
        PostTransform::Softmax => {
            let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0f32;
            for v in out.iter_mut() {
                *v = (*v - max).exp();
                sum += *v;
            }
            out.iter_mut().for_each(|v| *v /= sum);
        }
        PostTransform::SoftmaxZero => {
            let max = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0f32;
            for v in out.iter_mut() {
                if *v > 1e-7 || *v < -1e-7 {
                    *v = (*v - max).exp();
                    sum += *v;
                } else {
                    *v = 0.0;
                }
            }
            out.iter_mut().for_each(|v| {
                if sum != 0.0 {
                    *v /= sum
                }
            });
        }
    }
}

//! `ai.onnx.ml.LinearClassifier` and `LinearRegressor`, as onnxruntime's kernels compute them.
//!
//! tract 0.23 ships both but refuses the `PROBIT` and `SOFTMAX_ZERO` post transforms, so both
//! are implemented here with every transform:
//!
//! * scores `x·coefᵀ + intercepts` in float (inputs cast to float);
//! * classifier labels: with one score column, `score > 0` picks the second of two labels
//!   (`1` / `"1"` when there are not exactly two), else the first (`0` / `"0"`); with several,
//!   the first class of highest raw score;
//! * classifier scores: a single column next to two labels becomes `[1 - s, s]` (`PROBIT`
//!   applies to `s` alone); several columns get the post transform row by row;
//! * regressor: one column per target; the post transform applies to rows of several targets,
//!   and `PROBIT` to single targets too.

use super::attrs::{float_list, int_attr};
use super::native::Parse;
use super::post_transform::{parse_post_transform, post_transform, PostTransform};
use super::scoring::{rows_and_width, Labels, Pick, Scoring};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// `LinearClassifier`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinearClassifier {
    coefficients: Vec<f32>,
    intercepts: Vec<f32>,
    labels: Labels,
    post: PostTransform,
    targets: usize,
}

/// `LinearRegressor`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinearRegressor {
    coefficients: Vec<f32>,
    intercepts: Vec<f32>,
    post: PostTransform,
    targets: usize,
}

impl Parse for LinearClassifier {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
        ensure!(!coefficients.is_empty(), "coefficients are empty");
        let labels = Labels::parse(node)?;
        let intercepts = float_list(node, "intercepts")?.unwrap_or_default();
        let targets = if intercepts.is_empty() {
            labels.len()
        } else {
            intercepts.len()
        };
        ensure!(
            targets > 0 && coefficients.len() % targets == 0,
            "{} coefficients do not split into {targets} classes",
            coefficients.len()
        );
        let n_labels = labels.len();
        ensure!(
            targets == 1 || n_labels >= targets,
            "{targets} score columns but {n_labels} class labels"
        );
        Ok(LinearClassifier {
            coefficients,
            intercepts,
            labels,
            post: parse_post_transform(node)?,
            targets,
        })
    }
}

impl Parse for LinearRegressor {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
        let intercepts = float_list(node, "intercepts")?.unwrap_or_default();
        let targets = int_attr(node, "targets").unwrap_or(1);
        let targets = usize::try_from(targets)
            .ok()
            .filter(|t| *t > 0)
            .ok_or_else(|| format_err!("bad targets"))?;
        ensure!(
            coefficients.len() % targets == 0
                && (intercepts.is_empty() || intercepts.len() == targets),
            "{} coefficients and {} intercepts for {targets} targets",
            coefficients.len(),
            intercepts.len()
        );
        Ok(LinearRegressor {
            coefficients,
            intercepts,
            post: parse_post_transform(node)?,
            targets,
        })
    }
}

/// `x·coefᵀ + intercepts` for every row: `(rows, scores)`.
fn scores(
    input: &Tensor,
    coefficients: &[f32],
    intercepts: &[f32],
    targets: usize,
) -> TractResult<(usize, Vec<f32>)> {
    let features = coefficients.len() / targets;
    let (rows, width) = rows_and_width("a linear model", input)?;
    ensure!(
        width == features,
        "the linear model expects {features} features, the input has {width}"
    );
    let x = input.cast_to::<f32>()?;
    let x = x.try_as_plain_ram()?.as_slice::<f32>()?.to_vec();
    let mut out = Vec::with_capacity(rows * targets);
    for r in 0..rows {
        let row = &x[r * features..(r + 1) * features];
        for t in 0..targets {
            let w = &coefficients[t * features..(t + 1) * features];
            let s: f32 = row.iter().zip(w).map(|(a, b)| a * b).sum();
            out.push(s + intercepts.get(t).copied().unwrap_or(0.0));
        }
    }
    Ok((rows, out))
}

impl LinearClassifier {
    fn two_labels(&self) -> bool {
        self.labels.len() == 2
    }
}

impl Scoring for LinearClassifier {
    const NAME: &'static str = "LinearClassifier";

    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }

    fn width(&self) -> usize {
        if self.targets == 1 && self.two_labels() {
            2
        } else {
            self.targets
        }
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        let (rows, raw) = scores(input, &self.coefficients, &self.intercepts, self.targets)?;
        let k = self.targets;
        let two = self.two_labels();
        let picks: Vec<Pick> = (0..rows)
            .map(|r| {
                let s = &raw[r * k..(r + 1) * k];
                if k == 1 {
                    match (s[0] > 0.0, two) {
                        (pos, true) => Pick::Class(usize::from(pos)),
                        (true, false) => Pick::Positive,
                        (false, false) => Pick::Negative,
                    }
                } else {
                    let mut best = 0;
                    for j in 1..k {
                        if s[j] > s[best] {
                            best = j;
                        }
                    }
                    Pick::Class(best)
                }
            })
            .collect();
        let labels = self.labels.tensor(&picks)?;
        let width = self.width();
        let mut out = Vec::with_capacity(rows * width);
        for r in 0..rows {
            let mut s = raw[r * k..(r + 1) * k].to_vec();
            if k == 1 {
                if self.post == PostTransform::Probit {
                    post_transform(self.post, &mut s);
                }
                if width == 2 {
                    out.push(1.0 - s[0]);
                }
                out.push(s[0]);
            } else {
                post_transform(self.post, &mut s);
                out.extend(s);
            }
        }
        Ok((Some(labels), Tensor::from_shape(&[rows, width], &out)?))
    }
}

impl Scoring for LinearRegressor {
    const NAME: &'static str = "LinearRegressor";

    fn width(&self) -> usize {
        self.targets
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        let k = self.targets;
        let (rows, mut raw) = scores(input, &self.coefficients, &self.intercepts, k)?;
        if k > 1 || self.post == PostTransform::Probit {
            for row in raw.chunks_mut(k) {
                post_transform(self.post, row);
            }
        }
        Ok((None, Tensor::from_shape(&[rows, k], &raw)?))
    }
}

//! `ai.onnx.ml.SVMClassifier` and `SVMRegressor`, as onnxruntime's kernels compute them
//! (scikit-learn's SVC/SVR/NuSVC/NuSVR/OneClassSVM through skl2onnx).
//!
//! * Inputs are cast to float; kernels are evaluated in float: `LINEAR` `x·v`, `POLY`
//!   `(γ x·v + c0)^degree`, `RBF` `exp(-γ |x - v|²)`, `SIGMOID` `tanh(γ x·v + c0)`
//!   (`kernel_params = [γ, c0, degree]`).
//! * Classifier, support-vector mode (`vectors_per_class` given): one-vs-one decision values
//!   `Σ coef·K + rho` (accumulated in double), a vote for the first class of a pair when the
//!   value is positive, else for the second; the label is the first class with most votes.
//!   Scores are the pairwise values (`[-d, d]` for two classes) or, with `prob_a`/`prob_b`,
//!   Platt's sigmoid per pair coupled into class probabilities (libsvm's
//!   `multiclass_probability`), then `post_transform`.
//! * Classifier, linear mode (no support vectors): `x·coef_c + rho[0]` per class, argmax, with
//!   onnxruntime's two-class label rule.
//! * Regressor: `Σ coef·K(x, v) + rho[0]` (`x·coef + rho[0]` without support vectors);
//!   `one_class` maps to ±1.
//!
//! Outputs: classifier `label [N]` (int64 or string) and `scores float [N, k]`; regressor
//! `float [N, 1]`.

use super::attrs::{choice, float_list, int_attr, int_list};
use super::native::Parse;
use super::post_transform::{logistic, parse_post_transform, post_transform, PostTransform};
use super::scoring::{rows_and_width, Labels, Pick, Scoring};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// The kernel function.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kernel {
    Linear,
    Poly,
    Rbf,
    Sigmoid,
}

/// Kernel evaluation shared by both operators.
#[derive(Clone, Debug, PartialEq)]
struct Kernels {
    kernel: Kernel,
    gamma: f32,
    coef0: f32,
    degree: f32,
}

impl Kernels {
    fn parse(node: &NodeProto) -> TractResult<Kernels> {
        let kernel = choice(
            node,
            "kernel_type",
            &[Kernel::Linear, Kernel::Poly, Kernel::Rbf, Kernel::Sigmoid],
        )?;
        let p = float_list(node, "kernel_params")?.unwrap_or_default();
        let (gamma, coef0, degree) = match p.as_slice() {
            [] => (0.0, 0.0, 0.0),
            [g, c, d, ..] => (*g, *c, *d),
            _ => bail!("kernel_params must hold gamma, coef0 and degree"),
        };
        Ok(Kernels {
            kernel,
            gamma,
            coef0,
            degree,
        })
    }

    /// `K(x, v)` in float, as onnxruntime's `batched_kernel_dot` (with `c` added to linear
    /// dot products).
    fn eval(&self, x: &[f32], v: &[f32], c: f32) -> f32 {
        match self.kernel {
            Kernel::Rbf => {
                let mut sum = 0f32;
                for (a, b) in x.iter().zip(v) {
                    let d = a - b;
                    sum += d * d;
                }
                (-self.gamma * sum).exp()
            }
            Kernel::Linear => dot(x, v) + c,
            Kernel::Poly => {
                let s = self.gamma * dot(x, v) + self.coef0;
                if self.degree == 2.0 {
                    s * s
                } else if self.degree == 3.0 {
                    s * s * s
                } else {
                    s.powf(self.degree)
                }
            }
            Kernel::Sigmoid => (self.gamma * dot(x, v) + self.coef0).tanh(),
        }
    }
}

fn dot(x: &[f32], v: &[f32]) -> f32 {
    x.iter().zip(v).map(|(a, b)| a * b).sum()
}

/// The input as float rows: `(rows, features, values)`.
fn float_rows(input: &Tensor, features: usize) -> TractResult<(usize, Vec<f32>)> {
    let dt = input.datum_type();
    ensure!(
        dt.is_float() || dt == DatumType::I64 || dt == DatumType::I32,
        "SVM operators take float, double, int64 or int32 inputs, not {dt:?}"
    );
    let c = input.cast_to::<f32>()?;
    let v = c.try_as_plain_ram()?.as_slice::<f32>()?.to_vec();
    let (rows, width) = rows_and_width("an SVM operator", input)?;
    ensure!(
        width == features,
        "the SVM expects {features} features, the input has {width}"
    );
    Ok((rows, v))
}

/// `SVMClassifier`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SvmClassifier {
    kernels: Kernels,
    labels: Labels,
    /// Support vectors per class (empty in linear mode).
    per_class: Vec<usize>,
    starts: Vec<usize>,
    support: Vec<f32>,
    coefficients: Vec<f32>,
    rho: Vec<f32>,
    prob_a: Vec<f32>,
    prob_b: Vec<f32>,
    post: PostTransform,
    features: usize,
    all_positive: bool,
}

impl Parse for SvmClassifier {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let mut kernels = Kernels::parse(node)?;
        let labels = Labels::parse(node)?;
        let k = labels.len();
        ensure!(k >= 2, "at least two classes are required");
        let per_class: Vec<usize> = int_list(node, "vectors_per_class")?
            .unwrap_or_default()
            .into_iter()
            .map(|v| usize::try_from(v).map_err(|_| format_err!("negative vectors_per_class")))
            .collect::<TractResult<_>>()?;
        let mut starts = Vec::with_capacity(per_class.len());
        let mut total = 0usize;
        for &n in &per_class {
            starts.push(total);
            total += n;
        }
        let support = float_list(node, "support_vectors")?.unwrap_or_default();
        let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
        ensure!(!coefficients.is_empty(), "coefficients are empty");
        let rho = float_list(node, "rho")?.unwrap_or_default();
        let prob_a = float_list(node, "prob_a")?.unwrap_or_default();
        let prob_b = float_list(node, "prob_b")?.unwrap_or_default();
        ensure!(
            prob_a.len() == prob_b.len(),
            "prob_a and prob_b must have the same size"
        );
        let pairs = k * (k - 1) / 2;
        let features = if total > 0 {
            ensure!(
                per_class.len() == k,
                "{} classes but {} vectors_per_class",
                k,
                per_class.len()
            );
            ensure!(
                support.len() % total == 0,
                "support_vectors ({}) is not a multiple of the vector count {total}",
                support.len()
            );
            ensure!(
                coefficients.len() >= (k - 1) * total,
                "coefficients has {} values, {} expected",
                coefficients.len(),
                (k - 1) * total
            );
            ensure!(rho.len() >= pairs, "rho needs {pairs} values");
            ensure!(
                prob_a.is_empty() || prob_a.len() >= pairs,
                "prob_a needs {pairs} values"
            );
            support.len() / total
        } else {
            kernels.kernel = Kernel::Linear;
            ensure!(!rho.is_empty(), "rho must have at least one value");
            ensure!(
                coefficients.len() % k == 0,
                "coefficients is not a multiple of the class count"
            );
            coefficients.len() / k
        };
        let all_positive = coefficients.iter().all(|&c| c >= 0.0);
        Ok(SvmClassifier {
            kernels,
            labels,
            per_class,
            starts,
            support,
            coefficients,
            rho,
            prob_a,
            prob_b,
            post: parse_post_transform(node)?,
            features,
            all_positive,
        })
    }
}

/// libsvm's pairwise coupling (onnxruntime's `multiclass_probability`), in float.
fn multiclass_probability(k: usize, r: &[f32], p: &mut [f32]) {
    let mut q = vec![0f32; k * k];
    let mut qp = vec![0f32; k];
    let eps = 0.005f32 / k as f32;
    for i in 0..k {
        p[i] = 1.0 / k as f32;
        for j in 0..i {
            q[i * k + i] += r[j * k + i] * r[j * k + i];
            q[i * k + j] = q[j * k + i];
        }
        for j in i + 1..k {
            q[i * k + i] += r[j * k + i] * r[j * k + i];
            q[i * k + j] = -r[j * k + i] * r[i * k + j];
        }
    }
    for _ in 0..100 {
        let mut pqp = 0f32;
        for i in 0..k {
            qp[i] = 0.0;
            for j in 0..k {
                qp[i] += q[i * k + j] * p[j];
            }
            pqp += p[i] * qp[i];
        }
        let max_error = qp
            .iter()
            .map(|v| (v - pqp).abs())
            .fold(0f32, |a, b| if b > a { b } else { a });
        if max_error < eps {
            break;
        }
        for t in 0..k {
            let diff = (-qp[t] + pqp) / q[t * k + t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t * k + t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[t * k + j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
}

/// The first index of the largest value.
fn first_max<T: PartialOrd + Copy>(v: &[T]) -> usize {
    let mut best = 0;
    for i in 1..v.len() {
        if v[i] > v[best] {
            best = i;
        }
    }
    best
}

impl SvmClassifier {
    fn svc(&self) -> bool {
        !self.per_class.is_empty()
    }

    fn score_width(&self) -> usize {
        let k = self.labels.len();
        if self.svc() && self.prob_a.is_empty() {
            if k > 2 {
                k * (k - 1) / 2
            } else {
                2
            }
        } else {
            k
        }
    }

    /// `(label index, scores)` of one row.
    fn row(&self, x: &[f32]) -> (usize, Vec<f32>) {
        let k = self.labels.len();
        let f = self.features;
        if !self.svc() {
            let mut scores: Vec<f32> = (0..k)
                .map(|c| {
                    self.kernels
                        .eval(x, &self.coefficients[c * f..(c + 1) * f], self.rho[0])
                })
                .collect();
            let best = first_max(&scores);
            let max = scores[best];
            let class = if k == 2 && self.prob_a.is_empty() {
                if (self.all_positive && max >= 0.5) || (max > 0.0 && !self.all_positive) {
                    1
                } else {
                    best
                }
            } else {
                best
            };
            post_transform(self.post, &mut scores);
            return (class, scores);
        }
        let total: usize = self.per_class.iter().sum();
        let kernels: Vec<f32> = (0..total)
            .map(|j| self.kernels.eval(x, &self.support[j * f..(j + 1) * f], 0.0))
            .collect();
        let mut votes = vec![0i64; k];
        let mut pairwise = Vec::with_capacity(k * (k - 1) / 2);
        let mut idx = 0;
        for i in 0..k - 1 {
            let (si, ni) = (self.starts[i], self.per_class[i]);
            for j in i + 1..k {
                let (sj, nj) = (self.starts[j], self.per_class[j]);
                let mut sum = 0f64;
                let row_j = total * (j - 1);
                for m in 0..ni {
                    sum += (self.coefficients[row_j + si + m] * kernels[si + m]) as f64;
                }
                let row_i = total * i;
                for m in 0..nj {
                    sum += (self.coefficients[row_i + sj + m] * kernels[sj + m]) as f64;
                }
                sum += self.rho[idx] as f64;
                idx += 1;
                let s = sum as f32;
                pairwise.push(s);
                votes[if sum > 0.0 { i } else { j }] += 1;
            }
        }
        let class = first_max(&votes);
        let scores = if !self.prob_a.is_empty() {
            let mut r = vec![0f32; k * k];
            let mut index = 0;
            for i in 0..k - 1 {
                for j in i + 1..k {
                    let v =
                        1.0 - logistic(pairwise[index] * self.prob_a[index] + self.prob_b[index]);
                    let v = v.clamp(1.0e-7, 1.0 - 1.0e-7);
                    r[i * k + j] = v;
                    r[j * k + i] = 1.0 - v;
                    index += 1;
                }
            }
            let mut p = vec![0f32; k];
            multiclass_probability(k, &r, &mut p);
            post_transform(self.post, &mut p);
            p
        } else if k > 2 {
            let mut s = pairwise;
            post_transform(self.post, &mut s);
            s
        } else {
            let d = pairwise[0];
            match self.post {
                PostTransform::Probit => {
                    let mut s = [d];
                    post_transform(self.post, &mut s);
                    vec![s[0], 0.0]
                }
                PostTransform::None => vec![-d, d],
                _ => vec![1.0 - d, d],
            }
        };
        (class, scores)
    }
}

/// `SVMRegressor`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SvmRegressor {
    kernels: Kernels,
    n_supports: usize,
    support: Vec<f32>,
    coefficients: Vec<f32>,
    rho: f32,
    one_class: bool,
    features: usize,
}

impl Parse for SvmRegressor {
    fn parse(_ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let mut kernels = Kernels::parse(node)?;
        let n_supports = usize::try_from(int_attr(node, "n_supports").unwrap_or(0))
            .map_err(|_| format_err!("negative n_supports"))?;
        let support = float_list(node, "support_vectors")?.unwrap_or_default();
        let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
        ensure!(!coefficients.is_empty(), "coefficients are empty");
        let rho = *float_list(node, "rho")?
            .unwrap_or_default()
            .first()
            .ok_or_else(|| format_err!("rho is required"))?;
        let features = if n_supports > 0 {
            ensure!(
                support.len() % n_supports == 0 && coefficients.len() >= n_supports,
                "support_vectors ({}) and coefficients ({}) do not match n_supports {n_supports}",
                support.len(),
                coefficients.len()
            );
            support.len() / n_supports
        } else {
            kernels.kernel = Kernel::Linear;
            coefficients.len()
        };
        Ok(SvmRegressor {
            kernels,
            n_supports,
            support,
            coefficients,
            rho,
            one_class: int_attr(node, "one_class").unwrap_or(0) != 0,
            features,
        })
    }
}

impl Scoring for SvmClassifier {
    const NAME: &'static str = "SVMClassifier";

    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }

    fn width(&self) -> usize {
        self.score_width()
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        let (rows, x) = float_rows(input, self.features)?;
        let width = self.score_width();
        let mut classes = Vec::with_capacity(rows);
        let mut scores = Vec::with_capacity(rows * width);
        for r in 0..rows {
            let (c, s) = self.row(&x[r * self.features..(r + 1) * self.features]);
            classes.push(c);
            scores.extend(s);
        }
        let picks: Vec<Pick> = classes.into_iter().map(Pick::Class).collect();
        let labels = self.labels.tensor(&picks)?;
        Ok((Some(labels), Tensor::from_shape(&[rows, width], &scores)?))
    }
}

impl Scoring for SvmRegressor {
    const NAME: &'static str = "SVMRegressor";

    fn width(&self) -> usize {
        1
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        let f = self.features;
        let (rows, x) = float_rows(input, f)?;
        let mut out = Vec::with_capacity(rows);
        for r in 0..rows {
            let row = &x[r * f..(r + 1) * f];
            let mut y = if self.n_supports > 0 {
                let mut s = 0f32;
                for j in 0..self.n_supports {
                    s += self
                        .kernels
                        .eval(row, &self.support[j * f..(j + 1) * f], 0.0)
                        * self.coefficients[j];
                }
                s + self.rho
            } else {
                self.kernels.eval(row, &self.coefficients, self.rho)
            };
            if self.one_class {
                y = if y > 0.0 { 1.0 } else { -1.0 };
            }
            out.push(y);
        }
        Ok((None, Tensor::from_shape(&[rows, 1], &out)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_coupling_of_two_classes_is_the_pair_probability() {
        let r = [0.0, 0.8, 0.2, 0.0];
        let mut p = [0.0f32; 2];
        multiclass_probability(2, &r, &mut p);
        assert!((p[0] - 0.8).abs() < 0.01, "{p:?}");
        assert!((p[0] + p[1] - 1.0).abs() < 1e-5, "{p:?}");
    }

    #[test]
    fn kernels_follow_their_formulas() {
        let k = |kernel| Kernels {
            kernel,
            gamma: 0.5,
            coef0: 1.0,
            degree: 2.0,
        };
        let (x, v) = ([1.0f32, 2.0], [3.0f32, -1.0]);
        assert_eq!(k(Kernel::Linear).eval(&x, &v, 0.0), 1.0);
        assert_eq!(k(Kernel::Poly).eval(&x, &v, 0.0), 2.25);
        assert!((k(Kernel::Rbf).eval(&x, &v, 0.0) - (-0.5f32 * 13.0).exp()).abs() < 1e-7);
        assert!((k(Kernel::Sigmoid).eval(&x, &v, 0.0) - 1.5f32.tanh()).abs() < 1e-7);
    }
}

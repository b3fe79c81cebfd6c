//! Kernel SVMs as sklearn's libsvm predicts: `SVR` (`sum(coef * K(sv, x)) + intercept`) and
//! `SVC` (one-vs-one votes over the class pairs; `probability=True` through Platt's sigmoid per
//! pair and libsvm's `multiclass_probability` coupling). Kernels: linear, poly, rbf, sigmoid.

use crate::error::SklearnError;
use crate::estimator::{proba_output, Classes, Estimator, Fitted, Method, Methods, Output};
use crate::frame::Matrix;
use signet_skops::Node;

#[derive(Debug, Clone, Copy)]
enum Kernel {
    Linear,
    Poly { gamma: f64, coef0: f64, degree: i32 },
    Rbf { gamma: f64 },
    Sigmoid { gamma: f64, coef0: f64 },
}

impl Kernel {
    fn eval(self, a: &[f64], b: &[f64]) -> f64 {
        let dot = || a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        match self {
            Kernel::Linear => dot(),
            Kernel::Poly {
                gamma,
                coef0,
                degree,
            } => (gamma * dot() + coef0).powi(degree),
            Kernel::Rbf { gamma } => {
                let d: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
                (-gamma * d).exp()
            }
            Kernel::Sigmoid { gamma, coef0 } => (gamma * dot() + coef0).tanh(),
        }
    }
}

/// A fitted `SVC` or `SVR`.
#[derive(Debug)]
pub struct Svm {
    fitted: Fitted,
    kernel: Kernel,
    sv: Matrix,
    /// `_dual_coef_`: `(n_class - 1, n_SV)` (one row for SVR).
    coef: Matrix,
    intercept: Vec<f64>,
    /// Support vectors per class, and where each class starts.
    n_support: Vec<usize>,
    start: Vec<usize>,
    classes: Option<Classes>,
    /// Platt's `(A, B)` per class pair, when `probability=True`.
    platt: Option<(Vec<f64>, Vec<f64>)>,
}

impl Svm {
    /// Reads a fitted model.
    pub fn load(node: &Node) -> Result<Svm, SklearnError> {
        if node.get("_sparse").map(Node::bool).transpose()? == Some(true) {
            return Err(node
                .error("SVMs fitted on sparse input are not implemented by signet")
                .into());
        }
        let gamma = node.attr("_gamma")?.f64()?;
        let coef0 = node.attr("coef0")?.f64()?;
        let kernel = match node.attr("kernel")?.str()? {
            "linear" => Kernel::Linear,
            "poly" => Kernel::Poly {
                gamma,
                coef0,
                degree: node.attr("degree")?.i64()? as i32,
            },
            "rbf" => Kernel::Rbf { gamma },
            "sigmoid" => Kernel::Sigmoid { gamma, coef0 },
            other => {
                return Err(node
                    .error(format!("kernel '{other}' is not implemented by signet"))
                    .into())
            }
        };
        let matrix = |name: &str| -> Result<Matrix, SklearnError> {
            let n = node.attr(name)?;
            let (data, shape) = n.f64_array()?;
            match shape.as_slice() {
                [r, c] => Ok(Matrix::new(*r, *c, data)),
                s => Err(n.error(format!("{name} has shape {s:?}")).into()),
            }
        };
        let sv = matrix("support_vectors_")?;
        let coef = matrix("_dual_coef_")?;
        let intercept = node.attr("_intercept_")?.f64_array()?.0;
        if coef.cols != sv.rows {
            return Err(node
                .error("_dual_coef_ and support_vectors_ disagree")
                .into());
        }
        let n_support: Vec<usize> = node
            .attr("_n_support")?
            .i64_array()?
            .into_iter()
            .map(|v| v.max(0) as usize)
            .collect();
        let mut start = Vec::with_capacity(n_support.len());
        let mut acc = 0;
        for n in &n_support {
            start.push(acc);
            acc += n;
        }
        let (classes, platt) = if node.class == "SVC" {
            let classes = Classes::from_node(node.attr("classes_")?)?;
            let k = classes.len();
            let pairs = k * (k - 1) / 2;
            if n_support.len() != k
                || acc != sv.rows
                || coef.rows + 1 != k
                || intercept.len() != pairs
            {
                return Err(node
                    .error("the support vectors do not match the classes")
                    .into());
            }
            let prob = node
                .opt("_effective_probability")
                .or(node.opt("probability"))
                .map(Node::bool)
                .transpose()?
                .unwrap_or(false);
            let platt = if prob {
                let a = node.attr("_probA")?.f64_array()?.0;
                let b = node.attr("_probB")?.f64_array()?.0;
                if a.len() != pairs || b.len() != pairs {
                    return Err(node
                        .error("_probA/_probB do not match the class pairs")
                        .into());
                }
                Some((a, b))
            } else {
                None
            };
            (Some(classes), platt)
        } else {
            if coef.rows != 1 || intercept.len() != 1 {
                return Err(node
                    .error("SVR has more than one dual coefficient row")
                    .into());
            }
            (None, None)
        };
        let methods = Methods::with_proba(platt.is_some());
        Ok(Svm {
            fitted: Fitted::new(node, Some(sv.cols), methods)?,
            kernel,
            sv,
            coef,
            intercept,
            n_support,
            start,
            classes,
            platt,
        })
    }

    /// libsvm's `svm_predict_values` for one row: the pairwise decision values.
    fn decisions(&self, row: &[f64]) -> Vec<f64> {
        let kv: Vec<f64> = (0..self.sv.rows)
            .map(|i| self.kernel.eval(self.sv.row(i), row))
            .collect();
        if self.classes.is_none() {
            return vec![
                self.coef
                    .row(0)
                    .iter()
                    .zip(&kv)
                    .map(|(c, k)| c * k)
                    .sum::<f64>()
                    + self.intercept[0],
            ];
        }
        let k = self.n_support.len();
        let mut dec = Vec::with_capacity(self.intercept.len());
        let mut p = 0;
        for i in 0..k {
            for j in i + 1..k {
                let (si, sj) = (self.start[i], self.start[j]);
                let coef1 = self.coef.row(j - 1);
                let coef2 = self.coef.row(i);
                let mut sum = 0.0;
                for m in 0..self.n_support[i] {
                    sum += coef1[si + m] * kv[si + m];
                }
                for m in 0..self.n_support[j] {
                    sum += coef2[sj + m] * kv[sj + m];
                }
                dec.push(sum + self.intercept[p]);
                p += 1;
            }
        }
        dec
    }

    fn vote(&self, dec: &[f64]) -> usize {
        let k = self.n_support.len();
        let mut votes = vec![0usize; k];
        let mut p = 0;
        for i in 0..k {
            for j in i + 1..k {
                votes[if dec[p] > 0.0 { i } else { j }] += 1;
                p += 1;
            }
        }
        let mut best = 0;
        for (i, &v) in votes.iter().enumerate() {
            if v > votes[best] {
                best = i;
            }
        }
        best
    }

    // libsvm's pairwise loops, kept as written there.
    #[allow(clippy::needless_range_loop)]
    fn probabilities(&self, dec: &[f64], a: &[f64], b: &[f64]) -> Vec<f64> {
        let k = self.n_support.len();
        let min_prob = 1e-7;
        let mut r = vec![vec![0.0; k]; k];
        let mut p = 0;
        for i in 0..k {
            for j in i + 1..k {
                let f = dec[p] * a[p] + b[p];
                let s = if f >= 0.0 {
                    (-f).exp() / (1.0 + (-f).exp())
                } else {
                    1.0 / (1.0 + f.exp())
                };
                r[i][j] = s.clamp(min_prob, 1.0 - min_prob);
                r[j][i] = 1.0 - r[i][j];
                p += 1;
            }
        }
        // sklearn's libsvm couples the pairs even for two classes (no two-class shortcut).
        multiclass_probability(k, &r)
    }
}

/// libsvm's `multiclass_probability` (Wu, Lin and Weng's second method).
#[allow(clippy::needless_range_loop)] // a line-by-line port of libsvm's loops
fn multiclass_probability(k: usize, r: &[Vec<f64>]) -> Vec<f64> {
    let max_iter = 100.max(k);
    let eps = 0.005 / k as f64;
    let mut q = vec![vec![0.0; k]; k];
    let mut p = vec![1.0 / k as f64; k];
    let mut qp = vec![0.0; k];
    for t in 0..k {
        for j in 0..t {
            q[t][t] += r[j][t] * r[j][t];
            q[t][j] = q[j][t];
        }
        for j in t + 1..k {
            q[t][t] += r[j][t] * r[j][t];
            q[t][j] = -r[j][t] * r[t][j];
        }
    }
    for _ in 0..max_iter {
        let mut pqp = 0.0;
        for t in 0..k {
            qp[t] = (0..k).map(|j| q[t][j] * p[j]).sum();
            pqp += p[t] * qp[t];
        }
        let max_error = (0..k).map(|t| (qp[t] - pqp).abs()).fold(0.0, f64::max);
        if max_error < eps {
            break;
        }
        for t in 0..k {
            let diff = (-qp[t] + pqp) / q[t][t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t][t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[t][j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
    p
}

impl Estimator for Svm {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let Some(classes) = &self.classes else {
            return Ok(Output::column(
                (0..x.rows).map(|i| self.decisions(x.row(i))[0]).collect(),
            ));
        };
        if method == Method::Predict {
            let index = (0..x.rows)
                .map(|i| self.vote(&self.decisions(x.row(i))))
                .collect();
            return Ok(Output::Labels {
                index,
                classes: classes.clone(),
            });
        }
        let (a, b) = self
            .platt
            .as_ref()
            .ok_or_else(|| SklearnError::new("no probability model"))?;
        let k = classes.len();
        let mut data = Vec::with_capacity(x.rows * k);
        for i in 0..x.rows {
            data.extend(self.probabilities(&self.decisions(x.row(i)), a, b));
        }
        Ok(proba_output(Matrix::new(x.rows, k, data), method))
    }
}

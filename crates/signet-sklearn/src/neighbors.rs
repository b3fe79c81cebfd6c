//! Instance- and density-based models: `KNeighborsClassifier`/`Regressor` (brute-force search
//! over `_fit_X`, uniform or distance weights; euclidean, manhattan, chebyshev, minkowski) and
//! `GaussianNB` (joint log-likelihood as sklearn 1.9 computes it).

use crate::error::SklearnError;
use crate::estimator::{
    argmax_rows, proba_output, row_output, Classes, Estimator, Fitted, Method, Methods, Output,
};
use crate::frame::Matrix;
use signet_skops::{Json, Node};

/// A distance between two rows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Metric {
    Minkowski(f64),
    Chebyshev,
}

impl Metric {
    fn distance(self, a: &[f64], b: &[f64]) -> f64 {
        match self {
            Metric::Chebyshev => a
                .iter()
                .zip(b)
                .fold(0.0f64, |m, (x, y)| m.max((x - y).abs())),
            Metric::Minkowski(2.0) => a
                .iter()
                .zip(b)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt(),
            Metric::Minkowski(1.0) => a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum(),
            Metric::Minkowski(p) => a
                .iter()
                .zip(b)
                .map(|(x, y)| (x - y).abs().powf(p))
                .sum::<f64>()
                .powf(1.0 / p),
        }
    }
}

/// `KNeighborsClassifier` / `KNeighborsRegressor`.
#[derive(Debug)]
pub struct KNeighbors {
    fitted: Fitted,
    fit_x: Matrix,
    /// Regressor targets, or classifier label indices.
    y: Vec<f64>,
    k: usize,
    distance_weights: bool,
    metric: Metric,
    classes: Option<Classes>,
}

impl KNeighbors {
    /// Reads a fitted model.
    pub fn load(node: &Node) -> Result<KNeighbors, SklearnError> {
        let fx = node.attr("_fit_X")?;
        let (data, shape) = fx.f64_array()?;
        let [rows, cols] = shape.as_slice() else {
            return Err(fx.error(format!("_fit_X has shape {shape:?}")).into());
        };
        let fit_x = Matrix::new(*rows, *cols, data);
        let yn = node.attr("_y")?;
        let (y, yshape) = yn.f64_array()?;
        if yshape != [fit_x.rows] {
            return Err(yn
                .error("multi-output or mismatched _y is not implemented by signet")
                .into());
        }
        let k = node.attr("n_neighbors")?.i64()?;
        if k < 1 || k as usize > fit_x.rows {
            return Err(node
                .error(format!("n_neighbors={k} for {} samples", fit_x.rows))
                .into());
        }
        let weights = node.attr("weights")?;
        let distance_weights = match weights.json() {
            Some(Json::Str(s)) if s == "uniform" => false,
            Some(Json::Str(s)) if s == "distance" => true,
            Some(Json::Null) => false,
            _ => {
                return Err(weights
                    .error("signet implements weights 'uniform' and 'distance' only")
                    .into())
            }
        };
        let metric_name = node.attr("effective_metric_")?.str()?.to_string();
        let p = node
            .opt("effective_metric_params_")
            .and_then(|m| m.get("p"))
            .map(Node::f64)
            .transpose()?
            .or(node.opt("p").map(Node::f64).transpose()?)
            .unwrap_or(2.0);
        let metric = match metric_name.as_str() {
            "euclidean" | "l2" => Metric::Minkowski(2.0),
            "manhattan" | "cityblock" | "l1" => Metric::Minkowski(1.0),
            "chebyshev" | "infinity" => Metric::Chebyshev,
            "minkowski" if p >= 1.0 => Metric::Minkowski(p),
            other => {
                return Err(node
                    .error(format!("metric '{other}' is not implemented by signet"))
                    .into())
            }
        };
        let classes = Classes::of_classifier(node)?;
        if let Some(c) = &classes {
            if y.iter().any(|&v| v < 0.0 || v as usize >= c.len()) {
                return Err(yn.error("_y holds a label outside classes_").into());
            }
        }
        Ok(KNeighbors {
            fitted: Fitted::predictor(node, fit_x.cols, &classes)?,
            fit_x,
            y,
            k: k as usize,
            distance_weights,
            metric,
            classes,
        })
    }

    /// The k nearest training rows (index, weight), nearest first.
    fn neighbors(&self, row: &[f64]) -> Vec<(usize, f64)> {
        let mut d: Vec<(usize, f64)> = (0..self.fit_x.rows)
            .map(|j| (j, self.metric.distance(row, self.fit_x.row(j))))
            .collect();
        d.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        d.truncate(self.k);
        if !self.distance_weights {
            return d.into_iter().map(|(j, _)| (j, 1.0)).collect();
        }
        if d.iter().any(|(_, x)| *x == 0.0) {
            d.into_iter()
                .map(|(j, x)| (j, if x == 0.0 { 1.0 } else { 0.0 }))
                .collect()
        } else {
            d.into_iter().map(|(j, x)| (j, 1.0 / x)).collect()
        }
    }
}

impl Estimator for KNeighbors {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        Ok(row_output(
            &x,
            self.classes.as_ref(),
            method,
            |row| {
                let n = self.neighbors(row);
                let wsum: f64 = n.iter().map(|(_, w)| w).sum();
                n.iter().map(|(j, w)| self.y[*j] * w).sum::<f64>() / wsum
            },
            |row, out| {
                for (j, w) in self.neighbors(row) {
                    out[self.y[j] as usize] += w;
                }
                let sum: f64 = out.iter().sum();
                out.iter_mut().for_each(|v| *v /= sum);
            },
        ))
    }
}

/// `GaussianNB`.
#[derive(Debug)]
pub struct GaussianNB {
    fitted: Fitted,
    theta: Matrix,
    var: Matrix,
    log_prior: Vec<f64>,
    classes: Classes,
}

impl GaussianNB {
    /// Reads a fitted model.
    pub fn load(node: &Node) -> Result<GaussianNB, SklearnError> {
        let classes = Classes::from_node(node.attr("classes_")?)?;
        let c = classes.len();
        let read = |name: &str| -> Result<Matrix, SklearnError> {
            let n = node.attr(name)?;
            let (data, shape) = n.f64_array()?;
            match shape.as_slice() {
                [r, k] if *r == c => Ok(Matrix::new(*r, *k, data)),
                s => Err(n
                    .error(format!("{name} has shape {s:?} for {c} classes"))
                    .into()),
            }
        };
        let theta = read("theta_")?;
        let var = read("var_")?;
        if var.cols != theta.cols {
            return Err(node.error("theta_ and var_ differ in shape").into());
        }
        let prior = node.attr("class_prior_")?.f64_shaped(&[c])?;
        Ok(GaussianNB {
            fitted: Fitted::new(node, Some(theta.cols), Methods::PredictProba)?,
            theta,
            var,
            log_prior: prior.iter().map(|p| p.ln()).collect(),
            classes,
        })
    }

    fn jll(&self, x: &Matrix) -> Matrix {
        let c = self.log_prior.len();
        let mut data = Vec::with_capacity(x.rows * c);
        let norms: Vec<f64> = (0..c)
            .map(|i| {
                -0.5 * self
                    .var
                    .row(i)
                    .iter()
                    .map(|v| (2.0 * std::f64::consts::PI * v).ln())
                    .sum::<f64>()
            })
            .collect();
        for r in 0..x.rows {
            let row = x.row(r);
            for (i, norm) in norms.iter().enumerate() {
                let sq: f64 = row
                    .iter()
                    .zip(self.theta.row(i))
                    .zip(self.var.row(i))
                    .map(|((x, t), v)| (x - t) * (x - t) / v)
                    .sum();
                data.push(self.log_prior[i] + (norm - 0.5 * sq));
            }
        }
        Matrix::new(x.rows, c, data)
    }
}

impl Estimator for GaussianNB {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let mut jll = self.jll(&x);
        if method == Method::Predict {
            return Ok(Output::Labels {
                index: argmax_rows(&jll),
                classes: self.classes.clone(),
            });
        }
        for i in 0..jll.rows {
            let row = &mut jll.data[i * jll.cols..(i + 1) * jll.cols];
            let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let lse = max + row.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
            row.iter_mut().for_each(|v| *v -= lse);
        }
        if method == Method::PredictLogProba {
            return Ok(Output::matrix(jll));
        }
        jll.data.iter_mut().for_each(|v| *v = v.exp());
        Ok(proba_output(jll, Method::PredictProba))
    }
}

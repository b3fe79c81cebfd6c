//! Linear models: `LinearRegression`, `Ridge`, `Lasso`, `ElasticNet`, `SGDRegressor`,
//! `LinearSVR` (`X @ coef_.T + intercept_`) and the linear classifiers `LogisticRegression`
//! (binary: logistic of one score; multinomial: softmax), `SGDClassifier` (log loss: normalised
//! one-vs-rest logistic) and `LinearSVC`, predicting as sklearn 1.9 does.

use crate::error::SklearnError;
use crate::estimator::{
    argmax_rows, feature_names, n_features, prepare, proba_output, softmax, Classes, Estimator,
    Method, Output,
};
use crate::frame::{Frame, Matrix};
use signet_skops::Node;

/// `coef_` as a `(targets, features)` matrix, and whether it was 1-D.
fn read_coef(node: &Node) -> Result<(Matrix, bool), SklearnError> {
    let c = node.attr("coef_")?;
    let (data, shape) = c.f64_array()?;
    match shape.as_slice() {
        [n] => Ok((
            Matrix {
                rows: 1,
                cols: *n,
                data,
            },
            true,
        )),
        [t, n] => Ok((
            Matrix {
                rows: *t,
                cols: *n,
                data,
            },
            false,
        )),
        s => Err(c.error(format!("coef_ has shape {s:?}")).into()),
    }
}

fn read_intercept(node: &Node, targets: usize) -> Result<Vec<f64>, SklearnError> {
    let i = node.attr("intercept_")?;
    let v = match i.f64() {
        Ok(x) => vec![x],
        Err(_) => i.f64_array()?.0,
    };
    match v.len() {
        1 => Ok(vec![v[0]; targets]),
        n if n == targets => Ok(v),
        n => Err(i
            .error(format!("{n} intercepts for {targets} targets"))
            .into()),
    }
}

/// `X @ coef.T + intercept`.
fn scores(x: &Matrix, coef: &Matrix, intercept: &[f64]) -> Matrix {
    let mut data = Vec::with_capacity(x.rows * coef.rows);
    for i in 0..x.rows {
        let row = x.row(i);
        for (t, b) in intercept.iter().enumerate() {
            let w = coef.row(t);
            let dot: f64 = row.iter().zip(w).map(|(a, b)| a * b).sum();
            data.push(dot + b);
        }
    }
    Matrix {
        rows: x.rows,
        cols: coef.rows,
        data,
    }
}

/// `LinearRegression`, `Ridge`, `Lasso`, `ElasticNet`, `SGDRegressor`, `LinearSVR`.
#[derive(Debug)]
pub struct LinearModel {
    class: String,
    names: Option<Vec<String>>,
    coef: Matrix,
    flat: bool,
    intercept: Vec<f64>,
}

impl LinearModel {
    /// Reads a fitted linear regressor.
    pub fn load(node: &Node) -> Result<LinearModel, SklearnError> {
        let (coef, flat) = read_coef(node)?;
        Ok(LinearModel {
            class: node.class.clone(),
            names: feature_names(node)?,
            intercept: read_intercept(node, coef.rows)?,
            coef,
            flat,
        })
    }
}

impl Estimator for LinearModel {
    fn class(&self) -> &str {
        &self.class
    }
    fn supports(&self, method: Method) -> bool {
        method == Method::Predict
    }
    fn predict_supported(&self, x: Frame, _method: Method) -> Result<Output, SklearnError> {
        let x = prepare(x, &self.names, Some(self.coef.cols), &self.class)?
            .to_finite_matrix(&self.class)?;
        let s = scores(&x, &self.coef, &self.intercept);
        Ok(if self.flat {
            Output::column(s.data)
        } else {
            Output::matrix(s)
        })
    }
}

/// How a linear classifier turns scores into probabilities.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Proba {
    /// `LogisticRegression`: logistic (binary) or softmax (multinomial).
    Logistic,
    /// `SGDClassifier(loss="log_loss")`: one-vs-rest logistic, normalised.
    OneVsRest,
    /// No `predict_proba` (`LinearSVC`, `SGDClassifier` with other losses).
    None,
}

/// `LogisticRegression`, `SGDClassifier`, `LinearSVC`: scores `X @ coef_.T + intercept_`.
#[derive(Debug)]
pub struct LogisticRegression {
    class: String,
    proba: Proba,
    names: Option<Vec<String>>,
    coef: Matrix,
    intercept: Vec<f64>,
    classes: Classes,
}

impl LogisticRegression {
    /// Reads a fitted classifier.
    pub fn load(node: &Node) -> Result<LogisticRegression, SklearnError> {
        let (coef, _) = read_coef(node)?;
        let classes = Classes::from_node(node.attr("classes_")?)?;
        let expected = if classes.len() <= 2 { 1 } else { classes.len() };
        if coef.rows != expected {
            return Err(node
                .error(format!(
                    "coef_ has {} rows for {} classes",
                    coef.rows,
                    classes.len()
                ))
                .into());
        }
        let _ = n_features(node)?;
        let proba = match node.class.as_str() {
            "LogisticRegression" => Proba::Logistic,
            "SGDClassifier" if node.attr("loss")?.str()? == "log_loss" => Proba::OneVsRest,
            _ => Proba::None,
        };
        Ok(LogisticRegression {
            class: node.class.clone(),
            proba,
            names: feature_names(node)?,
            intercept: read_intercept(node, coef.rows)?,
            coef,
            classes,
        })
    }
}

impl Estimator for LogisticRegression {
    fn class(&self) -> &str {
        &self.class
    }
    fn supports(&self, method: Method) -> bool {
        method == Method::Predict || self.proba != Proba::None
    }
    fn predict_supported(&self, x: Frame, method: Method) -> Result<Output, SklearnError> {
        let x = prepare(x, &self.names, Some(self.coef.cols), &self.class)?
            .to_finite_matrix(&self.class)?;
        let s = scores(&x, &self.coef, &self.intercept);
        let binary = s.cols == 1;
        match method {
            Method::Predict => {
                let index = if binary {
                    s.data.iter().map(|&v| usize::from(v > 0.0)).collect()
                } else {
                    argmax_rows(&s)
                };
                Ok(Output::Labels {
                    index,
                    classes: self.classes.clone(),
                })
            }
            _ => {
                let p = if binary {
                    let mut data = Vec::with_capacity(s.rows * 2);
                    for &v in &s.data {
                        let e = expit(v);
                        data.extend([1.0 - e, e]);
                    }
                    Matrix {
                        rows: s.rows,
                        cols: 2,
                        data,
                    }
                } else if self.proba == Proba::OneVsRest {
                    let mut m = s;
                    for i in 0..m.rows {
                        let row = &mut m.data[i * m.cols..(i + 1) * m.cols];
                        row.iter_mut().for_each(|v| *v = expit(*v));
                        let sum: f64 = row.iter().sum();
                        row.iter_mut().for_each(|v| *v /= sum);
                    }
                    m
                } else {
                    let mut m = s;
                    softmax(&mut m);
                    m
                };
                Ok(proba_output(p, method))
            }
        }
    }
}

/// The logistic function (`scipy.special.expit`).
pub fn expit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

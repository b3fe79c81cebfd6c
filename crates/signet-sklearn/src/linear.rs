//! Linear models: `LinearRegression`, `Ridge`, `Lasso`, `ElasticNet`, `SGDRegressor`,
//! `LinearSVR` (`X @ coef_.T + intercept_`) and the linear classifiers `LogisticRegression`
//! (binary: logistic of one score; multinomial: softmax), `SGDClassifier` (log loss: normalised
//! one-vs-rest logistic) and `LinearSVC`, predicting as sklearn 1.9 does.

use crate::error::SklearnError;
use crate::estimator::{
    argmax_rows, binary_proba, expit, n_features, proba_output, softmax, Classes, Estimator,
    Fitted, Method, Methods, Output,
};
use crate::frame::Matrix;
use signet_skops::Node;

/// `coef_` as a `(targets, features)` matrix, and whether it was 1-D.
fn read_coef(node: &Node) -> Result<(Matrix, bool), SklearnError> {
    let c = node.attr("coef_")?;
    let (data, shape) = c.f64_array()?;
    match shape.as_slice() {
        [n] => Ok((Matrix::new(1, *n, data), true)),
        [t, n] => Ok((Matrix::new(*t, *n, data), false)),
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

/// `coef_` and `intercept_`: scores `X @ coef_.T + intercept_`.
#[derive(Debug)]
struct Affine {
    coef: Matrix,
    intercept: Vec<f64>,
}

impl Affine {
    /// Reads `coef_` and `intercept_`; also says whether `coef_` is 1-D.
    fn read(node: &Node) -> Result<(Affine, bool), SklearnError> {
        let (coef, flat) = read_coef(node)?;
        let intercept = read_intercept(node, coef.rows)?;
        Ok((Affine { coef, intercept }, flat))
    }

    /// The estimator `node` with these coefficients (one per feature).
    fn fitted(&self, node: &Node, methods: Methods) -> Result<Fitted, SklearnError> {
        Fitted::new(node, Some(self.coef.cols), methods)
    }

    /// `X @ coef.T + intercept`.
    fn scores(&self, x: &Matrix) -> Matrix {
        let mut data = Vec::with_capacity(x.rows * self.coef.rows);
        for i in 0..x.rows {
            let row = x.row(i);
            for (t, b) in self.intercept.iter().enumerate() {
                let w = self.coef.row(t);
                let dot: f64 = row.iter().zip(w).map(|(a, b)| a * b).sum();
                data.push(dot + b);
            }
        }
        Matrix::new(x.rows, self.coef.rows, data)
    }
}

/// `LinearRegression`, `Ridge`, `Lasso`, `ElasticNet`, `SGDRegressor`, `LinearSVR`.
#[derive(Debug)]
pub struct LinearModel {
    fitted: Fitted,
    affine: Affine,
    flat: bool,
}

impl LinearModel {
    /// Reads a fitted linear regressor.
    pub fn load(node: &Node) -> Result<LinearModel, SklearnError> {
        let (affine, flat) = Affine::read(node)?;
        Ok(LinearModel {
            fitted: affine.fitted(node, Methods::Predict)?,
            affine,
            flat,
        })
    }
}

impl Estimator for LinearModel {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, _method: Method) -> Result<Output, SklearnError> {
        let s = self.affine.scores(&x);
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
    fitted: Fitted,
    proba: Proba,
    affine: Affine,
    classes: Classes,
}

impl LogisticRegression {
    /// Reads a fitted classifier.
    pub fn load(node: &Node) -> Result<LogisticRegression, SklearnError> {
        let (affine, _) = Affine::read(node)?;
        let coef = &affine.coef;
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
            fitted: affine.fitted(node, Methods::with_proba(proba != Proba::None))?,
            proba,
            affine,
            classes,
        })
    }
}

impl Estimator for LogisticRegression {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let s = self.affine.scores(&x);
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
                    binary_proba(&s)
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

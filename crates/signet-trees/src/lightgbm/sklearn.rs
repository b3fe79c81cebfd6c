//! LightGBM's scikit-learn wrappers (`LGBMClassifier`, `LGBMRegressor`) as MLflow saves them
//! by default: a skops file, read as data with `signet_skops` (never unpickled). The wrapper's
//! Booster is its text model, stored as a string at `_Booster._handle`; the classifier's labels
//! are its label encoder's `_le.classes_`.
//!
//! Prediction is `LGBMModel.predict`'s: `Booster.predict(X)` with `num_iteration=None`, so the
//! Booster's `best_iteration` (from early stopping; 0 means all); a classifier turns the
//! probabilities into `[1 - p, p]` columns when binary, takes numpy's `argmax` of each row and
//! returns `_le.inverse_transform` of it (the `classes_` values, in their dtype).

use super::Booster;
use crate::error::TreeError;
use signet_sklearn::estimator::classifier_output;
use signet_sklearn::{Classes, Matrix, Method, Output};
use signet_skops::{Json, Node, SkopsError, SkopsFile};
use std::path::Path;

/// The scikit-learn classes signet reads.
pub const CLASSIFIER: &str = "lightgbm.sklearn.LGBMClassifier";
/// See [`CLASSIFIER`].
pub const REGRESSOR: &str = "lightgbm.sklearn.LGBMRegressor";

/// What the wrapper's `predict` returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Wrapper {
    /// `LGBMRegressor`: the Booster's values.
    Regressor,
    /// `LGBMClassifier`: labels from these classes.
    Classifier(Classes),
}

/// A LightGBM scikit-learn model read from skops.
#[derive(Clone, Debug)]
pub struct SklearnModel {
    /// The Booster rebuilt from its text model.
    pub booster: Booster,
    /// Regressor or classifier.
    pub wrapper: Wrapper,
    /// The Booster's `best_iteration` (0: all iterations).
    pub best_iteration: i64,
}

fn skops_error(e: SkopsError, file: &str) -> TreeError {
    let e = e.in_file(file);
    TreeError::at(&e.file, e.location, e.message)
}

fn node<'a>(root: &'a Node, path: &str, file: &str) -> Result<&'a Node, TreeError> {
    root.lookup(path).ok_or_else(|| {
        TreeError::at(
            file,
            path.replace('/', "."),
            "missing from the LightGBM scikit-learn model",
        )
    })
}

impl SklearnModel {
    /// Reads the skops file at `path`, auditing its types against skops' defaults and
    /// `trusted` (the flavor's `skops_trusted_types`).
    pub fn load(path: &Path, trusted: &[String]) -> Result<Self, TreeError> {
        let file = path.display().to_string();
        let skops = SkopsFile::open(path, trusted).map_err(|e| skops_error(e, &file))?;
        Self::from_skops(&skops, &file)
    }

    /// Builds the model from a read skops file; `file` names it in errors.
    pub fn from_skops(skops: &SkopsFile, file: &str) -> Result<Self, TreeError> {
        let root = &skops.root;
        let class = root.type_name();
        if class != CLASSIFIER && class != REGRESSOR {
            return Err(TreeError::at(
                file,
                "<root>",
                format!(
                    "signet reads the LightGBM scikit-learn classes {CLASSIFIER} and \
                     {REGRESSOR}; this model is a {class}. Log its Booster instead: \
                     `mlflow.lightgbm.log_model(model.booster_, ...)`."
                ),
            ));
        }
        let objective = node(root, "_objective", file)?;
        if !matches!(objective.json(), Some(Json::Str(_))) {
            return Err(TreeError::at(
                file,
                "_objective",
                "the model was trained with a custom objective function; signet does not run \
                 Python functions. Log its Booster instead: \
                 `mlflow.lightgbm.log_model(model.booster_, ...)`.",
            ));
        }
        let handle = node(root, "_Booster/_handle", file)?
            .str()
            .map_err(|e| skops_error(e, file))?;
        let booster = Booster::from_text(handle, &format!("{file}: _Booster._handle"))?;
        let best_iteration = match root.lookup("_Booster/best_iteration").map(Node::json) {
            None | Some(Some(Json::Null)) => 0,
            Some(Some(Json::Int(i))) => *i,
            Some(_) => {
                return Err(TreeError::at(
                    file,
                    "_Booster.best_iteration",
                    "expected an integer",
                ))
            }
        };
        let wrapper = if class == CLASSIFIER {
            let classes = Classes::from_node(node(root, "_le/classes_", file)?)
                .map_err(|e| TreeError::at(file, "_le.classes_", e.message))?;
            let width = booster.output_width();
            let expected = if width == 1 { 2 } else { width };
            if classes.len() != expected {
                return Err(TreeError::at(
                    file,
                    "_le.classes_",
                    format!(
                        "{} classes, but the Booster predicts {expected}",
                        classes.len()
                    ),
                ));
            }
            Wrapper::Classifier(classes)
        } else {
            Wrapper::Regressor
        };
        Ok(SklearnModel {
            booster,
            wrapper,
            best_iteration,
        })
    }

    /// `predict` on `rows` rows of `x` (as [`Booster::predict`] reads them).
    pub fn predict(&self, x: &[f64], rows: usize) -> Result<Output, TreeError> {
        let p = self
            .booster
            .predict(x, rows, Some(self.best_iteration), false)?;
        let width = self.booster.output_width();
        match &self.wrapper {
            Wrapper::Regressor if width == 1 => Ok(Output::Values {
                data: p,
                shape: vec![rows],
            }),
            Wrapper::Regressor => Ok(Output::Values {
                data: p,
                shape: vec![rows, width],
            }),
            Wrapper::Classifier(classes) => {
                let m = if width == 1 {
                    // np.vstack((1.0 - result, result)).transpose()
                    Matrix {
                        rows,
                        cols: 2,
                        data: p.iter().flat_map(|v| [1.0 - v, *v]).collect(),
                    }
                } else {
                    Matrix {
                        rows,
                        cols: width,
                        data: p,
                    }
                };
                Ok(classifier_output(m, classes, Method::Predict))
            }
        }
    }
}

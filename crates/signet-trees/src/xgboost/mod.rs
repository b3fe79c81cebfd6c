//! XGBoost models: read from UBJSON or JSON (the legacy binary format is refused), predicted
//! exactly as XGBoost 3.2's CPU predictor does in `float`.
//!
//! | module | owns |
//! | --- | --- |
//! | [`load`] | the model document (`learner`, `gradient_booster`, trees, `cats`) into [`Model`] |
//! | [`objective`] | objectives' transforms and base-score links |
//! | [`predict`] | tree traversal, summation order, dart weights, gblinear |

pub mod load;
pub mod objective;
pub mod predict;

use crate::error::TreeError;
use crate::forest::Forest;
use crate::tree::Tree;
use objective::Objective;
use std::path::Path;

/// A loaded XGBoost model.
#[derive(Clone, Debug)]
pub struct Model {
    /// Feature names stored in the model (empty when it was trained without names).
    pub feature_names: Vec<String>,
    /// Feature types stored in the model (`float`, `int`, `c` for categorical …), or empty.
    pub feature_types: Vec<String>,
    /// Number of features.
    pub num_feature: usize,
    /// Outputs per row (classes × targets).
    pub groups: usize,
    /// `num_class` (0 for non-multiclass).
    pub num_class: usize,
    /// The objective's behaviour.
    pub objective: Objective,
    /// The objective's name (`binary:logistic`).
    pub objective_name: String,
    /// The base score of each output, in margin space.
    pub base_margin: Vec<f32>,
    /// The trees or linear weights.
    pub booster: Booster,
    /// `best_iteration` from the model attributes (early stopping), if any.
    pub best_iteration: Option<usize>,
    /// What the scikit-learn wrapper stored (`scikit_learn` attribute), if any.
    pub sklearn: Option<Sklearn>,
    /// Training categories per feature (XGBoost ≥ 3.1 `cats` block): `None` for numeric
    /// features; a category's code is its position.
    pub cats: Option<Vec<Option<Categories>>>,
}

/// The scikit-learn wrapper's stored attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sklearn {
    /// `n_classes_` (classifiers).
    pub n_classes: Option<usize>,
    /// `_estimator_type` (`classifier`, `regressor`, `ranker`).
    pub estimator_type: String,
}

/// The training categories of one categorical feature.
#[derive(Clone, Debug, PartialEq)]
pub enum Categories {
    /// String categories.
    Strings(Vec<String>),
    /// Numeric categories.
    Numbers(Vec<f64>),
}

/// The booster.
#[derive(Clone, Debug)]
pub enum Booster {
    /// `gbtree` or `dart` trees.
    Trees(Box<TreeEnsemble>),
    /// `gblinear`: `weights[f * groups + g]`, the biases after the last feature.
    Linear {
        /// The weights.
        weights: Vec<f32>,
    },
}

/// Trees with their output group and iteration layout.
#[derive(Clone, Debug)]
pub struct TreeEnsemble {
    /// The trees.
    pub trees: Vec<Tree<f32>>,
    /// The same trees laid out for prediction.
    pub forest: Forest<f32>,
    /// The output group of each tree.
    pub tree_info: Vec<usize>,
    /// `iteration_indptr`: trees of iteration `i` are `indptr[i]..indptr[i + 1]`.
    pub iteration_indptr: Vec<usize>,
    /// Dart's per-tree weights.
    pub weight_drop: Option<Vec<f32>>,
}

impl Model {
    /// Reads a model file; the format is told by its first bytes (`{L`/`{i`… UBJSON, `{"`
    /// JSON); XGBoost's legacy binary format is refused.
    pub fn load(path: &Path) -> Result<Self, TreeError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| TreeError::at(&file, "", format!("cannot read: {e}")))?;
        Self::from_bytes(&bytes, &file)
    }

    /// Reads a model from its bytes; `file` names it in errors.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Self, TreeError> {
        let first = bytes.iter().position(|b| !b.is_ascii_whitespace());
        let doc = match (
            first.and_then(|i| bytes.get(i)),
            first.and_then(|i| bytes.get(i + 1)),
        ) {
            (Some(b'{'), Some(b'"')) | (Some(b'{'), Some(b'}')) => crate::json::parse(bytes, file)?,
            (Some(b'{'), Some(m)) if b"LlIiU".contains(m) => crate::ubjson::parse(bytes, file)?,
            (Some(b'{'), Some(c)) if c.is_ascii_whitespace() => crate::json::parse(bytes, file)?,
            _ => {
                return Err(TreeError::at(
                    file,
                    "byte 0",
                    "not an XGBoost JSON or UBJSON model: this looks like XGBoost's legacy binary \
                     format (saved before XGBoost 2.1), which signet does not read. Load it in \
                     XGBoost and save it again as UBJSON (`booster.save_model(\"model.ubj\")`), or \
                     re-log it with mlflow.xgboost.log_model using XGBoost >= 2.1.",
                ))
            }
        };
        load::from_value(&doc, file)
    }

    /// Number of boosted rounds (iterations).
    pub fn rounds(&self) -> usize {
        match &self.booster {
            Booster::Trees(t) => t.iteration_indptr.len().saturating_sub(1),
            Booster::Linear { .. } => 1,
        }
    }
}

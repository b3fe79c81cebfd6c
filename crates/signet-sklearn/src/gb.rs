//! `GradientBoostingRegressor` and `GradientBoostingClassifier` (log loss): the initial raw
//! prediction from `init_` (`DummyRegressor`/`DummyClassifier(strategy="prior")` or `"zero"`),
//! plus `learning_rate` times each stage's regression trees, then the loss's inverse link.

use crate::error::SklearnError;
use crate::estimator::{
    boosted_classifier_output, boosted_raw, Classes, Estimator, Fitted, Method, Output,
};
use crate::frame::Matrix;
use crate::tree::Tree;
use signet_skops::{Json, Node, NodeKind};

/// `scipy.special.logit` (its accurate form near 0.5).
fn logit(x: f64) -> f64 {
    if !(0.3..=0.65).contains(&x) {
        (x / (1.0 - x)).ln()
    } else {
        let s = 2.0 * (x - 0.5);
        s.ln_1p() - (-s).ln_1p()
    }
}

/// A fitted gradient-boosting model.
#[derive(Debug)]
pub struct GradientBoosting {
    fitted: Fitted,
    /// `stages[i][k]`.
    stages: Vec<Vec<Tree>>,
    learning_rate: f64,
    /// The initial raw prediction (one per tree column).
    init: Vec<f64>,
    classes: Option<Classes>,
}

impl GradientBoosting {
    /// Reads a fitted model.
    pub fn load(node: &Node) -> Result<GradientBoosting, SklearnError> {
        let classifier = node.class.ends_with("Classifier");
        let est = node.attr("estimators_")?;
        let NodeKind::ObjectArray { items, shape } = &est.kind else {
            return Err(est
                .error(format!("estimators_ is {}", est.describe()))
                .into());
        };
        let shape = shape.i64_array()?;
        let [n_stages, k] = shape.as_slice() else {
            return Err(est.error(format!("estimators_ has shape {shape:?}")).into());
        };
        let (n_stages, k) = (*n_stages as usize, *k as usize);
        // A 2-D object array is saved as `tolist()`: one list per stage.
        let mut flat = Vec::with_capacity(n_stages * k);
        for item in items {
            match item.items() {
                Some(row) if item.loader == "ListNode" => flat.extend(row.iter()),
                _ => flat.push(item),
            }
        }
        let items = flat;
        if k == 0 || items.len() != n_stages * k {
            return Err(est.error("estimators_ does not match its shape").into());
        }
        let mut stages = Vec::with_capacity(n_stages);
        for chunk in items.chunks(k) {
            stages.push(
                chunk
                    .iter()
                    .map(|t| Tree::load((*t).attr("tree_")?))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        let n_features = stages
            .first()
            .and_then(|s| s.first())
            .map(|t| t.n_features)
            .ok_or_else(|| est.error("no stage"))?;
        if stages.iter().flatten().any(|t| t.n_features != n_features) {
            return Err(est
                .error("the trees disagree on the number of features")
                .into());
        }
        let classes = if classifier {
            let loss = node.attr("loss")?.str()?;
            if loss != "log_loss" {
                return Err(node
                    .error(format!(
                        "GradientBoostingClassifier(loss='{loss}') is not implemented by signet"
                    ))
                    .into());
            }
            Some(Classes::from_node(node.attr("classes_")?)?)
        } else {
            None
        };
        let init_node = node.attr("init_")?;
        let init = match init_node.json() {
            Some(Json::Str(s)) if s == "zero" => vec![0.0; k],
            _ if init_node.class == "DummyRegressor" => {
                let c = init_node.attr("constant_")?.f64_array()?.0;
                match c.as_slice() {
                    [v] if k == 1 => vec![*v],
                    _ => return Err(init_node.error("constant_ is not a single value").into()),
                }
            }
            _ if init_node.class == "DummyClassifier" => {
                let strategy = init_node.attr("strategy")?.str()?;
                if strategy != "prior" {
                    return Err(init_node.error(format!("DummyClassifier(strategy='{strategy}') as init is not implemented by signet")).into());
                }
                let prior = init_node.attr("class_prior_")?.f64_array()?.0;
                let eps = f64::EPSILON;
                let clip = |p: f64| p.clamp(eps, 1.0 - eps);
                match (k, prior.as_slice()) {
                    (1, [_, p1]) => vec![logit(clip(*p1))],
                    (k, p) if p.len() == k && k > 2 => {
                        let logs: Vec<f64> = p.iter().map(|&v| clip(v).ln()).collect();
                        let mean = logs.iter().sum::<f64>() / k as f64;
                        logs.iter().map(|l| l - mean).collect()
                    }
                    _ => {
                        return Err(init_node
                            .error("class_prior_ does not match the classes")
                            .into())
                    }
                }
            }
            _ => {
                return Err(init_node
                    .error(format!(
                        "a custom init estimator ({}) is not implemented by signet",
                        init_node.type_name()
                    ))
                    .into())
            }
        };
        Ok(GradientBoosting {
            fitted: Fitted::predictor(node, n_features, &classes)?,
            stages,
            learning_rate: node.attr("learning_rate")?.f64()?,
            init,
            classes,
        })
    }

    fn raw(&self, x: &Matrix) -> Matrix {
        boosted_raw(x, &self.init, &self.stages, |t, row| {
            self.learning_rate * t.value(t.apply(row))[0]
        })
    }
}

impl Estimator for GradientBoosting {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let raw = self.raw(&x);
        let Some(classes) = &self.classes else {
            return Ok(Output::column(raw.data));
        };
        Ok(boosted_classifier_output(raw, classes, method, |v| {
            v >= 0.0
        }))
    }
}

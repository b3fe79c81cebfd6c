//! `HistGradientBoostingRegressor` and `HistGradientBoostingClassifier`: `_baseline_prediction`
//! plus every `TreePredictor`'s leaf value (learning rate already applied), walked on raw
//! float64 input as sklearn's `_predict_from_raw_data` does: NaN follows
//! `missing_go_to_left`, categorical splits test `raw_left_cat_bitsets`, then the categories
//! known at fit time; then the loss's inverse link.

use crate::encoders::OrdinalEncoder;
use crate::error::SklearnError;
use crate::estimator::{
    boosted_classifier_output, boosted_raw, n_features, Classes, Estimator, Fitted, Method, Output,
};
use crate::frame::{Frame, Matrix};
use signet_skops::{ArrayData, Node, NodeKind};

/// A 256-bit bitset (8 × u32), as sklearn's `_bitset`.
type Bitset = [u32; 8];

fn in_bitset(b: &Bitset, v: usize) -> bool {
    v < 256 && (b[v / 32] >> (v % 32)) & 1 == 1
}

fn bitsets(node: &Node) -> Result<Vec<Bitset>, SklearnError> {
    let (v, shape) = node.f64_array()?;
    match shape.as_slice() {
        [_, 8] => Ok(v
            .chunks(8)
            .map(|c| {
                let mut b = [0u32; 8];
                for (o, x) in b.iter_mut().zip(c) {
                    *o = *x as u32;
                }
                b
            })
            .collect()),
        [0] | [0, _] => Ok(Vec::new()),
        s => Err(node.error(format!("a bitset array has shape {s:?}")).into()),
    }
}

/// One `TreePredictor`.
#[derive(Debug)]
struct Predictor {
    value: Vec<f64>,
    feature: Vec<usize>,
    threshold: Vec<f64>,
    missing_left: Vec<bool>,
    left: Vec<usize>,
    right: Vec<usize>,
    leaf: Vec<bool>,
    categorical: Vec<bool>,
    bitset_idx: Vec<usize>,
    left_cats: Vec<Bitset>,
}

impl Predictor {
    fn load(node: &Node, n_features: usize) -> Result<Predictor, SklearnError> {
        let nodes_node = node.attr("nodes")?;
        let nodes = nodes_node
            .ndarray()
            .ok_or_else(|| nodes_node.error("nodes is not an array"))?;
        let field = |name: &str| -> Result<&ArrayData, SklearnError> {
            nodes.data.field(name).ok_or_else(|| {
                nodes_node
                    .error(format!("nodes has no field `{name}`"))
                    .into()
            })
        };
        let ints = |name: &str| -> Result<Vec<i64>, SklearnError> {
            field(name)?.to_i64().ok_or_else(|| {
                nodes_node
                    .error(format!("field `{name}` is not integer"))
                    .into()
            })
        };
        let floats = |name: &str| -> Result<Vec<f64>, SklearnError> {
            field(name)?.to_f64().ok_or_else(|| {
                nodes_node
                    .error(format!("field `{name}` is not numeric"))
                    .into()
            })
        };
        let flags = |name: &str| -> Result<Vec<bool>, SklearnError> {
            Ok(ints(name)?.into_iter().map(|v| v != 0).collect())
        };
        // Node indices (negative ones, unused, read as 0).
        let indices = |name: &str| -> Result<Vec<usize>, SklearnError> {
            Ok(ints(name)?.into_iter().map(|v| v.max(0) as usize).collect())
        };
        let left_cats = bitsets(node.attr("raw_left_cat_bitsets")?)?;
        let p = Predictor {
            value: floats("value")?,
            feature: indices("feature_idx")?,
            threshold: floats("num_threshold")?,
            missing_left: flags("missing_go_to_left")?,
            left: indices("left")?,
            right: indices("right")?,
            leaf: flags("is_leaf")?,
            categorical: flags("is_categorical")?,
            bitset_idx: indices("bitset_idx")?,
            left_cats,
        };
        let n = p.value.len();
        if n == 0 {
            return Err(nodes_node.error("a predictor has no node").into());
        }
        for i in 0..n {
            if p.leaf[i] {
                continue;
            }
            // Children come after their parent, so a walk ends.
            let ok = |c: usize| c > i && c < n;
            if !ok(p.left[i]) || !ok(p.right[i]) || p.feature[i] >= n_features {
                return Err(nodes_node
                    .error(format!("node {i} has invalid children or feature"))
                    .into());
            }
            if p.categorical[i] && p.bitset_idx[i] >= p.left_cats.len() {
                return Err(nodes_node
                    .error(format!("node {i} names a missing bitset"))
                    .into());
            }
        }
        Ok(p)
    }

    fn predict(&self, row: &[f64], known: &[Option<Bitset>]) -> f64 {
        let mut n = 0;
        while !self.leaf[n] {
            let x = row[self.feature[n]];
            let missing_side = if self.missing_left[n] {
                self.left[n]
            } else {
                self.right[n]
            };
            n = if x.is_nan() {
                missing_side
            } else if self.categorical[n] {
                let cat = x as usize; // sklearn casts to its uint8 bin type
                if x < 0.0 {
                    missing_side
                } else if in_bitset(&self.left_cats[self.bitset_idx[n]], cat % 256) {
                    self.left[n]
                } else if known[self.feature[n]].is_some_and(|b| in_bitset(&b, cat % 256)) {
                    self.right[n]
                } else {
                    missing_side
                }
            } else if x <= self.threshold[n] {
                self.left[n]
            } else {
                self.right[n]
            };
        }
        self.value[n]
    }
}

/// The `_preprocessor` sklearn fits when there are categorical features: a ColumnTransformer
/// whose `encoder` (an `OrdinalEncoder`, unknown and missing categories as NaN) output comes
/// first, then the `numerical` columns (a `FunctionTransformer` of `check_array`: validation
/// only).
#[derive(Debug)]
struct CategoricalEncoding {
    encoder: OrdinalEncoder,
    categorical: Vec<usize>,
    numerical: Vec<usize>,
}

impl CategoricalEncoding {
    fn load(node: &Node) -> Result<CategoricalEncoding, SklearnError> {
        let mut encoder = None;
        let mut categorical = Vec::new();
        let mut numerical = Vec::new();
        let mask = |n: &Node| -> Result<Vec<usize>, SklearnError> {
            Ok(n.i64_array()?
                .iter()
                .enumerate()
                .filter(|(_, &b)| b != 0)
                .map(|(i, _)| i)
                .collect())
        };
        for t in node.attr("transformers_")?.list()? {
            let [name, est, cols] = t.list()? else {
                return Err(t
                    .error("a transformer is not a (name, transformer, columns) triple")
                    .into());
            };
            match (name.str()?, est.class.as_str()) {
                ("encoder", "OrdinalEncoder") => {
                    encoder = Some(OrdinalEncoder::load(est)?);
                    categorical = mask(cols)?;
                }
                ("numerical", "FunctionTransformer") => {
                    let func = est.attr("func")?;
                    let validates = func.class == "partial"
                        && matches!(&func.kind, NodeKind::Partial { parts } if parts[0].type_name() == "sklearn.utils.validation.check_array");
                    if !validates {
                        return Err(func
                            .error("the numerical preprocessor is not sklearn's check_array")
                            .into());
                    }
                    numerical = mask(cols)?;
                }
                _ => {}
            }
        }
        let encoder =
            encoder.ok_or_else(|| node.error("the preprocessor has no OrdinalEncoder"))?;
        Ok(CategoricalEncoding {
            encoder,
            categorical,
            numerical,
        })
    }

    fn transform(&self, x: Frame) -> Result<Frame, SklearnError> {
        let cats = self.encoder.transform(x.select(&self.categorical)?)?;
        let mut nums = x.select(&self.numerical)?;
        nums.names = None;
        Ok(Frame::hstack(vec![cats, nums], x.rows))
    }
}

/// The link a regressor's loss inverts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Link {
    Identity,
    Log,
}

/// A fitted `HistGradientBoosting*`.
#[derive(Debug)]
pub struct HistGradientBoosting {
    fitted: Fitted,
    preprocessor: Option<CategoricalEncoding>,
    baseline: Vec<f64>,
    iterations: Vec<Vec<Predictor>>,
    /// The categories known at fit time, per feature (`None` for numeric features).
    known: Vec<Option<Bitset>>,
    classes: Option<Classes>,
    link: Link,
}

impl HistGradientBoosting {
    /// Reads a fitted model.
    pub fn load(node: &Node) -> Result<HistGradientBoosting, SklearnError> {
        let preprocessor = node
            .opt("_preprocessor")
            .map(CategoricalEncoding::load)
            .transpose()?;
        let n_features =
            n_features(node)?.ok_or_else(|| node.error("n_features_in_ is missing"))?;
        let baseline = node.attr("_baseline_prediction")?.f64_array()?.0;
        let k = baseline.len();
        let mut iterations = Vec::new();
        for it in node.attr("_predictors")?.list()? {
            let preds = it
                .list()?
                .iter()
                .map(|p| Predictor::load(p, n_features))
                .collect::<Result<Vec<_>, _>>()?;
            if preds.len() != k {
                return Err(it
                    .error(format!("{} predictors for {k} raw outputs", preds.len()))
                    .into());
            }
            iterations.push(preds);
        }
        let mapper = node.attr("_bin_mapper")?;
        let mut known = vec![None; n_features];
        if let Some(is_cat) = mapper.opt("is_categorical_") {
            let flags = is_cat.i64_array()?;
            let thresholds = mapper.attr("bin_thresholds_")?.list()?;
            for (f, flag) in flags.iter().enumerate() {
                if *flag != 0 {
                    let cats = thresholds
                        .get(f)
                        .ok_or_else(|| {
                            mapper.error("bin_thresholds_ is shorter than is_categorical_")
                        })?
                        .f64_array()?
                        .0;
                    let mut b = [0u32; 8];
                    for c in cats {
                        let c = c as usize;
                        if c < 256 {
                            b[c / 32] |= 1 << (c % 32);
                        }
                    }
                    if f < n_features {
                        known[f] = Some(b);
                    }
                }
            }
        }
        let loss = node.attr("_loss")?.class.clone();
        let classifier = node.class.ends_with("Classifier");
        let link = match loss.as_str() {
            "HalfPoissonLoss" | "HalfGammaLoss" | "HalfTweedieLoss" => Link::Log,
            "HalfSquaredError"
            | "AbsoluteError"
            | "PinballLoss"
            | "HuberLoss"
            | "HalfBinomialLoss"
            | "HalfMultinomialLoss" => Link::Identity,
            other => {
                return Err(node
                    .error(format!(
                        "{} with loss {other} is not implemented by signet",
                        node.class
                    ))
                    .into())
            }
        };
        let classes = if classifier {
            Some(Classes::from_node(node.attr("classes_")?)?)
        } else {
            None
        };
        Ok(HistGradientBoosting {
            fitted: Fitted::predictor(node, n_features, &classes)?,
            preprocessor,
            baseline,
            iterations,
            known,
            classes,
            link,
        })
    }

    fn raw(&self, x: &Matrix) -> Matrix {
        boosted_raw(x, &self.baseline, &self.iterations, |p, row| {
            p.predict(row, &self.known)
        })
    }
}

impl Estimator for HistGradientBoosting {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_aligned(&self, x: Frame, method: Method) -> Result<Output, SklearnError> {
        let x = match &self.preprocessor {
            Some(p) => p.transform(x)?,
            None => x,
        }
        .to_matrix()?;
        let raw = self.raw(&x);
        let Some(classes) = &self.classes else {
            let mut v = raw.data;
            if self.link == Link::Log {
                v.iter_mut().for_each(|x| *x = x.exp());
            }
            return Ok(Output::column(v));
        };
        Ok(boosted_classifier_output(raw, classes, method, |v| v > 0.0))
    }
}

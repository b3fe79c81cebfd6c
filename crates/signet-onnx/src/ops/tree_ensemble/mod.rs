//! `ai.onnx.ml.TreeEnsembleRegressor` and `TreeEnsembleClassifier` (opset 1 and 3
//! attributes), as onnxruntime evaluates them.
//!
//! tract 0.23 ships no regressor, and its classifier and shared tree evaluator
//! (`tract_onnx_opl::ml::tree`) differ from onnxruntime: `MIN`/`MAX` start from 0 instead of
//! the first leaf value, `AVERAGE` divides by the number of leaves seen instead of the number
//! of trees, `BRANCH_GTE` nodes are read as leaves, a NaN feature ignores the comparison, and
//! a binary classifier whose leaves only score one class (every scikit-learn binary forest)
//! gets its label from an argmax over `[p, 0]` — always the first class. Both operators are
//! therefore implemented here, following onnxruntime's `TreeEnsembleCommon` and
//! `TreeAggregator*`:
//!
//! * a tree's root is the first node (in attribute order) of each run of equal `nodes_treeids`;
//! * a branch goes to its true child when `x CMP threshold` holds, or when `x` is NaN and
//!   `nodes_missing_value_tracks_true` is set;
//! * thresholds are compared in the input's precision (float thresholds for float inputs,
//!   double for double inputs) and scores accumulate in that precision, tree by tree;
//! * regressor: `SUM`: Σ leaf weights + base; `AVERAGE`: Σ / number of trees + base;
//!   `MIN` / `MAX`: the extreme leaf weight reached (0 when no leaf of that target is
//!   reached) + base;
//! * classifier: class scores are sums; labels and probabilities follow onnxruntime's
//!   multiclass, binary (one scored class) and two-class rules, see [`TreeEnsembleClassifierOp`];
//! * `post_transform` `NONE`, `LOGISTIC`, `SOFTMAX`, `SOFTMAX_ZERO`, `PROBIT` as onnxruntime's
//!   `write_scores` (in float).
//!
//! Outputs: regressor `float [N, n_targets]`; classifier `label [N]` (int64 or string) and
//! `probabilities float [N, n_classes]` (`N` = 1 for a 1-D input).

mod eval;
mod parse;

use super::native::Parse;
use super::post_transform::PostTransform;
use super::scoring::{rows_and_width, Labels, Scoring};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// The comparison of a branch node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    Leq,
    Lt,
    Gte,
    Gt,
    Eq,
    Neq,
}

impl Mode {
    fn parse(s: &str) -> Option<Option<Mode>> {
        Some(match s {
            "BRANCH_LEQ" => Some(Mode::Leq),
            "BRANCH_LT" => Some(Mode::Lt),
            "BRANCH_GTE" => Some(Mode::Gte),
            "BRANCH_GT" => Some(Mode::Gt),
            "BRANCH_EQ" => Some(Mode::Eq),
            "BRANCH_NEQ" => Some(Mode::Neq),
            "LEAF" => None,
            _ => return None,
        })
    }

    #[inline]
    fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Mode::Leq => x <= threshold,
            Mode::Lt => x < threshold,
            Mode::Gte => x >= threshold,
            Mode::Gt => x > threshold,
            Mode::Eq => x == threshold,
            Mode::Neq => x != threshold,
        }
    }
}

/// How the leaf values of the trees are combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Aggregate {
    Sum,
    Average,
    Min,
    Max,
}

/// One tree node, flattened; children are indices into [`Ensemble::nodes`].
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Branch {
        feature: usize,
        mode: Mode,
        /// The threshold as given (double precision when the model stores doubles).
        threshold: f64,
        /// The threshold narrowed to float, as onnxruntime compares float inputs.
        threshold_f32: f64,
        if_true: usize,
        if_false: usize,
        missing_true: bool,
    },
    /// The leaf's weights are `Ensemble::weights[start..end]`.
    Leaf { start: usize, end: usize },
}

/// A validated ensemble: every child index is in range and every tree is acyclic, so
/// evaluation cannot loop or index out of bounds (feature ids are checked against the input).
#[derive(Clone, Debug, PartialEq)]
struct Ensemble {
    roots: Vec<usize>,
    nodes: Vec<Node>,
    /// `(target, weight)` pairs of the leaves.
    weights: Vec<(usize, f64)>,
    n_targets: usize,
    aggregate: Aggregate,
    base_values: Option<Vec<f64>>,
    post_transform: PostTransform,
    /// One more than the largest feature id used (0 for an ensemble of leaves).
    n_features: usize,
}

/// The `TreeEnsembleRegressor` operator.
#[derive(Clone, Debug)]
pub(crate) struct TreeEnsembleRegressorOp {
    ensemble: Arc<Ensemble>,
}

impl PartialEq for TreeEnsembleRegressorOp {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.ensemble, &other.ensemble) || self.ensemble == other.ensemble
    }
}

/// The `TreeEnsembleClassifier` operator.
///
/// Class scores are sums of leaf weights. With more than two classes, base values are added
/// (a class no leaf scored takes its base value), the label is the first class of highest
/// score among scored classes, and the probabilities are the scores (0 where unscored) after
/// the post transform. With two classes onnxruntime's special cases apply: with two base
/// values and a scored second class, the scores become `[-(b1 + s0), b1 + s0]`; the label
/// follows the second class's score `p` (the first's when the second is unscored): for a
/// *binary* ensemble (leaves score a single class) `p > 0.5` with non-negative weights, else
/// `p > 0`, picks the second label; otherwise `p > 0` picks `1` / the second string label.
/// When only the first class is scored the probabilities are `[1 - p, p]` (non-negative binary
/// weights; `LOGISTIC` applied to `p` first) or `[-p, p]` (`[σ(-p), σ(p)]` for `LOGISTIC`).
#[derive(Clone, Debug)]
pub(crate) struct TreeEnsembleClassifierOp {
    ensemble: Arc<Ensemble>,
    labels: Arc<Labels>,
    /// Two classes and every leaf weight scores the same class.
    binary: bool,
    /// No leaf weight is negative.
    all_positive: bool,
}

impl PartialEq for TreeEnsembleClassifierOp {
    fn eq(&self, other: &Self) -> bool {
        self.ensemble == other.ensemble
            && self.labels == other.labels
            && self.binary == other.binary
            && self.all_positive == other.all_positive
    }
}

impl Parse for TreeEnsembleRegressorOp {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        let ensemble = parse::parse_regressor(ctx, node)?;
        Ok(TreeEnsembleRegressorOp {
            ensemble: Arc::new(ensemble),
        })
    }
}

impl Parse for TreeEnsembleClassifierOp {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        parse::parse_classifier(ctx, node)
    }
}

/// Runs `f` on a tree-ensemble input: its rows, features, whether it is double precision,
/// and its values as f64.
fn with_rows<R>(
    input: &Tensor,
    f: impl FnOnce(usize, usize, bool, &[f64]) -> TractResult<R>,
) -> TractResult<R> {
    let (rows, width) = rows_and_width("a tree ensemble", input)?;
    let x = input.cast_to::<f64>()?;
    let wide = input.datum_type() == f64::datum_type();
    f(rows, width, wide, x.try_as_plain_ram()?.as_slice::<f64>()?)
}

/// Tree ensembles take float, double, int64 or int32 inputs.
fn check_tree_input(dt: DatumType) -> TractResult<()> {
    ensure!(
        dt.is_float() || dt == i64::datum_type() || dt == i32::datum_type(),
        "tree ensembles take float, double, int64 or int32 inputs, not {dt:?}"
    );
    Ok(())
}

impl Scoring for TreeEnsembleRegressorOp {
    const NAME: &'static str = "TreeEnsembleRegressor";

    fn width(&self) -> usize {
        self.ensemble.n_targets
    }

    fn check_input_type(&self, dt: DatumType) -> TractResult<()> {
        check_tree_input(dt)
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        with_rows(input, |rows, width, wide, x| {
            let out = if wide {
                self.ensemble.regress::<f64, true>(rows, width, x)?
            } else {
                self.ensemble.regress::<f32, false>(rows, width, x)?
            };
            let scores = Tensor::from_shape(&[rows, self.ensemble.n_targets], &out)?;
            Ok((None, scores))
        })
    }
}

impl Scoring for TreeEnsembleClassifierOp {
    const NAME: &'static str = "TreeEnsembleClassifier";

    fn labels(&self) -> Option<&Labels> {
        Some(&self.labels)
    }

    fn width(&self) -> usize {
        self.labels.len()
    }

    fn check_input_type(&self, dt: DatumType) -> TractResult<()> {
        check_tree_input(dt)
    }

    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)> {
        with_rows(input, |rows, width, wide, x| {
            let (picks, probs) = if wide {
                self.classify::<f64, true>(rows, width, x)?
            } else {
                self.classify::<f32, false>(rows, width, x)?
            };
            let labels = self.labels.tensor(&picks)?;
            let probs = Tensor::from_shape(&[rows, self.labels.len()], &probs)?;
            Ok((Some(labels), probs))
        })
    }
}

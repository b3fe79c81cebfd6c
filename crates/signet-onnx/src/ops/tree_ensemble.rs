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

use super::attrs::{float_list, int_list, string_attr, string_list};
use super::post_transform::{
    logistic, parse_post_transform, post_transform, probit, PostTransform,
};
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

/// The `TreeEnsembleRegressor` operator: an inference-model expansion wiring
/// [`TreeEnsembleRegressorOp`].
#[derive(Clone, Debug)]
pub(crate) struct TreeEnsembleRegressor {
    ensemble: Arc<Ensemble>,
}

/// The typed (runnable) form of `TreeEnsembleRegressor`.
#[derive(Clone, Debug)]
pub(crate) struct TreeEnsembleRegressorOp {
    ensemble: Arc<Ensemble>,
}

impl PartialEq for TreeEnsembleRegressorOp {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.ensemble, &other.ensemble) || self.ensemble == other.ensemble
    }
}

// Floats compare by value; a NaN threshold merely makes two ops unequal, which only stops
// tract from merging them.
impl Eq for TreeEnsembleRegressorOp {}

/// The class labels of a classifier.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Labels {
    Ints(Vec<i64>),
    Strings(Vec<String>),
}

impl Labels {
    fn len(&self) -> usize {
        match self {
            Labels::Ints(v) => v.len(),
            Labels::Strings(v) => v.len(),
        }
    }

    fn datum_type(&self) -> DatumType {
        match self {
            Labels::Ints(_) => i64::datum_type(),
            Labels::Strings(_) => String::datum_type(),
        }
    }
}

/// The label a row gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pick {
    /// `classlabels[i]`.
    Class(usize),
    /// onnxruntime's two-class "positive" label: `1` for integer labels, the second label for
    /// strings.
    Positive,
    /// The "negative" label: `0` for integer labels, the first label for strings.
    Negative,
}

/// The `TreeEnsembleClassifier` operator: an inference-model expansion wiring
/// [`TreeEnsembleClassifierOp`].
#[derive(Clone, Debug)]
pub(crate) struct TreeEnsembleClassifier {
    op: TreeEnsembleClassifierOp,
}

/// The typed (runnable) form of `TreeEnsembleClassifier`.
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

impl Eq for TreeEnsembleClassifierOp {}

/// Builds `TreeEnsembleRegressor` from its ONNX node (the `OnnxOpRegister` entry).
pub(crate) fn build_regressor(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let ensemble = parse_regressor(ctx, node)
        .with_context(|| format!("invalid TreeEnsembleRegressor node `{}`", node.name))?;
    Ok((
        expand(TreeEnsembleRegressor {
            ensemble: Arc::new(ensemble),
        }),
        vec![],
    ))
}

/// Builds `TreeEnsembleClassifier` from its ONNX node (the `OnnxOpRegister` entry).
pub(crate) fn build_classifier(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = parse_classifier(ctx, node)
        .with_context(|| format!("invalid TreeEnsembleClassifier node `{}`", node.name))?;
    Ok((expand(TreeEnsembleClassifier { op }), vec![]))
}

fn parse_regressor(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Ensemble> {
    let n_targets = match node.attribute.iter().find(|a| a.name == "n_targets") {
        Some(a) => index(a.i, "n_targets")?,
        None => bail!("attribute n_targets is missing"),
    };
    ensure!(n_targets > 0, "n_targets must be positive");
    let aggregate = match string_attr(node, "aggregate_function").as_deref() {
        None | Some("SUM") => Aggregate::Sum,
        Some("AVERAGE") => Aggregate::Average,
        Some("MIN") => Aggregate::Min,
        Some("MAX") => Aggregate::Max,
        Some(other) => bail!("unknown aggregate_function {other:?}"),
    };
    parse_ensemble(ctx, node, "target", n_targets, aggregate, false)
}

fn parse_classifier(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<TreeEnsembleClassifierOp> {
    let ints = node
        .attribute
        .iter()
        .find(|a| a.name == "classlabels_int64s");
    let strings = node
        .attribute
        .iter()
        .find(|a| a.name == "classlabels_strings");
    let labels = match (ints, strings) {
        (Some(i), None) => Labels::Ints(i.ints.clone()),
        (None, Some(s)) => Labels::Strings(
            string_list(node, "classlabels_strings")?.unwrap_or_else(|| {
                s.strings
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect()
            }),
        ),
        (None, None) => bail!("one of classlabels_int64s and classlabels_strings must be set"),
        (Some(_), Some(_)) => {
            bail!("only one of classlabels_int64s and classlabels_strings can be set")
        }
    };
    ensure!(labels.len() > 0, "the classifier has no class label");
    let ensemble = parse_ensemble(ctx, node, "class", labels.len(), Aggregate::Sum, true)?;
    let mut classes: Vec<usize> = ensemble.weights.iter().map(|w| w.0).collect();
    classes.sort_unstable();
    classes.dedup();
    let binary = labels.len() == 2 && classes.len() == 1;
    let all_positive = ensemble.weights.iter().all(|w| w.1 >= 0.0);
    Ok(TreeEnsembleClassifierOp {
        ensemble: Arc::new(ensemble),
        labels: Arc::new(labels),
        binary,
        all_positive,
    })
}

/// A float-list attribute, or its double `*_as_tensor` twin (opset 3), widened to f64.
fn float_or_tensor(
    ctx: &ParsingContext,
    node: &NodeProto,
    name: &str,
) -> TractResult<Option<Vec<f64>>> {
    let tensor_name = format!("{name}_as_tensor");
    if let Some(attr) = node.attribute.iter().find(|a| a.name == tensor_name) {
        if let Some(t) = attr.t.as_ref() {
            let t = ctx.load_tensor(t)?;
            let t = t.cast_to::<f64>()?;
            return Ok(Some(t.try_as_plain_ram()?.as_slice::<f64>()?.to_vec()));
        }
    }
    Ok(float_list(node, name)?.map(|v| v.iter().map(|&x| x as f64).collect()))
}

fn index(v: i64, what: &str) -> TractResult<usize> {
    usize::try_from(v).map_err(|_| format_err!("{what}: negative value {v}"))
}

/// The trees and leaves shared by both operators; `prefix` is `target` or `class`.
fn parse_ensemble(
    ctx: &ParsingContext,
    node: &NodeProto,
    prefix: &str,
    n_targets: usize,
    aggregate: Aggregate,
    classifier: bool,
) -> TractResult<Ensemble> {
    let post_transform = parse_post_transform(node)?;
    let base_values = float_or_tensor(ctx, node, "base_values")?;
    if let Some(b) = &base_values {
        // onnxruntime accepts an empty list as "no base values", and one value for two classes.
        ensure!(
            b.is_empty() || b.len() == n_targets || (classifier && n_targets == 2 && b.len() == 1),
            "base_values should have 0 or {n_targets} values, got {}",
            b.len()
        );
    }
    let base_values = base_values.filter(|b| !b.is_empty());

    let tree_ids = int_list(node, "nodes_treeids")?.unwrap_or_default();
    let n = tree_ids.len();
    ensure!(n > 0, "the ensemble has no node");
    let node_ids = required_len(int_list(node, "nodes_nodeids")?, "nodes_nodeids", n)?;
    let features = required_len(int_list(node, "nodes_featureids")?, "nodes_featureids", n)?;
    let true_ids = required_len(int_list(node, "nodes_truenodeids")?, "nodes_truenodeids", n)?;
    let false_ids = required_len(
        int_list(node, "nodes_falsenodeids")?,
        "nodes_falsenodeids",
        n,
    )?;
    let modes = required_len(string_list(node, "nodes_modes")?, "nodes_modes", n)?;
    let values = required_len(
        float_or_tensor(ctx, node, "nodes_values")?,
        "nodes_values",
        n,
    )?;
    let missing = match int_list(node, "nodes_missing_value_tracks_true")? {
        Some(v) if !v.is_empty() => required_len(Some(v), "nodes_missing_value_tracks_true", n)?,
        _ => vec![0; n],
    };

    let attr = |name: &str| format!("{prefix}_{name}");
    let target_trees = int_list(node, &attr("treeids"))?.unwrap_or_default();
    let m = target_trees.len();
    let target_nodes = required_len(int_list(node, &attr("nodeids"))?, &attr("nodeids"), m)?;
    let target_ids = required_len(int_list(node, &attr("ids"))?, &attr("ids"), m)?;
    let target_weights = required_len(
        float_or_tensor(ctx, node, &attr("weights"))?,
        &attr("weights"),
        m,
    )?;

    // (tree id, node id) -> position in the attribute arrays.
    let mut position = HashMap::with_capacity(n);
    for i in 0..n {
        if position.insert((tree_ids[i], node_ids[i]), i).is_some() {
            bail!("node ({}, {}) is defined twice", tree_ids[i], node_ids[i]);
        }
    }
    // Leaf weights grouped by (tree id, node id), in attribute order.
    let mut leaf_weights: HashMap<(i64, i64), Vec<(usize, f64)>> = HashMap::new();
    for j in 0..m {
        let target = index(target_ids[j], &attr("ids"))?;
        ensure!(
            target < n_targets,
            "{prefix} id {target} is out of range for {n_targets} {prefix}s"
        );
        let key = (target_trees[j], target_nodes[j]);
        ensure!(
            position.contains_key(&key),
            "{prefix} weight for unknown node ({}, {})",
            key.0,
            key.1
        );
        leaf_weights
            .entry(key)
            .or_default()
            .push((target, target_weights[j]));
    }

    let mut nodes = Vec::with_capacity(n);
    let mut weights = Vec::with_capacity(m);
    let mut n_features = 0;
    for i in 0..n {
        let mode = Mode::parse(&modes[i])
            .ok_or_else(|| format_err!("unknown node mode {:?}", modes[i]))?;
        nodes.push(match mode {
            None => {
                let start = weights.len();
                if let Some(w) = leaf_weights.get(&(tree_ids[i], node_ids[i])) {
                    weights.extend_from_slice(w);
                }
                Node::Leaf {
                    start,
                    end: weights.len(),
                }
            }
            Some(mode) => {
                let child = |id: i64, which: &str| -> TractResult<usize> {
                    position.get(&(tree_ids[i], id)).copied().ok_or_else(|| {
                        format_err!(
                            "node ({}, {}): {which} child {id} does not exist",
                            tree_ids[i],
                            node_ids[i]
                        )
                    })
                };
                let feature = index(features[i], "nodes_featureids")?;
                n_features = n_features.max(feature + 1);
                Node::Branch {
                    feature,
                    mode,
                    threshold: values[i],
                    threshold_f32: values[i] as f32 as f64,
                    if_true: child(true_ids[i], "true")?,
                    if_false: child(false_ids[i], "false")?,
                    missing_true: missing[i] != 0,
                }
            }
        });
    }
    let mut roots = vec![];
    for i in 0..n {
        if i == 0 || tree_ids[i] != tree_ids[i - 1] {
            roots.push(i);
        }
    }
    check_acyclic(&nodes, &roots)?;
    Ok(Ensemble {
        roots,
        nodes,
        weights,
        n_targets,
        aggregate,
        base_values,
        post_transform,
        n_features,
    })
}

fn required_len<T>(v: Option<Vec<T>>, name: &str, n: usize) -> TractResult<Vec<T>> {
    match v {
        Some(v) if v.len() == n => Ok(v),
        Some(v) => bail!("{name} has {} values, expected {n}", v.len()),
        None => bail!("attribute {name} is missing"),
    }
}

/// Refuses trees with a cycle reachable from a root (evaluation would never end).
fn check_acyclic(nodes: &[Node], roots: &[usize]) -> TractResult<()> {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; nodes.len()];
    for &root in roots {
        let mut stack = vec![(root, false)];
        while let Some((i, children_done)) = stack.pop() {
            if children_done {
                state[i] = 2;
                continue;
            }
            match state[i] {
                1 => bail!("the trees contain a cycle"),
                2 => continue,
                _ => {}
            }
            state[i] = 1;
            stack.push((i, true));
            if let Node::Branch {
                if_true, if_false, ..
            } = nodes[i]
            {
                for c in [if_true, if_false] {
                    if state[c] == 1 {
                        bail!("the trees contain a cycle");
                    }
                    if state[c] == 0 {
                        stack.push((c, false));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The precision scores accumulate in (onnxruntime's `ThresholdType`).
trait Acc:
    Copy
    + PartialOrd
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Div<Output = Self>
{
    fn from_f64(v: f64) -> Self;
    fn from_usize(v: usize) -> Self;
    fn to_f32(self) -> f32;
}

impl Acc for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn from_usize(v: usize) -> Self {
        v as f32
    }
    fn to_f32(self) -> f32 {
        self
    }
}

impl Acc for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn from_usize(v: usize) -> Self {
        v as f64
    }
    fn to_f32(self) -> f32 {
        self as f32
    }
}

impl Ensemble {
    /// The leaf reached by row `x` in the tree rooted at `root`.
    #[inline]
    fn leaf<const WIDE: bool>(&self, root: usize, x: &[f64]) -> (usize, usize) {
        let mut i = root;
        loop {
            match self.nodes[i] {
                Node::Leaf { start, end } => return (start, end),
                Node::Branch {
                    feature,
                    mode,
                    threshold,
                    threshold_f32,
                    if_true,
                    if_false,
                    missing_true,
                } => {
                    let v = x[feature];
                    let t = if WIDE { threshold } else { threshold_f32 };
                    i = if mode.holds(v, t) || (missing_true && v.is_nan()) {
                        if_true
                    } else {
                        if_false
                    };
                }
            }
        }
    }

    /// The aggregated scores of one row (`None` for targets no reached leaf scores).
    fn accumulate<A: Acc, const WIDE: bool>(&self, x: &[f64], scores: &mut [Option<A>]) {
        scores.iter_mut().for_each(|s| *s = None);
        for &root in &self.roots {
            let (start, end) = self.leaf::<WIDE>(root, x);
            for &(target, w) in &self.weights[start..end] {
                let w = A::from_f64(w);
                let s = &mut scores[target];
                *s = Some(match (*s, self.aggregate) {
                    (None, _) => w,
                    (Some(s), Aggregate::Sum | Aggregate::Average) => s + w,
                    (Some(s), Aggregate::Min) => {
                        if w < s {
                            w
                        } else {
                            s
                        }
                    }
                    (Some(s), Aggregate::Max) => {
                        if w > s {
                            w
                        } else {
                            s
                        }
                    }
                });
            }
        }
    }

    fn base(&self, t: usize) -> Option<f64> {
        self.base_values.as_ref().and_then(|b| b.get(t).copied())
    }

    /// Regressor scores of one row into `out` (`n_targets` floats).
    fn regress_row<A: Acc, const WIDE: bool>(
        &self,
        x: &[f64],
        scores: &mut [Option<A>],
        out: &mut [f32],
    ) {
        self.accumulate::<A, WIDE>(x, scores);
        let n_trees = A::from_usize(self.roots.len());
        for (t, (s, o)) in scores.iter().zip(out.iter_mut()).enumerate() {
            let base = A::from_f64(self.base(t).unwrap_or(0.0));
            let s = s.unwrap_or(A::from_f64(0.0));
            let v = match self.aggregate {
                Aggregate::Average => s / n_trees + base,
                _ => base + s,
            };
            *o = v.to_f32();
        }
        post_transform(self.post_transform, out);
    }

    /// Checks the input width and calls `row` on each row (an empty slice for a 0-wide input,
    /// only possible for an ensemble of leaves).
    fn for_rows(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
        mut row: impl FnMut(usize, &[f64]) -> TractResult<()>,
    ) -> TractResult<()> {
        ensure!(
            width >= self.n_features,
            "tree ensemble: the input has {width} features, the trees use feature {}",
            self.n_features.saturating_sub(1)
        );
        if width == 0 {
            for r in 0..rows {
                row(r, &[])?;
            }
        } else {
            for (r, features) in x.chunks(width).enumerate() {
                row(r, features)?;
            }
        }
        Ok(())
    }

    fn regress<A: Acc, const WIDE: bool>(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
    ) -> TractResult<Vec<f32>> {
        let n = self.n_targets;
        let mut out = vec![0f32; rows * n];
        let mut scores = vec![None; n];
        self.for_rows(rows, width, x, |r, features| {
            self.regress_row::<A, WIDE>(features, &mut scores, &mut out[r * n..][..n]);
            Ok(())
        })?;
        Ok(out)
    }
}

impl TreeEnsembleClassifierOp {
    /// Label and probabilities of one row, following onnxruntime's `TreeAggregatorClassifier`.
    fn classify_row<A: Acc, const WIDE: bool>(
        &self,
        x: &[f64],
        scores: &mut [Option<A>],
        probs: &mut [f32],
    ) -> TractResult<Pick> {
        let e = &*self.ensemble;
        e.accumulate::<A, WIDE>(x, scores);
        let zero = A::from_f64(0.0);
        if scores.len() != 2 {
            for (k, s) in scores.iter_mut().enumerate() {
                if let Some(b) = e.base(k) {
                    let b = A::from_f64(b);
                    *s = Some(s.map_or(b, |v| v + b));
                }
            }
            let mut best: Option<(usize, A)> = None;
            for (k, s) in scores.iter().enumerate() {
                if let Some(v) = *s {
                    if best.is_none_or(|(_, b)| v > b) {
                        best = Some((k, v));
                    }
                }
            }
            let (k, _) = best
                .ok_or_else(|| format_err!("TreeEnsembleClassifier: no class received a score"))?;
            for (p, s) in probs.iter_mut().zip(scores.iter()) {
                *p = s.unwrap_or(zero).to_f32();
            }
            post_transform(e.post_transform, probs);
            return Ok(Pick::Class(k));
        }
        // Two classes: raw scores and "has a score" flags, as onnxruntime keeps them.
        let (has0, has1) = (scores[0].is_some(), scores[1].is_some());
        let (mut v0, mut v1) = (scores[0].unwrap_or(zero), scores[1].unwrap_or(zero));
        let b0 = A::from_f64(e.base(0).unwrap_or(0.0));
        let b1 = A::from_f64(e.base(1).unwrap_or(0.0));
        // Whether both scores are written (else only the first, completed below).
        let both = match e.base_values.as_ref().map_or(0, Vec::len) {
            2 => {
                if has1 {
                    v1 = b1 + v0;
                    v0 = zero - v1;
                } else {
                    v0 = v0 + b0;
                    v1 = v1 + b1;
                }
                true
            }
            1 => {
                v0 = v0 + b0;
                has1
            }
            _ => has1,
        };
        let positive = if has1 {
            v1
        } else if has0 {
            v0
        } else {
            zero
        };
        // onnxruntime's `add_second_class`: 0/1 non-negative binary, 2/3 mixed binary, -1 other.
        let (pick, complement) = if self.binary {
            let threshold = if self.all_positive { 0.5 } else { 0.0 };
            let class = if positive > A::from_f64(threshold) {
                1
            } else {
                0
            };
            (Pick::Class(class), self.all_positive)
        } else if positive > zero {
            (Pick::Positive, false)
        } else {
            (Pick::Negative, false)
        };
        if both {
            probs[0] = if has0 { v0.to_f32() } else { 0.0 };
            probs[1] = if has1 { v1.to_f32() } else { 0.0 };
            post_transform(e.post_transform, probs);
        } else {
            let s = v0.to_f32();
            match e.post_transform {
                PostTransform::Probit => {
                    // onnxruntime writes one value and leaves the second uninitialized.
                    probs[0] = probit(s);
                    probs[1] = f32::NAN;
                }
                PostTransform::Logistic if complement => {
                    let v = logistic(s);
                    probs[0] = 1.0 - v;
                    probs[1] = v;
                }
                PostTransform::Logistic => {
                    probs[0] = logistic(-s);
                    probs[1] = logistic(s);
                }
                _ if complement => {
                    probs[0] = 1.0 - s;
                    probs[1] = s;
                }
                _ => {
                    probs[0] = -s;
                    probs[1] = s;
                }
            }
        }
        Ok(pick)
    }

    fn classify<A: Acc, const WIDE: bool>(
        &self,
        rows: usize,
        width: usize,
        x: &[f64],
    ) -> TractResult<(Vec<Pick>, Vec<f32>)> {
        let n = self.labels.len();
        let mut picks = Vec::with_capacity(rows);
        let mut probs = vec![0f32; rows * n];
        let mut scores = vec![None; n];
        self.ensemble.for_rows(rows, width, x, |r, features| {
            picks.push(self.classify_row::<A, WIDE>(
                features,
                &mut scores,
                &mut probs[r * n..][..n],
            )?);
            Ok(())
        })?;
        Ok((picks, probs))
    }

    fn label_tensor(&self, picks: &[Pick]) -> TractResult<Tensor> {
        let n = picks.len();
        Ok(match &*self.labels {
            Labels::Ints(labels) => {
                let v: Vec<i64> = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Class(k) => labels[*k],
                        Pick::Positive => 1,
                        Pick::Negative => 0,
                    })
                    .collect();
                Tensor::from_shape(&[n], &v)?
            }
            Labels::Strings(labels) => {
                let v: Vec<String> = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Class(k) => labels[*k].clone(),
                        Pick::Positive => labels[1].clone(),
                        Pick::Negative => labels[0].clone(),
                    })
                    .collect();
                tract_ndarray::Array1::from(v).into_dyn().into()
            }
        })
    }
}

impl Expansion for TreeEnsembleRegressor {
    fn name(&self) -> StaticName {
        "TreeEnsembleRegressor".into()
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 1)?;
        check_output_arity(outputs, 1)?;
        s.equals(&outputs[0].datum_type, DatumType::F32)?;
        s.equals(&outputs[0].rank, 2)?;
        s.equals(&outputs[0].shape[1], self.ensemble.n_targets.to_dim())?;
        s.given(&inputs[0].rank, move |s, rank| {
            if rank == 1 {
                s.equals(&outputs[0].shape[0], 1.to_dim())?;
            } else {
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])?;
            }
            Ok(())
        })?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        model.wire_node(
            prefix,
            TreeEnsembleRegressorOp {
                ensemble: self.ensemble.clone(),
            },
            inputs,
        )
    }
}

impl Op for TreeEnsembleRegressorOp {
    fn name(&self) -> StaticName {
        "TreeEnsembleRegressor".into()
    }

    op_as_typed_op!();
}

impl EvalOp for TreeEnsembleRegressorOp {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let (rows, width, wide) = rows_and_width(&input)?;
        let x = input.cast_to::<f64>()?;
        let x = x.try_as_plain_ram()?.as_slice::<f64>()?;
        let out = if wide {
            self.ensemble.regress::<f64, true>(rows, width, x)?
        } else {
            self.ensemble.regress::<f32, false>(rows, width, x)?
        };
        let out = Tensor::from_shape(&[rows, self.ensemble.n_targets], &out)?;
        Ok(tvec!(out.into_tvalue()))
    }
}

impl TypedOp for TreeEnsembleRegressorOp {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let n = batch_dim(inputs[0])?;
        Ok(tvec!(f32::fact([n, self.ensemble.n_targets.to_dim()])))
    }

    as_op!();
}

/// `(rows, features, double precision)` of a tree-ensemble input.
fn rows_and_width(input: &Tensor) -> TractResult<(usize, usize, bool)> {
    let shape = input.shape();
    let (rows, width) = match shape {
        [c] => (1, *c),
        [n, c] => (*n, *c),
        _ => bail!("tree ensembles expect a 1-D or 2-D input, got shape {shape:?}"),
    };
    Ok((rows, width, input.datum_type() == f64::datum_type()))
}

/// The output batch axis of a tree ensemble for its input fact.
fn batch_dim(input: &TypedFact) -> TractResult<TDim> {
    let dt = input.datum_type;
    ensure!(
        dt.is_float() || dt == i64::datum_type() || dt == i32::datum_type(),
        "tree ensembles take float, double, int64 or int32 inputs, not {dt:?}"
    );
    Ok(match input.rank() {
        1 => 1.to_dim(),
        2 => input.shape[0].clone(),
        r => bail!("tree ensembles expect a 1-D or 2-D input, got rank {r}"),
    })
}

impl Expansion for TreeEnsembleClassifier {
    fn name(&self) -> StaticName {
        "TreeEnsembleClassifier".into()
    }

    fn nboutputs(&self) -> TractResult<usize> {
        Ok(2)
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        check_input_arity(inputs, 1)?;
        check_output_arity(outputs, 2)?;
        s.equals(&outputs[0].datum_type, self.op.labels.datum_type())?;
        s.equals(&outputs[1].datum_type, DatumType::F32)?;
        s.equals(&outputs[0].rank, 1)?;
        s.equals(&outputs[1].rank, 2)?;
        s.equals(&outputs[1].shape[1], self.op.labels.len().to_dim())?;
        s.equals(&outputs[0].shape[0], &outputs[1].shape[0])?;
        s.given(&inputs[0].rank, move |s, rank| {
            if rank == 1 {
                s.equals(&outputs[0].shape[0], 1.to_dim())?;
            } else {
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])?;
            }
            Ok(())
        })?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        model.wire_node(prefix, self.op.clone(), inputs)
    }
}

impl Op for TreeEnsembleClassifierOp {
    fn name(&self) -> StaticName {
        "TreeEnsembleClassifier".into()
    }

    op_as_typed_op!();
}

impl EvalOp for TreeEnsembleClassifierOp {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let (rows, width, wide) = rows_and_width(&input)?;
        let x = input.cast_to::<f64>()?;
        let x = x.try_as_plain_ram()?.as_slice::<f64>()?;
        let (picks, probs) = if wide {
            self.classify::<f64, true>(rows, width, x)?
        } else {
            self.classify::<f32, false>(rows, width, x)?
        };
        let labels = self.label_tensor(&picks)?;
        let probs = Tensor::from_shape(&[rows, self.labels.len()], &probs)?;
        Ok(tvec!(labels.into_tvalue(), probs.into_tvalue()))
    }
}

impl TypedOp for TreeEnsembleClassifierOp {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let n = batch_dim(inputs[0])?;
        Ok(tvec!(
            self.labels.datum_type().fact([n.clone()]),
            f32::fact([n, self.labels.len().to_dim()])
        ))
    }

    as_op!();
}

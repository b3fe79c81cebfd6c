//! Reading the tree-ensemble operators' attributes into a validated [`Ensemble`].

use super::{Aggregate, Ensemble, Mode, Node, TreeEnsembleClassifierOp};
use crate::ops::attrs::{attr, choice, float_list, int_list, string_list};
use crate::ops::post_transform::parse_post_transform;
use crate::ops::scoring::Labels;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

pub(super) fn parse_regressor(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Ensemble> {
    let n_targets = match attr(node, "n_targets") {
        Some(a) => index(a.i, "n_targets")?,
        None => bail!("attribute n_targets is missing"),
    };
    ensure!(n_targets > 0, "n_targets must be positive");
    let aggregate = choice(
        node,
        "aggregate_function",
        &[
            Aggregate::Sum,
            Aggregate::Average,
            Aggregate::Min,
            Aggregate::Max,
        ],
    )?;
    parse_ensemble(ctx, node, "target", n_targets, aggregate, false)
}

pub(super) fn parse_classifier(
    ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<TreeEnsembleClassifierOp> {
    let ints = attr(node, "classlabels_int64s");
    let strings = attr(node, "classlabels_strings");
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
    if let Some(attr) = attr(node, &tensor_name) {
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

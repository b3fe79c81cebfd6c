//! Trees: scikit-learn's `Tree` (from skops' `TreeNode`, validated so a walk always ends),
//! `DecisionTreeClassifier`/`Regressor` and the forests (`RandomForest*`, `ExtraTrees*`).
//! Inputs are compared as float32, as sklearn converts `X` to float32 before walking; NaN goes
//! where `missing_go_to_left` says.

use crate::error::SklearnError;
use crate::estimator::{row_output, Classes, Estimator, Fitted, Method, Output};
use crate::frame::Matrix;
use signet_skops::{Node, NodeKind};

/// A fitted `sklearn.tree._tree.Tree` (single output).
#[derive(Debug)]
pub struct Tree {
    left: Vec<usize>,
    right: Vec<usize>,
    feature: Vec<usize>,
    threshold: Vec<f64>,
    missing_left: Vec<bool>,
    leaf: Vec<bool>,
    /// `value[node]` (n_outputs = 1): `stride` numbers per node.
    value: Vec<f64>,
    stride: usize,
    /// The number of features.
    pub n_features: usize,
}

impl Tree {
    /// Reads `tree_` (a skops `TreeNode`).
    pub fn load(node: &Node) -> Result<Tree, SklearnError> {
        let NodeKind::Reduce { args, .. } = &node.kind else {
            return Err(node.error(format!("tree_ is {}", node.describe())).into());
        };
        let args = args.list()?;
        let [n_features, _n_classes, n_outputs] = args else {
            return Err(node
                .error("Tree's constructor arguments are not (n_features, n_classes, n_outputs)")
                .into());
        };
        let n_features = n_features.i64()? as usize;
        if n_outputs.i64()? != 1 {
            return Err(node
                .error("multi-output trees are not implemented by signet")
                .into());
        }
        let nodes_node = node.attr("nodes")?;
        let nodes = nodes_node
            .ndarray()
            .ok_or_else(|| nodes_node.error("nodes is not an array"))?;
        let field = |name: &str| {
            nodes
                .data
                .field(name)
                .ok_or_else(|| nodes_node.error(format!("nodes has no field `{name}`")))
        };
        let ints = |name: &str| -> Result<Vec<i64>, SklearnError> {
            field(name)?.to_i64().ok_or_else(|| {
                nodes_node
                    .error(format!("field `{name}` is not integer"))
                    .into()
            })
        };
        let left = ints("left_child")?;
        let right = ints("right_child")?;
        let feature = ints("feature")?;
        let threshold = field("threshold")?
            .to_f64()
            .ok_or_else(|| nodes_node.error("field `threshold` is not numeric"))?;
        let missing: Vec<bool> = match nodes.data.field("missing_go_to_left") {
            Some(m) => m
                .to_i64()
                .unwrap_or_default()
                .into_iter()
                .map(|v| v != 0)
                .collect(),
            None => vec![false; left.len()],
        };
        let count = left.len();
        let values_node = node.attr("values")?;
        let (value, shape) = values_node.f64_array()?;
        let stride = match shape.as_slice() {
            [c, 1, k] if *c == count => *k,
            s => {
                return Err(values_node
                    .error(format!("values has shape {s:?} for {count} nodes"))
                    .into())
            }
        };
        let mut t = Tree {
            left: Vec::with_capacity(count),
            right: Vec::with_capacity(count),
            feature: Vec::with_capacity(count),
            leaf: Vec::with_capacity(count),
            threshold,
            missing_left: missing,
            value,
            stride,
            n_features,
        };
        if count == 0 || t.threshold.len() != count || t.missing_left.len() != count {
            return Err(nodes_node.error("inconsistent tree arrays").into());
        }
        for i in 0..count {
            let is_leaf = left[i] == -1;
            t.leaf.push(is_leaf);
            if is_leaf {
                t.left.push(0);
                t.right.push(0);
                t.feature.push(0);
                continue;
            }
            // Children come after their parent in sklearn's depth-first layout, so a walk ends.
            let ok = |c: i64| c > i as i64 && (c as usize) < count;
            if !ok(left[i]) || !ok(right[i]) || feature[i] < 0 || feature[i] as usize >= n_features
            {
                return Err(nodes_node
                    .error(format!("node {i} has invalid children or feature"))
                    .into());
            }
            t.left.push(left[i] as usize);
            t.right.push(right[i] as usize);
            t.feature.push(feature[i] as usize);
        }
        Ok(t)
    }

    /// The leaf a row ends in.
    pub fn apply(&self, row: &[f64]) -> usize {
        let mut n = 0;
        while !self.leaf[n] {
            let x = row[self.feature[n]];
            let go_left = if x.is_nan() {
                self.missing_left[n]
            } else {
                f64::from(x as f32) <= self.threshold[n]
            };
            n = if go_left { self.left[n] } else { self.right[n] };
        }
        n
    }

    /// `value[leaf]`.
    pub fn value(&self, leaf: usize) -> &[f64] {
        &self.value[leaf * self.stride..(leaf + 1) * self.stride]
    }
}

/// A decision tree, as its own estimator or inside a forest.
#[derive(Debug)]
pub struct DecisionTree {
    fitted: Fitted,
    tree: Tree,
    classes: Option<Classes>,
}

impl DecisionTree {
    /// Reads a fitted `DecisionTreeClassifier`/`DecisionTreeRegressor`.
    pub fn load(node: &Node) -> Result<DecisionTree, SklearnError> {
        let tree = Tree::load(node.attr("tree_")?)?;
        let classes = Classes::of_classifier(node)?;
        if let Some(c) = &classes {
            if c.len() > tree.stride {
                return Err(node.error("more classes than tree values").into());
            }
        }
        Ok(DecisionTree {
            fitted: Fitted::predictor(node, tree.n_features, &classes)?.allowing_nan(),
            tree,
            classes,
        })
    }

    /// Class probabilities of one row (normalised leaf values).
    fn proba_row(&self, row: &[f64], n_classes: usize, out: &mut [f64]) {
        let v = &self.tree.value(self.tree.apply(row))[..n_classes];
        let sum: f64 = v.iter().sum();
        let norm = if sum == 0.0 { 1.0 } else { sum };
        for (o, x) in out.iter_mut().zip(v) {
            *o = x / norm;
        }
    }

    /// The regression value of one row.
    fn value_row(&self, row: &[f64]) -> f64 {
        self.tree.value(self.tree.apply(row))[0]
    }
}

impl Estimator for DecisionTree {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        Ok(row_output(
            &x,
            self.classes.as_ref(),
            method,
            |row| self.value_row(row),
            |row, out| self.proba_row(row, out.len(), out),
        ))
    }
}

/// `RandomForest*` and `ExtraTrees*`: the mean of the trees.
#[derive(Debug)]
pub struct Forest {
    fitted: Fitted,
    trees: Vec<DecisionTree>,
    classes: Option<Classes>,
}

impl Forest {
    /// Reads a fitted forest.
    pub fn load(node: &Node) -> Result<Forest, SklearnError> {
        let trees = node
            .attr("estimators_")?
            .list()?
            .iter()
            .map(|t| {
                if t.class.starts_with("DecisionTree") || t.class.starts_with("ExtraTree") {
                    DecisionTree::load(t)
                } else {
                    Err(t
                        .error(format!("a forest member is {}", t.type_name()))
                        .into())
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let Some(first) = trees.first() else {
            return Err(node.error("the forest has no trees").into());
        };
        let n_features = first.tree.n_features;
        let classes = Classes::of_classifier(node)?;
        if let Some(c) = &classes {
            if trees.iter().any(|t| t.tree.stride < c.len()) {
                return Err(node.error("a tree has fewer values than classes").into());
            }
        }
        if trees.iter().any(|t| t.tree.n_features != n_features) {
            return Err(node
                .error("the trees disagree on the number of features")
                .into());
        }
        Ok(Forest {
            fitted: Fitted::predictor(node, n_features, &classes)?.allowing_nan(),
            trees,
            classes,
        })
    }
}

impl Estimator for Forest {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let n = self.trees.len() as f64;
        let mut buf = Vec::new();
        Ok(row_output(
            &x,
            self.classes.as_ref(),
            method,
            |row| {
                let mut sum = 0.0;
                for t in &self.trees {
                    sum += t.value_row(row);
                }
                sum / n
            },
            |row, out| {
                let k = out.len();
                buf.resize(k, 0.0);
                for t in &self.trees {
                    t.proba_row(row, k, &mut buf);
                    for (o, b) in out.iter_mut().zip(&buf) {
                        *o += b;
                    }
                }
                out.iter_mut().for_each(|o| *o /= n);
            },
        ))
    }
}

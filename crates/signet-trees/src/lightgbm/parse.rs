//! The LightGBM text model format (`GBDT::SaveModelToString`, `Tree::ToString`): the header,
//! `Tree=` blocks, and the trailing `pandas_categorical:` line. Errors name the line number
//! and key.

use super::objective::Objective;
use super::{Booster, LinearLeaves, PandasCategory};
use crate::error::TreeError;
use crate::tree::{CatSets, Node, Tree, CATEGORICAL, DEFAULT_LEFT, MISSING_NAN, MISSING_ZERO};
use std::str::FromStr;

/// The most outputs a row (`num_tree_per_iteration`) of a model that has no trees.
const MAX_CLASSES_WITHOUT_TREES: usize = 1024;

/// Key/values of one block with the line of each key.
struct Block<'a> {
    lines: Vec<(usize, &'a str, &'a str)>,
    start: usize,
}

impl<'a> Block<'a> {
    fn find(&self, key: &str) -> Option<(usize, &'a str)> {
        self.lines
            .iter()
            .find(|(_, k, _)| *k == key)
            .map(|(l, _, v)| (*l, *v))
    }
}

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, line: usize, key: &str, message: impl Into<String>) -> TreeError {
        if key.is_empty() {
            TreeError::at(self.file, format!("line {line}"), message)
        } else {
            TreeError::at(self.file, format!("line {line}, key {key}"), message)
        }
    }

    fn req<'a>(&self, b: &Block<'a>, key: &str) -> Result<(usize, &'a str), TreeError> {
        b.find(key).ok_or_else(|| self.err(b.start, key, "missing"))
    }

    fn scalar<T: FromStr>(&self, b: &Block<'_>, key: &str) -> Result<T, TreeError> {
        let (line, v) = self.req(b, key)?;
        v.trim()
            .parse()
            .map_err(|_| self.err(line, key, format!("invalid value {:?}", truncate(v))))
    }

    fn array<T: FromStr>(&self, b: &Block<'_>, key: &str, n: usize) -> Result<Vec<T>, TreeError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let (line, v) = self.req(b, key)?;
        let out: Vec<T> = v
            .split_whitespace()
            .enumerate()
            .map(|(i, s)| {
                s.parse().map_err(|_| {
                    self.err(
                        line,
                        key,
                        format!("element {i}: invalid value {:?}", truncate(s)),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        if out.len() != n {
            return Err(self.err(line, key, format!("{} values, expected {n}", out.len())));
        }
        Ok(out)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Parses a whole model text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Booster, TreeError> {
    let ctx = Ctx { file };
    let mut blocks: Vec<Block<'_>> = Vec::new();
    let mut header_flags: Vec<&str> = Vec::new();
    let mut pandas_line = None;
    let mut cur: Option<Block<'_>> = None;
    let mut in_trees = true;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix("pandas_categorical:") {
            pandas_line = Some((line_no, rest));
            continue;
        }
        if !in_trees {
            continue;
        }
        if line == "end of trees" {
            in_trees = false;
            if let Some(b) = cur.take() {
                blocks.push(b);
            }
            continue;
        }
        if line.is_empty() {
            if let Some(b) = cur.take() {
                blocks.push(b);
            }
            continue;
        }
        let b = cur.get_or_insert_with(|| Block {
            lines: Vec::new(),
            start: line_no,
        });
        match line.split_once('=') {
            Some((k, v)) => b.lines.push((line_no, k, v)),
            None => {
                if blocks.is_empty() {
                    header_flags.push(line);
                }
            }
        }
    }
    if let Some(b) = cur.take() {
        blocks.push(b);
    }
    let mut it = blocks.into_iter();
    let header = it
        .next()
        .ok_or_else(|| ctx.err(1, "", "empty model file"))?;
    if header_flags.first() != Some(&"tree") {
        return Err(ctx.err(
            1,
            "",
            "not a LightGBM text model (the first line is not `tree`)",
        ));
    }
    let num_class: usize = ctx.scalar(&header, "num_class")?;
    let per_iter: usize = ctx.scalar(&header, "num_tree_per_iteration")?;
    let max_feature_idx: usize = ctx.scalar(&header, "max_feature_idx")?;
    if per_iter == 0 {
        return Err(ctx.err(header.start, "num_tree_per_iteration", "must be positive"));
    }
    let num_features = max_feature_idx
        .checked_add(1)
        .ok_or_else(|| ctx.err(header.start, "max_feature_idx", "out of range"))?;
    let objective = match header.find("objective") {
        Some((line, v)) => Objective::parse(v).map_err(|m| ctx.err(line, "objective", m))?,
        None => Objective::Identity,
    };
    let feature_names: Vec<String> = match header.find("feature_names") {
        Some((line, v)) => {
            let names: Vec<String> = v.split(' ').map(str::to_string).collect();
            if names.len() != num_features {
                return Err(ctx.err(
                    line,
                    "feature_names",
                    format!("{} names for {num_features} features", names.len()),
                ));
            }
            names
        }
        None => Vec::new(),
    };
    let average_output = header_flags.contains(&"average_output");

    let mut trees = Vec::new();
    for b in it {
        if b.find("Tree").is_none() {
            continue; // feature importances / parameters
        }
        trees.push(tree(&ctx, &b, num_features)?);
    }
    // Each prediction allocates `num_tree_per_iteration` values a row: without trees (where
    // the multiple test below passes for any value) it is held to a plausible class count.
    if trees.is_empty() && per_iter > MAX_CLASSES_WITHOUT_TREES {
        return Err(ctx.err(
            header.start,
            "num_tree_per_iteration",
            format!(
                "{per_iter} outputs for a model without trees (at most {MAX_CLASSES_WITHOUT_TREES})"
            ),
        ));
    }
    if trees.len() % per_iter != 0 {
        return Err(ctx.err(
            header.start,
            "num_tree_per_iteration",
            format!("{} trees is not a multiple of {per_iter}", trees.len()),
        ));
    }
    let pandas_categorical = match pandas_line {
        Some((line, v)) => pandas(&ctx, line, v)?,
        None => None,
    };
    let forest =
        super::forest(trees.iter().map(|(t, _)| t)).map_err(|e| TreeError::at(file, "trees", e))?;
    let linear = trees.iter().any(|(_, l)| l.is_some());
    Ok(Booster {
        forest,
        linear,
        num_class,
        num_tree_per_iteration: per_iter,
        num_features,
        objective,
        average_output,
        feature_names,
        trees,
        pandas_categorical,
    })
}

fn tree(
    ctx: &Ctx<'_>,
    b: &Block<'_>,
    num_features: usize,
) -> Result<(Tree<f64>, Option<LinearLeaves>), TreeError> {
    let num_leaves: usize = ctx.scalar(b, "num_leaves")?;
    if num_leaves == 0 {
        return Err(ctx.err(b.start, "num_leaves", "must be positive"));
    }
    let num_cat: usize = ctx.scalar(b, "num_cat")?;
    let n_int = num_leaves - 1;
    let leaf_value: Vec<f64> = ctx.array(b, "leaf_value", num_leaves)?;
    let split_feature: Vec<u32> = ctx.array(b, "split_feature", n_int)?;
    let threshold: Vec<f64> = ctx.array(b, "threshold", n_int)?;
    let decision_type: Vec<i16> = ctx.array(b, "decision_type", n_int)?;
    let left: Vec<i64> = ctx.array(b, "left_child", n_int)?;
    let right: Vec<i64> = ctx.array(b, "right_child", n_int)?;
    let mut sets = CatSets::default();
    if num_cat > 0 {
        let n_bounds = num_cat
            .checked_add(1)
            .ok_or_else(|| ctx.err(b.start, "num_cat", "out of range"))?;
        let bounds: Vec<usize> = ctx.array(b, "cat_boundaries", n_bounds)?;
        let total = *bounds.last().unwrap_or(&0);
        let words: Vec<u32> = ctx.array(b, "cat_threshold", total)?;
        for w in bounds.windows(2) {
            let s = words
                .get(w[0]..w[1])
                .ok_or_else(|| ctx.err(b.start, "cat_boundaries", "not increasing"))?;
            sets.push_words(s);
        }
    }
    let node_of = |c: i64| -> Option<u32> {
        let idx = if c >= 0 {
            usize::try_from(c).ok()?
        } else {
            n_int + usize::try_from(!c).ok()?
        };
        u32::try_from(idx).ok().filter(|i| *i != u32::MAX)
    };
    let mut nodes = Vec::with_capacity(n_int + num_leaves);
    for i in 0..n_int {
        let dt = decision_type[i];
        let (Some(l), Some(r)) = (node_of(left[i]), node_of(right[i])) else {
            return Err(ctx.err(
                b.start,
                "left_child",
                format!("node {i} has invalid children"),
            ));
        };
        let mut flags = 0u8;
        if dt & 2 != 0 {
            flags |= DEFAULT_LEFT;
        }
        match (dt >> 2) & 3 {
            1 => flags |= MISSING_ZERO,
            2 => flags |= MISSING_NAN,
            _ => {}
        }
        let mut cats = 0;
        if dt & 1 != 0 {
            flags |= CATEGORICAL;
            let t = threshold[i];
            if !(t >= 0.0 && t < num_cat as f64) {
                return Err(ctx.err(
                    b.start,
                    "threshold",
                    format!("node {i}: category set {t} out of range"),
                ));
            }
            cats = t as u32;
        }
        nodes.push(Node {
            value: threshold[i],
            feature: split_feature[i],
            left: l,
            right: r,
            flags,
            cats,
        });
    }
    for (k, v) in leaf_value.iter().enumerate() {
        let mut leaf = Node::leaf(*v);
        leaf.feature = k as u32; // the leaf's index, for linear trees
        nodes.push(leaf);
    }
    let is_linear = matches!(b.find("is_linear"), Some((_, v)) if v.trim() == "1");
    let linear = if is_linear {
        let leaf_const: Vec<f64> = ctx.array(b, "leaf_const", num_leaves)?;
        let num_feat: Vec<usize> = ctx.array(b, "num_features", num_leaves)?;
        let total = num_feat
            .iter()
            .try_fold(0usize, |a, n| a.checked_add(*n))
            .ok_or_else(|| ctx.err(b.start, "num_features", "out of range"))?;
        let feats: Vec<u32> = ctx.array(b, "leaf_features", total)?;
        let coeffs: Vec<f64> = ctx.array(b, "leaf_coeff", total)?;
        if let Some(f) = feats.iter().find(|f| **f as usize >= num_features) {
            return Err(ctx.err(
                b.start,
                "leaf_features",
                format!("feature {f} out of range"),
            ));
        }
        let mut features = Vec::with_capacity(num_leaves);
        let mut coeff = Vec::with_capacity(num_leaves);
        let mut at = 0;
        for n in &num_feat {
            features.push(feats[at..at + n].to_vec());
            coeff.push(coeffs[at..at + n].to_vec());
            at += n;
        }
        Some(LinearLeaves {
            leaf_const,
            features,
            coeff,
        })
    } else {
        None
    };
    let t = Tree::new(nodes, sets, num_features).map_err(|m| ctx.err(b.start, "", m))?;
    Ok((t, linear))
}

fn pandas(
    ctx: &Ctx<'_>,
    line: usize,
    v: &str,
) -> Result<Option<Vec<Vec<PandasCategory>>>, TreeError> {
    let doc = crate::json::parse(v.trim().as_bytes(), ctx.file)
        .map_err(|e| ctx.err(line, "pandas_categorical", e.message))?;
    use crate::value::Value;
    match doc {
        Value::Null => Ok(None),
        Value::Array(cols) => cols
            .into_iter()
            .map(|c| match c {
                Value::Array(items) => items
                    .into_iter()
                    .map(|x| match x {
                        Value::Str(s) => Ok(PandasCategory::Str(s)),
                        Value::Int(i) => Ok(PandasCategory::Num(i as f64)),
                        Value::Float { f64, .. } => Ok(PandasCategory::Num(f64)),
                        Value::Bool(b) => Ok(PandasCategory::Num(f64::from(u8::from(b)))),
                        _ => Err(ctx.err(line, "pandas_categorical", "unsupported category value")),
                    })
                    .collect(),
                _ => Err(ctx.err(line, "pandas_categorical", "expected a list of lists")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => Err(ctx.err(
            line,
            "pandas_categorical",
            "expected a list of lists or null",
        )),
    }
}

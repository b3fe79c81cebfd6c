//! Reading an XGBoost model document (JSON or UBJSON, `doc/model.schema`) into [`Model`].

use super::objective::Objective;
use super::{Booster, Categories, Model, Sklearn, TreeEnsemble};
use crate::error::TreeError;
use crate::tree::{CatSets, Node, Tree, CATEGORICAL, DEFAULT_LEFT};
use crate::value::{At, Value};

/// Builds the model from a parsed document.
pub fn from_value(doc: &Value, file: &str) -> Result<Model, TreeError> {
    let root = At::root(doc, file);
    let learner = root.get("learner")?;
    let mparam = learner.get("learner_model_param")?;
    let num_feature = mparam.get("num_feature")?.count()?;
    if num_feature == 0 {
        return Err(mparam
            .get("num_feature")?
            .error("the model has no features"));
    }
    let num_class = match mparam.opt("num_class")? {
        Some(v) => v.count()?,
        None => 0,
    };
    let num_target = match mparam.opt("num_target")? {
        Some(v) => v.count()?.max(1),
        None => 1,
    };
    if num_target > 1 && num_class > 1 {
        return Err(mparam.error("multi-target multi-class models are not supported"));
    }
    let groups = num_class
        .max(1)
        .checked_mul(num_target)
        .filter(|g| *g <= 1 << 20)
        .ok_or_else(|| mparam.error("num_class / num_target out of range"))?;
    let obj_at = learner.get("objective")?.get("name")?;
    let objective_name = obj_at.str()?.to_string();
    let objective = Objective::from_name(&objective_name).ok_or_else(|| {
        obj_at.error(format!(
            "objective {objective_name:?} is not supported by signet"
        ))
    })?;

    let bs_at = mparam.get("base_score")?;
    let mut base: Vec<f32> = match bs_at.value {
        Value::Str(s) => {
            let v = crate::json::parse(s.as_bytes(), file)
                .map_err(|e| bs_at.error(format!("invalid base_score {s:?}: {}", e.message)))?;
            let inner = At::root(&v, file);
            match &v {
                Value::Array(_) => inner.f32s().map_err(|e| bs_at.error(e.message))?,
                _ => vec![inner.f32s_scalar().map_err(|e| bs_at.error(e.message))?],
            }
        }
        _ => bs_at.f32s()?,
    };
    if base.len() == 1 && groups > 1 {
        base = vec![base[0]; groups];
    }
    if base.len() != groups {
        return Err(bs_at.error(format!(
            "base_score has {} values for {groups} outputs",
            base.len()
        )));
    }
    let base_margin: Vec<f32> = base.iter().map(|v| objective.prob_to_margin(*v)).collect();

    let feature_names = match learner.opt("feature_names")? {
        Some(a) => strings(&a)?,
        None => Vec::new(),
    };
    let feature_types = match learner.opt("feature_types")? {
        Some(a) => strings(&a)?,
        None => Vec::new(),
    };
    if !feature_names.is_empty() && feature_names.len() != num_feature {
        return Err(learner.error(format!(
            "{} feature_names for {num_feature} features",
            feature_names.len()
        )));
    }

    let mut best_iteration = None;
    let mut sklearn = None;
    if let Some(attrs) = learner.opt("attributes")? {
        if let Some(b) = attrs.opt("best_iteration")? {
            best_iteration = Some(b.count()?);
        }
        if let Some(s) = attrs.opt("scikit_learn")? {
            sklearn = Some(parse_sklearn(&s)?);
        }
    }

    let gb = learner.get("gradient_booster")?;
    let gb_name = gb.get("name")?.str()?.to_string();
    let (booster, cats) = match gb_name.as_str() {
        "gbtree" => {
            let m = gb.get("model")?;
            (
                Booster::Trees(Box::new(trees(&m, num_feature, groups, None)?)),
                cats_of(&m)?,
            )
        }
        "dart" => {
            let inner = gb.get("gbtree")?;
            let m = inner.get("model")?;
            let w = gb.get("weight_drop")?.f32s()?;
            (
                Booster::Trees(Box::new(trees(&m, num_feature, groups, Some(w))?)),
                cats_of(&m)?,
            )
        }
        "gblinear" => {
            let m = gb.get("model")?;
            let wa = m.get("weights")?;
            let weights = wa.f32s()?;
            if num_feature
                .checked_add(1)
                .and_then(|n| n.checked_mul(groups))
                != Some(weights.len())
            {
                return Err(wa.error(format!(
                    "{} weights for {num_feature} features and {groups} outputs",
                    weights.len()
                )));
            }
            (Booster::Linear { weights }, None)
        }
        other => return Err(gb.get("name")?.error(format!("unknown booster {other:?}"))),
    };

    Ok(Model {
        feature_names,
        feature_types,
        num_feature,
        groups,
        num_class,
        objective,
        objective_name,
        base_margin,
        booster,
        best_iteration,
        sklearn,
        cats,
    })
}

impl At<'_> {
    fn f32s_scalar(&self) -> Result<f32, TreeError> {
        match self.value {
            Value::Float { f32, .. } => Ok(*f32),
            Value::Int(i) => Ok(*i as f32),
            _ => Err(self.error("expected a number")),
        }
    }
}

fn strings(a: &At<'_>) -> Result<Vec<String>, TreeError> {
    a.items()?
        .iter()
        .map(|s| s.str().map(str::to_string))
        .collect()
}

fn parse_sklearn(s: &At<'_>) -> Result<Sklearn, TreeError> {
    let text = s.str()?;
    let v = crate::json::parse(text.as_bytes(), s.file)
        .map_err(|e| s.error(format!("invalid scikit_learn attribute: {}", e.message)))?;
    let at = At::root(&v, s.file);
    let n_classes = match at.opt("n_classes_")? {
        Some(n) => Some(n.count().map_err(|e| s.error(e.message))?),
        None => None,
    };
    let estimator_type = match at.opt("_estimator_type")? {
        Some(t) => t.str().map_err(|e| s.error(e.message))?.to_string(),
        None => String::new(),
    };
    Ok(Sklearn {
        n_classes,
        estimator_type,
    })
}

fn trees(
    m: &At<'_>,
    num_feature: usize,
    groups: usize,
    weight_drop: Option<Vec<f32>>,
) -> Result<TreeEnsemble, TreeError> {
    let items = m.get("trees")?.items()?;
    let tree_info_at = m.get("tree_info")?;
    let tree_info: Vec<usize> = tree_info_at
        .ints()?
        .into_iter()
        .map(|g| usize::try_from(g).ok().filter(|g| *g < groups))
        .collect::<Option<_>>()
        .ok_or_else(|| tree_info_at.error(format!("a group is outside 0..{groups}")))?;
    if tree_info.len() != items.len() {
        return Err(tree_info_at.error(format!(
            "{} entries for {} trees",
            tree_info.len(),
            items.len()
        )));
    }
    let indptr = match m.opt("iteration_indptr")? {
        Some(a) => {
            let v: Vec<usize> = a
                .ints()?
                .into_iter()
                .map(|i| usize::try_from(i).ok().filter(|i| *i <= items.len()))
                .collect::<Option<_>>()
                .ok_or_else(|| a.error("an entry is outside the tree list"))?;
            if v.first() != Some(&0) || v.windows(2).any(|w| w[0] > w[1]) {
                return Err(a.error("not a non-decreasing list starting at 0"));
            }
            v
        }
        None => {
            let param = m.get("gbtree_model_param")?;
            let npt = param.get("num_parallel_tree")?.count()?.max(1);
            let per = npt * groups;
            (0..=items.len().div_ceil(per))
                .map(|i| (i * per).min(items.len()))
                .collect()
        }
    };
    if let Some(w) = &weight_drop {
        if w.len() != items.len() {
            return Err(m.error(format!(
                "weight_drop has {} weights for {} trees",
                w.len(),
                items.len()
            )));
        }
    }
    let trees = items
        .iter()
        .map(|t| tree(t, num_feature))
        .collect::<Result<Vec<_>, _>>()?;
    let forest = super::predict::forest(&trees).map_err(|e| m.error(e))?;
    Ok(TreeEnsemble {
        trees,
        forest,
        tree_info,
        iteration_indptr: indptr,
        weight_drop,
    })
}

fn tree(t: &At<'_>, num_feature: usize) -> Result<Tree<f32>, TreeError> {
    let param = t.get("tree_param")?;
    if let Some(s) = param.opt("size_leaf_vector")? {
        if s.count()? > 1 {
            return Err(s.error("vector-leaf (multi-target) trees are not supported"));
        }
    }
    let left = t.get("left_children")?.ints()?;
    let right = t.get("right_children")?.ints()?;
    let feat = t.get("split_indices")?.ints()?;
    let cond = t.get("split_conditions")?.f32s()?;
    let dl = t.get("default_left")?.ints()?;
    let n = left.len();
    let stype = match t.opt("split_type")? {
        Some(a) => a.ints()?,
        None => vec![0; n],
    };
    for (name, len) in [
        ("right_children", right.len()),
        ("split_indices", feat.len()),
        ("split_conditions", cond.len()),
        ("default_left", dl.len()),
        ("split_type", stype.len()),
    ] {
        if len != n {
            return Err(t.get(name)?.error(format!("{len} entries for {n} nodes")));
        }
    }
    let mut cat_sets = CatSets::default();
    let mut node_set = vec![None; n];
    if let Some(cn) = t.opt("categories_nodes")? {
        let nodes = cn.ints()?;
        let cats_at = t.get("categories")?;
        let cats = cats_at.ints()?;
        let segs = t.get("categories_segments")?.ints()?;
        let sizes = t.get("categories_sizes")?.ints()?;
        if segs.len() != nodes.len() || sizes.len() != nodes.len() {
            return Err(cn.error("categories_nodes, _segments and _sizes differ in length"));
        }
        for k in 0..nodes.len() {
            let (nid, beg, size) = (nodes[k], segs[k], sizes[k]);
            let members: Option<Vec<u32>> = usize::try_from(beg)
                .ok()
                .zip(usize::try_from(size).ok())
                .and_then(|(b, s)| cats.get(b..b.checked_add(s)?))
                .and_then(|c| c.iter().map(|x| u32::try_from(*x).ok()).collect());
            let members = members
                .ok_or_else(|| cats_at.error(format!("bad category segment for node {nid}")))?;
            let slot = usize::try_from(nid)
                .ok()
                .and_then(|i| node_set.get_mut(i))
                .ok_or_else(|| cn.error(format!("node {nid} out of range")))?;
            *slot = Some(cat_sets.push_members(&members));
        }
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        if left[i] == -1 {
            nodes.push(Node::leaf(cond[i]));
            continue;
        }
        let child = |c: i64| u32::try_from(c).ok().filter(|c| *c != u32::MAX);
        let (Some(l), Some(r)) = (child(left[i]), child(right[i])) else {
            return Err(t.error(format!("node {i} has invalid children")));
        };
        let feature = u32::try_from(feat[i])
            .map_err(|_| t.error(format!("node {i} has feature {}", feat[i])))?;
        let mut flags = if dl[i] != 0 { DEFAULT_LEFT } else { 0 };
        let mut cats = 0;
        if stype[i] == 1 {
            flags |= CATEGORICAL;
            cats = node_set[i]
                .ok_or_else(|| t.error(format!("categorical node {i} has no categories")))?;
        }
        nodes.push(Node {
            value: cond[i],
            feature,
            left: l,
            right: r,
            flags,
            cats,
        });
    }
    Tree::new(nodes, cat_sets, num_feature).map_err(|e| t.error(e))
}

fn cats_of(m: &At<'_>) -> Result<Option<Vec<Option<Categories>>>, TreeError> {
    let Some(c) = m.opt("cats")? else {
        return Ok(None);
    };
    let Some(enc) = c.opt("enc")? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for col in enc.items()? {
        if let Some(off) = col.opt("offsets")? {
            let offsets = off.ints()?;
            let bytes: Vec<u8> = col
                .get("values")?
                .ints()?
                .into_iter()
                .map(|b| b as u8)
                .collect();
            let mut names = Vec::new();
            for w in offsets.windows(2) {
                let s = usize::try_from(w[0])
                    .ok()
                    .zip(usize::try_from(w[1]).ok())
                    .and_then(|(a, b)| bytes.get(a..b))
                    .ok_or_else(|| off.error("category offsets out of range"))?;
                names.push(String::from_utf8_lossy(s).into_owned());
            }
            out.push(if names.is_empty() {
                None
            } else {
                Some(Categories::Strings(names))
            });
        } else {
            let v = col.get("values")?;
            let nums: Vec<f64> = match v.value {
                Value::F32s(x) => x.iter().map(|f| f64::from(*f)).collect(),
                Value::F64s(x) => x.clone(),
                _ => v.ints()?.into_iter().map(|i| i as f64).collect(),
            };
            out.push(if nums.is_empty() {
                None
            } else {
                Some(Categories::Numbers(nums))
            });
        }
    }
    Ok(Some(out))
}

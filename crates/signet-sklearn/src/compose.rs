//! Composition: `Pipeline` (transformers then a final estimator), `ColumnTransformer` (by
//! name, index or mask; remainder drop/passthrough) and the identity `FunctionTransformer`
//! sklearn fits for `remainder="passthrough"`.

use crate::error::SklearnError;
use crate::estimator::{n_features, Estimator, Fitted, Loader, Method, Methods, Output};
use crate::frame::Frame;
use signet_skops::{ArrayData, Json, Node, NodeKind};

/// A step that is `"passthrough"` or `None`.
fn is_passthrough(node: &Node) -> bool {
    node.is_none() || matches!(node.json(), Some(Json::Str(s)) if s == "passthrough")
}

/// `Pipeline`.
#[derive(Debug)]
pub struct Pipeline {
    fitted: Fitted,
    steps: Vec<Box<dyn Estimator>>,
    last: Option<Box<dyn Estimator>>,
}

impl Pipeline {
    /// Reads a fitted pipeline, its steps with `build` (the registry's, passed in because a
    /// pipeline's steps may be any registered estimator, pipelines included).
    pub fn load(node: &Node, build: Loader) -> Result<Pipeline, SklearnError> {
        let steps = node.attr("steps")?.list()?;
        let mut built = Vec::with_capacity(steps.len());
        for step in steps {
            let est = step
                .list()?
                .get(1)
                .ok_or_else(|| step.error("a pipeline step is not a (name, estimator) pair"))?;
            built.push(if is_passthrough(est) {
                None
            } else {
                Some(build(est)?)
            });
        }
        let last = built.pop().flatten();
        let mut middle = Vec::new();
        for (i, s) in built.into_iter().enumerate() {
            if let Some(s) = s {
                if !s.is_transformer() {
                    return Err(steps[i]
                        .error(format!(
                            "All intermediate steps should be transformers; {} is not",
                            s.class()
                        ))
                        .into());
                }
                middle.push(s);
            }
        }
        Ok(Pipeline {
            fitted: Fitted::unchecked("Pipeline", Methods::Predict),
            steps: middle,
            last,
        })
    }

    fn run(&self, mut x: Frame) -> Result<Frame, SklearnError> {
        for s in &self.steps {
            x = s.transform(x)?;
        }
        Ok(x)
    }
}

/// A pipeline's methods are its last step's.
impl Estimator for Pipeline {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn is_transformer(&self) -> bool {
        self.last.as_ref().is_none_or(|l| l.is_transformer())
    }
    fn supports(&self, method: Method) -> bool {
        self.last.as_ref().is_some_and(|l| l.supports(method))
    }
    fn transform(&self, x: Frame) -> Result<Frame, SklearnError> {
        let x = self.run(x)?;
        match &self.last {
            Some(l) => l.transform(x),
            None => Ok(x),
        }
    }
    fn predict(&self, x: Frame, method: Method) -> Result<Output, SklearnError> {
        match &self.last {
            Some(l) => l.predict(self.run(x)?, method),
            None => Err(SklearnError::new(format!(
                "This 'Pipeline' has no attribute '{}'",
                method.name()
            ))),
        }
    }
}

/// `FunctionTransformer` with `func=None` (the identity).
#[derive(Debug)]
pub struct Identity {
    fitted: Fitted,
}

impl Identity {
    /// Reads a `FunctionTransformer`, refusing any `func`.
    pub fn load(node: &Node) -> Result<Identity, SklearnError> {
        match node.get("func") {
            Some(f) if !f.is_none() => Err(node
                .error("signet runs FunctionTransformer only when it is the identity (func=None); this one calls a function")
                .into()),
            _ => Ok(Identity {
                fitted: Fitted::unchecked("FunctionTransformer", Methods::Transform),
            }),
        }
    }
}

impl Estimator for Identity {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        Ok(x)
    }
}

/// A column selection of a `ColumnTransformer`.
#[derive(Debug)]
enum Columns {
    Names(Vec<String>),
    Indices(Vec<i64>),
    Mask(Vec<bool>),
}

impl Columns {
    fn read(node: &Node) -> Result<Columns, SklearnError> {
        let scalar = |n: &Node| -> Option<Result<Columns, SklearnError>> {
            match n.json()? {
                Json::Str(s) => Some(Ok(Columns::Names(vec![s.clone()]))),
                Json::Int(i) => Some(Ok(Columns::Indices(vec![*i]))),
                _ => None,
            }
        };
        if let Some(c) = scalar(node) {
            return c;
        }
        match &node.kind {
            NodeKind::NdArray { array, .. } => match &*array.data {
                ArrayData::Bool(v) => Ok(Columns::Mask(v.clone())),
                ArrayData::Str(v) => Ok(Columns::Names(v.clone())),
                _ => Ok(Columns::Indices(node.i64_array()?)),
            },
            _ => {
                let items = node.list()?;
                if items.iter().all(|i| matches!(i.json(), Some(Json::Str(_)))) {
                    Ok(Columns::Names(
                        items
                            .iter()
                            .map(|i| i.str().map(str::to_string))
                            .collect::<Result<_, _>>()?,
                    ))
                } else if items
                    .iter()
                    .all(|i| matches!(i.json(), Some(Json::Bool(_))))
                {
                    Ok(Columns::Mask(
                        items.iter().map(Node::bool).collect::<Result<_, _>>()?,
                    ))
                } else {
                    Ok(Columns::Indices(node.i64_array()?))
                }
            }
        }
    }

    fn indices(&self, x: &Frame) -> Result<Vec<usize>, SklearnError> {
        let n = x.columns.len() as i64;
        match self {
            Columns::Names(names) => names.iter().map(|s| x.position(s)).collect(),
            Columns::Indices(idx) => idx
                .iter()
                .map(|&i| {
                    let j = if i < 0 { i + n } else { i };
                    if (0..n).contains(&j) {
                        Ok(j as usize)
                    } else {
                        Err(SklearnError::new(format!(
                            "column index {i} is out of range for {n} columns"
                        )))
                    }
                })
                .collect(),
            Columns::Mask(m) => Ok(m
                .iter()
                .enumerate()
                .filter(|(_, &b)| b)
                .map(|(i, _)| i)
                .collect()),
        }
    }
}

/// `ColumnTransformer` (fitted `transformers_`, remainder included).
#[derive(Debug)]
pub struct ColumnTransformer {
    fitted: Fitted,
    parts: Vec<(Option<Box<dyn Estimator>>, Columns)>,
}

impl ColumnTransformer {
    /// Reads a fitted column transformer.
    pub fn load(node: &Node, build: Loader) -> Result<ColumnTransformer, SklearnError> {
        if node.opt("transformer_weights").is_some() {
            return Err(node
                .error("ColumnTransformer(transformer_weights=...) is not implemented by signet")
                .into());
        }
        let mut parts = Vec::new();
        for t in node.attr("transformers_")?.list()? {
            let [_, est, cols] = t.list()? else {
                return Err(t
                    .error("a transformer is not a (name, transformer, columns) triple")
                    .into());
            };
            let columns = Columns::read(cols)?;
            match est.json() {
                Some(Json::Str(s)) if s == "drop" => continue,
                Some(Json::Str(s)) if s == "passthrough" => parts.push((None, columns)),
                _ if est.class == "FunctionTransformer" && est.module.starts_with("sklearn.") => {
                    parts.push((
                        Some(Box::new(Identity::load(est)?) as Box<dyn Estimator>),
                        columns,
                    ))
                }
                _ => {
                    let e = build(est)?;
                    if !e.is_transformer() {
                        return Err(est
                            .error(format!("{} is not a transformer", e.class()))
                            .into());
                    }
                    parts.push((Some(e), columns))
                }
            }
        }
        Ok(ColumnTransformer {
            fitted: Fitted::new(node, n_features(node)?, Methods::Transform)?,
            parts,
        })
    }
}

impl Estimator for ColumnTransformer {
    fn fitted(&self) -> &Fitted {
        &self.fitted
    }
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let mut out = Vec::with_capacity(self.parts.len());
        for (est, cols) in &self.parts {
            let sub = x.select(&cols.indices(&x)?)?;
            out.push(match est {
                Some(e) => e.transform(sub)?,
                None => sub,
            });
        }
        Ok(Frame::hstack(out, x.rows))
    }
}

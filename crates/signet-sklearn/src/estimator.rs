//! The [`Estimator`] trait every rebuilt estimator implements, the [`Fitted`] input contract it
//! carries (class, `feature_names_in_`, width, [`Methods`]: the alignment and `AttributeError`s
//! every estimator shares live in the trait's default methods), its outputs ([`Output`],
//! [`Classes`]) and [`build`]: the skops node of a supported class to its estimator; any other
//! class is refused at load time with the list of supported ones.

use crate::error::SklearnError;
use crate::frame::{Frame, Matrix};
use signet::NumpyDtype;
use signet_skops::{ArrayData, Json, Node, NodeKind};

/// A prediction method of MLflow's `pyfunc_predict_fn`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `predict`.
    Predict,
    /// `predict_proba`.
    PredictProba,
    /// `predict_log_proba`.
    PredictLogProba,
}

impl Method {
    /// The method's Python name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Predict => "predict",
            Method::PredictProba => "predict_proba",
            Method::PredictLogProba => "predict_log_proba",
        }
    }
}

/// A classifier's `classes_`, with the numpy dtype predictions of labels have.
#[derive(Clone, Debug, PartialEq)]
pub enum Classes {
    /// Integer labels (`int64`, `int32`, ...).
    Int(Vec<i64>, NumpyDtype),
    /// Float labels.
    Float(Vec<f64>),
    /// Boolean labels.
    Bool(Vec<bool>),
    /// String labels; `object` says the array is `object` (else numpy `str`).
    Str(Vec<String>, bool),
}

impl Classes {
    /// Reads `classes_`.
    pub fn from_node(node: &Node) -> Result<Classes, SklearnError> {
        match &node.kind {
            NodeKind::NdArray { array, .. } => Ok(match &*array.data {
                ArrayData::Int(v) => Classes::Int(
                    v.clone(),
                    match array.descr.get(1..) {
                        Some("i4") => NumpyDtype::Int32,
                        Some("i2") => NumpyDtype::Int16,
                        Some("i1") => NumpyDtype::Int8,
                        _ => NumpyDtype::Int64,
                    },
                ),
                ArrayData::UInt(v) => {
                    Classes::Int(v.iter().map(|&x| x as i64).collect(), NumpyDtype::UInt64)
                }
                ArrayData::F64(v) => Classes::Float(v.clone()),
                ArrayData::F32(v) => Classes::Float(v.iter().map(|&x| f64::from(x)).collect()),
                ArrayData::Bool(v) => Classes::Bool(v.clone()),
                ArrayData::Str(v) => Classes::Str(v.clone(), false),
                _ => return Err(node.error("unsupported classes_ dtype").into()),
            }),
            NodeKind::ObjectArray { items, .. } => {
                let strs: Option<Vec<String>> = items
                    .iter()
                    .map(|i| match i.json() {
                        Some(Json::Str(s)) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                match strs {
                    Some(s) => Ok(Classes::Str(s, true)),
                    None => Err(node
                        .error("signet reads object classes_ of strings only")
                        .into()),
                }
            }
            _ => Err(node
                .error(format!("classes_ is {}", node.describe()))
                .into()),
        }
    }

    /// `classes_` of a `*Classifier`; `None` for any other class.
    pub fn of_classifier(node: &Node) -> Result<Option<Classes>, SklearnError> {
        if node.class.ends_with("Classifier") {
            Classes::from_node(node.attr("classes_")?).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        match self {
            Classes::Int(v, _) => v.len(),
            Classes::Float(v) => v.len(),
            Classes::Bool(v) => v.len(),
            Classes::Str(v, _) => v.len(),
        }
    }

    /// Whether there is no class.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a prediction method returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Floats of some shape (regression values, probabilities).
    Values {
        /// The values, C order.
        data: Vec<f64>,
        /// The shape.
        shape: Vec<usize>,
    },
    /// Class labels: indices into `classes`.
    Labels {
        /// The label index of each row.
        index: Vec<usize>,
        /// The classes.
        classes: Classes,
    },
}

impl Output {
    /// A 1-D float output.
    pub fn column(data: Vec<f64>) -> Output {
        let n = data.len();
        Output::Values {
            data,
            shape: vec![n],
        }
    }

    /// A 2-D float output.
    pub fn matrix(m: Matrix) -> Output {
        Output::Values {
            shape: vec![m.rows, m.cols],
            data: m.data,
        }
    }
}

/// The methods a fitted estimator has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Methods {
    /// `transform` (a transformer).
    Transform,
    /// `predict` only (a regressor, a classifier without probabilities).
    Predict,
    /// `predict`, `predict_proba` and `predict_log_proba`.
    PredictProba,
}

impl Methods {
    /// [`Methods::PredictProba`] when the estimator has probabilities, else
    /// [`Methods::Predict`].
    pub fn with_proba(proba: bool) -> Methods {
        if proba {
            Methods::PredictProba
        } else {
            Methods::Predict
        }
    }
}

/// What a fitted estimator knows of its input and its methods: its class, `feature_names_in_`
/// and the number of features its input must have.
#[derive(Clone, Debug)]
pub struct Fitted {
    class: String,
    names: Option<Vec<String>>,
    width: Option<usize>,
    methods: Methods,
    allow_nan: bool,
}

impl Fitted {
    /// The fitted estimator `node` (its class and `feature_names_in_`) taking `width` features.
    pub fn new(
        node: &Node,
        width: Option<usize>,
        methods: Methods,
    ) -> Result<Fitted, SklearnError> {
        Ok(Fitted {
            class: node.class.clone(),
            names: feature_names(node)?,
            width,
            methods,
            allow_nan: false,
        })
    }

    /// The same, for an estimator that takes NaN (sklearn's `allow_nan` tag: the trees).
    pub fn allowing_nan(self) -> Fitted {
        Fitted {
            allow_nan: true,
            ..self
        }
    }

    /// A fitted regressor (`classes` `None`) or classifier taking `width` features.
    pub fn predictor(
        node: &Node,
        width: usize,
        classes: &Option<Classes>,
    ) -> Result<Fitted, SklearnError> {
        Fitted::new(node, Some(width), Methods::with_proba(classes.is_some()))
    }

    /// An estimator of class `class` that checks nothing of its input (a pipeline).
    pub fn unchecked(class: &str, methods: Methods) -> Fitted {
        Fitted {
            class: class.to_string(),
            names: None,
            width: None,
            methods,
            allow_nan: true,
        }
    }

    /// The sklearn class name.
    pub fn class(&self) -> &str {
        &self.class
    }

    /// `x` aligned to `feature_names_in_`, its width checked.
    pub fn prepare(&self, x: Frame) -> Result<Frame, SklearnError> {
        prepare(x, &self.names, self.width, &self.class)
    }

    /// An aligned `x` as the numeric matrix the estimator computes on (finite unless NaN is
    /// allowed).
    pub fn matrix(&self, x: &Frame) -> Result<Matrix, SklearnError> {
        if self.allow_nan {
            x.to_matrix()
        } else {
            x.to_finite_matrix(&self.class)
        }
    }
}

/// A rebuilt scikit-learn estimator or transformer.
pub trait Estimator: Send + Sync + std::fmt::Debug {
    /// Its class, input and methods.
    fn fitted(&self) -> &Fitted;

    /// The sklearn class name.
    fn class(&self) -> &str {
        self.fitted().class()
    }

    /// Whether `transform` is available.
    fn is_transformer(&self) -> bool {
        self.fitted().methods == Methods::Transform
    }

    /// Whether `method` is available.
    fn supports(&self, method: Method) -> bool {
        match self.fitted().methods {
            Methods::Transform => false,
            Methods::Predict => method == Method::Predict,
            Methods::PredictProba => true,
        }
    }

    /// `transform(X)`: `X` aligned to the fitted input, then [`Estimator::transform_aligned`].
    fn transform(&self, x: Frame) -> Result<Frame, SklearnError> {
        if !self.is_transformer() {
            return Err(SklearnError::new(format!(
                "{} has no transform",
                self.class()
            )));
        }
        self.transform_aligned(self.fitted().prepare(x)?)
    }

    /// `transform(X)` of an `X` [`Fitted::prepare`] aligned.
    fn transform_aligned(&self, x: Frame) -> Result<Frame, SklearnError> {
        let _ = x;
        Err(SklearnError::new(format!(
            "{} has no transform",
            self.class()
        )))
    }

    /// `predict(X)`, `predict_proba(X)` or `predict_log_proba(X)`; a method the estimator lacks
    /// is Python's `AttributeError`.
    fn predict(&self, x: Frame, method: Method) -> Result<Output, SklearnError> {
        if !self.supports(method) {
            return Err(SklearnError::no_attribute(self.class(), method.name()));
        }
        self.predict_aligned(self.fitted().prepare(x)?, method)
    }

    /// [`Estimator::predict`] of an `X` [`Fitted::prepare`] aligned, for a method
    /// [`Estimator::supports`] accepts: by default, [`Estimator::predict_matrix`] of its
    /// [`Fitted::matrix`].
    fn predict_aligned(&self, x: Frame, method: Method) -> Result<Output, SklearnError> {
        self.predict_matrix(self.fitted().matrix(&x)?, method)
    }

    /// [`Estimator::predict`] of an aligned `X` as a matrix.
    fn predict_matrix(&self, x: Matrix, method: Method) -> Result<Output, SklearnError> {
        let _ = x;
        Err(SklearnError::no_attribute(self.class(), method.name()))
    }
}

/// How [`build`] reads one class.
/// Reads one estimator from its skops node (the registry's [`crate::registry::build`] is one).
pub type Loader = fn(&Node) -> Result<Box<dyn Estimator>, SklearnError>;

/// `feature_names_in_` of a fitted estimator, when it was fitted on a DataFrame.
pub fn feature_names(node: &Node) -> Result<Option<Vec<String>>, SklearnError> {
    let Some(n) = node.opt("feature_names_in_") else {
        return Ok(None);
    };
    match &n.kind {
        NodeKind::ObjectArray { items, .. } => Ok(Some(
            items
                .iter()
                .map(|i| i.str().map(str::to_string))
                .collect::<Result<_, _>>()?,
        )),
        NodeKind::NdArray { array, .. } => match &*array.data {
            ArrayData::Str(v) => Ok(Some(v.clone())),
            _ => Err(n
                .error("feature_names_in_ is not an array of strings")
                .into()),
        },
        _ => Err(n.error("feature_names_in_ is not an array").into()),
    }
}

/// Aligns a DataFrame input to `feature_names_in_` and checks `n_features_in_`.
pub fn prepare(
    x: Frame,
    names: &Option<Vec<String>>,
    n_features: Option<usize>,
    class: &str,
) -> Result<Frame, SklearnError> {
    let x = match names {
        Some(names) => x.align(names, class)?,
        None => x,
    };
    if let Some(n) = n_features {
        x.check_width(n, class)?;
    }
    Ok(x)
}

/// `n_features_in_` when present.
pub fn n_features(node: &Node) -> Result<Option<usize>, SklearnError> {
    node.opt("n_features_in_")
        .map(|n| n.i64().map(|v| v as usize))
        .transpose()
        .map_err(Into::into)
}

/// Row-wise softmax as sklearn's `extmath.softmax`.
pub fn softmax(m: &mut Matrix) {
    for i in 0..m.rows {
        let row = &mut m.data[i * m.cols..(i + 1) * m.cols];
        let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for v in row.iter_mut() {
            *v = (*v - max).exp();
            sum += *v;
        }
        for v in row.iter_mut() {
            *v /= sum;
        }
    }
}

/// The index of the first maximum of each row (numpy's `argmax`; NaN wins as in numpy).
pub fn argmax_rows(m: &Matrix) -> Vec<usize> {
    (0..m.rows)
        .map(|i| {
            let row = m.row(i);
            let mut best = 0;
            for (j, &v) in row.iter().enumerate() {
                if row[best].is_nan() {
                    break;
                }
                if v.is_nan() || v > row[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// A classifier's answer from its class probabilities (one column per class): the labels of
/// the first maximum for `predict`, else the probabilities (or their log).
pub fn classifier_output(p: Matrix, classes: &Classes, method: Method) -> Output {
    if method == Method::Predict {
        Output::Labels {
            index: argmax_rows(&p),
            classes: classes.clone(),
        }
    } else {
        proba_output(p, method)
    }
}

/// The answer of a model that is a regressor or a classifier and computes row by row: without
/// `classes`, `value(row)` for each row; with them, the class probabilities `proba(row, out)`
/// writes into `out` (zeroed, one cell per class) for each row, as [`classifier_output`]
/// answers them.
pub fn row_output(
    x: &Matrix,
    classes: Option<&Classes>,
    method: Method,
    value: impl Fn(&[f64]) -> f64,
    mut proba: impl FnMut(&[f64], &mut [f64]),
) -> Output {
    match classes {
        None => Output::column((0..x.rows).map(|i| value(x.row(i))).collect()),
        Some(classes) => {
            let k = classes.len();
            let mut p = Matrix::zeros(x.rows, k);
            for i in 0..x.rows {
                proba(x.row(i), &mut p.data[i * k..(i + 1) * k]);
            }
            classifier_output(p, classes, method)
        }
    }
}

/// A boosted model's raw scores: for each row, `baseline` plus, stage after stage, the
/// `score(tree, row)` of each output's tree (`stages[s][j]` scores output `j`).
pub fn boosted_raw<T>(
    x: &Matrix,
    baseline: &[f64],
    stages: &[Vec<T>],
    score: impl Fn(&T, &[f64]) -> f64,
) -> Matrix {
    let k = baseline.len();
    let mut data = Vec::with_capacity(x.rows * k);
    for i in 0..x.rows {
        let start = data.len();
        data.extend_from_slice(baseline);
        let (row, r) = (x.row(i), &mut data[start..]);
        for stage in stages {
            for (j, tree) in stage.iter().enumerate() {
                r[j] += score(tree, row);
            }
        }
    }
    Matrix::new(x.rows, k, data)
}

/// A gradient-boosted classifier's answer from its raw scores: one column is the binary
/// logit (class 1 when `positive(score)`; probabilities `[1 - expit, expit]`), more columns
/// are per-class scores (argmax; softmax probabilities).
pub fn boosted_classifier_output(
    raw: Matrix,
    classes: &Classes,
    method: Method,
    positive: impl Fn(f64) -> bool,
) -> Output {
    let binary = raw.cols == 1;
    if method == Method::Predict && binary {
        return Output::Labels {
            index: raw.data.iter().map(|&v| usize::from(positive(v))).collect(),
            classes: classes.clone(),
        };
    }
    let p = if binary {
        binary_proba(&raw)
    } else {
        let mut m = raw;
        if method != Method::Predict {
            softmax(&mut m);
        }
        m
    };
    classifier_output(p, classes, method)
}

/// Probabilities for `predict_proba`/`predict_log_proba` of a classifier.
pub fn proba_output(m: Matrix, method: Method) -> Output {
    let mut out = Output::matrix(m);
    if method == Method::PredictLogProba {
        if let Output::Values { data, .. } = &mut out {
            data.iter_mut().for_each(|v| *v = v.ln());
        }
    }
    out
}

/// The logistic function (`scipy.special.expit`).
pub fn expit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The probabilities `[1 - expit(v), expit(v)]` of a binary classifier's one-column logits.
pub fn binary_proba(logits: &Matrix) -> Matrix {
    let mut data = Vec::with_capacity(logits.rows * 2);
    for &v in &logits.data {
        let e = expit(v);
        data.extend([1.0 - e, e]);
    }
    Matrix::new(logits.rows, 2, data)
}

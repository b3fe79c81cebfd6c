//! The tract plumbing shared by the ONNX-ML scoring operators (`LinearClassifier`,
//! `LinearRegressor`, `SVMClassifier`, `SVMRegressor`, `TreeEnsembleClassifier`,
//! `TreeEnsembleRegressor`).
//!
//! Each takes one 1-D or 2-D numeric input (`N` = 1 for a 1-D input) and returns either
//! `label [N]` (int64 or string) and `scores float [N, width]` (classifiers), or
//! `scores float [N, width]` alone (regressors). An operator implements the small
//! [`Scoring`] trait; [`Scorer`] makes it a [`NativeOp`], which [`super::native`] gives
//! tract's `Expansion` (shape inference), `Op`, `EvalOp` and `TypedOp`.

use super::native::{register, NativeOp};
use std::fmt::Debug;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// What a scoring operator provides; the tract traits come from [`Scorer`].
pub(crate) trait Scoring: Debug + Clone + PartialEq + Eq + Send + Sync + 'static {
    /// The ONNX operator's name (also the tract op name).
    const NAME: &'static str;

    /// The type of the `label` output, or `None` for an operator that outputs scores only.
    fn label_type(&self) -> Option<DatumType>;

    /// The number of score columns.
    fn width(&self) -> usize;

    /// Checks the input's element type at typing time (default: any type).
    fn check_input_type(&self, _dt: DatumType) -> TractResult<()> {
        Ok(())
    }

    /// Labels (`Some` exactly when [`Scoring::label_type`] is) and scores `[rows, width]`.
    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)>;
}

/// A [`Scoring`] operator as a [`NativeOp`]: build it with [`expand_scorer`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scorer<S>(pub(crate) S);

/// The boxed inference operator an `OnnxOpRegister` entry returns for `op`.
pub(crate) fn expand_scorer<S: Scoring>(op: S) -> (Box<dyn InferenceOp>, Vec<String>) {
    register(Scorer(op))
}

/// The class labels of a classifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Labels {
    /// `classlabels_ints` / `classlabels_int64s`.
    Ints(Vec<i64>),
    /// `classlabels_strings`.
    Strings(Vec<String>),
}

/// The label a row gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pick {
    /// `classlabels[i]`.
    Class(usize),
    /// onnxruntime's "positive" label outside the class list: `1` for integer labels; for
    /// strings the second of two labels, else `"1"`.
    Positive,
    /// The "negative" label: `0` for integer labels; for strings the first of two labels,
    /// else `"0"`.
    Negative,
}

impl Labels {
    /// The number of labels.
    pub(crate) fn len(&self) -> usize {
        match self {
            Labels::Ints(v) => v.len(),
            Labels::Strings(v) => v.len(),
        }
    }

    /// The element type of the `label` output.
    pub(crate) fn datum_type(&self) -> DatumType {
        match self {
            Labels::Ints(_) => DatumType::I64,
            Labels::Strings(_) => DatumType::String,
        }
    }

    /// The `label` output for the rows' picks.
    pub(crate) fn tensor(&self, picks: &[Pick]) -> TractResult<Tensor> {
        let n = picks.len();
        Ok(match self {
            Labels::Ints(l) => {
                let v: Vec<i64> = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Class(k) => l[*k],
                        Pick::Positive => 1,
                        Pick::Negative => 0,
                    })
                    .collect();
                Tensor::from_shape(&[n], &v)?
            }
            Labels::Strings(l) => {
                let two = l.len() == 2;
                let v: Vec<String> = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Class(k) => l[*k].clone(),
                        Pick::Positive if two => l[1].clone(),
                        Pick::Negative if two => l[0].clone(),
                        Pick::Positive => "1".into(),
                        Pick::Negative => "0".into(),
                    })
                    .collect();
                tract_ndarray::Array1::from(v).into_dyn().into()
            }
        })
    }
}

/// `(rows, features)` of a scoring operator's input: `[C]` is one row, `[N, C]` is `N`.
pub(crate) fn rows_and_width(op: &str, input: &Tensor) -> TractResult<(usize, usize)> {
    match input.shape() {
        [c] => Ok((1, *c)),
        [n, c] => Ok((*n, *c)),
        s => bail!("{op} expects a 1-D or 2-D input, got shape {s:?}"),
    }
}

/// The output batch axis for an input fact.
fn batch_dim(op: &str, input: &TypedFact) -> TractResult<TDim> {
    Ok(match input.rank() {
        1 => 1.to_dim(),
        2 => input.shape[0].clone(),
        r => bail!("{op} expects a 1-D or 2-D input, got rank {r}"),
    })
}

impl<S: Scoring> NativeOp for Scorer<S> {
    fn name(&self) -> &'static str {
        S::NAME
    }

    fn outputs(&self) -> usize {
        if self.0.label_type().is_some() {
            2
        } else {
            1
        }
    }

    fn rules<'r, 'p: 'r, 's: 'r>(
        &'s self,
        s: &mut Solver<'r>,
        inputs: &'p [TensorProxy],
        outputs: &'p [TensorProxy],
    ) -> InferenceResult {
        let input = &inputs[0];
        let scores = &outputs[outputs.len() - 1];
        if let Some(dt) = self.0.label_type() {
            s.equals(&outputs[0].datum_type, dt)?;
            s.equals(&outputs[0].rank, 1)?;
            s.equals(&outputs[0].shape[0], &scores.shape[0])?;
        }
        s.equals(&scores.datum_type, DatumType::F32)?;
        s.equals(&scores.rank, 2)?;
        s.equals(&scores.shape[1], self.0.width().to_dim())?;
        s.given(&input.rank, move |s, rank| {
            if rank == 1 {
                s.equals(&scores.shape[0], 1.to_dim())
            } else {
                s.equals(&scores.shape[0], &input.shape[0])
            }
        })?;
        Ok(())
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let input = inputs[0];
        self.0.check_input_type(input.datum_type)?;
        let n = batch_dim(S::NAME, input)?;
        let scores = f32::fact([n.clone(), self.0.width().to_dim()]);
        Ok(match self.0.label_type() {
            Some(dt) => tvec!(dt.fact([n]), scores),
            None => tvec!(scores),
        })
    }

    fn eval(&self, inputs: &[TValue]) -> TractResult<TVec<Tensor>> {
        Ok(match self.0.score(&inputs[0])? {
            (Some(labels), scores) => tvec!(labels, scores),
            (None, scores) => tvec!(scores),
        })
    }
}

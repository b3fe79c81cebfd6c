//! The tract plumbing shared by the ONNX-ML scoring operators (`LinearClassifier`,
//! `LinearRegressor`, `SVMClassifier`, `SVMRegressor`, `TreeEnsembleClassifier`,
//! `TreeEnsembleRegressor`).
//!
//! Each takes one 1-D or 2-D numeric input (`N` = 1 for a 1-D input) and returns either
//! `label [N]` (int64 or string) and `scores float [N, width]` (classifiers), or
//! `scores float [N, width]` alone (regressors). An operator implements the small
//! [`Scoring`] trait; [`Scorer`] makes it a [`NativeOp`], which [`super::native`] gives
//! tract's `Expansion` (shape inference), `Op`, `EvalOp` and `TypedOp`.

use super::attrs::{int_list, string_list};
use super::native::{NativeOp, Parse};
use std::fmt::Debug;
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// What a scoring operator provides; the tract traits come from [`Scorer`].
pub(crate) trait Scoring: Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The ONNX operator's name (also the tract op name).
    const NAME: &'static str;

    /// The class labels of a classifier, or `None` (the default) for an operator that outputs
    /// scores only.
    fn labels(&self) -> Option<&Labels> {
        None
    }

    /// The number of score columns.
    fn width(&self) -> usize;

    /// Checks the input's element type at typing time (default: any type).
    fn check_input_type(&self, _dt: DatumType) -> TractResult<()> {
        Ok(())
    }

    /// Labels (`Some` exactly when [`Scoring::labels`] is) and scores `[rows, width]`.
    fn score(&self, input: &Tensor) -> TractResult<(Option<Tensor>, Tensor)>;
}

/// A [`Scoring`] operator as a [`NativeOp`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scorer<S>(pub(crate) S);

impl<S: Scoring + Parse> Parse for Scorer<S> {
    fn parse(ctx: &ParsingContext, node: &NodeProto) -> TractResult<Self> {
        S::parse(ctx, node).map(Scorer)
    }
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
    /// The node's `classlabels_strings`, else its `classlabels_ints`.
    pub(crate) fn parse(node: &NodeProto) -> TractResult<Labels> {
        Ok(
            match (
                int_list(node, "classlabels_ints")?.filter(|v| !v.is_empty()),
                string_list(node, "classlabels_strings")?.filter(|v| !v.is_empty()),
            ) {
                (_, Some(s)) => Labels::Strings(s),
                (Some(i), None) => Labels::Ints(i),
                (None, None) => bail!("one of classlabels_strings, classlabels_ints is required"),
            },
        )
    }

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
        if self.0.labels().is_some() {
            2
        } else {
            1
        }
    }

    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let input = inputs[0];
        self.0.check_input_type(input.datum_type)?;
        let n = batch_dim(S::NAME, input)?;
        let scores = f32::fact([n.clone(), self.0.width().to_dim()]);
        Ok(match self.0.labels() {
            Some(labels) => tvec!(labels.datum_type().fact([n]), scores),
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

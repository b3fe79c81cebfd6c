//! `ai.onnx.ml.LinearClassifier` and `LinearRegressor`, as onnxruntime's kernels compute them.
//!
//! tract 0.23 ships both but refuses the `PROBIT` and `SOFTMAX_ZERO` post transforms, so both
//! are implemented here with every transform:
//!
//! * scores `x·coefᵀ + intercepts` in float (inputs cast to float);
//! * classifier labels: with one score column, `score > 0` picks the second of two labels
//!   (`1` / `"1"` when there are not exactly two), else the first (`0` / `"0"`); with several,
//!   the first class of highest raw score;
//! * classifier scores: a single column next to two labels becomes `[1 - s, s]` (`PROBIT`
//!   applies to `s` alone); several columns get the post transform row by row;
//! * regressor: one column per target; the post transform applies to rows of several targets,
//!   and `PROBIT` to single targets too.

use super::attrs::{float_list, int_list, string_list};
use super::post_transform::{parse_post_transform, post_transform, PostTransform};
use tract_onnx::model::ParsingContext;
use tract_onnx::pb::NodeProto;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::*;

/// Class labels.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Labels {
    Ints(Vec<i64>),
    Strings(Vec<String>),
}

/// `LinearClassifier`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinearClassifier {
    coefficients: Vec<f32>,
    intercepts: Vec<f32>,
    labels: Labels,
    post: PostTransform,
    targets: usize,
}

impl Eq for LinearClassifier {}

/// `LinearRegressor`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinearRegressor {
    coefficients: Vec<f32>,
    intercepts: Vec<f32>,
    post: PostTransform,
    targets: usize,
}

impl Eq for LinearRegressor {}

/// Builds `LinearClassifier`.
pub(crate) fn build_classifier(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let op = parse_classifier(node)
        .with_context(|| format!("invalid LinearClassifier node `{}`", node.name))?;
    Ok((expand(op), vec![]))
}

fn parse_classifier(node: &NodeProto) -> TractResult<LinearClassifier> {
    let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
    ensure!(!coefficients.is_empty(), "coefficients are empty");
    let labels = match (
        int_list(node, "classlabels_ints")?.filter(|v| !v.is_empty()),
        string_list(node, "classlabels_strings")?.filter(|v| !v.is_empty()),
    ) {
        (_, Some(s)) => Labels::Strings(s),
        (Some(i), None) => Labels::Ints(i),
        (None, None) => bail!("one of classlabels_strings, classlabels_ints is required"),
    };
    let intercepts = float_list(node, "intercepts")?.unwrap_or_default();
    let targets = if intercepts.is_empty() {
        match &labels {
            Labels::Ints(v) => v.len(),
            Labels::Strings(v) => v.len(),
        }
    } else {
        intercepts.len()
    };
    ensure!(
        targets > 0 && coefficients.len() % targets == 0,
        "{} coefficients do not split into {targets} classes",
        coefficients.len()
    );
    let n_labels = match &labels {
        Labels::Ints(v) => v.len(),
        Labels::Strings(v) => v.len(),
    };
    ensure!(
        targets == 1 || n_labels >= targets,
        "{targets} score columns but {n_labels} class labels"
    );
    Ok(LinearClassifier {
        coefficients,
        intercepts,
        labels,
        post: parse_post_transform(node)?,
        targets,
    })
}

/// Builds `LinearRegressor`.
pub(crate) fn build_regressor(
    _ctx: &ParsingContext,
    node: &NodeProto,
) -> TractResult<(Box<dyn InferenceOp>, Vec<String>)> {
    let coefficients = float_list(node, "coefficients")?.unwrap_or_default();
    let intercepts = float_list(node, "intercepts")?.unwrap_or_default();
    let targets = node
        .attribute
        .iter()
        .find(|a| a.name == "targets")
        .map_or(1, |a| a.i);
    let targets = usize::try_from(targets)
        .ok()
        .filter(|t| *t > 0)
        .ok_or_else(|| format_err!("LinearRegressor node `{}`: bad targets", node.name))?;
    ensure!(
        coefficients.len() % targets == 0 && (intercepts.is_empty() || intercepts.len() == targets),
        "LinearRegressor node `{}`: {} coefficients and {} intercepts for {targets} targets",
        node.name,
        coefficients.len(),
        intercepts.len()
    );
    Ok((
        expand(LinearRegressor {
            coefficients,
            intercepts,
            post: parse_post_transform(node)?,
            targets,
        }),
        vec![],
    ))
}

/// `x·coefᵀ + intercepts` for every row: `(rows, scores)`.
fn scores(
    input: &Tensor,
    coefficients: &[f32],
    intercepts: &[f32],
    targets: usize,
) -> TractResult<(usize, Vec<f32>)> {
    let features = coefficients.len() / targets;
    let (rows, width) = match input.shape() {
        [c] => (1, *c),
        [n, c] => (*n, *c),
        s => bail!("linear models expect a 1-D or 2-D input, got shape {s:?}"),
    };
    ensure!(
        width == features,
        "the linear model expects {features} features, the input has {width}"
    );
    let x = input.cast_to::<f32>()?;
    let x = x.try_as_plain_ram()?.as_slice::<f32>()?.to_vec();
    let mut out = Vec::with_capacity(rows * targets);
    for r in 0..rows {
        let row = &x[r * features..(r + 1) * features];
        for t in 0..targets {
            let w = &coefficients[t * features..(t + 1) * features];
            let s: f32 = row.iter().zip(w).map(|(a, b)| a * b).sum();
            out.push(s + intercepts.get(t).copied().unwrap_or(0.0));
        }
    }
    Ok((rows, out))
}

impl LinearClassifier {
    fn two_labels(&self) -> bool {
        match &self.labels {
            Labels::Ints(v) => v.len() == 2,
            Labels::Strings(v) => v.len() == 2,
        }
    }

    fn width(&self) -> usize {
        if self.targets == 1 && self.two_labels() {
            2
        } else {
            self.targets
        }
    }

    fn run(&self, input: &Tensor) -> TractResult<(Tensor, Tensor)> {
        let (rows, raw) = scores(input, &self.coefficients, &self.intercepts, self.targets)?;
        let k = self.targets;
        let picks: Vec<Result<usize, bool>> = (0..rows)
            .map(|r| {
                let s = &raw[r * k..(r + 1) * k];
                if k == 1 {
                    Err(s[0] > 0.0)
                } else {
                    let mut best = 0;
                    for j in 1..k {
                        if s[j] > s[best] {
                            best = j;
                        }
                    }
                    Ok(best)
                }
            })
            .collect();
        let two = self.two_labels();
        let labels: Tensor = match &self.labels {
            Labels::Ints(l) => {
                let v: Vec<i64> = picks
                    .iter()
                    .map(|p| match p {
                        Ok(j) => l[*j],
                        Err(pos) if two => l[usize::from(*pos)],
                        Err(pos) => i64::from(*pos),
                    })
                    .collect();
                Tensor::from_shape(&[rows], &v)?
            }
            Labels::Strings(l) => {
                let v: Vec<String> = picks
                    .iter()
                    .map(|p| match p {
                        Ok(j) => l[*j].clone(),
                        Err(pos) if two => l[usize::from(*pos)].clone(),
                        Err(true) => "1".into(),
                        Err(false) => "0".into(),
                    })
                    .collect();
                tract_ndarray::Array1::from(v).into_dyn().into()
            }
        };
        let width = self.width();
        let mut out = Vec::with_capacity(rows * width);
        for r in 0..rows {
            let mut s = raw[r * k..(r + 1) * k].to_vec();
            if k == 1 {
                if self.post == PostTransform::Probit {
                    post_transform(self.post, &mut s);
                }
                if width == 2 {
                    out.push(1.0 - s[0]);
                }
                out.push(s[0]);
            } else {
                post_transform(self.post, &mut s);
                out.extend(s);
            }
        }
        Ok((labels, Tensor::from_shape(&[rows, width], &out)?))
    }
}

impl LinearRegressor {
    fn run(&self, input: &Tensor) -> TractResult<Tensor> {
        let k = self.targets;
        let (rows, mut raw) = scores(input, &self.coefficients, &self.intercepts, k)?;
        if k > 1 || self.post == PostTransform::Probit {
            for row in raw.chunks_mut(k) {
                post_transform(self.post, row);
            }
        }
        Tensor::from_shape(&[rows, k], &raw)
    }
}

fn batch_dim(input: &TypedFact) -> TractResult<TDim> {
    Ok(match input.rank() {
        1 => 1.to_dim(),
        2 => input.shape[0].clone(),
        r => bail!("linear models expect a 1-D or 2-D input, got rank {r}"),
    })
}

impl Expansion for LinearClassifier {
    fn name(&self) -> StaticName {
        "LinearClassifier".into()
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
        let dt = match self.labels {
            Labels::Ints(_) => DatumType::I64,
            Labels::Strings(_) => DatumType::String,
        };
        s.equals(&outputs[0].datum_type, dt)?;
        s.equals(&outputs[1].datum_type, DatumType::F32)?;
        s.equals(&outputs[0].rank, 1)?;
        s.equals(&outputs[1].rank, 2)?;
        s.equals(&outputs[1].shape[1], self.width().to_dim())?;
        s.equals(&outputs[0].shape[0], &outputs[1].shape[0])?;
        s.given(&inputs[0].rank, move |s, rank| {
            if rank == 1 {
                s.equals(&outputs[0].shape[0], 1.to_dim())
            } else {
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])
            }
        })?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        model.wire_node(prefix, self.clone(), inputs)
    }
}

impl Op for LinearClassifier {
    fn name(&self) -> StaticName {
        "LinearClassifier".into()
    }

    op_as_typed_op!();
}

impl EvalOp for LinearClassifier {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let (labels, scores) = self.run(&input)?;
        Ok(tvec!(labels.into_tvalue(), scores.into_tvalue()))
    }
}

impl TypedOp for LinearClassifier {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let n = batch_dim(inputs[0])?;
        let dt = match self.labels {
            Labels::Ints(_) => DatumType::I64,
            Labels::Strings(_) => DatumType::String,
        };
        Ok(tvec!(
            dt.fact([n.clone()]),
            f32::fact([n, self.width().to_dim()])
        ))
    }

    as_op!();
}

impl Expansion for LinearRegressor {
    fn name(&self) -> StaticName {
        "LinearRegressor".into()
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
        s.equals(&outputs[0].shape[1], self.targets.to_dim())?;
        s.given(&inputs[0].rank, move |s, rank| {
            if rank == 1 {
                s.equals(&outputs[0].shape[0], 1.to_dim())
            } else {
                s.equals(&outputs[0].shape[0], &inputs[0].shape[0])
            }
        })?;
        Ok(())
    }

    fn wire(
        &self,
        prefix: &str,
        model: &mut TypedModel,
        inputs: &[OutletId],
    ) -> TractResult<TVec<OutletId>> {
        model.wire_node(prefix, self.clone(), inputs)
    }
}

impl Op for LinearRegressor {
    fn name(&self) -> StaticName {
        "LinearRegressor".into()
    }

    op_as_typed_op!();
}

impl EvalOp for LinearRegressor {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        Ok(tvec!(self.run(&input)?.into_tvalue()))
    }
}

impl TypedOp for LinearRegressor {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(f32::fact([
            batch_dim(inputs[0])?,
            self.targets.to_dim()
        ])))
    }

    as_op!();
}

//! `ai.onnx.ml.ZipMap`, which turns a `[N, C]` float tensor into a sequence of `N` maps
//! `{class label: probability}` (skl2onnx puts one after every classifier unless told
//! `zipmap=False`).
//!
//! tract has no sequence or map values, so the node is replaced by an `Identity` before tract
//! parses the graph, and the graph output it fed is rebuilt after each run as onnxruntime
//! hands it to MLflow's wrapper: a list of `dict`s with Python `int` or `str` keys and
//! Python `float` values. signet holds that list as a 1-D `object` array of
//! [`Value::Dict`]s: MLflow's wrapper makes a DataFrame column of those dicts
//! (`np.asarray(list).reshape(-1)`), and a dict output's list serializes to the same JSON as
//! the array's `tolist()`.

use crate::ops::attrs::{int_list, string_list};
use crate::ops::scoring::Labels;
use signet::{NumpyDtype, Tensor as NdArray, TensorData, Value};
use tract_onnx::pb;
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::internal::bail;

/// The dict key of class `i`: a Python `int` or `str`.
fn key(labels: &Labels, i: usize) -> Value {
    match labels {
        Labels::Ints(v) => Value::Int(v[i] as i128),
        Labels::Strings(v) => Value::Str(v[i].clone()),
    }
}

/// Replaces every `ZipMap` node of the top-level graph by an `Identity`; returns, for each
/// graph output a ZipMap produced, its index among the outputs and the labels.
pub(crate) fn strip(graph: &mut pb::GraphProto) -> TractResult<Vec<(usize, Labels)>> {
    let mut found = Vec::new();
    for node in graph.node.iter_mut() {
        if node.op_type != "ZipMap" {
            continue;
        }
        let labels = match (
            int_list(node, "classlabels_int64s")?.filter(|v| !v.is_empty()),
            string_list(node, "classlabels_strings")?.filter(|v| !v.is_empty()),
        ) {
            (Some(v), None) => Labels::Ints(v),
            (None, Some(v)) => Labels::Strings(v),
            _ => bail!(
                "ZipMap node `{}`: exactly one of classlabels_int64s and classlabels_strings \
                 must be given",
                node.name
            ),
        };
        let Some(output) = node.output.first().cloned() else {
            bail!("ZipMap node `{}` has no output", node.name);
        };
        let Some(ix) = graph.output.iter().position(|o| o.name == output) else {
            bail!(
                "ZipMap node `{}`: its output `{output}` is not a graph output; signet only runs \
                 ZipMaps that end the graph",
                node.name
            );
        };
        node.op_type = "Identity".into();
        node.domain = String::new();
        node.attribute.clear();
        // The output's declared type is a sequence of maps; let tract infer the tensor.
        graph.output[ix].r#type = None;
        found.push((ix, labels));
    }
    Ok(found)
}

/// The list of dicts a ZipMap makes of a `[N, C]` float array.
pub(crate) fn zip(labels: &Labels, probs: &Tensor) -> TractResult<NdArray> {
    let c = probs.cast_to::<f32>()?;
    let v = c.try_as_plain_ram()?.as_slice::<f32>()?.to_vec();
    let width = labels.len();
    let rows = match probs.shape() {
        [n, w] if *w == width => *n,
        [w] if *w == width => 1,
        s => bail!("ZipMap with {width} labels got an input of shape {s:?}"),
    };
    let dicts = (0..rows)
        .map(|r| {
            Value::Dict(
                (0..width)
                    .map(|j| (key(labels, j), Value::Float(v[r * width + j] as f64)))
                    .collect(),
            )
        })
        .collect();
    Ok(NdArray {
        dtype: NumpyDtype::Object,
        shape: vec![rows],
        data: TensorData::Object(dicts),
    })
}

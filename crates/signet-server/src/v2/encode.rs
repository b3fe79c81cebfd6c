//! The model's output → V2 response outputs, as MLServer's MLflow runtime encodes it
//! (`self.encode_response(model_output, default_codec=TensorDictCodec)` in
//! `runtimes/mlflow/mlserver_mlflow/runtime.py`; SeldonIO/MLServer `mlserver/codecs/pandas.py`
//! `PandasCodec.encode_response` / `_to_response_output`, `mlserver/codecs/numpy.py`
//! `NumpyCodec.encode_output`, `mlserver/codecs/utils.py` `SingleInputRequestCodec` and
//! `inject_batch_dimension`, `mlserver_mlflow/codecs.py` `TensorDictCodec.encode_response`).
//!
//! | model output | response `parameters.content_type` | outputs |
//! | --- | --- | --- |
//! | DataFrame | `pd` | one per column, named after it, shape `[n, 1]` |
//! | numpy array | `np` | `output-1`, its shape (`[n]` → `[n, 1]`), `parameters.content_type` `np` |
//! | dict of arrays | `dict` | one per key, as an array (an object array of dicts or lists: `BYTES` `pd_json`) |
//! | list of strings | `str` | `output-1`, `BYTES`, shape `[n, 1]`, `parameters.content_type` `str` |
//!
//! A DataFrame column's datatype follows its dtype (`float64` → `FP64`, ...); text columns are
//! `BYTES` with `parameters.content_type` `str`, and any other object column (lists, dicts,
//! text with missing values) is `BYTES` `pd_json`, each element its compact JSON text. Missing
//! values are `null`.
//!
//! Where MLServer has no answer, signet chooses: a Series is encoded as a one-column
//! DataFrame, `datetime64` columns and arrays as `BYTES` ISO texts with `parameters.content_type`
//! `datetime` (MLServer fails on them), a flat list of numbers or booleans as a numpy array;
//! anything else (sparse matrices, other Python values) is refused.

use super::datatype::{Datatype, DATETIME, DICT, NP, PD, PD_JSON, STR};
use super::json::to_json;
use super::metadata::OUTPUT_PREFIX;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType as ArrowType, Field};
use signet::repr::timestamp_isoformat;
use signet::table::{column_label, object_values};
use signet::{ModelInput, Series, Tensor, Value};

/// One response output (MLServer's `ResponseOutput`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ResponseOutput {
    /// `name`.
    pub name: String,
    /// `shape`.
    pub shape: Vec<usize>,
    /// `datatype`.
    pub datatype: Datatype,
    /// `parameters.content_type`, when MLServer sets one.
    pub content_type: Option<&'static str>,
    /// `data`, flat, in row-major order.
    pub data: Vec<Value>,
}

impl ResponseOutput {
    /// The output as a JSON object, members in MLServer's order.
    pub(crate) fn to_value(&self) -> Value {
        let mut members = vec![
            ("name", Value::str(self.name.clone())),
            (
                "shape",
                Value::List(self.shape.iter().map(|d| Value::Int(*d as i128)).collect()),
            ),
            ("datatype", Value::str(self.datatype.name())),
        ];
        if let Some(ct) = self.content_type {
            members.push((
                "parameters",
                Value::dict([("content_type", Value::str(ct))]),
            ));
        }
        members.push(("data", Value::List(self.data.clone())));
        Value::dict(members)
    }
}

/// `inject_batch_dimension`: a 1-d shape `[n]` is sent as `[n, 1]`.
fn batch_shape(shape: &[usize]) -> Vec<usize> {
    if shape.len() > 1 {
        shape.to_vec()
    } else {
        let mut s = shape.to_vec();
        s.push(1);
        s
    }
}

/// A value as `tolist()` gives it, with MLServer's `convert_nan`: missing values are `null`.
fn plain(v: Value) -> Value {
    match v {
        Value::Numpy(_, inner) => plain(*inner),
        v if v.is_missing() => Value::None,
        v => v,
    }
}

/// The response content type and outputs of a model output.
pub(crate) fn encode(output: &ModelInput) -> Result<(&'static str, Vec<ResponseOutput>), String> {
    match output {
        ModelInput::Table(batch) => Ok((PD, frame_outputs(batch))),
        ModelInput::Series(series) => Ok((PD, vec![series_output(series)])),
        ModelInput::Tensor(t) => Ok((NP, vec![tensor_output(&format!("{OUTPUT_PREFIX}1"), t)])),
        ModelInput::TensorDict(items) => Ok((
            DICT,
            items
                .iter()
                .map(|(name, t)| tensor_output(name, t))
                .collect(),
        )),
        ModelInput::Value(Value::List(items)) => list_output(items),
        ModelInput::Value(other) => Err(format!(
            "signet cannot encode a model output of type {} as V2 outputs",
            other.type_name()
        )),
        ModelInput::Sparse(_) => {
            Err("signet cannot encode a sparse matrix model output as V2 outputs".into())
        }
    }
}

/// `PandasCodec.encode_outputs`: one output per column.
fn frame_outputs(batch: &RecordBatch) -> Vec<ResponseOutput> {
    let schema = batch.schema();
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(field, column)| column_output(column_label(field).as_text(), field, column.as_ref()))
        .collect()
}

fn series_output(series: &Series) -> ResponseOutput {
    let name = series
        .name
        .as_ref()
        .map_or_else(|| format!("{OUTPUT_PREFIX}1"), |n| n.as_text());
    column_output(name, &series.field, series.values.as_ref())
}

/// `_to_response_output(series)`.
fn column_output(name: String, field: &Field, column: &dyn Array) -> ResponseOutput {
    let rows = column.len();
    let values: Vec<Value> = object_values(field, column)
        .into_iter()
        .map(plain)
        .collect();
    let numeric = match column.data_type() {
        ArrowType::Boolean => Some(Datatype::Bool),
        ArrowType::Int8 => Some(Datatype::Int8),
        ArrowType::Int16 => Some(Datatype::Int16),
        ArrowType::Int32 => Some(Datatype::Int32),
        ArrowType::Int64 => Some(Datatype::Int64),
        ArrowType::UInt8 => Some(Datatype::UInt8),
        ArrowType::UInt16 => Some(Datatype::UInt16),
        ArrowType::UInt32 => Some(Datatype::UInt32),
        ArrowType::UInt64 => Some(Datatype::UInt64),
        ArrowType::Float16 => Some(Datatype::Fp16),
        ArrowType::Float32 => Some(Datatype::Fp32),
        ArrowType::Float64 => Some(Datatype::Fp64),
        _ => None,
    };
    let shape = vec![rows, 1];
    if let Some(datatype) = numeric.filter(|_| !signet::table::is_json_field(field)) {
        return ResponseOutput {
            name,
            shape,
            datatype,
            content_type: None,
            data: values,
        };
    }
    if matches!(column.data_type(), ArrowType::Timestamp(..)) {
        let data = values
            .into_iter()
            .map(|v| match v {
                Value::Timestamp(dt) | Value::DateTime(dt) | Value::Datetime64(dt, _) => {
                    Value::Str(timestamp_isoformat(&dt))
                }
                other => other,
            })
            .collect();
        return ResponseOutput {
            name,
            shape,
            datatype: Datatype::Bytes,
            content_type: Some(DATETIME),
            data,
        };
    }
    // `_process_bytes`: all text → `str`; anything else → each element as JSON text.
    let all_text = values
        .iter()
        .all(|v| matches!(v, Value::Str(_) | Value::Bytes(_)));
    let (content_type, data) = if all_text {
        let data = values
            .into_iter()
            .map(|v| match v {
                Value::Bytes(b) => Value::Str(String::from_utf8_lossy(&b).into_owned()),
                other => other,
            })
            .collect();
        (STR, data)
    } else {
        (
            PD_JSON,
            values.iter().map(|v| Value::Str(to_json(v))).collect(),
        )
    };
    ResponseOutput {
        name,
        shape,
        datatype: Datatype::Bytes,
        content_type: Some(content_type),
        data,
    }
}

/// `NumpyCodec.encode_output(name, array)`.
///
/// An object array holding dicts or lists (ZipMap's `{label: probability}` column of an ONNX
/// classifier fed a dict of arrays) is where signet chooses: MLServer would put the Python
/// objects in a `BYTES` output's `data`, which the V2 protocol does not allow (`BYTES` elements
/// are strings) and its JSON encoder does not write. signet writes it as `PandasCodec` writes
/// the same column of a DataFrame (`_process_bytes`): `BYTES` with `parameters.content_type`
/// `pd_json`, each element its compact JSON text.
fn tensor_output(name: &str, t: &Tensor) -> ResponseOutput {
    let datatype = Datatype::of_numpy(t.dtype);
    let data: Vec<Value> = (0..t.len()).map(|i| plain(t.element(i))).collect();
    if data
        .iter()
        .any(|v| matches!(v, Value::Dict(_) | Value::List(_)))
    {
        return ResponseOutput {
            name: name.to_string(),
            shape: batch_shape(&t.shape),
            datatype: Datatype::Bytes,
            content_type: Some(PD_JSON),
            data: data.iter().map(|v| Value::Str(to_json(v))).collect(),
        };
    }
    ResponseOutput {
        name: name.to_string(),
        shape: batch_shape(&t.shape),
        datatype,
        content_type: Some(NP),
        data,
    }
}

/// A list output: strings as `StringRequestCodec` encodes them, a flat list of numbers or
/// booleans as a numpy array.
fn list_output(items: &[Value]) -> Result<(&'static str, Vec<ResponseOutput>), String> {
    let items: Vec<Value> = items.iter().cloned().map(plain).collect();
    let name = format!("{OUTPUT_PREFIX}1");
    let shape = vec![items.len(), 1];
    if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Str(_))) {
        let out = ResponseOutput {
            name,
            shape,
            datatype: Datatype::Bytes,
            content_type: Some(STR),
            data: items,
        };
        return Ok((STR, vec![out]));
    }
    let datatype = if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Bool(_))) {
        Datatype::Bool
    } else if items.iter().all(|v| matches!(v, Value::Int(_))) {
        Datatype::Int64
    } else if items
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_) | Value::None))
    {
        Datatype::Fp64
    } else {
        return Err(
            "signet cannot encode this list model output as V2 outputs (only a list of strings or a flat list of numbers or booleans)"
                .into(),
        );
    };
    let data = if datatype == Datatype::Fp64 {
        items
            .into_iter()
            .map(|v| match v {
                Value::Int(i) => Value::Float(i as f64),
                other => other,
            })
            .collect()
    } else {
        items
    };
    let out = ResponseOutput {
        name,
        shape,
        datatype,
        content_type: Some(NP),
        data,
    };
    Ok((NP, vec![out]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int64Type;
    use arrow_array::{ArrayRef, Float64Array, Int64Array, ListArray, StringArray};
    use signet::{NumpyDtype, TensorData};
    use std::sync::Arc;

    #[test]
    fn frame_columns_as_pandas_codec_encodes_them() {
        let price: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.5), None]));
        let n: ArrayRef = Arc::new(Int64Array::from(vec![1, 2]));
        let s: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
        let l: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int64Type, _, _>(vec![
            Some(vec![Some(1)]),
            Some(vec![Some(1), Some(2)]),
        ]));
        let batch =
            RecordBatch::try_from_iter([("price", price), ("n", n), ("s", s), ("l", l)]).unwrap();
        let (ct, outputs) = encode(&ModelInput::Table(batch)).unwrap();
        assert_eq!(ct, "pd");
        let json: Vec<String> = outputs.iter().map(|o| to_json(&o.to_value())).collect();
        assert_eq!(
            json,
            vec![
                r#"{"name":"price","shape":[2,1],"datatype":"FP64","data":[1.5,null]}"#,
                r#"{"name":"n","shape":[2,1],"datatype":"INT64","data":[1,2]}"#,
                r#"{"name":"s","shape":[2,1],"datatype":"BYTES","parameters":{"content_type":"str"},"data":["a","b"]}"#,
                r#"{"name":"l","shape":[2,1],"datatype":"BYTES","parameters":{"content_type":"pd_json"},"data":["[1]","[1,2]"]}"#,
            ]
        );
    }

    #[test]
    fn arrays_get_a_batch_dimension() {
        let t = Tensor {
            dtype: NumpyDtype::Int64,
            shape: vec![3],
            data: TensorData::Arrow(Arc::new(Int64Array::from(vec![1, 2, 3]))),
        };
        let (ct, outputs) = encode(&ModelInput::Tensor(t)).unwrap();
        assert_eq!(ct, "np");
        assert_eq!(
            to_json(&outputs[0].to_value()),
            r#"{"name":"output-1","shape":[3,1],"datatype":"INT64","parameters":{"content_type":"np"},"data":[1,2,3]}"#
        );
        let (ct, outputs) =
            encode(&ModelInput::Value(Value::List(vec![Value::str("foo")]))).unwrap();
        assert_eq!(ct, "str");
        assert_eq!(
            to_json(&outputs[0].to_value()),
            r#"{"name":"output-1","shape":[1,1],"datatype":"BYTES","parameters":{"content_type":"str"},"data":["foo"]}"#
        );
        assert_eq!(
            encode(&ModelInput::Value(Value::Int(1)))
                .unwrap_err()
                .to_string(),
            "signet cannot encode a model output of type int as V2 outputs"
        );
    }
}

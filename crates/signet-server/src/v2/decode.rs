//! A V2 inference request body → a [`ModelInput`], as MLServer's codecs decode it for an MLflow
//! model (SeldonIO/MLServer: `mlserver/codecs/pandas.py` `PandasCodec.decode_request`,
//! `mlserver/codecs/numpy.py` `NumpyCodec.decode_input`, `mlserver/codecs/string.py`,
//! `base64.py`, `datetime.py`, `runtimes/mlflow/mlserver_mlflow/codecs.py` `TensorDictCodec`,
//! and `mlserver/codecs/utils.py` `decode_inference_request`).
//!
//! * The request's content type is `parameters.content_type`, else the model's
//!   ([`model_content_type`]: `pd` for a column-based signature, `dict` for named tensors,
//!   `np` for one unnamed tensor; `pd` without an input schema).
//! * `pd`: one DataFrame column per input, named after it; an input's shape must be `[n]` or
//!   `[n, 1]` and every input must have the same `n`. The column's dtype follows the datatype
//!   (`INT64` → `int64`, `FP32` → `float32`, ...); `BYTES` elements are strings, decoded
//!   further by the input's content type (its `parameters.content_type`, else the model
//!   metadata's for that name): `base64` → bytes, `datetime` → `datetime64[ns]`, `pd_json` →
//!   the JSON values.
//! * `np`: the single input as a numpy array of its shape (MLServer's `NumpyRequestCodec`);
//!   `dict`: every input as an array, by name; `str`: the single `BYTES` input as a list of
//!   strings.
//!
//! `data` is row-major, flat or nested; its element count must match the shape. Elements must
//! fit the datatype: where numpy would silently coerce (`1.5` or `true` as an `INT64`, a number
//! as `BYTES`), signet refuses with a message naming the input.

use super::datatype::{Datatype, BASE64, DATETIME, DICT, NP, PD, PD_JSON, STR};
use super::json::to_json;
use super::metadata::{input_metadata, model_content_type};
use crate::ServerConfig;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, RecordBatch, RecordBatchOptions, StringArray,
};
use arrow_schema::{Field, Schema as ArrowSchema};
use signet::elem::base64_decode;
use signet::numpy::{datetime_to_i64, parse_iso_datetime, timestamp_array};
use signet::table::object_column;
use signet::{pyjson, ModelInput, NumpyDtype, Tensor, TensorData, TimeUnit, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A parsed V2 inference request.
#[derive(Clone, Debug)]
pub(crate) struct InferRequest {
    /// The request id (`id`), if given.
    pub id: Option<String>,
    /// `parameters.content_type`, if given.
    pub content_type: Option<String>,
    /// The other request `parameters` (`content_type` and `headers` removed): the model's
    /// params, as mlserver_mlflow passes them to `predict(..., params=...)`; `None` when empty.
    pub params: Option<Value>,
    /// The input tensors.
    pub inputs: Vec<RequestInput>,
}

/// One input tensor of a request.
#[derive(Clone, Debug)]
pub(crate) struct RequestInput {
    /// `name`.
    pub name: String,
    /// `shape`.
    pub shape: Vec<usize>,
    /// `datatype`.
    pub datatype: Datatype,
    /// `parameters.content_type`, if given.
    pub content_type: Option<String>,
    /// `data`, flattened in row-major order.
    pub data: Vec<Value>,
}

fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", dims.join(", "))
}

fn flatten(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::List(items) | Value::Tuple(items) => {
            for item in items {
                flatten(item, out);
            }
        }
        other => out.push(other.clone()),
    }
}

/// The members of a JSON object.
type Members = Vec<(Value, Value)>;

/// The `content_type` of a `parameters` object, and its other members.
fn split_parameters(v: Option<&Value>, place: &str) -> Result<(Option<String>, Members), String> {
    match v {
        None | Some(Value::None) => Ok((None, Vec::new())),
        Some(Value::Dict(items)) => {
            let mut content_type = None;
            let mut rest = Vec::new();
            for (k, v) in items {
                match (k, v) {
                    (Value::Str(k), Value::Str(ct)) if k == "content_type" => {
                        content_type = Some(ct.clone())
                    }
                    (Value::Str(k), Value::None) if k == "content_type" => content_type = None,
                    (Value::Str(k), _) if k == "content_type" => {
                        return Err(format!("{place}: \"content_type\" must be a string"))
                    }
                    (Value::Str(k), _) if k == "headers" => {}
                    _ => rest.push((k.clone(), v.clone())),
                }
            }
            Ok((content_type, rest))
        }
        Some(other) => Err(format!(
            "{place}: \"parameters\" must be an object, got {}",
            to_json(other)
        )),
    }
}

/// Parses the body of `POST /v2/models/{name}/infer`.
pub(crate) fn parse_request(body: &[u8]) -> Result<InferRequest, String> {
    let text = std::str::from_utf8(body)
        .map_err(|e| format!("The request body is not valid UTF-8: {e}"))?;
    let v = pyjson::loads(text).map_err(|e| format!("Invalid JSON in the request body: {e}"))?;
    if !matches!(v, Value::Dict(_)) {
        return Err(format!(
            "The request body must be a JSON object (an inference request), got {}",
            v.type_name()
        ));
    }
    let id = match v.get("id") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(s.clone()),
        Some(other) => return Err(format!("\"id\" must be a string, got {}", to_json(other))),
    };
    let (content_type, rest) = split_parameters(v.get("parameters"), "the request")?;
    let params = (!rest.is_empty()).then_some(Value::Dict(rest));
    let items = match v.get("inputs") {
        Some(Value::List(items)) => items,
        None | Some(Value::None) => {
            return Err("\"inputs\" is missing: the request needs a list of input tensors".into())
        }
        Some(other) => {
            return Err(format!(
                "\"inputs\" must be a list of input tensors, got {}",
                to_json(other)
            ))
        }
    };
    if items.is_empty() {
        return Err("\"inputs\" is empty: the request needs at least one input tensor".into());
    }
    let inputs = items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_input(i, item))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InferRequest {
        id,
        content_type,
        params,
        inputs,
    })
}

fn parse_input(index: usize, v: &Value) -> Result<RequestInput, String> {
    if !matches!(v, Value::Dict(_)) {
        return Err(format!(
            "inputs[{index}] must be an object with \"name\", \"shape\", \"datatype\" and \"data\""
        ));
    }
    let name = match v.get("name") {
        Some(Value::Str(s)) => s.clone(),
        _ => return Err(format!("inputs[{index}]: \"name\" must be a string")),
    };
    let place = format!("input '{name}'");
    let shape = match v.get("shape") {
        Some(Value::List(dims)) => dims
            .iter()
            .map(|d| match d {
                Value::Int(n) => usize::try_from(*n).ok(),
                _ => None,
            })
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(|| {
                format!(
                    "{place}: \"shape\" must be a list of non-negative integers, got {}",
                    to_json(v.get("shape").unwrap_or(&Value::None))
                )
            })?,
        _ => return Err(format!("{place}: \"shape\" must be a list of integers")),
    };
    let datatype = match v.get("datatype") {
        Some(Value::Str(s)) => Datatype::parse(s).ok_or_else(|| {
            let known: Vec<&str> = Datatype::ALL.iter().map(|d| d.name()).collect();
            format!(
                "{place}: unknown datatype '{s}' (expected one of {})",
                known.join(", ")
            )
        })?,
        _ => return Err(format!("{place}: \"datatype\" must be a string")),
    };
    let (content_type, _) = split_parameters(v.get("parameters"), &place)?;
    let mut data = Vec::new();
    match v.get("data") {
        None => return Err(format!("{place}: \"data\" is missing")),
        Some(d) => flatten(d, &mut data),
    }
    let expected = shape
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d))
        .ok_or_else(|| format!("{place}: shape {} is too large", shape_text(&shape)))?;
    if expected != data.len() {
        return Err(format!(
            "{place}: shape {} holds {expected} elements but \"data\" has {}",
            shape_text(&shape),
            data.len()
        ));
    }
    Ok(RequestInput {
        name,
        shape,
        datatype,
        content_type,
        data,
    })
}

/// Decodes a parsed request into what the model receives, for the configured model.
pub(crate) fn decode(req: &InferRequest, config: &ServerConfig) -> Result<ModelInput, String> {
    let input_schema = config.signature.as_ref().and_then(|s| s.inputs.as_ref());
    let content_type = match &req.content_type {
        Some(ct) => ct.as_str(),
        None => input_schema.map_or(PD, model_content_type),
    };
    let metadata = input_metadata(config);
    // Name → the first metadata entry's content type (hashed: linear in the number of inputs).
    let mut ct_of: HashMap<&str, &str> = HashMap::with_capacity(metadata.len());
    for m in &metadata {
        ct_of.entry(m.name.as_str()).or_insert(m.content_type);
    }
    // An input's content type: its own, else the model metadata's for its name.
    let input_ct = |input: &RequestInput| -> Option<String> {
        input
            .content_type
            .clone()
            .or_else(|| ct_of.get(input.name.as_str()).map(|c| c.to_string()))
    };
    let mut seen: HashSet<&str> = HashSet::with_capacity(req.inputs.len());
    for input in &req.inputs {
        if !seen.insert(input.name.as_str()) {
            return Err(format!(
                "input '{}' is given more than once (input names must be unique)",
                input.name
            ));
        }
    }
    let single = |codec: &str| -> Result<&RequestInput, String> {
        match req.inputs.as_slice() {
            [one] => Ok(one),
            many => Err(format!(
                "The '{codec}' codec only supports a single input tensor ({} were received)",
                many.len()
            )),
        }
    };
    match content_type {
        PD => decode_frame(&req.inputs, &input_ct),
        NP => {
            let input = single(NP)?;
            Ok(ModelInput::Tensor(decode_tensor(
                input,
                input_ct(input).as_deref(),
            )?))
        }
        DICT => Ok(ModelInput::TensorDict(
            req.inputs
                .iter()
                .map(|input| Ok((input.name.clone(), decode_tensor(input, input_ct(input).as_deref())?)))
                .collect::<Result<_, String>>()?,
        )),
        STR => {
            let input = single(STR)?;
            Ok(ModelInput::Value(Value::List(strings(input)?)))
        }
        other => Err(format!(
            "Unsupported request content type '{other}' (signet decodes '{PD}', '{NP}', '{DICT}' and '{STR}')"
        )),
    }
}

/// `PandasCodec.decode_request`: one column per input.
fn decode_frame(
    inputs: &[RequestInput],
    input_ct: &dyn Fn(&RequestInput) -> Option<String>,
) -> Result<ModelInput, String> {
    let mut fields = Vec::with_capacity(inputs.len());
    let mut columns = Vec::with_capacity(inputs.len());
    let mut rows: Option<(usize, &str)> = None;
    for input in inputs {
        let place = format!("input '{}'", input.name);
        let n = match input.shape.split_first() {
            Some((n, rest)) if rest.iter().product::<usize>() == 1 => *n,
            _ => {
                return Err(format!(
                    "{place}: a DataFrame column needs shape [n] or [n, 1], got {}",
                    shape_text(&input.shape)
                ))
            }
        };
        match rows {
            Some((m, first)) if m != n => {
                return Err(format!(
                    "All inputs of a DataFrame must have the same number of rows: '{first}' has {m}, '{}' has {n}",
                    input.name
                ))
            }
            Some(_) => {}
            None => rows = Some((n, &input.name)),
        }
        let (field, column) = column(input, input_ct(input).as_deref())?;
        fields.push(field);
        columns.push(column);
    }
    let rows = rows.map_or(0, |(n, _)| n);
    RecordBatch::try_new_with_options(
        Arc::new(ArrowSchema::new(fields)),
        columns,
        &RecordBatchOptions::new().with_row_count(Some(rows)),
    )
    .map(ModelInput::Table)
    .map_err(|e| format!("Could not build the DataFrame: {e}"))
}

/// One DataFrame column (`_to_series`).
fn column(input: &RequestInput, content_type: Option<&str>) -> Result<(Field, ArrayRef), String> {
    let name = input.name.as_str();
    if content_type == Some(PD_JSON) {
        let values = input
            .data
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::Str(s) => pyjson::loads(s)
                    .map_err(|e| format!("input '{name}': element {i} is not valid JSON ({e})")),
                other => Ok(other.clone()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(object_column(name, &values));
    }
    if input.datatype != Datatype::Bytes {
        let array = numeric_array(input)?;
        return Ok((Field::new(name, array.data_type().clone(), true), array));
    }
    match content_type {
        Some(BASE64) => Ok(object_column(name, &base64_values(input)?)),
        Some(DATETIME) => {
            let array = datetimes(input)?;
            Ok((Field::new(name, array.data_type().clone(), true), array))
        }
        _ => {
            let values: Vec<Value> = input
                .data
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Str(_) | Value::None => Ok(v.clone()),
                    other => Err(not_a(input, i, other, "a string")),
                })
                .collect::<Result<_, _>>()?;
            Ok(object_column(name, &values))
        }
    }
}

/// `NumpyCodec.decode_input`: the data as an array of the input's shape.
fn decode_tensor(input: &RequestInput, content_type: Option<&str>) -> Result<Tensor, String> {
    let (dtype, array): (NumpyDtype, ArrayRef) = match input.datatype.numpy() {
        Some(dtype) => (dtype, numeric_array(input)?),
        None if content_type == Some(BASE64) => {
            let values = base64_values(input)?;
            let bytes: Vec<Option<&[u8]>> = values
                .iter()
                .map(|v| match v {
                    Value::Bytes(b) => Some(b.as_slice()),
                    _ => None,
                })
                .collect();
            if bytes.iter().any(Option::is_none) {
                return Err(format!(
                    "input '{}': a BYTES tensor cannot hold null",
                    input.name
                ));
            }
            (
                NumpyDtype::Bytes,
                Arc::new(BinaryArray::from_opt_vec(bytes)),
            )
        }
        None => {
            let texts = strings(input)?;
            let texts: Vec<&str> = texts
                .iter()
                .map(|v| match v {
                    Value::Str(s) => s.as_str(),
                    _ => "",
                })
                .collect();
            (NumpyDtype::Str, Arc::new(StringArray::from(texts)))
        }
    };
    Ok(Tensor {
        dtype,
        shape: input.shape.clone(),
        data: TensorData::Arrow(array),
    })
}

fn not_a(input: &RequestInput, i: usize, v: &Value, what: &str) -> String {
    format!(
        "input '{}': element {i} ({}) is not {what}, as datatype {} requires",
        input.name,
        to_json(v),
        input.datatype.name()
    )
}

/// The elements of a `BYTES` input as strings (no nulls).
fn strings(input: &RequestInput) -> Result<Vec<Value>, String> {
    if input.datatype != Datatype::Bytes {
        return Err(format!(
            "input '{}': a list of strings needs datatype BYTES, got {}",
            input.name,
            input.datatype.name()
        ));
    }
    input
        .data
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Str(_) => Ok(v.clone()),
            other => Err(not_a(input, i, other, "a string")),
        })
        .collect()
}

/// `Base64Codec.decode_input`: base64 texts → bytes (`null` stays missing).
fn base64_values(input: &RequestInput) -> Result<Vec<Value>, String> {
    input
        .data
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Str(s) => base64_decode(s)
                .map(Value::Bytes)
                .map_err(|_| format!("input '{}': element {i} is not valid base64", input.name)),
            Value::None => Ok(Value::None),
            other => Err(not_a(input, i, other, "base64 text")),
        })
        .collect()
}

/// `DatetimeCodec.decode_input`: ISO 8601 texts → a `datetime64[ns]` column (`null` = NaT).
fn datetimes(input: &RequestInput) -> Result<ArrayRef, String> {
    let values = input
        .data
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::Str(s) => parse_iso_datetime(s)
                .and_then(|(dt, _)| datetime_to_i64(&dt, TimeUnit::Nano))
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "input '{}': element {i} ({}) is not an ISO 8601 datetime",
                        input.name,
                        to_json(v)
                    )
                }),
            Value::None => Ok(None),
            other => Err(not_a(input, i, other, "an ISO 8601 datetime string")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(timestamp_array(TimeUnit::Nano, None, values))
}

/// An integer element: a JSON integer, or a float without fraction (numpy accepts `2.0`).
fn int_of(v: &Value) -> Option<i128> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e38 => Some(*f as i128),
        _ => None,
    }
}

/// A float element: a JSON number; `null` is NaN (as `np.array([None], dtype=float)` gives).
fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::None => Some(f64::NAN),
        _ => None,
    }
}

/// The elements of a numeric or `BOOL` input as an Arrow array of its dtype.
fn numeric_array(input: &RequestInput) -> Result<ArrayRef, String> {
    let Some(dtype) = input.datatype.numpy() else {
        return Err(format!("input '{}': BYTES data is not numeric", input.name));
    };
    let data = input.data.iter().enumerate();
    if dtype == NumpyDtype::Bool {
        let values = data
            .map(|(i, v)| match v {
                Value::Bool(b) => Ok(*b),
                other => Err(not_a(input, i, other, "a boolean")),
            })
            .collect::<Result<Vec<bool>, _>>()?;
        return Ok(Arc::new(BooleanArray::from(values)));
    }
    if dtype.is_int() {
        let values = data
            .map(|(i, v)| int_of(v).ok_or_else(|| not_a(input, i, v, "an integer")))
            .collect::<Result<Vec<i128>, _>>()?;
        return match signet::numpy::int_array(dtype, values.iter().map(|&n| Some(n))) {
            Some(Ok(array)) => Ok(array),
            Some(Err(i)) => Err(format!(
                "input '{}': element {i} ({}) is out of range for {}",
                input.name,
                values[i],
                input.datatype.name()
            )),
            None => Err(format!("input '{}': not an integer datatype", input.name)),
        };
    }
    let floats = data
        .map(|(i, v)| float_of(v).ok_or_else(|| not_a(input, i, v, "a number")))
        .collect::<Result<Vec<f64>, _>>()?;
    signet::numpy::float_array(dtype, floats)
        .ok_or_else(|| format!("input '{}': not a numeric datatype", input.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float32Type, Int64Type};
    use arrow_array::Array;

    fn request(body: &str) -> InferRequest {
        parse_request(body.as_bytes()).expect("request")
    }

    #[test]
    fn parameters_become_params_without_content_type_and_headers() {
        let r = request(
            r#"{"id": "r1", "parameters": {"content_type": "np", "headers": {"x": "1"}, "k": 3}, "inputs": [{"name": "a", "shape": [1], "datatype": "INT64", "data": [1]}]}"#,
        );
        assert_eq!(r.id.as_deref(), Some("r1"));
        assert_eq!(r.content_type.as_deref(), Some("np"));
        assert_eq!(r.params, Some(Value::dict([("k", Value::Int(3))])));
        let r = request(
            r#"{"parameters": {"content_type": "pd"}, "inputs": [{"name": "a", "shape": [1], "datatype": "INT64", "data": [1]}]}"#,
        );
        assert_eq!(r.params, None);
    }

    #[test]
    fn nested_data_is_flattened_row_major() {
        let r = request(
            r#"{"inputs": [{"name": "input-0", "shape": [2, 4], "datatype": "FP32", "data": [[1,2,3,4],[5,6,7,8]]}]}"#,
        );
        let t = decode_tensor(&r.inputs[0], None).expect("tensor");
        assert_eq!(
            (t.dtype, t.shape.clone()),
            (NumpyDtype::Float32, vec![2, 4])
        );
        let TensorData::Arrow(a) = &t.data else {
            panic!("arrow data")
        };
        let values: Vec<f32> = a.as_primitive::<Float32Type>().values().to_vec();
        assert_eq!(values, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    }

    #[test]
    fn refusals_name_the_input() {
        let err = |body: &str| parse_request(body.as_bytes()).expect_err("refused");
        assert_eq!(
            err(
                r#"{"inputs": [{"name": "a", "shape": [3], "datatype": "INT64", "data": [1, 2]}]}"#
            ),
            "input 'a': shape [3] holds 3 elements but \"data\" has 2"
        );
        assert!(err(
            r#"{"inputs": [{"name": "a", "shape": [1], "datatype": "INT65", "data": [1]}]}"#
        )
        .starts_with("input 'a': unknown datatype 'INT65' (expected one of BOOL, "));
        assert_eq!(
            err("{\"inputs\": []}"),
            "\"inputs\" is empty: the request needs at least one input tensor"
        );
        assert!(err("{\"inputs\": [").starts_with("Invalid JSON in the request body: "));
        let r = request(
            r#"{"inputs": [{"name": "a", "shape": [2], "datatype": "INT64", "data": [1, 1.5]}]}"#,
        );
        assert_eq!(
            numeric_array(&r.inputs[0]).expect_err("fraction"),
            "input 'a': element 1 (1.5) is not an integer, as datatype INT64 requires"
        );
        let r = request(
            r#"{"inputs": [{"name": "a", "shape": [1], "datatype": "INT8", "data": [300]}]}"#,
        );
        assert_eq!(
            numeric_array(&r.inputs[0]).expect_err("range"),
            "input 'a': element 0 (300) is out of range for INT8"
        );
    }

    #[test]
    fn frame_columns_follow_the_datatype() {
        let r = request(
            r#"{"inputs": [{"name": "sqft", "shape": [2, 1], "datatype": "INT64", "data": [[1500], [2000]]}, {"name": "city", "shape": [2], "datatype": "BYTES", "data": ["Oslo", null]}]}"#,
        );
        let ModelInput::Table(batch) =
            decode_frame(&r.inputs, &|_: &RequestInput| None).expect("frame")
        else {
            panic!("table")
        };
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(
            batch
                .column(0)
                .as_primitive::<Int64Type>()
                .values()
                .to_vec(),
            vec![1500, 2000]
        );
        let city = batch.column(1).as_string::<i32>();
        assert_eq!((city.value(0), city.is_null(1)), ("Oslo", true));
        let r = request(
            r#"{"inputs": [{"name": "a", "shape": [2], "datatype": "INT64", "data": [1, 2]}, {"name": "b", "shape": [3], "datatype": "INT64", "data": [1, 2, 3]}]}"#,
        );
        assert_eq!(
            decode_frame(&r.inputs, &|_: &RequestInput| None).expect_err("rows"),
            "All inputs of a DataFrame must have the same number of rows: 'a' has 2, 'b' has 3"
        );
    }
}

//! Input examples: `input_example.json`, `serving_input_example.json` and
//! `saved_input_example_info`, written and read as MLflow 3.17.2's `_Example` and
//! `Model.load_input_example` do (docs/model-directory.md#saved-input-example-info, #input-example-json, #serving-input-example).
//!
//! [`SavedExample::new`] classifies an example ([`ModelInput`] plus optional params, MLflow's
//! `(data, params)` tuple) and renders both files byte for byte:
//!
//! | example | `type` | `input_example.json` | serving body |
//! | --- | --- | --- | --- |
//! | table (DataFrame) | `dataframe` (`pandas_orient` `split`, or `values` for labels `0..n-1`) | `{"columns": [...], "data": [[...]]}` | `{"dataframe_split": ...}` |
//! | tensor, dict of tensors | `ndarray` | nested lists (numeric NaN → `null`) | `{"inputs": ...}` |
//! | dict, list, scalar, datetime | `json_object` | the value | `{"inputs": ...}`, or the dict itself when it has a `messages`, `prompt` or `input` key |
//! | with params | as above, `params: 'true'` | `{"inputs": <data>, "params": {...}}` | `"params": {...}` added (merged into an LLM-style dict) |
//!
//! Values are converted as MLflow's `NumpyEncoder` converts them: numpy scalars to Python
//! numbers, bytes to MIME base64 (`"YWI=\n"`), dates/datetimes/Timestamps to ISO text, NaN to
//! the bare `NaN` token (tables and JSON values) or `null` (top-level arrays).
//!
//! Not supported, with an error: pandas Series and `datetime.date` / `None` data (MLflow refuses
//! them too, with the same message) and scipy sparse matrices (signet's
//! [`signet::input::SparseMatrix`] does not keep the indices MLflow writes).
//!
//! Reading back ([`load_input_example`]): `json_object` examples are the JSON value; `ndarray`
//! examples become tensors (dtype from a tensor input schema, else inferred from the values);
//! `dataframe` examples become tables typed by the column input schema (else by the values);
//! sparse examples are rebuilt from `data`/`shape`.

use crate::dir::resolve_inside;
use crate::error::ModelError;
use crate::mlmodel::{ExampleInfo, MlModel};
use arrow_array::Array;
use signet::input::TensorData;
use signet::json_form::column_name_to_value;
use signet::pyjson;
use signet::table;
use signet::types::{ColType, ColumnName, DataType, NumpyDtype, Schema, SchemaKind, TimeUnit};
use signet::{ModelInput, Tensor, Value};
use std::path::Path;

/// The file name of the input example.
pub const EXAMPLE_FILENAME: &str = "input_example.json";
/// The file name of the serving input example.
pub const SERVING_INPUT_FILENAME: &str = "serving_input_example.json";

/// An input example as given to `save_model`: the data and, optionally, params (MLflow's
/// `(data, params)` tuple).
#[derive(Clone, Debug)]
pub struct InputExample {
    /// The example input. `ModelInput::Value(Value::None)` means "no example".
    pub data: ModelInput,
    /// Example params, in order.
    pub params: Option<Vec<(String, Value)>>,
}

impl InputExample {
    /// An example without params.
    pub fn new(data: ModelInput) -> InputExample {
        InputExample { data, params: None }
    }

    /// An example with params.
    pub fn with_params(data: ModelInput, params: Vec<(String, Value)>) -> InputExample {
        InputExample {
            data,
            params: Some(params),
        }
    }
}

/// An example ready to be written: its metadata and both files' text.
#[derive(Clone, Debug)]
pub struct SavedExample {
    /// `saved_input_example_info`.
    pub info: ExampleInfo,
    /// The text of `input_example.json` (`json.dumps`, no trailing newline).
    pub input_example_json: String,
    /// The text of `serving_input_example.json` (`json.dumps(indent=2)`), when written.
    pub serving_input_json: Option<String>,
}

impl SavedExample {
    /// `_Example(input_example)`: classifies the example and renders its files. `Ok(None)`
    /// when the data is `None` (no example).
    pub fn new(example: &InputExample) -> Result<Option<SavedExample>, ModelError> {
        if matches!(example.data, ModelInput::Value(Value::None)) {
            return Ok(None);
        }
        let params = match &example.params {
            Some(p) => {
                if !p.is_empty() {
                    signet::infer::infer_param_schema(p)?;
                }
                Some(Value::Dict(
                    p.iter()
                        .map(|(k, v)| Ok((Value::Str(k.clone()), to_json(v, false)?)))
                        .collect::<Result<Vec<_>, ModelError>>()?,
                ))
            }
            None => None,
        };
        let mut info = ExampleInfo {
            artifact_path: EXAMPLE_FILENAME.into(),
            kind: String::new(),
            pandas_orient: None,
            serving_input_path: None,
            params: params.as_ref().is_some_and(Value::is_truthy),
        };
        let mut llm = false;
        let (model_input, serving) =
            match &example.data {
                ModelInput::Table(batch) => {
                    let split = split_dict(batch)?;
                    info.kind = "dataframe".into();
                    info.pandas_orient = Some(
                        if split.get("columns").is_some() {
                            "split"
                        } else {
                            "values"
                        }
                        .into(),
                    );
                    let serving = Value::dict([("dataframe_split", split.clone())]);
                    (split, serving)
                }
                ModelInput::Tensor(t) => {
                    info.kind = "ndarray".into();
                    let v = ndarray_json(t)?;
                    (v.clone(), Value::dict([("inputs", v)]))
                }
                ModelInput::TensorDict(items) => {
                    info.kind = "ndarray".into();
                    let v = Value::Dict(
                        items
                            .iter()
                            .map(|(k, t)| Ok((Value::Str(k.clone()), ndarray_json(t)?)))
                            .collect::<Result<Vec<_>, ModelError>>()?,
                    );
                    (v.clone(), Value::dict([("inputs", v)]))
                }
                ModelInput::Value(v) => {
                    let (kind, json) = classify_value(v)?;
                    info.kind = kind.into();
                    if kind == "ndarray" {
                        (json.clone(), Value::dict([("inputs", json)]))
                    } else {
                        llm = matches!(v, Value::Dict(_))
                            && ["messages", "prompt", "input"]
                                .iter()
                                .any(|k| v.get(k).is_some());
                        let serving = if llm {
                            json.clone()
                        } else {
                            Value::dict([("inputs", json.clone())])
                        };
                        (json, serving)
                    }
                }
                ModelInput::Series(_) => {
                    return Err(unsupported_type("<class 'pandas.Series'>"));
                }
                ModelInput::Sparse(_) => return Err(ModelError::InvalidExample(
                    "scipy sparse matrix input examples are not supported by signet: its sparse \
                     matrices do not keep the indices MLflow writes"
                        .into(),
                )),
            };
        let (file_value, serving) = match &params {
            Some(p) => {
                let file = Value::dict([("inputs", model_input), ("params", p.clone())]);
                let serving = match (llm, serving, p) {
                    (true, Value::Dict(mut items), Value::Dict(pitems)) => {
                        for (k, v) in pitems {
                            match items.iter_mut().find(|(ik, _)| ik == k) {
                                Some(slot) => slot.1 = v.clone(),
                                None => items.push((k.clone(), v.clone())),
                            }
                        }
                        Value::Dict(items)
                    }
                    (_, Value::Dict(mut items), p) => {
                        items.push((Value::str("params"), p.clone()));
                        Value::Dict(items)
                    }
                    (_, other, _) => other,
                };
                (file, serving)
            }
            None => (model_input, serving),
        };
        info.serving_input_path = Some(SERVING_INPUT_FILENAME.into());
        Ok(Some(SavedExample {
            info,
            input_example_json: pyjson::dumps(&file_value),
            serving_input_json: Some(pyjson::dumps_indent(&serving, 2)),
        }))
    }

    /// The files to write: `(relative path, content)`.
    pub fn files(&self) -> Vec<(&str, &str)> {
        let mut out = vec![(
            self.info.artifact_path.as_str(),
            self.input_example_json.as_str(),
        )];
        if let (Some(p), Some(text)) = (&self.info.serving_input_path, &self.serving_input_json) {
            out.push((p.as_str(), text.as_str()));
        }
        out
    }
}

fn unsupported_type(class: &str) -> ModelError {
    ModelError::InvalidExample(format!(
        "Expected one of the following types:\n- pandas.DataFrame\n- numpy.ndarray\n- dictionary of (name -> numpy.ndarray)\n- scipy.sparse.csr_matrix\n- scipy.sparse.csc_matrix\n- dict\n- list\n- scalars\n- datetime.datetime\n- pydantic model instance\nbut got '{class}'"
    ))
}

/// The `type` and JSON form of a Python-value example.
fn classify_value(v: &Value) -> Result<(&'static str, Value), ModelError> {
    match v {
        Value::Dict(items) => {
            let arrays = items
                .iter()
                .filter(|(_, x)| matches!(x, Value::Ndarray(_)))
                .count();
            if arrays > 0 {
                if arrays < items.len() {
                    return Err(ModelError::InvalidExample(
                        "Mixed types in dictionary are not supported as input examples. Found numpy arrays and other types.".into(),
                    ));
                }
                let json = Value::Dict(
                    items
                        .iter()
                        .map(|(k, x)| match x {
                            Value::Ndarray(t) => Ok((json_key(k)?, ndarray_json(t)?)),
                            _ => unreachable_json(),
                        })
                        .collect::<Result<Vec<_>, ModelError>>()?,
                );
                return Ok(("ndarray", json));
            }
            Ok(("json_object", to_json(v, false)?))
        }
        Value::Ndarray(t) => Ok(("ndarray", ndarray_json(t)?)),
        Value::List(items) => {
            if items.iter().any(contains_ndarray) {
                return Err(ModelError::InvalidExample(
                    "Multidimensional arrays (aka tensors) are not supported. Numpy arrays in list are not supported as input examples.".into(),
                ));
            }
            Ok(("json_object", to_json(v, false)?))
        }
        // `np.isscalar` values and datetimes.
        Value::DateTime(_) | Value::Timestamp(_) | Value::NaT | Value::Numpy(..) => {
            Ok(("json_object", to_json(v, false)?))
        }
        v if signet::numpy::is_scalar(v) => Ok(("json_object", to_json(v, false)?)),
        other => Err(unsupported_type(&signet::repr::py_class(other))),
    }
}

fn unreachable_json() -> Result<(Value, Value), ModelError> {
    Err(ModelError::InvalidExample(
        "internal error: not an array".into(),
    ))
}

fn contains_ndarray(v: &Value) -> bool {
    match v {
        Value::Ndarray(_) => true,
        Value::List(items) => items.iter().any(contains_ndarray),
        Value::Dict(items) => items.iter().any(|(_, x)| contains_ndarray(x)),
        _ => false,
    }
}

/// `numpy.datetime64.item()` rendered by `NumpyEncoder`: a date for day-or-coarser units, an
/// ISO datetime down to microseconds, an integer count for finer units.
fn datetime64_json(dt: &chrono::NaiveDateTime, unit: TimeUnit) -> Value {
    match unit {
        TimeUnit::Year | TimeUnit::Month | TimeUnit::Week | TimeUnit::Day => {
            Value::Str(dt.format("%Y-%m-%d").to_string())
        }
        TimeUnit::Nano => match dt.and_utc().timestamp_nanos_opt() {
            Some(n) => Value::Int(n as i128),
            None => Value::Str(signet::repr::iso_datetime(dt)),
        },
        _ => Value::Str(signet::repr::iso_datetime(dt)),
    }
}

fn json_key(k: &Value) -> Result<Value, ModelError> {
    Ok(Value::Str(match k {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => pyjson::float_repr(*f),
        Value::Bool(b) => if *b { "true" } else { "false" }.into(),
        Value::None => "null".into(),
        Value::Numpy(_, inner) => return json_key(inner),
        other => {
            return Err(ModelError::InvalidExample(format!(
                "keys must be str, int, float, bool or None, not {}",
                other.type_name()
            )))
        }
    }))
}

/// A Python value as `json.dumps(..., cls=NumpyEncoder)` sees it: a tree of JSON values.
/// `na_is_null`: `pd.NA` becomes `null` (table cells after `df.where(df.notnull(), None)`);
/// elsewhere it is not JSON serialisable.
fn to_json(v: &Value, na_is_null: bool) -> Result<Value, ModelError> {
    Ok(match v {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => v.clone(),
        Value::Bytes(b) => Value::Str(signet::repr::base64_mime(b)),
        Value::Date(d) => Value::Str(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(dt) => Value::Str(signet::repr::iso_datetime(dt)),
        Value::Timestamp(dt) => Value::Str(signet::repr::timestamp_isoformat(dt)),
        Value::Datetime64(dt, unit) => datetime64_json(dt, *unit),
        Value::NaT => Value::str("NaT"),
        Value::NA if na_is_null => Value::None,
        Value::NA => {
            return Err(ModelError::InvalidExample(
                "Object of type NAType is not JSON serializable".into(),
            ))
        }
        Value::Numpy(_, inner) => to_json(inner, na_is_null)?,
        Value::List(items) | Value::Tuple(items) => Value::List(
            items
                .iter()
                .map(|x| to_json(x, na_is_null))
                .collect::<Result<_, _>>()?,
        ),
        Value::Dict(items) => Value::Dict(
            items
                .iter()
                .map(|(k, x)| Ok((json_key(k)?, to_json(x, na_is_null)?)))
                .collect::<Result<_, ModelError>>()?,
        ),
        Value::Ndarray(t) => to_json(&t.to_list(), na_is_null)?,
    })
}

/// A top-level example array: `_handle_ndarray_nans(x).tolist()` (NaN → `null` for numeric
/// dtypes), then `NumpyEncoder`.
fn ndarray_json(t: &Tensor) -> Result<Value, ModelError> {
    if matches!(t.dtype, NumpyDtype::Complex64 | NumpyDtype::Complex128) {
        return Err(ModelError::InvalidExample(
            "Object of type complex is not JSON serializable".into(),
        ));
    }
    let numeric = t.dtype.is_int() || t.dtype.is_float();
    fn nan_to_none(v: Value) -> Value {
        match v {
            Value::Float(f) if f.is_nan() => Value::None,
            Value::List(items) => Value::List(items.into_iter().map(nan_to_none).collect()),
            other => other,
        }
    }
    let list = t.to_list();
    let list = if numeric { nan_to_none(list) } else { list };
    to_json(&list, false)
}

/// `_convert_dataframe_to_split_dict(df)`: `df.where(df.notnull(), None).to_dict("split")`
/// without the index, and without `columns` when the labels are `0..n-1`.
fn split_dict(batch: &arrow_array::RecordBatch) -> Result<Value, ModelError> {
    let schema = batch.schema();
    let mut labels = Vec::new();
    let mut columns: Vec<Vec<Value>> = Vec::new();
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let label = table::column_label(field);
        labels.push(label);
        let object = table::dtype_info(field, array.as_ref()).name == "object";
        let cells = table::object_values(field, array.as_ref())
            .into_iter()
            .map(|c| {
                if object && c.is_missing() {
                    Ok(Value::None)
                } else {
                    to_json(&c, true)
                }
            })
            .collect::<Result<Vec<_>, ModelError>>()?;
        columns.push(cells);
    }
    let rows = batch.num_rows();
    let data = (0..rows)
        .map(|r| Value::List(columns.iter().map(|c| c[r].clone()).collect()))
        .collect();
    let default_labels = labels
        .iter()
        .enumerate()
        .all(|(i, l)| matches!(l, ColumnName::Int(n) if *n as usize == i));
    let mut items = Vec::new();
    if !default_labels {
        items.push((
            Value::str("columns"),
            Value::List(labels.iter().map(column_name_to_value).collect()),
        ));
    }
    items.push((Value::str("data"), Value::List(data)));
    Ok(Value::Dict(items))
}

// ---------------------------------------------------------------------------------------------
// Reading back

/// An input example read back from a model directory.
#[derive(Clone, Debug)]
pub struct LoadedExample {
    /// `saved_input_example_info`.
    pub info: ExampleInfo,
    /// The example data (`Model.load_input_example`).
    pub data: ModelInput,
    /// The example params (`Model.load_input_example_params`), a dict.
    pub params: Option<Value>,
}

/// Reads a file of the model directory named by the MLmodel (refusing paths that leave it).
fn read_artifact(dir: &Path, rel: &str) -> Result<String, ModelError> {
    let path = resolve_inside(dir, rel)?;
    std::fs::read_to_string(&path)
        .map_err(|e| ModelError::io(format!("cannot read {}", path.display()), e))
}

/// The raw JSON of the example file (`json.loads` of it), checking the example type as
/// MLflow does.
fn example_json(dir: &Path, info: &ExampleInfo) -> Result<Value, ModelError> {
    if ![
        "dataframe",
        "ndarray",
        "sparse_matrix_csc",
        "sparse_matrix_csr",
        "json_object",
    ]
    .contains(&info.kind.as_str())
    {
        return Err(ModelError::InvalidExample(format!(
            "This version of mlflow can not load example of type {}",
            info.kind
        )));
    }
    let text = read_artifact(dir, &info.artifact_path)?;
    pyjson::loads(&text)
        .map_err(|e| ModelError::InvalidExample(format!("{}: {e}", info.artifact_path)))
}

/// `Model.load_input_example(dir)` and `load_input_example_params(dir)`: `Ok(None)` when the
/// model has no example.
pub fn load_input_example(
    dir: &Path,
    model: &MlModel,
) -> Result<Option<LoadedExample>, ModelError> {
    let Some(info) = model.example_info() else {
        return Ok(None);
    };
    let json = example_json(dir, &info)?;
    let (data, params) = if info.params {
        (
            json.get("inputs").cloned().unwrap_or(Value::None),
            json.get("params").cloned(),
        )
    } else {
        (json, None)
    };
    let schema = model.signature.as_ref().and_then(|s| s.inputs.as_ref());
    let data = match info.kind.as_str() {
        "json_object" => ModelInput::Value(data),
        "ndarray" => parse_ndarray_example(&data, schema)?,
        "dataframe" => ModelInput::Table(parse_split_example(&data, schema)?),
        _ => parse_sparse_example(&data, info.kind == "sparse_matrix_csr")?,
    };
    Ok(Some(LoadedExample { info, data, params }))
}

/// `Model.get_serving_input(dir)`: the serving example's text, when one was saved.
pub fn load_serving_example(dir: &Path, model: &MlModel) -> Result<Option<String>, ModelError> {
    match model.example_info().and_then(|i| i.serving_input_path) {
        Some(p) => read_artifact(dir, &p).map(Some),
        None => Ok(None),
    }
}

fn bad_example(msg: impl Into<String>) -> ModelError {
    ModelError::InvalidExample(msg.into())
}

/// The numpy dtype a column type reads into.
fn datatype_dtype(t: DataType) -> &'static str {
    match t {
        DataType::Boolean => "bool",
        DataType::Integer => "int32",
        DataType::Long => "int64",
        DataType::Float => "float32",
        DataType::Double => "float64",
        DataType::String => "str",
        DataType::Binary => "bytes",
        DataType::Datetime => "datetime64[ns]",
    }
}

/// The dtype `np.array(values)` would pick for plain JSON values.
fn infer_dtype(values: &[&Value]) -> &'static str {
    let present: Vec<&&Value> = values
        .iter()
        .filter(|v| !matches!(v, Value::None))
        .collect();
    if present.is_empty() {
        return "object";
    }
    if present.iter().all(|v| matches!(v, Value::Bool(_))) && present.len() == values.len() {
        "bool"
    } else if present.iter().all(|v| matches!(v, Value::Int(_))) && present.len() == values.len() {
        "int64"
    } else if present
        .iter()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_)))
    {
        "float64"
    } else if present.iter().all(|v| matches!(v, Value::Str(_))) {
        "str"
    } else {
        "object"
    }
}

/// The leaves and rectangular shape of nested lists (`None` when ragged).
fn nested_shape(v: &Value) -> Option<Vec<usize>> {
    match v {
        Value::List(items) => {
            let inner: Vec<Option<Vec<usize>>> = items.iter().map(nested_shape).collect();
            let first = inner.first().cloned().unwrap_or(Some(Vec::new()))?;
            if inner.iter().any(|s| s.as_ref() != Some(&first)) {
                return None;
            }
            let mut shape = vec![items.len()];
            if !items.is_empty() {
                shape.extend(first);
            }
            Some(shape)
        }
        _ => Some(Vec::new()),
    }
}

fn leaves<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::List(items) => items.iter().for_each(|x| leaves(x, out)),
        other => out.push(other),
    }
}

/// Builds a tensor from nested JSON lists through the corpus ndarray form.
fn tensor_from_json(v: &Value, dtype: Option<&str>) -> Result<Tensor, ModelError> {
    let (shape, values) = match nested_shape(v) {
        Some(shape) => (shape, v.clone()),
        None => {
            // Ragged: an object array of the top-level items.
            let Value::List(items) = v else {
                return Err(bad_example("example array is not a list"));
            };
            (vec![items.len()], v.clone())
        }
    };
    let dtype = match dtype {
        Some(d) => d.to_string(),
        None => {
            let mut ls = Vec::new();
            leaves(&values, &mut ls);
            infer_dtype(&ls).to_string()
        }
    };
    let values = if dtype == "object" {
        signet::elem::to_elem(&values)
    } else {
        values
    };
    let corpus = Value::dict([
        ("type", Value::str("ndarray")),
        ("dtype", Value::Str(dtype)),
        (
            "shape",
            Value::List(shape.iter().map(|&n| Value::Int(n as i128)).collect()),
        ),
        ("values", values),
    ]);
    signet::elem::tensor_from_value(&corpus).map_err(|e| bad_example(e.to_string()))
}

fn tensor_dtype_for(schema: Option<&Schema>, name: Option<&str>) -> Option<String> {
    let specs = schema?.tensor_specs()?;
    let spec = match name {
        Some(n) => specs.iter().find(|s| s.name.as_deref() == Some(n))?,
        None => specs.first()?,
    };
    Some(spec.dtype.name())
}

fn parse_ndarray_example(data: &Value, schema: Option<&Schema>) -> Result<ModelInput, ModelError> {
    match data {
        Value::Dict(items) => Ok(ModelInput::TensorDict(
            items
                .iter()
                .map(|(k, v)| {
                    let name = signet::repr::py_str_of(k);
                    let dtype = tensor_dtype_for(schema, Some(&name));
                    Ok((name, tensor_from_json(v, dtype.as_deref())?))
                })
                .collect::<Result<_, ModelError>>()?,
        )),
        other => {
            let dtype = tensor_dtype_for(schema, None);
            Ok(ModelInput::Tensor(tensor_from_json(
                other,
                dtype.as_deref(),
            )?))
        }
    }
}

/// A `split` dict (`{"columns": [...], "data": [[...]]}`) as a table typed by a column schema.
fn parse_split_example(
    data: &Value,
    schema: Option<&Schema>,
) -> Result<arrow_array::RecordBatch, ModelError> {
    let rows = match data.get("data") {
        Some(Value::List(rows)) => rows.clone(),
        _ => return Err(bad_example("dataframe example without `data`")),
    };
    let ncols = rows
        .iter()
        .map(|r| match r {
            Value::List(c) => c.len(),
            _ => 1,
        })
        .max()
        .unwrap_or(0);
    let labels: Vec<Value> = match data.get("columns") {
        Some(Value::List(c)) => c.clone(),
        _ => (0..ncols).map(|i| Value::Int(i as i128)).collect(),
    };
    let col_specs = match schema.map(Schema::kind) {
        Some(SchemaKind::Columns(c)) => Some(c.as_slice()),
        _ => None,
    };
    let mut columns = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let cells: Vec<Value> = rows
            .iter()
            .map(|r| match r {
                Value::List(c) => c.get(i).cloned().unwrap_or(Value::None),
                _ => Value::None,
            })
            .map(|c| match c {
                Value::Float(f) if f.is_nan() => Value::None,
                other => other,
            })
            .collect();
        let name = match label {
            Value::Str(s) => ColumnName::Str(s.clone()),
            Value::Int(n) => ColumnName::Int(*n as i64),
            other => ColumnName::Str(signet::repr::py_str_of(other)),
        };
        let spec_type = col_specs.and_then(|specs| {
            specs
                .iter()
                .find(|s| s.name.as_ref() == Some(&name))
                .or_else(|| specs.get(i).filter(|s| s.name.is_none()))
                .map(|s| s.ty.clone())
        });
        let refs: Vec<&Value> = cells.iter().collect();
        let has_null = cells.iter().any(|c| matches!(c, Value::None));
        let dtype = match spec_type {
            Some(ColType::Scalar(t)) => {
                let d = datatype_dtype(t);
                if has_null && matches!(d, "int32" | "int64" | "bool") {
                    "float64"
                } else {
                    d
                }
            }
            Some(_) => "object",
            None => {
                let d = infer_dtype(&refs);
                if has_null && matches!(d, "int64" | "bool") {
                    if d == "bool" {
                        "object"
                    } else {
                        "float64"
                    }
                } else {
                    d
                }
            }
        };
        let values = if dtype == "object" {
            cells.iter().map(signet::elem::to_elem).collect()
        } else {
            cells
        };
        columns.push(Value::dict([
            ("name", column_name_to_value(&name)),
            ("dtype", Value::str(dtype)),
            ("values", Value::List(values)),
        ]));
    }
    let corpus = Value::dict([
        ("type", Value::str("dataframe")),
        ("columns", Value::List(columns)),
        (
            "index",
            Value::List((0..rows.len()).map(|i| Value::Int(i as i128)).collect()),
        ),
    ]);
    signet::elem::dataframe_from_value(&corpus).map_err(|e| bad_example(e.to_string()))
}

fn parse_sparse_example(data: &Value, csr: bool) -> Result<ModelInput, ModelError> {
    let values = data
        .get("data")
        .ok_or_else(|| bad_example("sparse example without `data`"))?;
    let shape = match data.get("shape") {
        Some(Value::List(s)) if s.len() == 2 => match (&s[0], &s[1]) {
            (Value::Int(r), Value::Int(c)) if *r >= 0 && *c >= 0 => (*r as usize, *c as usize),
            _ => return Err(bad_example("invalid sparse example shape")),
        },
        _ => return Err(bad_example("sparse example without `shape`")),
    };
    let data = tensor_from_json(values, None)?;
    Ok(ModelInput::Sparse(signet::input::SparseMatrix {
        csr,
        data,
        shape,
    }))
}

/// The example as plain JSON for display: what `input_example.json` holds (data part).
pub fn example_display_json(input: &ModelInput) -> Value {
    match input {
        ModelInput::Table(batch) => split_dict(batch).unwrap_or(Value::None),
        ModelInput::Tensor(t) => ndarray_json(t).unwrap_or(Value::None),
        ModelInput::TensorDict(items) => Value::Dict(
            items
                .iter()
                .map(|(k, t)| {
                    (
                        Value::Str(k.clone()),
                        ndarray_json(t).unwrap_or(Value::None),
                    )
                })
                .collect(),
        ),
        ModelInput::Value(v) => to_json(v, true).unwrap_or(Value::None),
        ModelInput::Series(s) => Value::List(table::object_values(&s.field, s.values.as_ref())),
        ModelInput::Sparse(m) => match &m.data.data {
            TensorData::Arrow(a) if a.is_empty() => Value::List(Vec::new()),
            _ => ndarray_json(&m.data).unwrap_or(Value::None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signet::elem::model_input_from_value;

    fn saved(value: &str, params: Option<Vec<(String, Value)>>) -> SavedExample {
        let v = pyjson::loads(value).unwrap();
        let data = model_input_from_value(&v).unwrap();
        let ex = InputExample { data, params };
        SavedExample::new(&ex).unwrap().unwrap()
    }

    #[test]
    fn dataframe_split_and_values() {
        let s = saved(
            r#"{"type": "dataframe", "columns": [{"name": "a", "dtype": "int64", "values": [1, 2]}, {"name": "b", "dtype": "str", "values": ["x", null]}, {"name": "c", "dtype": "float64", "values": [1.5, null]}]}"#,
            None,
        );
        assert_eq!(
            s.input_example_json,
            r#"{"columns": ["a", "b", "c"], "data": [[1, "x", 1.5], [2, NaN, NaN]]}"#
        );
        assert_eq!(s.info.pandas_orient.as_deref(), Some("split"));
        let s = saved(
            r#"{"type": "dataframe", "columns": [{"name": 0, "dtype": "int64", "values": [1, 3]}, {"name": 1, "dtype": "int64", "values": [2, 4]}]}"#,
            None,
        );
        assert_eq!(s.input_example_json, r#"{"data": [[1, 2], [3, 4]]}"#);
        assert_eq!(s.info.pandas_orient.as_deref(), Some("values"));
    }

    #[test]
    fn arrays_and_values() {
        let s = saved(
            r#"{"type": "ndarray", "dtype": "float64", "shape": [2, 2], "values": [[1.0, null], [3.0, 4.0]]}"#,
            None,
        );
        assert_eq!(s.input_example_json, "[[1.0, null], [3.0, 4.0]]");
        let s = saved(r#"{"type": "json", "value": {"$bytes": "YWI="}}"#, None);
        assert_eq!(s.input_example_json, r#""YWI=\n""#);
        let s = saved(
            r#"{"type": "json", "value": {"$datetime": "2020-01-01T12:00:00"}}"#,
            None,
        );
        assert_eq!(s.input_example_json, r#""2020-01-01T12:00:00""#);
        let s = saved(
            r#"{"type": "ndarray", "dtype": "int64", "shape": [2], "values": [1, 2]}"#,
            Some(vec![(
                "t".into(),
                Value::List(vec![Value::Int(1), Value::Int(2)]),
            )]),
        );
        assert_eq!(
            s.input_example_json,
            r#"{"inputs": [1, 2], "params": {"t": [1, 2]}}"#
        );
        assert!(s.info.params);
    }

    #[test]
    fn refused_examples() {
        let mixed = pyjson::loads(r#"{"type": "json", "value": {"a": {"$ndarray": {"type": "ndarray", "dtype": "int64", "shape": [1], "values": [1]}}, "b": 1}}"#).unwrap();
        let ex = InputExample::new(model_input_from_value(&mixed).unwrap());
        assert_eq!(
            SavedExample::new(&ex).unwrap_err().to_string(),
            "Mixed types in dictionary are not supported as input examples. Found numpy arrays and other types."
        );
        let none = InputExample::new(ModelInput::Value(Value::None));
        assert!(SavedExample::new(&none).unwrap().is_none());
    }
}

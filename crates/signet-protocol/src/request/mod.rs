//! Scoring requests: the body of a `POST /invocations` turned into model input and params
//! exactly as MLflow 3.17.2's scoring server does it (docs/serving.md#content-type, #json-envelope, #json-payload, #csv, #parquet), without HTTP.
//!
//! [`parse_request`] takes the `Content-Type` header, the raw body and the model's signature
//! and returns a [`ParsedRequest`] (what goes to `PyFuncModel.predict`, before enforcement) or
//! a [`RequestError`] carrying the exact response MLflow sends.
//!
//! * `application/json`: Python `json.loads` semantics on the bytes (UTF-8 with or without a
//!   BOM, UTF-16/32 detection, `NaN` / `Infinity`, big integers, last duplicate key wins), the
//!   unified LLM form, and the four formats `dataframe_split`, `dataframe_records`, `inputs`,
//!   `instances` with MLflow's schema-driven coercions.
//! * `text/csv`: pandas `read_csv` with the schema's dtype map.
//! * `application/vnd.apache.parquet`: pandas `read_parquet`.
//!
//! `dataframe_split` and `dataframe_records` are read straight from the bytes into typed Arrow
//! columns (no intermediate value tree for table data); `inputs` / `instances` whose schema
//! fixes every element's type are read straight into typed tensors (`typed`), and a
//! `dataframe_split` body against a single unnamed tensor spec straight into the row-major
//! tensor (`rows`). Unusual shapes take the value tree, which is the reference the byte readers
//! are tested against. In [`Compat::Mlflow`] every coercion
//! MLflow makes is reproduced, quirks included; in [`Compat::Strict`] the lossy or nonsensical
//! ones are refused with a 400 naming column, row and value (see `docs/divergences.md`).

mod cast;
mod columns;
mod composite;
mod csv;
mod error;
mod frame;
mod numkind;
mod numpy;
mod parquet;
mod pyconv;
mod rows;
mod scan;
#[cfg(test)]
mod tests;
mod text;
mod tf;
mod typed;
mod width;

pub use error::{RequestError, JSON_CONTENT_TYPE, TEXT_CONTENT_TYPE};
pub use width::{check_width, too_wide_error, DEFAULT_MAX_COLUMNS};

use arrow_array::RecordBatch;
use frame::{Frame, Split};
use scan::{Scanner, Syntax};
use signet::enforce::Compat;
use signet::input::ModelInput;
use signet::pyjson;
use signet::repr::{py_bytes, py_class, py_str};
use signet::types::{ColumnName, ModelSignature, Schema};
use signet::value::Value;

/// What a scoring request hands to `PyFuncModel.predict`.
#[derive(Clone, Debug)]
pub struct ParsedRequest {
    /// The model input, before schema enforcement.
    pub input: ModelInput,
    /// The params (`None` when the request had none, or `null`).
    pub params: Option<Value>,
    /// Whether the body used the unified LLM form (`messages` / `prompt` / `input` keys): the
    /// response is then the bare prediction, not `{"predictions": ...}`.
    pub unified_llm: bool,
    /// The labels of the DataFrame MLflow parsed, when `input` holds that frame's values as
    /// the row-major tensor a tensor signature asks for (a `dataframe_split` body against a
    /// single unnamed `Tensor(dtype, (-1, k))` spec is read straight into it). Enforcement gives
    /// the same result either way; messages that quote the parsed data use
    /// [`ParsedRequest::as_parsed`].
    pub frame_labels: Option<Vec<ColumnName>>,
}

impl ParsedRequest {
    /// The input as MLflow's parser hands it on (the DataFrame, rebuilt from the tensor and
    /// [`ParsedRequest::frame_labels`] when the body was read straight into a tensor), for
    /// messages that quote the data as parsed.
    pub fn as_parsed(&self) -> ModelInput {
        match (&self.frame_labels, &self.input) {
            (Some(labels), ModelInput::Tensor(t)) => match rows::frame_of(t, labels) {
                Ok(batch) => ModelInput::Table(batch),
                Err(_) => self.input.clone(),
            },
            _ => self.input.clone(),
        }
    }
}

/// The media types the scoring server accepts, in MLflow's order.
pub const CONTENT_TYPES: [&str; 3] = [
    "text/csv",
    "application/json",
    "application/vnd.apache.parquet",
];

/// The tail MLflow appends to envelope and content-type errors.
pub const PROTOCOL_INFO: &str = "IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. If you are seeing this error, you are likely using an outdated scoring request format. To resolve the error, either update your request format or adjust your MLflow Model's requirements file to specify an older version of MLflow (for example, change the 'mlflow' requirement specifier to 'mlflow==1.30.0'). If you are making a request using the MLflow client (e.g. via `mlflow.pyfunc.spark_udf()`), upgrade your MLflow client to a version >= 2.0 in order to use the new request format. For more information about the updated MLflow Model scoring protocol in MLflow 2.0, see https://mlflow.org/docs/latest/models.html#deploy-mlflow-models.";

/// The four format keys of a JSON scoring request, in the fixed order signet prints MLflow's
/// set in.
pub const FORMATS: [&str; 4] = [
    "dataframe_split",
    "dataframe_records",
    "inputs",
    "instances",
];

/// The keys of the unified LLM form: a body with any of them goes to the model unparsed
/// (docs/serving.md#unified-llm-form).
pub const LLM_KEYS: [&str; 3] = ["messages", "prompt", "input"];

fn required_format() -> String {
    let items: Vec<String> = FORMATS.iter().map(|f| py_str(f)).collect();
    format!(
        "The input must be a JSON dictionary with exactly one of the input fields {{{}}}",
        items.join(", ")
    )
}

/// Parses a scoring request.
///
/// `content_type` is the `Content-Type` header as sent (`None` when absent), `body` the raw
/// bytes, `signature` the model's signature (its input schema drives the coercions, its params
/// schema the unified LLM form).
pub fn parse_request(
    content_type: Option<&str>,
    body: &[u8],
    signature: Option<&ModelSignature>,
    compat: Compat,
) -> Result<ParsedRequest, RequestError> {
    let Some(ct) = content_type else {
        // MLflow fails on the missing header with an unhandled exception.
        return Err(RequestError::internal());
    };
    let mut parts = ct.split(';').map(str::trim);
    let media = parts.next().unwrap_or("");
    let mut keys: Vec<String> = Vec::new();
    let mut charset: Option<String> = None;
    for part in parts {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if k == "charset" {
            charset = Some(v.to_string());
        }
        if !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    }
    if charset.as_deref().unwrap_or("utf-8").to_lowercase() != "utf-8" {
        return Err(RequestError::plain(
            415,
            "The scoring server only supports UTF-8",
        ));
    }
    let unexpected: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| *k != "charset")
        .collect();
    if !unexpected.is_empty() {
        return Err(RequestError::plain(
            415,
            format!(
                "Unrecognized content type parameters: {}. {PROTOCOL_INFO}",
                unexpected.join(", ")
            ),
        ));
    }
    let schema = signature.and_then(|s| s.inputs.as_ref());
    match media {
        "text/csv" => Ok(ParsedRequest {
            input: csv::parse_csv(body, schema, compat)?,
            params: None,
            unified_llm: false,
            frame_labels: None,
        }),
        "application/json" => parse_json(body, signature, compat, Readers::Fast),
        "application/vnd.apache.parquet" => Ok(ParsedRequest {
            input: parquet::parse_parquet(body)?,
            params: None,
            unified_llm: false,
            frame_labels: None,
        }),
        _ => {
            let types: Vec<String> = CONTENT_TYPES.iter().map(|t| py_str(t)).collect();
            Err(RequestError::plain(
                415,
                format!(
                    "This predictor only supports the following content types: Types: [{}]. Got '{ct}'.",
                    types.join(", ")
                ),
            ))
        }
    }
}

/// What the top level of a JSON body held.
#[derive(Default)]
struct Envelope {
    /// Format keys in body order (first occurrence).
    formats: Vec<&'static str>,
    llm: bool,
    params: Option<Value>,
    split: Option<Split>,
    records: Option<Frame>,
    inputs: Option<TfData>,
    instances: Option<TfData>,
}

/// The value of an `inputs` / `instances` key: read into typed tensors already, or a value
/// for [`tf`] to convert.
enum TfData {
    Typed(ModelInput),
    Value(Value),
}

/// Reads an `inputs` / `instances` value: typed when [`typed::read`] is certain of the
/// outcome, else as a value.
fn tf_value(
    sc: &mut Scanner<'_>,
    schema: Option<&Schema>,
    compat: Compat,
    instances: bool,
) -> Result<TfData, Syntax> {
    sc.ws();
    let mut fork = sc.fork(sc.i);
    if let Some(input) = typed::read(&mut fork, schema, compat, instances) {
        sc.i = fork.i;
        return Ok(TfData::Typed(input));
    }
    sc.value().map(TfData::Value)
}

impl Envelope {
    fn saw(&mut self, key: &str) {
        if let Some(f) = FORMATS.iter().find(|f| **f == key) {
            if !self.formats.contains(f) {
                self.formats.push(f);
            }
        }
        if LLM_KEYS.contains(&key) {
            self.llm = true;
        }
    }
}

fn json_error(e: &pyjson::JsonError, body: &[u8]) -> RequestError {
    RequestError::invalid_input(format!(
        "Ensure that input is a valid JSON formatted string. Error: '{}'\nInput: \n{}\n",
        text::exc_repr("JSONDecodeError", &e.to_string()),
        py_bytes(body)
    ))
}

/// Reads the top-level object straight from the text.
fn scan_envelope(text: &str, schema: Option<&Schema>, compat: Compat) -> Result<Envelope, Syntax> {
    let mut sc = Scanner::new(text);
    let mut env = Envelope::default();
    sc.eat(b'{')?;
    sc.enter()?;
    sc.members(|sc, key| {
        match key.as_ref() {
            "dataframe_split" => env.split = Some(frame::split_fast(sc, schema, compat)?),
            "dataframe_records" => env.records = Some(frame::records_fast(sc, schema, compat)?),
            "inputs" => env.inputs = Some(tf_value(sc, schema, compat, false)?),
            "instances" => env.instances = Some(tf_value(sc, schema, compat, true)?),
            "params" => env.params = Some(sc.value()?),
            _ => sc.skip()?,
        }
        env.saw(&key);
        Ok::<(), Syntax>(())
    })?;
    sc.ws();
    if sc.i != sc.s.len() {
        return Err(Syntax);
    }
    Ok(env)
}

/// The envelope of an already parsed body (the reference path).
fn value_envelope(items: Vec<(Value, Value)>, schema: Option<&Schema>, compat: Compat) -> Envelope {
    let mut env = Envelope::default();
    for (k, v) in items {
        let Value::Str(key) = k else { continue };
        match key.as_str() {
            "dataframe_split" => {
                env.split = Some(Split::Frame(frame::split_from_value(&v, schema, compat)))
            }
            "dataframe_records" => {
                env.records = Some(frame::records_from_value(&v, schema, compat))
            }
            "inputs" => env.inputs = Some(TfData::Value(v)),
            "instances" => env.instances = Some(TfData::Value(v)),
            "params" => env.params = Some(v),
            _ => {}
        }
        env.saw(&key);
    }
    env
}

/// The readers a JSON body goes through.
#[derive(Clone, Copy, PartialEq)]
enum Readers {
    /// The byte readers where they apply, falling back to the value tree.
    Fast,
    /// Only the reference path, the whole body parsed to a [`Value`] first (for tests that check
    /// the byte readers against it).
    #[cfg(test)]
    Reference,
}

fn parse_json(
    body: &[u8],
    signature: Option<&ModelSignature>,
    compat: Compat,
    readers: Readers,
) -> Result<ParsedRequest, RequestError> {
    let schema = signature.and_then(|s| s.inputs.as_ref());
    let text = match text::decode_json_body(body) {
        Ok(t) => t,
        Err(e) => {
            return Err(match compat {
                // `json.loads` raises UnicodeDecodeError, which MLflow does not catch.
                Compat::Mlflow => RequestError::internal(),
                Compat::Strict => RequestError::invalid_input(format!(
                    "Ensure that input is a valid JSON formatted string. Error: '{}'",
                    e.repr(body)
                )),
            });
        }
    };
    let fast = readers == Readers::Fast && {
        let t = text.trim_start_matches([' ', '\t', '\n', '\r']);
        t.starts_with('{')
    };
    let env = match fast.then(|| scan_envelope(&text, schema, compat)) {
        Some(Ok(env)) => env,
        _ => parsed_envelope(&text, body, schema, compat)?,
    };
    finish_json(env, &text, signature, compat)
}

/// The envelope through the reference path: the whole body parsed to a [`Value`] first.
fn parsed_envelope(
    text: &str,
    body: &[u8],
    schema: Option<&Schema>,
    compat: Compat,
) -> Result<Envelope, RequestError> {
    match pyjson::loads(text) {
        Err(e) => Err(json_error(&e, body)),
        Ok(Value::Dict(items)) => Ok(value_envelope(items, schema, compat)),
        Ok(Value::List(_)) => Err(RequestError::invalid_input(format!(
            "{}. Received a list.",
            required_format()
        ))),
        Ok(other) => Err(RequestError::invalid_input(format!(
            "{}. Received unexpected input type '{}.",
            required_format(),
            py_class(&other)
        ))),
    }
}

/// The request from its envelope: the format check, params, and the model input.
fn finish_json(
    env: Envelope,
    text: &str,
    signature: Option<&ModelSignature>,
    compat: Compat,
) -> Result<ParsedRequest, RequestError> {
    let schema = signature.and_then(|s| s.inputs.as_ref());
    if env.llm {
        return unified_llm(text, signature);
    }
    if env.formats.len() != 1 {
        let list: Vec<String> = env.formats.iter().map(|f| py_str(f)).collect();
        return Err(RequestError::bad_request(format!(
            "{}. Received dictionary with input fields: [{}]. {PROTOCOL_INFO}",
            required_format(),
            list.join(", ")
        )));
    }
    let params = match env.params {
        None | Some(Value::None) => None,
        Some(p) => Some(p),
    };
    let table = |f: Option<Frame>| -> Result<RecordBatch, RequestError> {
        f.unwrap_or_else(|| Err(RequestError::invalid_input("missing format value")))
    };
    let mut frame_labels = None;
    let input = match env.formats[0] {
        "dataframe_split" => match env.split {
            Some(Split::Tensor(t, labels)) => {
                frame_labels = Some(labels);
                ModelInput::Tensor(t)
            }
            Some(Split::Frame(f)) => ModelInput::Table(f?),
            None => ModelInput::Table(table(None)?),
        },
        "dataframe_records" => ModelInput::Table(table(env.records)?),
        "inputs" => match env.inputs {
            Some(TfData::Typed(input)) => input,
            Some(TfData::Value(v)) => tf::parse_inputs(v, schema, compat)?,
            None => tf::parse_inputs(Value::None, schema, compat)?,
        },
        _ => match env.instances {
            Some(TfData::Typed(input)) => input,
            Some(TfData::Value(v)) => tf::parse_instances(v, schema, compat)?,
            None => tf::parse_instances(Value::None, schema, compat)?,
        },
    };
    Ok(ParsedRequest {
        input,
        params,
        unified_llm: false,
        frame_labels,
    })
}

/// The unified LLM form: the whole dict goes to the model; keys named in the params schema
/// become params.
fn unified_llm(
    text: &str,
    signature: Option<&ModelSignature>,
) -> Result<ParsedRequest, RequestError> {
    let items = match pyjson::loads(text) {
        Ok(Value::Dict(items)) => items,
        _ => Vec::new(),
    };
    let params_schema = signature.and_then(|s| s.params.as_ref());
    let mut data = Vec::new();
    let mut params = Vec::new();
    for (k, v) in items {
        let is_param =
            matches!(&k, Value::Str(s) if params_schema.is_some_and(|p| p.get(s).is_some()));
        if is_param {
            params.push((k, v));
        } else {
            data.push((k, v));
        }
    }
    Ok(ParsedRequest {
        input: ModelInput::Value(Value::Dict(data)),
        params: Some(Value::Dict(params)),
        unified_llm: true,
        frame_labels: None,
    })
}

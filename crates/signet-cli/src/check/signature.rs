//! `--signature SRC`: the signature to check against, from an MLmodel file, a model directory
//! or a signature JSON file.

use crate::error::CliError;
use crate::read::{read_file, utf8_text};
use signet::json_form::{schema_from_value, signature_from_value};
use signet::types::{ModelSignature, Schema};
use signet::{pyjson, Value};
use std::path::{Path, PathBuf};
use yaml_rust2::{Yaml, YamlLoader};

/// The signature read from SRC, with what the report says about it.
pub struct Loaded {
    /// The file the signature was read from (`<dir>/MLmodel` for a model directory).
    pub path: PathBuf,
    /// The input schema the data is checked against.
    pub inputs: Schema,
    /// Whether the MLmodel says the signature comes from type hints (MLflow then skips input
    /// enforcement).
    pub from_type_hint: bool,
}

/// Reads SRC: a model directory (its `MLmodel`), an `MLmodel` / `.yaml` file, or a `.json`
/// file holding the signature's dict form (`{"inputs": "...", "outputs": ..., "params": ...}`)
/// or a bare input schema (a JSON list of column or tensor specs).
pub fn load(src: &Path) -> Result<Loaded, CliError> {
    let path = if src.is_dir() {
        let mlmodel = src.join("MLmodel");
        if !mlmodel.is_file() {
            return Err(CliError::file(
                src,
                "no MLmodel file in this directory (expected a model directory, an MLmodel \
                 file or a signature JSON file)",
            ));
        }
        mlmodel
    } else {
        src.to_path_buf()
    };
    let bytes = read_file(&path)?;
    let text = utf8_text(&path, &bytes)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let is_json = match ext.as_deref() {
        Some("json") => true,
        Some("yaml") | Some("yml") => false,
        _ => text.trim_start().starts_with(['{', '[']) && pyjson::loads(text).is_ok(),
    };
    let (signature, from_type_hint) = if is_json {
        (from_json(&path, text)?, false)
    } else {
        from_mlmodel(&path, text)?
    };
    let inputs = signature.inputs.ok_or_else(|| {
        CliError::file(
            &path,
            "the signature has no inputs: there is nothing to check the data against",
        )
    })?;
    Ok(Loaded {
        path,
        inputs,
        from_type_hint,
    })
}

fn from_json(path: &Path, text: &str) -> Result<ModelSignature, CliError> {
    let value = pyjson::loads(text).map_err(|e| CliError::json(path, e.line, &e))?;
    let invalid = |e: signet::SchemaError| CliError::file(path, format!("invalid signature: {e}"));
    match &value {
        Value::Dict(_) if value.get("inputs").is_some() || value.get("signature").is_some() => {
            let dict = value.get("signature").unwrap_or(&value);
            signature_from_value(dict).map_err(invalid)
        }
        Value::List(_) => {
            let schema = schema_from_value(&value).map_err(invalid)?;
            ModelSignature::new(Some(schema), None, None).map_err(invalid)
        }
        _ => Err(CliError::file(
            path,
            "not a signature: expected the signature's JSON form \
             ({\"inputs\": \"...\", \"outputs\": ..., \"params\": ...}) or a list of input specs",
        )),
    }
}

/// Converts a YAML node into the Python value `yaml.safe_load` gives.
fn yaml_to_value(y: &Yaml) -> Value {
    match y {
        Yaml::Real(s) => Value::Float(y.as_f64().unwrap_or_else(|| s.parse().unwrap_or(f64::NAN))),
        Yaml::Integer(i) => Value::Int(*i as i128),
        Yaml::String(s) => Value::Str(s.clone()),
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Array(items) => Value::List(items.iter().map(yaml_to_value).collect()),
        Yaml::Hash(h) => Value::Dict(
            h.iter()
                .map(|(k, v)| (yaml_to_value(k), yaml_to_value(v)))
                .collect(),
        ),
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::None,
    }
}

fn from_mlmodel(path: &Path, text: &str) -> Result<(ModelSignature, bool), CliError> {
    let docs = YamlLoader::load_from_str(text)
        .map_err(|e| CliError::file(path, format!("invalid YAML: {e}")))?;
    let doc = docs.first().map(yaml_to_value).unwrap_or(Value::None);
    if !matches!(doc, Value::Dict(_)) {
        return Err(CliError::file(
            path,
            "not an MLmodel file: expected a YAML mapping",
        ));
    }
    let signature = match doc.get("signature") {
        None | Some(Value::None) => {
            return Err(CliError::file(
                path,
                "the MLmodel file has no signature: there is nothing to check the data against",
            ))
        }
        Some(s) => s,
    };
    let signature = signature_from_value(signature)
        .map_err(|e| CliError::file(path, format!("invalid signature: {e}")))?;
    let from_type_hint = doc
        .get("is_signature_from_type_hint")
        .is_some_and(Value::is_truthy);
    Ok((signature, from_type_hint))
}

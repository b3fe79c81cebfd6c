//! `/invocations` and V2 infer bodies: parsed as the server parses them, then enforced
//! against the signature, as the server does before the model runs.

use crate::selector;
use signet::enforce::{enforce, Compat};
use signet::{signature_from_dict, ModelSignature, SignatureDict};
use signet_protocol::parse_request;
use signet_server::ServerConfig;

/// The signatures requests are checked against: none, the house-price columns, a column
/// signature with every kind of type and params, and a tensor signature.
pub fn signatures() -> [Option<ModelSignature>; 4] {
    let sig = |inputs: &str, params: Option<&str>| {
        signature_from_dict(&SignatureDict {
            inputs: Some(inputs.to_string()),
            outputs: None,
            params: params.map(str::to_string),
        })
        .expect("the fixture signatures are valid")
    };
    [
        None,
        sig(
            r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]"#,
            None,
        ),
        sig(
            r#"[{"type": "string", "name": "s", "required": true}, {"type": "double", "name": "d", "required": false}, {"type": "boolean", "name": "b", "required": false}, {"type": "integer", "name": "i", "required": false}, {"type": "float", "name": "f", "required": false}, {"type": "datetime", "name": "t", "required": false}, {"type": "binary", "name": "x", "required": false}, {"type": "array", "items": {"type": "double"}, "name": "a", "required": false}, {"type": "object", "properties": {"k": {"type": "long", "required": true}}, "name": "o", "required": false}, {"type": "map", "values": {"type": "string"}, "name": "m", "required": false}, {"type": "any", "name": "y", "required": false}]"#,
            Some(
                r#"[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}, {"name": "stop", "type": "string", "default": ["a"], "shape": [-1]}, {"name": "n", "type": "long", "default": 1, "shape": null}]"#,
            ),
        ),
        sig(
            r#"[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 3]}}]"#,
            None,
        ),
    ]
}

/// Parses `body` under `content_type` against the signature chosen by `sel`, and enforces
/// what was accepted.
fn parse_and_enforce(content_type: &str, sel: u8, body: &[u8]) {
    let sigs = signatures();
    let sig = sigs[usize::from(sel) % sigs.len()].as_ref();
    let compat = if sel & 0x80 != 0 {
        Compat::Mlflow
    } else {
        Compat::Strict
    };
    if let Ok(parsed) = parse_request(Some(content_type), body, sig, compat) {
        let _ = enforce(sig, parsed.input, parsed.params.as_ref(), compat);
    }
}

/// A JSON `/invocations` body (`dataframe_split`, `dataframe_records`, `instances`,
/// `inputs`, with or without `params`); the first byte picks the signature and compat mode.
pub fn request_json(data: &[u8]) {
    let (sel, body) = selector(data);
    parse_and_enforce("application/json", sel, body);
}

/// A `text/csv` `/invocations` body; the first byte picks the signature and compat mode.
pub fn request_csv(data: &[u8]) {
    let (sel, body) = selector(data);
    parse_and_enforce("text/csv", sel, body);
}

/// An `application/vnd.apache.parquet` `/invocations` body; the first byte picks the
/// signature and compat mode.
pub fn request_parquet(data: &[u8]) {
    let (sel, body) = selector(data);
    parse_and_enforce("application/vnd.apache.parquet", sel, body);
}

/// A `POST /v2/models/{name}/infer` body, decoded for the signature the first byte picks.
pub fn v2_infer(data: &[u8]) {
    let (sel, body) = selector(data);
    let sigs = signatures();
    let signature = sigs[usize::from(sel) % sigs.len()].clone();
    let config = ServerConfig {
        signature,
        ..ServerConfig::default()
    };
    if let Ok((input, params)) = signet_server::decode_v2_infer(body, &config) {
        let _ = enforce(
            config.signature.as_ref(),
            input,
            params.as_ref(),
            config.compat,
        );
    }
}

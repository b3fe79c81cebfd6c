//! The Open Inference Protocol (KServe V2, REST) through the router in memory: health, server and model
//! metadata (column and tensor signatures, exact bodies), readiness, inference (request bodies
//! written as KServe's V2 documentation writes them), enforcement refusals, shape mismatches,
//! malformed bodies, unknown models, params and versions; a ZipMap classifier's
//! `{label: probability}` dicts.

mod common;

use axum::Router;
use common::{call, HttpResponse};
use signet::json_form::signature_from_value;
use signet::{pyjson, ModelInput, ModelSignature, NumpyDtype, Tensor, TensorData, Value};
use signet_server::{router, PredictError, Predictor, ServerConfig};
use signet_testkit::echo::EchoPredictor;
use std::sync::Arc;

const JSON: Option<&str> = Some("application/json");

/// The column-based request of the house-price model, as KServe's V2 docs write requests.
const HOUSES: &str = r#"{"inputs": [{"name": "sqft", "shape": [2], "datatype": "INT64", "data": [1500, 2000]}, {"name": "bedrooms", "shape": [2], "datatype": "INT64", "data": [3, 4]}]}"#;

/// KServe's V2 tensor example.
const TENSOR: &str = r#"{"inputs": [{"name": "input-0", "shape": [2, 4], "datatype": "FP32", "data": [[1,2,3,4],[5,6,7,8]]}]}"#;

fn signature(json: &str) -> ModelSignature {
    signature_from_value(&pyjson::loads(json).expect("signature JSON")).expect("signature")
}

/// The house-price signature: `sqft`, `bedrooms` long → `price` double, param `k: long = 1`.
fn houses_signature() -> ModelSignature {
    signature(
        r#"{"inputs": "[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\", \"name\": \"bedrooms\", \"required\": true}]", "outputs": "[{\"type\": \"double\", \"name\": \"price\", \"required\": true}]", "params": "[{\"name\": \"k\", \"default\": 1, \"shape\": null, \"type\": \"long\"}]"}"#,
    )
}

/// An unnamed `float32 [-1, 4]` tensor in, an unnamed `float32 [-1, 2]` tensor out.
fn tensor_signature() -> ModelSignature {
    signature(
        r#"{"inputs": "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 4]}}]", "outputs": "[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 2]}}]", "params": null}"#,
    )
}

fn houses_config() -> ServerConfig {
    ServerConfig {
        signature: Some(houses_signature()),
        model_name: "house_price".into(),
        metrics: true,
        ..ServerConfig::default()
    }
}

fn tensor_config() -> ServerConfig {
    ServerConfig {
        signature: Some(tensor_signature()),
        model_name: "mnist".into(),
        ..ServerConfig::default()
    }
}

async fn post(app: &Router, path: &str, body: &str) -> HttpResponse {
    call(app, "POST", path, JSON, body.as_bytes()).await
}

async fn get(app: &Router, path: &str) -> HttpResponse {
    call(app, "GET", path, None, b"").await
}

/// Asserts a JSON response: its status and body text.
#[track_caller]
fn assert_json(r: &HttpResponse, status: u16, text: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), text);
}

/// Asserts a V2 error: the status and MLServer's `{"error":"..."}` body.
#[track_caller]
fn assert_error(r: &HttpResponse, status: u16, message: &str) {
    let escaped = message.replace('\\', "\\\\").replace('"', "\\\"");
    assert_json(r, status, &format!("{{\"error\":\"{escaped}\"}}"));
}

#[tokio::test]
async fn health_and_server_metadata() {
    let app = router(Arc::new(EchoPredictor::default()), houses_config());
    for path in ["/v2/health/live", "/v2/health/ready"] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(r.body.is_empty(), "{path}: {}", r.text());
    }
    let r = get(&app, "/v2").await;
    assert_json(
        &r,
        200,
        &format!(
            r#"{{"name":"signet","version":"{}","extensions":[]}}"#,
            env!("CARGO_PKG_VERSION")
        ),
    );
    // FastAPI's 405 page, as for every other route.
    let r = call(&app, "POST", "/v2/health/live", JSON, b"{}").await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
    assert_eq!(r.text(), r#"{"detail":"Method Not Allowed"}"#);
}

#[tokio::test]
async fn model_metadata_of_a_column_signature() {
    let app = router(Arc::new(EchoPredictor::default()), houses_config());
    let r = get(&app, "/v2/models/house_price").await;
    assert_json(
        &r,
        200,
        concat!(
            r#"{"name":"house_price","versions":[],"platform":"","#,
            r#""inputs":[{"name":"sqft","datatype":"INT64","shape":[-1,1],"parameters":{"content_type":"np"}},"#,
            r#"{"name":"bedrooms","datatype":"INT64","shape":[-1,1],"parameters":{"content_type":"np"}}],"#,
            r#""outputs":[{"name":"price","datatype":"FP64","shape":[-1,1],"parameters":{"content_type":"np"}}],"#,
            r#""parameters":{"content_type":"pd"}}"#
        ),
    );
    let r = get(&app, "/v2/models/house_price/ready").await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn model_metadata_of_a_tensor_signature() {
    let app = router(Arc::new(EchoPredictor::default()), tensor_config());
    let r = get(&app, "/v2/models/mnist").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        concat!(
            r#"{"name":"mnist","versions":[],"platform":"","#,
            r#""inputs":[{"name":"input-0","datatype":"FP32","shape":[-1,4],"parameters":{"content_type":"np"}}],"#,
            r#""outputs":[{"name":"output-0","datatype":"FP32","shape":[-1,2],"parameters":{"content_type":"np"}}],"#,
            r#""parameters":{"content_type":"np"}}"#
        )
    );
}

#[tokio::test]
async fn metadata_without_signature() {
    let cfg = ServerConfig {
        model_name: "bare".into(),
        ..ServerConfig::default()
    };
    let app = router(Arc::new(EchoPredictor::default()), cfg);
    let r = get(&app, "/v2/models/bare").await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        r#"{"name":"bare","versions":[],"platform":"","inputs":[],"outputs":[]}"#
    );
}

#[tokio::test]
async fn infer_a_column_based_request() {
    let echo = Arc::new(EchoPredictor::default());
    let app = router(echo.clone(), houses_config());
    let body = HOUSES.replacen('{', r#"{"id": "42", "#, 1);
    let r = post(&app, "/v2/models/house_price/infer", &body).await;
    assert_json(
        &r,
        200,
        concat!(
            r#"{"model_name":"house_price","id":"42","parameters":{"content_type":"pd"},"outputs":["#,
            r#"{"name":"sqft","shape":[2,1],"datatype":"INT64","data":[1500,2000]},"#,
            r#"{"name":"bedrooms","shape":[2,1],"datatype":"INT64","data":[3,4]}]}"#
        ),
    );
    // No params in the request: the model gets the signature's defaults, as from /invocations.
    assert_eq!(
        echo.params.lock().expect("lock").as_slice(),
        &[Some(Value::dict([("k", Value::Int(1))]))]
    );

    // Columns sent as [n, 1] with nested data, and in another order: enforcement reorders them.
    let body = r#"{"inputs": [{"name": "bedrooms", "shape": [1, 1], "datatype": "INT64", "data": [[5]]}, {"name": "sqft", "shape": [1, 1], "datatype": "INT64", "data": [[2500]]}]}"#;
    let r = post(&app, "/v2/models/house_price/infer", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = pyjson::loads(&r.text()).expect("JSON");
    let Some(Value::List(outputs)) = v.get("outputs") else {
        panic!("outputs: {}", r.text())
    };
    let names: Vec<&Value> = outputs.iter().filter_map(|o| o.get("name")).collect();
    assert_eq!(names, vec![&Value::str("sqft"), &Value::str("bedrooms")]);
    assert_eq!(
        outputs[0].get("data"),
        Some(&Value::List(vec![Value::Int(2500)]))
    );
    // Without an id, MLServer generates a UUID.
    let Some(Value::Str(id)) = v.get("id") else {
        panic!("id: {}", r.text())
    };
    let lens: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(lens, vec![8, 4, 4, 4, 12], "{id}");
}

#[tokio::test]
async fn request_parameters_are_model_params() {
    let echo = Arc::new(EchoPredictor::default());
    let app = router(echo.clone(), houses_config());
    let body = HOUSES.replacen(
        '{',
        r#"{"parameters": {"content_type": "pd", "headers": {"x-a": "1"}, "k": 5}, "#,
        1,
    );
    let r = post(&app, "/v2/models/house_price/infer", &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        echo.params.lock().expect("lock").as_slice(),
        &[Some(Value::dict([("k", Value::Int(5))]))]
    );
    // A param of the wrong type is refused by the same params enforcement as /invocations.
    let body = HOUSES.replacen('{', r#"{"parameters": {"k": "five"}, "#, 1);
    let r = post(&app, "/v2/models/house_price/infer", &body).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let v = pyjson::loads(&r.text()).expect("JSON");
    let Some(Value::Str(message)) = v.get("error") else {
        panic!("{}", r.text())
    };
    assert!(
        message.contains("'k'") && message.contains("five"),
        "{message}"
    );
    assert_eq!(echo.params.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn infer_a_tensor_request() {
    let app = router(Arc::new(EchoPredictor::default()), tensor_config());
    let r = post(&app, "/v2/models/mnist/infer", TENSOR).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.text();
    let v = pyjson::loads(&text).expect("JSON");
    let Some(Value::Str(id)) = v.get("id") else {
        panic!("id: {text}")
    };
    assert_eq!(
        text,
        format!(
            concat!(
                r#"{{"model_name":"mnist","id":"{}","parameters":{{"content_type":"np"}},"outputs":["#,
                r#"{{"name":"output-1","shape":[2,4],"datatype":"FP32","parameters":{{"content_type":"np"}},"#,
                r#""data":[1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0]}}]}}"#
            ),
            id
        )
    );
    // A shape the signature refuses ([2, 2] for [-1, 4]): enforcement's message.
    let body = r#"{"inputs": [{"name": "input-0", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 3, 4]}]}"#;
    let r = post(&app, "/v2/models/mnist/infer", body).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(
        r.text()
            .contains("Shape of input (2, 2) does not match expected shape (-1, 4)"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn refused_inputs_are_400_with_the_enforcement_message() {
    let app = router(Arc::new(EchoPredictor::default()), houses_config());
    // A missing column.
    let body = r#"{"inputs": [{"name": "sqft", "shape": [2], "datatype": "INT64", "data": [1500, 2000]}]}"#;
    let r = post(&app, "/v2/models/house_price/infer", body).await;
    assert_error(&r, 400, "Model is missing inputs ['bedrooms'].");
    // FP64 sent for a long column (strict mode, the default).
    let body = r#"{"inputs": [{"name": "sqft", "shape": [2], "datatype": "FP64", "data": [1500.5, 2000]}, {"name": "bedrooms", "shape": [2], "datatype": "INT64", "data": [3, 4]}]}"#;
    let r = post(&app, "/v2/models/house_price/infer", body).await;
    assert_error(
        &r,
        400,
        "Incompatible input types for column sqft. Can not safely convert float64 to int64.",
    );
    // Both refusals are counted like /invocations' refusals.
    let metrics = get(&app, "/metrics").await.text();
    assert!(
        metrics.contains(
            "signet_refused_inputs_total{column=\"bedrooms\",reason=\"missing_inputs\"} 1"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "signet_refused_inputs_total{column=\"sqft\",reason=\"incompatible_type\"} 1"
        ),
        "{metrics}"
    );
}

#[tokio::test]
async fn undecodable_requests_are_400() {
    let app = router(Arc::new(EchoPredictor::default()), houses_config());
    let path = "/v2/models/house_price/infer";
    for (body, message) in [
        // Shape and data disagree.
        (
            r#"{"inputs": [{"name": "sqft", "shape": [3], "datatype": "INT64", "data": [1500, 2000]}, {"name": "bedrooms", "shape": [2], "datatype": "INT64", "data": [3, 4]}]}"#,
            "input 'sqft': shape [3] holds 3 elements but \"data\" has 2",
        ),
        // Columns of different lengths.
        (
            r#"{"inputs": [{"name": "sqft", "shape": [3], "datatype": "INT64", "data": [1500, 2000, 900]}, {"name": "bedrooms", "shape": [2], "datatype": "INT64", "data": [3, 4]}]}"#,
            "All inputs of a DataFrame must have the same number of rows: 'sqft' has 3, 'bedrooms' has 2",
        ),
        // A 2-d input where a column is expected.
        (
            r#"{"inputs": [{"name": "sqft", "shape": [1, 2], "datatype": "INT64", "data": [1500, 2000]}]}"#,
            "input 'sqft': a DataFrame column needs shape [n] or [n, 1], got [1, 2]",
        ),
        // Data that does not fit the datatype, and an unknown datatype.
        (
            r#"{"inputs": [{"name": "sqft", "shape": [1], "datatype": "INT64", "data": ["1500"]}]}"#,
            "input 'sqft': element 0 (\"1500\") is not an integer, as datatype INT64 requires",
        ),
        (
            r#"{"inputs": [{"name": "sqft", "shape": [1], "datatype": "LONG", "data": [1500]}]}"#,
            "input 'sqft': unknown datatype 'LONG' (expected one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES)",
        ),
        // No inputs at all.
        (
            r#"{"id": "1"}"#,
            "\"inputs\" is missing: the request needs a list of input tensors",
        ),
    ] {
        assert_error(&post(&app, path, body).await, 400, message);
    }
}

#[tokio::test]
async fn malformed_json_is_400_then_keeps_serving() {
    let app = router(Arc::new(EchoPredictor::default()), houses_config());
    let path = "/v2/models/house_price/infer";
    let r = post(&app, path, r#"{"inputs": [{"name": "sqft""#).await;
    assert_eq!(r.status, 400);
    let v = pyjson::loads(&r.text()).expect("the error body is JSON");
    let Some(Value::Str(message)) = v.get("error") else {
        panic!("{}", r.text())
    };
    assert!(
        message.starts_with("Invalid JSON in the request body: "),
        "{message}"
    );
    let r = post(&app, path, "[1, 2]").await;
    assert_error(
        &r,
        400,
        "The request body must be a JSON object (an inference request), got list",
    );
    let r = post(&app, path, HOUSES).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = get(&app, "/v2/health/live").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn unknown_models_and_versions_are_404() {
    let cfg = ServerConfig {
        model_version: Some("3".into()),
        ..houses_config()
    };
    let app = router(Arc::new(EchoPredictor::default()), cfg);
    // Metadata and readiness are GETs, inference a POST of the house request.
    for (path, message) in [
        ("/v2/models/nope", "Model nope not found"),
        ("/v2/models/nope/ready", "Model nope not found"),
        ("/v2/models/nope/infer", "Model nope not found"),
        (
            "/v2/models/house_price/versions/9",
            "Model house_price with version 9 not found",
        ),
        (
            "/v2/models/house_price/versions/9/infer",
            "Model house_price with version 9 not found",
        ),
    ] {
        let r = if path.ends_with("/infer") {
            post(&app, path, HOUSES).await
        } else {
            get(&app, path).await
        };
        assert_error(&r, 404, message);
    }
    // The configured version is served, and reported.
    let r = get(&app, "/v2/models/house_price/versions/3").await;
    assert_eq!(r.status, 200);
    assert!(
        r.text()
            .starts_with(r#"{"name":"house_price","versions":["3"],"platform":"","#),
        "{}",
        r.text()
    );
    let r = get(&app, "/v2/models/house_price/versions/3/ready").await;
    assert_eq!(r.status, 200);
    let body = HOUSES.replacen('{', r#"{"id": "a", "#, 1);
    let r = post(&app, "/v2/models/house_price/versions/3/infer", &body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text()
            .starts_with(r#"{"model_name":"house_price","model_version":"3","id":"a","#),
        "{}",
        r.text()
    );
    // Infer is POST only.
    let r = get(&app, "/v2/models/house_price/infer").await;
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));
}

/// What signet-onnx returns for an ONNX classifier ending in a ZipMap, fed a dict of arrays:
/// the labels and a 1-D object array of `{label: probability}` dicts.
struct ZipMapClassifier;

impl Predictor for ZipMapClassifier {
    fn predict(&self, _: ModelInput, _: Option<Value>) -> Result<ModelInput, PredictError> {
        let objects = |v: Vec<Value>| Tensor {
            dtype: NumpyDtype::Object,
            shape: vec![v.len()],
            data: TensorData::Object(v),
        };
        let probs = |a: f64| {
            Value::Dict(vec![
                (Value::str("cheap"), Value::Float(a)),
                (Value::str("expensive"), Value::Float(1.0 - a)),
            ])
        };
        Ok(ModelInput::TensorDict(vec![
            (
                "output_label".into(),
                objects(vec![Value::str("cheap"), Value::str("expensive")]),
            ),
            (
                "output_probability".into(),
                objects(vec![probs(0.75), probs(0.125)]),
            ),
        ]))
    }
}

#[tokio::test]
async fn zipmap_dicts_are_bytes_outputs_of_json_texts() {
    let config = ServerConfig {
        model_name: "clf".into(),
        ..ServerConfig::default()
    };
    let app = router(Arc::new(ZipMapClassifier), config);
    let body = r#"{"parameters": {"content_type": "dict"}, "inputs": [{"name": "x", "shape": [2, 1], "datatype": "FP32", "data": [1, 2]}]}"#;
    let r = post(&app, "/v2/models/clf/infer", body).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Each dict is one BYTES element, its compact JSON text, as MLServer's PandasCodec writes
    // a DataFrame column of dicts (`pd_json`); the labels stay a BYTES numpy output.
    let text = r.text();
    let outputs = text.split_once(r#""outputs":"#).expect("outputs").1;
    assert_eq!(
        outputs,
        concat!(
            r#"[{"name":"output_label","shape":[2,1],"datatype":"BYTES","#,
            r#""parameters":{"content_type":"np"},"data":["cheap","expensive"]},"#,
            r#"{"name":"output_probability","shape":[2,1],"datatype":"BYTES","#,
            r#""parameters":{"content_type":"pd_json"},"#,
            r#""data":["{\"cheap\":0.75,\"expensive\":0.25}","{\"cheap\":0.125,\"expensive\":0.875}"]}]}"#
        )
    );
}

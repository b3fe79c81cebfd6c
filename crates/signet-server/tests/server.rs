//! The server. Through the router in memory: routes and FastAPI pages, content types, MLflow
//! errors, failing and panicking models, `/metrics`. Over real HTTP: the failures after which
//! it must keep serving (malformed JSON, huge body, too many columns, slow model, truncated
//! body), graceful shutdown, bounded concurrency and load shedding.

mod common;

use common::{call, send, send_raw, start, HttpResponse};
use signet::enforce::Compat;
use signet::json_form::signature_from_value;
use signet::{pyjson, ModelInput, ModelSignature, Value};
use signet_server::{router, PredictError, Predictor, ServerConfig};
use signet_testkit::workloads::wide_split;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SPLIT: &str = r#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, "x"]]}}"#;
const JSON: Option<&str> = Some("application/json");

/// What the test model does.
enum Model {
    Echo,
    Sleep(Duration),
    Fail(PredictError),
    Panic,
}

impl Predictor for Model {
    fn predict(&self, input: ModelInput, _: Option<Value>) -> Result<ModelInput, PredictError> {
        match self {
            Model::Echo => Ok(input),
            Model::Sleep(d) => {
                std::thread::sleep(*d);
                Ok(input)
            }
            Model::Fail(e) => Err(e.clone()),
            Model::Panic => panic!("model exploded"),
        }
    }
}

/// `a: long, b: string`, params `k: long = 1` (docs/serving.md#reference-requests).
fn signature() -> ModelSignature {
    let v = pyjson::loads(
        r#"{"inputs": "[{\"type\": \"long\", \"name\": \"a\", \"required\": true}, {\"type\": \"string\", \"name\": \"b\", \"required\": true}]", "outputs": null, "params": "[{\"name\": \"k\", \"default\": 1, \"shape\": null, \"type\": \"long\"}]"}"#,
    )
    .expect("signature JSON");
    signature_from_value(&v).expect("signature")
}

/// POST `body` as JSON to `/invocations`.
async fn invoke(app: &axum::Router, body: &[u8]) -> HttpResponse {
    call(app, "POST", "/invocations", JSON, body).await
}

fn config() -> ServerConfig {
    ServerConfig {
        signature: Some(signature()),
        compat: Compat::Mlflow,
        ..ServerConfig::default()
    }
}

fn json_body(r: &HttpResponse) -> Value {
    pyjson::loads(&r.text()).expect("JSON body")
}

fn member<'a>(v: &'a Value, key: &str) -> &'a str {
    match v.get(key) {
        Some(Value::Str(s)) => s,
        other => panic!("{key}: {other:?}"),
    }
}

/// Asserts an MLflow error response: its status, `error_code` and `message`; returns the body.
#[track_caller]
fn assert_mlflow_error(r: &HttpResponse, status: u16, code: &str, message: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let v = json_body(r);
    assert_eq!(member(&v, "error_code"), code);
    assert_eq!(member(&v, "message"), message);
    v
}

/// The server still answers `/ping` and a valid prediction.
async fn still_serving(addr: SocketAddr) {
    let r = send(addr, "GET", "/ping", None, b"").await;
    assert_eq!((r.status, r.text().as_str()), (200, "\n"));
    let r = send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn small_routes_and_fastapi_pages() {
    let app = router(Arc::new(Model::Echo), config());
    for path in ["/ping", "/health"] {
        let r = call(&app, "GET", path, None, b"").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body, b"\n");
    }
    let r = call(&app, "GET", "/version", None, b"").await;
    assert_eq!((r.status, r.text().as_str()), (200, "3.17.2"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    for method in ["POST", "PUT", "DELETE"] {
        let r = call(&app, method, "/ping", None, b"").await;
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some("GET"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.text(), r#"{"detail":"Method Not Allowed"}"#);
    }
    let r = call(&app, "HEAD", "/health", None, b"").await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
    for method in ["GET", "PUT", "OPTIONS"] {
        let r = call(&app, method, "/invocations", None, b"").await;
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some("POST"));
        assert_eq!(r.text(), r#"{"detail":"Method Not Allowed"}"#);
    }
    for path in ["/", "/foo", "/ping/x"] {
        let r = call(&app, "GET", path, None, b"").await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.text(), r#"{"detail":"Not Found"}"#);
    }
    let r = call(&app, "GET", "/ping/", None, b"").await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location"), Some("http://127.0.0.1/ping"));
    assert!(r.body.is_empty());
    let r = call(&app, "POST", "/invocations/?x=1", JSON, b"{}").await;
    assert_eq!(r.status, 307);
    assert_eq!(
        r.header("location"),
        Some("http://127.0.0.1/invocations?x=1")
    );
    // Not served unless asked for: MLflow answers 404.
    assert_eq!(call(&app, "GET", "/metrics", None, b"").await.status, 404);
}

#[tokio::test]
async fn content_type_pages() {
    let app = router(Arc::new(Model::Echo), config());
    for (content_type, status, page) in [
        (None, 500, "Internal Server Error"),
        (Some("text/plain"), 415, "This predictor only supports the following content types: Types: ['text/csv', 'application/json', 'application/vnd.apache.parquet']. Got 'text/plain'."),
        (Some("application/json; charset=latin-1"), 415, "The scoring server only supports UTF-8"),
    ] {
        let r = call(&app, "POST", "/invocations", content_type, SPLIT.as_bytes()).await;
        assert_eq!((r.status, r.text().as_str()), (status, page), "{content_type:?}");
        if content_type.is_none() {
            assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        }
    }
}

#[tokio::test]
async fn prediction_and_mlflow_errors() {
    let app = router(Arc::new(Model::Echo), config());
    let r = invoke(&app, SPLIT.as_bytes()).await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), r#"{"predictions": [{"a": 1, "b": "x"}]}"#);
    // docs/serving.md#reference-requests, second row: the exact body, members in MLflow's order.
    let r = invoke(&app, br#"{"dataframe_split":{"data":[[1,"x"]]}}"#).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text(),
        r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Failed to predict data '   0  1\n0  1  x'. \nError: Failed to enforce schema of data '   0  1\n0  1  x' with schema '['a': long (required), 'b': string (required)]'. Error: Model is missing inputs ['a', 'b']. Note that there were extra inputs: [0, 1].", "sqlstate": "KAM01", "error_class": "SCHEMA_ENFORCEMENT_FAILED"}"#
    );
    // Row 22: params errors are not wrapped and keep KAM00.
    let body = r#"{"dataframe_split": {"columns": ["a", "b"], "data": [[1, "x"]]}, "params": [1]}"#;
    let r = invoke(&app, body.as_bytes()).await;
    assert_eq!(
        r.text(),
        r#"{"error_code": "INVALID_PARAMETER_VALUE", "message": "Failed to predict data '   a  b\n0  1  x'. \nError: Parameters must be a dictionary. Got type 'list'.", "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"}"#
    );
}

#[tokio::test]
async fn disable_schema_details() {
    let cfg = ServerConfig {
        disable_schema_details: true,
        ..config()
    };
    let app = router(Arc::new(Model::Echo), cfg);
    let r = invoke(
        &app,
        br#"{"dataframe_split":{"columns":["a"],"data":[[1]]}}"#,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        member(&json_body(&r), "message"),
        "Failed to predict data '   a\n0  1'. \nError: Failed to enforce model input schema. Please check your input data."
    );
}

#[tokio::test]
async fn malformed_json_then_keeps_serving() {
    let s = start(Arc::new(Model::Echo), config()).await;
    let r = send(s.addr, "POST", "/invocations", JSON, b"{bad").await;
    assert_mlflow_error(
        &r,
        400,
        "BAD_REQUEST",
        "Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError('Expecting property name enclosed in double quotes: line 1 column 2 (char 1)')'\nInput: \nb'{bad'\n",
    );
    still_serving(s.addr).await;
    s.shutdown().await;
}

#[tokio::test]
async fn huge_body_is_413_then_keeps_serving() {
    let cfg = ServerConfig {
        body_limit: 1024,
        ..config()
    };
    let s = start(Arc::new(Model::Echo), cfg).await;
    // Announced too large: refused before reading.
    let big = vec![b' '; 4096];
    let r = send(s.addr, "POST", "/invocations", JSON, &big).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.text(), r#"{"detail":"Request Entity Too Large"}"#);
    // Chunked, so the size is only found out while reading.
    let mut raw = b"POST /invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..3 {
        raw.extend_from_slice(b"200\r\n");
        raw.extend_from_slice(&[b' '; 0x200]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let r = send_raw(s.addr, &raw).await.expect("response");
    assert_eq!(r.status, 413);
    still_serving(s.addr).await;
    s.shutdown().await;
}

#[tokio::test]
async fn too_many_columns_is_400_at_once_then_keeps_serving() {
    let cfg = ServerConfig {
        max_columns: 1000,
        ..config()
    };
    let s = start(Arc::new(Model::Echo), cfg).await;
    let r = send(s.addr, "POST", "/invocations", JSON, &wide_split(&[], 1001)).await;
    assert_mlflow_error(
        &r,
        400,
        "BAD_REQUEST",
        "Invalid input. The request has at least 1001 columns, more than this server accepts (1000; see `signet serve --max-columns`).",
    );
    // At the limit the request is parsed and refused by the signature as MLflow refuses it.
    let r = send(s.addr, "POST", "/invocations", JSON, &wide_split(&[], 1000)).await;
    assert_eq!(r.status, 400);
    let message = member(&json_body(&r), "message").to_string();
    let extras: Vec<String> = (0..1000).map(|i| format!("'x{i}'")).collect();
    let tail = format!(
        "Model is missing inputs ['a', 'b']. Note that there were extra inputs: [{}].",
        extras.join(", ")
    );
    assert!(message.ends_with(&tail), "{message}");
    still_serving(s.addr).await;
    s.shutdown().await;
}

#[tokio::test]
async fn slow_model_is_504_then_keeps_serving() {
    let cfg = ServerConfig {
        request_timeout: Duration::from_millis(200),
        ..config()
    };
    let s = start(Arc::new(Model::Sleep(Duration::from_millis(1500))), cfg).await;
    let started = std::time::Instant::now();
    let r = send(s.addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await;
    assert!(started.elapsed() < Duration::from_millis(1400));
    assert_eq!(r.status, 504);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), "Request processing time exceeded limit");
    let r = send(s.addr, "GET", "/ping", None, b"").await;
    assert_eq!(r.status, 200);
    s.shutdown().await;
}

#[tokio::test]
async fn truncated_body_then_keeps_serving() {
    let s = start(Arc::new(Model::Echo), config()).await;
    let mut stream = TcpStream::connect(s.addr).await.expect("connect");
    let head = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"dataframe_split\"";
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.shutdown().await.expect("half close");
    // Either a 400 or a closed connection; never a hang or a crash.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "server hung on a truncated body");
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 400"),
        "{text}"
    );
    // A connection dropped mid-body.
    let mut stream = TcpStream::connect(s.addr).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("write");
    drop(stream);
    still_serving(s.addr).await;
    s.shutdown().await;
}

#[tokio::test]
async fn model_failures() {
    let internal = PredictError::mlflow("INTERNAL_ERROR", "custom failure");
    let app = router(Arc::new(Model::Fail(internal)), config());
    let r = invoke(&app, SPLIT.as_bytes()).await;
    assert_eq!(r.status, 500);
    assert_eq!(
        r.text(),
        r#"{"error_code": "INTERNAL_ERROR", "message": "Failed to predict data '   a  b\n0  1  x'. \nError: custom failure", "sqlstate": "XXM00", "error_class": "CLIENT_INTERNAL_ERROR"}"#
    );

    let app = router(
        Arc::new(Model::Fail(PredictError::other("ValueError", "boom"))),
        config(),
    );
    let r = invoke(&app, SPLIT.as_bytes()).await;
    let v = assert_mlflow_error(&r, 400, "BAD_REQUEST", signet_server::UNEXPECTED_ERROR);
    assert!(member(&v, "stack_trace").ends_with("ValueError: boom\n"));

    let app = router(Arc::new(Model::Panic), config());
    let r = invoke(&app, SPLIT.as_bytes()).await;
    assert_eq!(r.status, 400);
    assert!(member(&json_body(&r), "stack_trace").contains("model exploded"));
    let r = call(&app, "GET", "/ping", None, b"").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let s = start(Arc::new(Model::Sleep(Duration::from_millis(400))), config()).await;
    let addr = s.addr;
    let in_flight =
        tokio::spawn(
            async move { send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await },
        );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = s.stop.send(());
    let r = in_flight.await.expect("request task");
    assert_eq!(r.status, 200);
    let done = tokio::time::timeout(Duration::from_secs(5), s.task).await;
    assert!(
        matches!(done, Ok(Ok(Ok(())))),
        "server did not stop: {done:?}"
    );
    assert!(TcpStream::connect(addr).await.is_err(), "still accepting");
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let cfg = ServerConfig {
        max_concurrency: 1,
        ..config()
    };
    let s = start(Arc::new(Model::Sleep(Duration::from_millis(300))), cfg).await;
    let addr = s.addr;
    let started = std::time::Instant::now();
    let a =
        tokio::spawn(
            async move { send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await },
        );
    let b =
        tokio::spawn(
            async move { send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await },
        );
    let (a, b) = (a.await.expect("a"), b.await.expect("b"));
    assert_eq!((a.status, b.status), (200, 200));
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "ran concurrently"
    );
    s.shutdown().await;
}

#[tokio::test]
async fn a_full_queue_sheds_with_503_then_keeps_serving() {
    let cfg = ServerConfig {
        max_concurrency: 1,
        max_queue: 1,
        ..config()
    };
    let s = start(Arc::new(Model::Sleep(Duration::from_millis(400))), cfg).await;
    let addr = s.addr;
    let post = move || {
        tokio::spawn(
            async move { send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await },
        )
    };
    // One request runs, one waits in the queue...
    let running = post();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let queued = post();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // ...and the third is shed at once, as MLflow's TEMPORARILY_UNAVAILABLE, V2 alike.
    let started = std::time::Instant::now();
    let shed = send(addr, "POST", "/invocations", JSON, SPLIT.as_bytes()).await;
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "shed request waited"
    );
    assert_mlflow_error(
        &shed,
        503,
        "TEMPORARILY_UNAVAILABLE",
        "The server is overloaded: too many requests are waiting. Retry later.",
    );
    let v2 = br#"{"inputs": [{"name": "a", "shape": [1], "datatype": "INT64", "data": [1]}, {"name": "b", "shape": [1], "datatype": "BYTES", "data": ["x"]}]}"#;
    let shed = send(addr, "POST", "/v2/models/model/infer", JSON, v2).await;
    assert_eq!(shed.status, 503, "{}", shed.text());
    assert_eq!(
        (
            running.await.expect("running").status,
            queued.await.expect("queued").status
        ),
        (200, 200)
    );
    still_serving(addr).await;
    let ok = send(addr, "POST", "/v2/models/model/infer", JSON, v2).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    s.shutdown().await;
}

#[tokio::test]
async fn metrics_page() {
    let cfg = ServerConfig {
        metrics: true,
        ..config()
    };
    let app = router(Arc::new(Model::Echo), cfg);
    invoke(&app, SPLIT.as_bytes()).await;
    invoke(
        &app,
        br#"{"dataframe_split":{"columns":["a","b"],"data":[[{"x":1},"x"]]}}"#,
    )
    .await;
    invoke(
        &app,
        br#"{"dataframe_split":{"columns":["a"],"data":[[1]]}}"#,
    )
    .await;
    let r = call(&app, "GET", "/metrics", None, b"").await;
    assert_eq!(r.status, 200);
    let text = r.text();
    assert!(
        text.contains(r#"signet_requests_total{route="/invocations",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(
            r#"signet_request_duration_seconds_count{route="/invocations",status="400"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"signet_refused_inputs_total{column="b",reason="missing_inputs"} 1"#),
        "{text}"
    );
}

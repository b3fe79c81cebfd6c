//! The client against a tiny scripted HTTP server on loopback (std `TcpListener`): retries and
//! backoff, MLflow error decoding, auth headers, streamed uploads, truncated downloads.

use signet_mlflow::client::{Method, Server};
use signet_mlflow::{Auth, Client, Config, MlflowError, RetryPolicy};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the stub saw it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    at: Instant,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Serves `responses` (raw HTTP responses, one per connection) in order, then stops.
fn stub(responses: Vec<String>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for resp in responses {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end().to_string();
                if h.is_empty() {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            let len: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            log.lock().unwrap().push(Seen {
                line: line.trim_end().to_string(),
                headers,
                body,
                at: Instant::now(),
            });
            let mut s = stream;
            let _ = s.write_all(resp.as_bytes());
            let _ = s.flush();
        }
    });
    (url, seen)
}

fn resp(status: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    )
}

fn client(url: &str, retries: u32, factor: f64) -> Client {
    let mut c = Config::from_lookup(&|_| None, None).unwrap();
    c.tracking_uri = Some(url.to_string());
    c.registry_uri = Some(url.to_string());
    c.timeout = Duration::from_secs(10);
    c.retry = RetryPolicy {
        max_retries: retries,
        backoff_factor: factor,
        backoff_jitter: 0.0,
        ..RetryPolicy::default()
    };
    Client::new(c).unwrap()
}

#[test]
fn transient_statuses_are_retried_with_exponential_backoff() {
    let (url, seen) = stub(vec![
        resp("503 Service Unavailable", "", ""),
        resp("502 Bad Gateway", "", ""),
        resp("429 Too Many Requests", "", ""),
        resp("200 OK", "", r#"{"experiment_id": "7"}"#),
    ]);
    let c = client(&url, 7, 0.05);
    let start = Instant::now();
    let id = c.create_experiment("e").unwrap();
    assert_eq!(id, "7");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    assert!(seen
        .iter()
        .all(|s| s.line == "POST /api/2.0/mlflow/experiments/create HTTP/1.1"));
    assert_eq!(seen[0].body, br#"{"name":"e"}"#);
    // urllib3's waits: 0 after the first failure, then factor * 2^(n-1): 0.1 s, 0.2 s.
    let gaps: Vec<f64> = seen
        .windows(2)
        .map(|w| (w[1].at - w[0].at).as_secs_f64())
        .collect();
    assert!(gaps[0] < 0.15, "{gaps:?}");
    assert!(gaps[1] >= 0.1 && gaps[1] < 0.4, "{gaps:?}");
    assert!(gaps[2] >= 0.2 && gaps[2] < 0.6, "{gaps:?}");
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[test]
fn retries_are_bounded_and_the_last_error_is_decoded() {
    let body = r#"{"error_code": "INTERNAL_ERROR", "message": "database is locked"}"#;
    let (url, seen) = stub(vec![
        resp("500 Internal Server Error", "", body),
        resp("500 Internal Server Error", "", body),
        resp("500 Internal Server Error", "", body),
        resp("200 OK", "", "{}"),
    ]);
    let c = client(&url, 2, 0.001);
    let e = c.create_experiment("e").unwrap_err();
    assert_eq!(seen.lock().unwrap().len(), 3);
    assert_eq!(e.error_code(), Some("INTERNAL_ERROR"));
    assert_eq!(
        e.to_string(),
        format!("POST /api/2.0/mlflow/experiments/create (after 2 retries) ({url}/api/2.0/mlflow/experiments/create) failed with HTTP 500: INTERNAL_ERROR: database is locked")
    );
}

#[test]
fn mlflow_errors_are_typed_and_not_retried() {
    let (url, seen) = stub(vec![resp(
        "404 Not Found",
        "",
        r#"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Registered Model with name=fraud not found"}"#,
    )]);
    let c = client(&url, 7, 0.001);
    let e = c.version_by_alias("fraud", "champion").unwrap_err();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(
        seen.lock().unwrap()[0].line,
        "GET /api/2.0/mlflow/registered-models/alias?name=fraud&alias=champion HTTP/1.1"
    );
    match &e {
        MlflowError::Api {
            status,
            error_code,
            message,
            ..
        } => {
            assert_eq!(*status, 404);
            assert_eq!(error_code, "RESOURCE_DOES_NOT_EXIST");
            assert_eq!(message, "Registered Model with name=fraud not found");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        e.to_string(),
        format!("GET /api/2.0/mlflow/registered-models/alias ({url}/api/2.0/mlflow/registered-models/alias) failed with HTTP 404: RESOURCE_DOES_NOT_EXIST: Registered Model with name=fraud not found")
    );
}

#[test]
fn a_non_mlflow_server_and_auth_failures_are_explained() {
    let (url, _) = stub(vec![
        resp("404 Not Found", "", "<html><body>nginx</body></html>"),
        resp("401 UNAUTHORIZED", "", "You are not authenticated."),
        resp("200 OK", "", "<html>welcome</html>"),
    ]);
    let c = client(&url, 0, 0.001);
    let e = c.create_experiment("e").unwrap_err().to_string();
    assert!(e.ends_with("failed with HTTP 404; the response is not MLflow's (is this an MLflow tracking server?): <html><body>nginx</body></html>"), "{e}");
    let e = c.create_experiment("e").unwrap_err().to_string();
    assert!(
        e.contains("failed with HTTP 401 (check MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD"),
        "{e}"
    );
    assert!(e.ends_with("You are not authenticated."), "{e}");
    let e = c.create_experiment("e").unwrap_err().to_string();
    assert!(
        e.contains("answered something that is not MLflow's API"),
        "{e}"
    );
    assert!(
        e.ends_with("the body is not a JSON object: <html>welcome</html>"),
        "{e}"
    );
}

#[test]
fn basic_and_bearer_auth_headers() {
    let (url, seen) = stub(vec![
        resp("200 OK", "", r#"{"experiment_id": "1"}"#),
        resp("200 OK", "", r#"{"experiment_id": "1"}"#),
    ]);
    let mut cfg = Config::from_lookup(&|_| None, None).unwrap();
    cfg.tracking_uri = Some(url.clone());
    cfg.auth = Auth::Basic {
        username: "alice".into(),
        password: "s3cret".into(),
    };
    Client::new(cfg.clone())
        .unwrap()
        .create_experiment("e")
        .unwrap();
    cfg.auth = Auth::Bearer("tok123".into());
    Client::new(cfg).unwrap().create_experiment("e").unwrap();
    let seen = seen.lock().unwrap();
    // base64("alice:s3cret")
    assert_eq!(
        seen[0].header("authorization"),
        Some("Basic YWxpY2U6czNjcmV0")
    );
    assert_eq!(seen[1].header("authorization"), Some("Bearer tok123"));
}

#[test]
fn a_server_that_is_down_fails_after_the_retries() {
    // Bind then drop: nothing listens on the port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let calls = Arc::new(Mutex::new(0u32));
    let counter = calls.clone();
    let c = client(&url, 2, 0.001).on_retry(move |_, _, _| *counter.lock().unwrap() += 1);
    let e = c.create_experiment("e").unwrap_err();
    assert!(matches!(e, MlflowError::Transport { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.starts_with(&format!("POST /api/2.0/mlflow/experiments/create ({url}/api/2.0/mlflow/experiments/create) failed: ")), "{text}");
    assert!(text.ends_with("(after 2 retries)"), "{text}");
    assert_eq!(*calls.lock().unwrap(), 2);
}

#[test]
fn uploads_stream_the_file_with_its_length_and_type() {
    let (url, seen) = stub(vec![resp("200 OK", "", "")]);
    let dir = std::env::temp_dir().join(format!("signet-mlflow-put-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("MLmodel");
    std::fs::write(&file, "flavors: {}\n").unwrap();
    let c = client(&url, 0, 0.001);
    c.put_file(
        "/api/2.0/mlflow-artifacts/artifacts/1/models/m-1/artifacts/MLmodel",
        &file,
    )
    .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].line,
        "PUT /api/2.0/mlflow-artifacts/artifacts/1/models/m-1/artifacts/MLmodel HTTP/1.1"
    );
    assert_eq!(seen[0].header("content-length"), Some("12"));
    assert_eq!(seen[0].header("content-type"), Some("text/plain"));
    assert_eq!(seen[0].body, b"flavors: {}\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_truncated_download_is_an_error() {
    let (url, _) = stub(vec![
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly ten b".to_string(),
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello".to_string(),
    ]);
    let dir = std::env::temp_dir().join(format!("signet-mlflow-get-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c = client(&url, 0, 0.001);
    let e = c
        .download(
            "/api/2.0/mlflow-artifacts/artifacts/x",
            &dir.join("x"),
            &mut |_, _| {},
        )
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("GET /api/2.0/mlflow-artifacts/artifacts/x ({url}/api/2.0/mlflow-artifacts/artifacts/x) failed: ")), "{e}");
    assert!(
        e.contains("after 10 bytes") || e.contains("truncated download: 10 of 100 bytes"),
        "{e}"
    );
    let mut seen = Vec::new();
    let n = c
        .download(
            "/api/2.0/mlflow-artifacts/artifacts/y",
            &dir.join("y"),
            &mut |d, t| seen.push((d, t)),
        )
        .unwrap();
    assert_eq!(n, 5);
    assert_eq!(seen.last(), Some(&(5, Some(5))));
    assert_eq!(std::fs::read(dir.join("y")).unwrap(), b"hello");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn retry_after_is_honoured() {
    let (url, seen) = stub(vec![
        resp("429 Too Many Requests", "Retry-After: 1\r\n", ""),
        resp("200 OK", "", r#"{"experiment_id": "3"}"#),
    ]);
    let c = client(&url, 3, 0.001);
    assert_eq!(c.create_experiment("e").unwrap(), "3");
    let seen = seen.lock().unwrap();
    let gap = (seen[1].at - seen[0].at).as_secs_f64();
    assert!(gap >= 0.95, "{gap}");
    let _ = (Method::Get, Server::Tracking);
}

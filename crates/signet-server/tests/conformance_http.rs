//! The `serve` conformance cases replayed through the server: every case is POSTed to
//! `/invocations` of the server's router (in memory, `tower::ServiceExt::oneshot`) with the
//! case's signature, in `Compat::Mlflow`, and the response's status, content type and body are compared with what
//! MLflow 3.17.2's scoring server sent (FORMAT.md §6).
//!
//! * The model is an echo (returns what it receives), or returns the case's `model_output`.
//! * `expect.body` is compared as parsed JSON (`signet::pyjson::loads`), with a `stack_trace`
//!   value compared as `"<omitted>"` and the Python sets (and the `extra inputs` list, built
//!   from a set) inside an error `message` compared modulo order — MLflow's order changes from
//!   process to process; `expect.body_text` byte for byte.
//! * Failures must be listed in `conformance/known-gaps.tsv` as `http:<case id>`; a listed gap
//!   that passes fails the test too.

mod common;

use signet::elem::model_input_from_value;
use signet::enforce::Compat;
use signet::{pyjson, Value};
use signet_server::ServerConfig;
use signet_testkit::corpus;
use signet_testkit::corpus::{cases, Tally};
use signet_testkit::echo::EchoPredictor;
use signet_testkit::messages::normalize_body;
use std::sync::Arc;

async fn check(case: &Value) -> Result<(), String> {
    let signature = corpus::case_signature(case)?;
    let output = match case.get("model_output") {
        Some(v) => Some(model_input_from_value(v).map_err(|e| format!("bad model_output: {e}"))?),
        None => None,
    };
    let req = case.get("request").ok_or("case without `request`")?;
    let content_type = corpus::get_str(req, "content_type");
    let body = corpus::get_str(req, "body").unwrap_or("");
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let config = ServerConfig {
        signature,
        compat: Compat::Mlflow,
        ..ServerConfig::default()
    };
    let app = signet_server::router(Arc::new(EchoPredictor::returning(output)), config);
    let resp = common::call(&app, "POST", "/invocations", content_type, body.as_bytes()).await;
    let text = resp.text();
    let mut diffs = Vec::new();
    if let Some(Value::Int(status)) = expect.get("status") {
        if i128::from(resp.status) != *status {
            diffs.push(format!("status {} (expected {status})", resp.status));
        }
    }
    let want_ct = corpus::get_str(expect, "content_type");
    if want_ct != resp.header("content-type") {
        diffs.push(format!(
            "content type {:?} (expected {want_ct:?})",
            resp.header("content-type")
        ));
    }
    if let Some(want) = corpus::get_str(expect, "body_text") {
        if want != text {
            diffs.push(format!("body:\n  expected {want}\n  got      {text}"));
        }
    } else if let Some(want) = expect.get("body") {
        match pyjson::loads(&text) {
            Ok(have) => {
                let have = normalize_body(have);
                if have != normalize_body(want.clone()) {
                    diffs.push(format!(
                        "body:\n  expected {}\n  got      {}",
                        pyjson::dumps(want),
                        pyjson::dumps(&have)
                    ));
                }
            }
            Err(e) => diffs.push(format!("body is not JSON ({e}): {text}")),
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("; "))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_serve_http() {
    let mut tally = Tally::new("serve-http", "http:");
    for case in cases("serve") {
        let outcome = check(&case.value).await;
        tally.record(&case, outcome);
    }
    tally.finish();
}

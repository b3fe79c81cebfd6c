//! The `serve` conformance cases replayed over real HTTP: every case is POSTed to
//! `/invocations` of a server started on 127.0.0.1 with the case's signature, in
//! `Compat::Mlflow`, and the response's status, content type and body are compared with what
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
use signet::json_form::signature_from_value;
use signet::{pyjson, ModelInput, Value};
use signet_server::{PredictError, Predictor, ServerConfig};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Returns its input, or a fixed output.
struct Echo(Option<ModelInput>);

impl Predictor for Echo {
    fn predict(&self, input: ModelInput, _: Option<Value>) -> Result<ModelInput, PredictError> {
        Ok(self.0.clone().unwrap_or(input))
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn conformance_dir() -> PathBuf {
    let dir = PathBuf::from(
        std::env::var("SIGNET_CONFORMANCE_DIR").unwrap_or_else(|_| "../shared/conformance".into()),
    );
    if dir.is_absolute() {
        dir
    } else {
        workspace_root().join(dir)
    }
}

/// The `http:` entries of the known-gaps file.
fn known_gaps() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(workspace_root().join("conformance/known-gaps.tsv"))
        .unwrap_or_default();
    text.lines()
        .filter(|l| l.starts_with("http:"))
        .map(|l| {
            let (id, reason) = l.split_once('\t').unwrap_or((l, ""));
            (id.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

fn get_str(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// Replaces the value of a top-level `stack_trace` member by `"<omitted>"` and puts the
/// Python sets of a `message` in a canonical order.
fn normalize_body(v: Value) -> Value {
    match v {
        Value::Dict(items) => Value::Dict(
            items
                .into_iter()
                .map(|(k, v)| match (&k, v) {
                    (Value::Str(s), _) if s == "stack_trace" => (k, Value::str("<omitted>")),
                    (Value::Str(s), Value::Str(m)) if s == "message" => {
                        let m = normalize_extras(&normalize_sets(&m));
                        (k, Value::Str(m))
                    }
                    (_, v) => (k, v),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Splits `s` at `, ` outside quotes and brackets.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quote) = (0i32, None::<char>);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '{' | '[' | '(' => depth += 1,
                '}' | ']' | ')' => depth -= 1,
                ',' if depth == 0 && chars.peek() == Some(&' ') => {
                    chars.next();
                    out.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            },
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// Sorts the items of every Python set rendering (braces holding no `:` at their own level):
/// MLflow prints sets in an order that changes from process to process.
fn normalize_sets(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            let (mut depth, mut quote, mut colon, mut end) = (0i32, None::<char>, false, None);
            for (j, &c) in chars.iter().enumerate().skip(i) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None => match c {
                        '\'' | '"' => quote = Some(c),
                        '{' | '[' | '(' => depth += 1,
                        '}' | ']' | ')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        ':' if depth == 1 => colon = true,
                        _ => {}
                    },
                }
            }
            if let (Some(end), false) = (end, colon) {
                let inner: String = chars[i + 1..end].iter().collect();
                let mut items: Vec<String> = split_top(&inner)
                    .iter()
                    .map(|x| normalize_sets(x))
                    .collect();
                items.sort();
                out.push('{');
                out.push_str(&items.join(", "));
                out.push('}');
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Sorts the items of every `Note that there were extra inputs: [...]` list (built from a set
/// in MLflow).
fn normalize_extras(msg: &str) -> String {
    const NOTE: &str = "Note that there were extra inputs: [";
    let Some(start) = msg.find(NOTE) else {
        return msg.to_string();
    };
    let from = start + NOTE.len();
    let Some(len) = msg[from..].find("].") else {
        return msg.to_string();
    };
    let mut items = split_top(&msg[from..from + len]);
    items.sort();
    format!("{}{}{}", &msg[..from], items.join(", "), &msg[from + len..])
}

async fn check(case: &Value) -> Result<(), String> {
    let signature = match case.get("signature") {
        None | Some(Value::None) => None,
        Some(v) => Some(signature_from_value(v).map_err(|e| format!("bad signature: {e}"))?),
    };
    let output = match case.get("model_output") {
        Some(v) => Some(model_input_from_value(v).map_err(|e| format!("bad model_output: {e}"))?),
        None => None,
    };
    let req = case.get("request").ok_or("case without `request`")?;
    let content_type = get_str(req.get("content_type"));
    let body = get_str(req.get("body")).unwrap_or("");
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let config = ServerConfig {
        signature,
        compat: Compat::Mlflow,
        ..ServerConfig::default()
    };
    let server = common::start(Arc::new(Echo(output)), config).await;
    let resp = common::send_raw(
        server.addr,
        &common::request("POST", "/invocations", content_type, body.as_bytes()),
    )
    .await;
    server.shutdown().await;
    let resp = resp.map_err(|e| format!("request failed: {e}"))?;
    let text = resp.text();
    let mut diffs = Vec::new();
    if let Some(Value::Int(status)) = expect.get("status") {
        if i128::from(resp.status) != *status {
            diffs.push(format!("status {} (expected {status})", resp.status));
        }
    }
    let want_ct = get_str(expect.get("content_type"));
    if want_ct != resp.header("content-type") {
        diffs.push(format!(
            "content type {:?} (expected {want_ct:?})",
            resp.header("content-type")
        ));
    }
    if let Some(want) = get_str(expect.get("body_text")) {
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
    let path = conformance_dir().join("serve.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "conformance serve-http: no cases ({} missing)",
            path.display()
        );
        return;
    };
    let gaps = known_gaps();
    let (mut passed, mut failed) = (0usize, 0usize);
    let (mut unexpected, mut stale) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case = pyjson::loads(line).expect("case is not JSON");
        let id = format!("http:{}", get_str(case.get("id")).unwrap_or("<no id>"));
        match check(&case).await {
            Ok(()) => {
                passed += 1;
                if gaps.contains_key(&id) {
                    stale.push(id);
                }
            }
            Err(diff) => {
                failed += 1;
                if !gaps.contains_key(&id) {
                    unexpected.push(format!("{id}: {diff}"));
                }
            }
        }
    }
    println!("conformance serve-http: {passed} passed, {failed} failed");
    assert!(
        unexpected.is_empty(),
        "{} failing case(s) not listed in conformance/known-gaps.tsv:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known gaps that now pass; remove them from conformance/known-gaps.tsv:\n{}",
        stale.join("\n")
    );
}

//! `serve` cases: a `POST /invocations` request parsed with
//! [`signet_protocol::request::parse_request`] and enforced with [`signet::enforce::enforce`], both in
//! `Compat::Mlflow`, against what MLflow's scoring server did.
//!
//! Rules:
//! * the signature (`null` = a model without one) is decoded with `signature_from_value`; the
//!   body string is sent as its UTF-8 bytes with the case's `Content-Type` (`null` = none);
//! * a parse error is compared on status, response content type, the plain-text body
//!   (`body_text`, 415 / 500 pages) or the message (`error`, modulo Python set order) and the
//!   JSON body's `error_code` / `sqlstate` / `error_class` and whether it has a `stack_trace`;
//! * a parsed request is enforced: an enforcement error must be a 400 whose `error` (the inner
//!   message, scoring-server wrappers removed) matches modulo set order and the order of the
//!   `extra inputs` list (built from a hash set in MLflow), with `INVALID_PARAMETER_VALUE`;
//!   a success must be a 200 whose received `input` and `params` match exactly (numpy scalars
//!   inside values compare as the plain numbers the corpus records);
//! * what the model returns (`model_output`, the `predictions` body) is response writing, not
//!   request parsing: those cases are compared on the request → input part only.

use signet::elem::{model_input_to_value, to_elem};
use signet::enforce::{enforce, Compat};
use signet::Value;
use signet_protocol::request::parse_request;
use signet_testkit::corpus;
use signet_testkit::messages::same_message;

/// Replaces `{"$numpy": [dtype, v]}` by `v` (the corpus records numpy scalars as plain values).
fn plain_numpy(v: Value) -> Value {
    match v {
        Value::Dict(items) => {
            if items.len() == 1 && matches!(&items[0].0, Value::Str(k) if k == "$numpy") {
                if let Value::List(mut pair) = items
                    .into_iter()
                    .next()
                    .map(|(_, v)| v)
                    .unwrap_or(Value::None)
                {
                    if pair.len() == 2 {
                        return plain_numpy(pair.remove(1));
                    }
                    return Value::List(pair);
                }
                return Value::None;
            }
            Value::Dict(
                items
                    .into_iter()
                    .map(|(k, v)| (k, plain_numpy(v)))
                    .collect(),
            )
        }
        Value::List(items) => Value::List(items.into_iter().map(plain_numpy).collect()),
        other => other,
    }
}

/// Checks one `serve` case (see the module docs for what is compared).
pub fn check(case: &Value) -> Result<(), String> {
    let sig = corpus::case_signature(case)?;
    let req = case.get("request").ok_or("case without `request`")?;
    let content_type = corpus::get_str(req, "content_type");
    let body = corpus::get_str(req, "body").unwrap_or("").as_bytes();
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let status = match expect.get("status") {
        Some(Value::Int(s)) => *s as u16,
        _ => return Err("case without `expect.status`".into()),
    };
    let want_ct = corpus::get_str(expect, "content_type").unwrap_or("");
    let want_error = corpus::get_str(expect, "error");
    let want_body = expect.get("body");
    let parsed = parse_request(content_type, body, sig.as_ref(), Compat::Mlflow);
    let parsed = match parsed {
        Err(e) => {
            if e.status != status {
                return Err(format!(
                    "status {} (expected {status}): {}",
                    e.status, e.message
                ));
            }
            if e.content_type != want_ct {
                return Err(format!(
                    "content type {:?} (expected {want_ct:?})",
                    e.content_type
                ));
            }
            if let Some(text) = corpus::get_str(expect, "body_text") {
                if e.body() != text {
                    return Err(format!(
                        "body differs:\n  expected {text}\n  got      {}",
                        e.body()
                    ));
                }
            }
            if let Some(w) = want_error {
                if !same_message(w, &e.message) {
                    return Err(format!(
                        "error differs:\n  expected {w}\n  got      {}",
                        e.message
                    ));
                }
            }
            if let Some(b) = want_body {
                let have = signet::pyjson::loads(&e.body())
                    .map_err(|x| format!("body is not JSON: {x}"))?;
                for key in ["error_code", "sqlstate", "error_class"] {
                    if b.get(key) != have.get(key) {
                        return Err(format!(
                            "{key} {:?} (expected {:?})",
                            have.get(key),
                            b.get(key)
                        ));
                    }
                }
                if b.get("stack_trace").is_some() != have.get("stack_trace").is_some() {
                    return Err("stack_trace presence differs".into());
                }
            }
            return Ok(());
        }
        Ok(p) => p,
    };
    match enforce(
        sig.as_ref(),
        parsed.input,
        parsed.params.as_ref(),
        Compat::Mlflow,
    ) {
        Err(e) => {
            if status != 400 {
                return Err(format!(
                    "enforcement failed (expected {status}): {}",
                    e.message()
                ));
            }
            let Some(w) = want_error else {
                return Err(format!("enforcement failed: {}", e.message()));
            };
            if !same_message(w, e.message()) {
                return Err(format!(
                    "error differs:\n  expected {w}\n  got      {}",
                    e.message()
                ));
            }
            if let Some(code) = want_body.and_then(|b| b.get("error_code")) {
                if code != &Value::str("INVALID_PARAMETER_VALUE") {
                    return Err(format!("expected error code {code:?} from enforcement"));
                }
            }
            Ok(())
        }
        Ok(en) => {
            if status != 200 {
                return Err(format!(
                    "accepted, expected {status}: {}",
                    want_error.unwrap_or("")
                ));
            }
            // The enforced input and params against the recorded ones (`None` when absent).
            let have_params = en.params.as_ref().map(to_elem).unwrap_or(Value::None);
            for (what, have, key) in [
                ("input differs", model_input_to_value(&en.input), "input"),
                ("params differ", have_params, "params"),
            ] {
                let have = plain_numpy(have);
                let want = expect.get(key).cloned().unwrap_or(Value::None);
                if have != want {
                    return Err(format!(
                        "{what}:\n  expected {}\n  got      {}",
                        signet::pyjson::dumps(&want),
                        signet::pyjson::dumps(&have)
                    ));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn conformance_serve() {
    use signet_testkit::corpus::{cases, Tally};
    let mut tally = Tally::new("serve", "");
    tally.replay(&cases("serve"), check);
    tally.finish();
}

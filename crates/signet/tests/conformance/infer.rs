//! `infer` cases: `infer_signature(input, output, params)` against MLflow's result.

use signet::infer::infer_signature_with_warnings;
use signet::{signature_to_dict, Value};
use signet_testkit::values as convert;

fn show(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("null")
}

/// Checks one `infer` case: the three signature strings byte for byte, or the error message
/// (modulo Python set order), and the warnings MLflow logged.
pub fn check(case: &Value) -> Result<(), String> {
    let input = convert::model_input(case.get("input"))?;
    let output = convert::model_input(case.get("output"))?;
    let params = convert::params(case.get("params"))?;
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let result = infer_signature_with_warnings(input.as_ref(), output.as_ref(), params.as_deref());
    match (expect.get("signature"), expect.get("error"), result) {
        (Some(sig), _, Ok(got)) => {
            let want = convert::signature_dict(sig);
            let have = signature_to_dict(&got.signature);
            for (part, w, h) in [
                ("inputs", &want.inputs, &have.inputs),
                ("outputs", &want.outputs, &have.outputs),
                ("params", &want.params, &have.params),
            ] {
                if w != h {
                    return Err(format!(
                        "{part} differ:\n  expected {}\n  got      {}",
                        show(w),
                        show(h)
                    ));
                }
            }
            let want_warnings: Vec<&str> = match expect.get("warnings") {
                Some(Value::List(w)) => w
                    .iter()
                    .filter_map(|x| match x {
                        Value::Str(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let have_warnings: Vec<&str> = got.warnings.iter().map(String::as_str).collect();
            if want_warnings != have_warnings {
                return Err(format!(
                    "warnings differ:\n  expected {want_warnings:?}\n  got      {have_warnings:?}"
                ));
            }
            Ok(())
        }
        (Some(_), _, Err(e)) => Err(format!("expected a signature, got error: {e}")),
        (None, Some(Value::Str(msg)), Err(e)) => {
            if e.message() == msg
                || signet_testkit::messages::normalize_sets(e.message())
                    == signet_testkit::messages::normalize_sets(msg)
            {
                Ok(())
            } else {
                Err(format!(
                    "error differs:\n  expected {msg}\n  got      {}",
                    e.message()
                ))
            }
        }
        (None, Some(Value::Str(msg)), Ok(got)) => Err(format!(
            "expected error {msg:?}, got signature {:?}",
            signature_to_dict(&got.signature)
        )),
        _ => Err("case has neither `signature` nor `error`".into()),
    }
}

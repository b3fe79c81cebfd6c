//! `enforce` cases: `PyFuncModel.predict(input, params=...)` of a model carrying a signature,
//! replayed with `signet::enforce::enforce` in [`Compat::Mlflow`] mode.
//!
//! On success, what the model received (its input as a corpus Value: dtypes, values, column
//! order, and its params) must equal the recording; on failure, the message (modulo Python set
//! order), `error_class`, `column`, `exception` and `wrapped` must. The pandas row index is not
//! part of signet's model inputs, so an expected input's `index` is not compared; the corpus
//! writes numpy scalars in results as plain values, and so does the comparison.

use signet::elem;
use signet::enforce::{enforce, Compat};
use signet::json_form::signature_from_value;
use signet::{pyjson, Value};
use signet_testkit::messages::normalize_sets;

fn opt_str(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// A Value without its top-level `index` member.
fn without_index(v: &Value) -> Value {
    match v {
        Value::Dict(items) => Value::Dict(
            items
                .iter()
                .filter(|(k, _)| !matches!(k, Value::Str(s) if s == "index"))
                .cloned()
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The Elem form of a result as the corpus records it: numpy scalars (`{"$numpy": [dtype, v]}`)
/// are written as their plain value.
fn plain_numpy(v: &Value) -> Value {
    match v {
        Value::Dict(items) => {
            if let [(Value::Str(tag), Value::List(pair))] = items.as_slice() {
                if tag == "$numpy" && pair.len() == 2 {
                    return plain_numpy(&pair[1]);
                }
            }
            Value::Dict(
                items
                    .iter()
                    .map(|(k, x)| (k.clone(), plain_numpy(x)))
                    .collect(),
            )
        }
        Value::List(items) => Value::List(items.iter().map(plain_numpy).collect()),
        other => other.clone(),
    }
}

/// Checks one `enforce` case.
pub fn check(case: &Value) -> Result<(), String> {
    let signature = match case.get("signature") {
        None | Some(Value::None) => None,
        Some(s) => {
            Some(signature_from_value(s).map_err(|e| format!("cannot decode signature: {e}"))?)
        }
    };
    let input = elem::model_input_from_value(case.get("input").ok_or("case without `input`")?)
        .map_err(|e| format!("cannot convert input: {e}"))?;
    let params = match case.get("params") {
        None | Some(Value::None) => None,
        Some(p) => Some(elem::from_elem(p).map_err(|e| format!("cannot convert params: {e}"))?),
    };
    let expect = case.get("expect").ok_or("case without `expect`")?;
    let ok = matches!(expect.get("ok"), Some(Value::Bool(true)));
    let result = enforce(signature.as_ref(), input, params.as_ref(), Compat::Mlflow);
    match (ok, result) {
        (true, Ok(got)) => {
            let want = pyjson::dumps(&without_index(expect.get("input").unwrap_or(&Value::None)));
            let have = pyjson::dumps(&plain_numpy(&elem::model_input_to_value(&got.input)));
            if want != have {
                return Err(format!(
                    "input differs:\n  expected {want}\n  got      {have}"
                ));
            }
            let want = pyjson::dumps(expect.get("params").unwrap_or(&Value::None));
            let have = pyjson::dumps(&plain_numpy(
                &got.params.as_ref().map_or(Value::None, elem::to_elem),
            ));
            if want != have {
                return Err(format!(
                    "params differ:\n  expected {want}\n  got      {have}"
                ));
            }
            Ok(())
        }
        (true, Err(e)) => Err(format!(
            "expected success, got {} error: {}",
            e.kind.as_str(),
            e.message()
        )),
        (false, Ok(got)) => Err(format!(
            "expected error {:?}, got success with input {}",
            opt_str(expect.get("error")).unwrap_or(""),
            pyjson::dumps(&elem::model_input_to_value(&got.input))
        )),
        (false, Err(e)) => {
            let mut diffs = Vec::new();
            let want = opt_str(expect.get("error")).unwrap_or("");
            if e.message() != want && normalize_sets(e.message()) != normalize_sets(want) {
                diffs.push(format!(
                    "error differs:\n  expected {want}\n  got      {}",
                    e.message()
                ));
            }
            let class = opt_str(expect.get("error_class")).unwrap_or("");
            if e.kind.as_str() != class {
                diffs.push(format!(
                    "error_class: expected {class}, got {}",
                    e.kind.as_str()
                ));
            }
            let column = opt_str(expect.get("column"));
            if e.location.column.as_deref() != column {
                diffs.push(format!(
                    "column: expected {column:?}, got {:?}",
                    e.location.column
                ));
            }
            let exception = opt_str(expect.get("exception")).unwrap_or("");
            if e.exception != exception {
                diffs.push(format!(
                    "exception: expected {exception}, got {}",
                    e.exception
                ));
            }
            let wrapped = matches!(expect.get("wrapped"), Some(Value::Bool(true)));
            if e.wrapped != wrapped {
                diffs.push(format!("wrapped: expected {wrapped}, got {}", e.wrapped));
            }
            if diffs.is_empty() {
                Ok(())
            } else {
                Err(diffs.join("\n"))
            }
        }
    }
}

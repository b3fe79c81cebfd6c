//! Conversion of the conformance corpus' Values (FORMAT.md) into signet's model inputs, and
//! helpers to compare MLflow's messages.

use signet::elem;
use signet::{ModelInput, SignatureDict, Value};

/// A case's input/output Value as a model input (`None` for JSON `null`).
pub fn model_input(v: Option<&Value>) -> Result<Option<ModelInput>, String> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => elem::model_input_from_value(v)
            .map(Some)
            .map_err(|e| format!("cannot convert value: {e}")),
    }
}

/// A case's params (an object of Elems) as `(name, value)` pairs (`None` for JSON `null`).
pub fn params(v: Option<&Value>) -> Result<Option<Vec<(String, Value)>>, String> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Dict(items)) => items
            .iter()
            .map(|(k, v)| {
                let name = match k {
                    Value::Str(s) => s.clone(),
                    other => signet::repr::py_str_of(other),
                };
                match elem::from_elem(v) {
                    Ok(v) => Ok((name, v)),
                    Err(e) => Err(format!("cannot convert param {name}: {e}")),
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!(
            "params is not an object: {}",
            signet::repr::py_repr(other)
        )),
    }
}

fn opt_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

/// A signature in `to_dict()` form.
pub fn signature_dict(v: &Value) -> SignatureDict {
    SignatureDict {
        inputs: opt_str(v.get("inputs")),
        outputs: opt_str(v.get("outputs")),
        params: opt_str(v.get("params")),
    }
}

/// Sorts the items of every Python set rendering (`{'b', 'a'}`: braces holding no `:` at their
/// own level) so that messages can be compared modulo set order.
pub fn normalize_sets(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            // Find the matching brace, tracking quotes and nesting.
            let mut depth = 0;
            let mut quote: Option<char> = None;
            let mut colon = false;
            let mut end = None;
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
                let mut items: Vec<String> = inner.split(", ").map(normalize_sets).collect();
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

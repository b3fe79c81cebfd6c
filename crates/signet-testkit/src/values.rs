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
        Some(v @ Value::Dict(_)) => elem::from_elem(v)
            .and_then(|d| elem::params_from_value(&d))
            .map(Some)
            .map_err(|e| format!("cannot convert params: {e}")),
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

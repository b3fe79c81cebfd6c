//! `mlmodel` cases, signature part: the MLmodel's signature parsed and re-serialised.

use signet::Value;

/// Checks one `mlmodel` case.
pub fn check(case: &Value) -> Result<(), String> {
    let _ = case;
    Err("not replayed yet".into())
}

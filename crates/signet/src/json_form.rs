//! The JSON form of signatures, byte-identical to MLflow's `ModelSignature.to_dict()`, and its
//! parsing with MLflow's messages.

use crate::types::ModelSignature;
use crate::SchemaError;

/// `ModelSignature.to_dict()`: the three JSON strings (or `None`) for inputs, outputs, params.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureDict {
    /// Schema JSON text of the inputs.
    pub inputs: Option<String>,
    /// Schema JSON text of the outputs.
    pub outputs: Option<String>,
    /// ParamSchema JSON text.
    pub params: Option<String>,
}

/// Serialises a signature to its dict form.
pub fn signature_to_dict(sig: &ModelSignature) -> SignatureDict {
    let _ = sig;
    SignatureDict {
        inputs: None,
        outputs: None,
        params: None,
    }
}

/// Parses a signature from its dict form (`ModelSignature.from_dict`).
pub fn signature_from_dict(dict: &SignatureDict) -> Result<Option<ModelSignature>, SchemaError> {
    let _ = dict;
    Err(SchemaError::new("not yet"))
}

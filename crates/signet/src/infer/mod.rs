//! Signature inference from sample data (`mlflow.models.infer_signature`).

use crate::input::ModelInput;
use crate::types::ModelSignature;
use crate::value::Value;
use crate::SchemaError;

/// Infers a signature from an example input, output and params, as MLflow does.
pub fn infer_signature(
    input: Option<&ModelInput>,
    output: Option<&ModelInput>,
    params: Option<&[(String, Value)]>,
) -> Result<ModelSignature, SchemaError> {
    let _ = (input, output, params);
    Err(SchemaError::new("not yet"))
}

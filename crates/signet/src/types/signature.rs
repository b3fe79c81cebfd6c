//! `ModelSignature`: inputs, outputs and params of a model.

use super::{ParamSchema, Schema};
use crate::SchemaError;

/// The contract of a model: input schema, output schema and params schema, each optional.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSignature {
    /// Input schema.
    pub inputs: Option<Schema>,
    /// Output schema.
    pub outputs: Option<Schema>,
    /// Params schema (an empty one is treated as absent).
    pub params: Option<ParamSchema>,
}

impl ModelSignature {
    /// Builds a signature; at least one part must be present.
    pub fn new(
        inputs: Option<Schema>,
        outputs: Option<Schema>,
        params: Option<ParamSchema>,
    ) -> Result<ModelSignature, SchemaError> {
        if inputs.is_none() && outputs.is_none() && params.is_none() {
            return Err(SchemaError::new(
                "At least one of inputs, outputs or params must be provided",
            ));
        }
        Ok(ModelSignature {
            inputs,
            outputs,
            params,
        })
    }
}

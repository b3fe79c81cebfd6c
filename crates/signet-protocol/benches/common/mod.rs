//! What the request benches share: a JSON body taken the way the server takes it.

use signet::enforce::{enforce, Compat, EnforceError, Enforced};
use signet::ModelSignature;
use signet_protocol::request::{parse_request, ParsedRequest};

/// Parses a JSON scoring body against `signature` (MLflow compatibility); panics if it does not
/// parse.
pub fn parse_json(body: &[u8], signature: &ModelSignature) -> ParsedRequest {
    parse_request(
        Some("application/json"),
        body,
        Some(signature),
        Compat::Mlflow,
    )
    .expect("the body parses")
}

/// Enforces `signature` on a parsed request (MLflow compatibility).
pub fn enforce_parsed(
    signature: &ModelSignature,
    parsed: ParsedRequest,
) -> Result<Enforced, EnforceError> {
    enforce(
        Some(signature),
        parsed.input,
        parsed.params.as_ref(),
        Compat::Mlflow,
    )
}

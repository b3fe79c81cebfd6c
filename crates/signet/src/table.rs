//! How pandas DataFrames map onto Arrow record batches (the conventions every part of signet
//! shares). Filled in by the inference work.

use crate::value::Value;
use arrow_array::Array;

/// Field metadata key holding the pandas dtype name when the Arrow type alone does not decide
/// it (`object`, `string`, `Int64`, `boolean`, `category`, ...).
pub const PANDAS_DTYPE_KEY: &str = "signet.pandas_dtype";

/// Field metadata key marking an integer column label (`"int"`); the field name is its text.
pub const LABEL_KIND_KEY: &str = "signet.label";

/// The element at `i` of an Arrow array as a Python value.
pub fn array_value(array: &dyn Array, i: usize) -> Value {
    let _ = (array, i);
    Value::None
}

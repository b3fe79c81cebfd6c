//! numpy's rules that signet reproduces, in one place: dtype kinds and sizes, type promotion
//! (`np.promote_types` / `np.result_type`), datetime64 strings, and the Arrow arrays that hold
//! `float16` and `datetime64` values. Every copy of a numpy rule elsewhere calls this
//! module; its expectations are recorded from real numpy (`scripts/gen_numpy_cases.py`,
//! `tests/numpy/`).

mod arrays;
mod datetime;
mod dtype;
mod hugepage;
mod widen;

pub use arrays::{datetime_to_i64, float16_array, float_array, int_array, timestamp_array, F16};
pub use datetime::{
    datetime_item, parse_datetime64, parse_iso_datetime, truncate_to_micros, Parsed,
};
pub use dtype::promote_types;
pub use widen::widen;

use crate::types::NumpyDtype;
use crate::value::Value;

/// `np.isscalar(v)`: Python's bool, int, float, str and bytes, and numpy's scalars (an
/// object-dtype "scalar" is not one).
pub fn is_scalar(v: &Value) -> bool {
    match v {
        Value::Bool(_)
        | Value::Int(_)
        | Value::Float(_)
        | Value::Str(_)
        | Value::Bytes(_)
        | Value::Datetime64(..) => true,
        Value::Numpy(dt, _) => *dt != NumpyDtype::Object,
        _ => false,
    }
}

//! numpy's rules that signet reproduces, in one place: dtype kinds and sizes, type promotion
//! (`np.promote_types` / `np.result_type`), datetime64 strings. Every copy of a numpy rule elsewhere calls this
//! module; its expectations are recorded from real numpy (`scripts/gen_numpy_cases.py`,
//! `tests/numpy/`).

mod datetime;
mod dtype;

pub use datetime::{datetime_item, parse_datetime64, truncate_to_micros, Parsed};
pub use dtype::promote_types;

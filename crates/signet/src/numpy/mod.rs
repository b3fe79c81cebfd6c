//! numpy's rules that signet reproduces, in one place: dtype kinds and sizes, type promotion
//! (`np.promote_types` / `np.result_type`). Every copy of a numpy rule elsewhere calls this
//! module; its expectations are recorded from real numpy (`scripts/gen_numpy_cases.py`,
//! `tests/numpy/`).

mod dtype;

pub use dtype::promote_types;

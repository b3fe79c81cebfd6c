//! # signet-fuzz-harness — one harness per parser, for fuzzing and for its replay
//!
//! Each public function takes arbitrary bytes, feeds them to one of signet's parsers the way
//! the shipped code path does, and panics only when an invariant breaks: a parser panicking,
//! an accepted value that does not survive its own round trip, an output of the wrong size.
//! A clean refusal (an `Err`) is a pass.
//!
//! The same functions run in two places:
//! * `fuzz/fuzz_targets/<name>.rs` (cargo-fuzz, nightly, outside the workspace): each target
//!   is a one-line call, run by `scripts/fuzz.sh`;
//! * `tests/corpora.rs` (stable, `cargo test`): every file of `fuzz/corpus/<name>/` and
//!   `fuzz/regressions/<name>/` replayed through the harness.
//!
//! | module | targets |
//! | --- | --- |
//! | [`request`] | `/invocations` bodies (JSON in every format, CSV, Parquet) and V2 infer bodies |
//! | [`model`] | signature JSON, MLmodel YAML, input examples, `model.onnx` |
//! | [`data`] | the data files `signet infer`/`check` read (CSV, JSON, JSON lines, Parquet) |
//! | [`trees`] | XGBoost JSON/UBJSON and LightGBM text models |
//! | [`skops`] | skops archives (zip + `schema.json`) and `.npy` arrays |

pub mod data;
pub mod model;
pub mod request;
pub mod skops;
pub mod trees;

pub use data::{data_csv, data_json, data_parquet};
pub use model::{input_example, mlmodel_yaml, onnx_model, signature_json};
pub use request::{request_csv, request_json, request_parquet, v2_infer};
pub use skops::{npy, skops_archive};
pub use trees::{lightgbm_model, xgboost_model};

/// A harness: bytes in, a panic only when an invariant breaks.
pub type Harness = fn(&[u8]);

/// Every fuzz target by name (the names of `fuzz/fuzz_targets/*.rs` and of the corpus
/// directories).
pub const TARGETS: &[(&str, Harness)] = &[
    ("request_json", request_json),
    ("request_csv", request_csv),
    ("request_parquet", request_parquet),
    ("v2_infer", v2_infer),
    ("signature_json", signature_json),
    ("mlmodel_yaml", mlmodel_yaml),
    ("input_example", input_example),
    ("onnx_model", onnx_model),
    ("data_csv", data_csv),
    ("data_json", data_json),
    ("data_parquet", data_parquet),
    ("xgboost_model", xgboost_model),
    ("lightgbm_model", lightgbm_model),
    ("skops_archive", skops_archive),
    ("npy", npy),
];

/// Splits off the first byte as a selector (0 for empty input) and returns the rest.
pub(crate) fn selector(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    }
}

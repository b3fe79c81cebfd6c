//! # signet — model signatures for machine-learning models
//!
//! This crate owns the *contract* between a model and its data, exactly as MLflow defines it:
//! the type system ([`types`]), its JSON form byte-identical to MLflow's ([`json_form`]),
//! inference of a signature from sample data ([`infer`]) and, later, enforcement. It does no I/O
//! and no async; model directories, the CLI and the server live in other crates.
//!
//! ```ignore
//! // The house-price example: infer a signature from a small table.
//! ```

pub mod elem;
pub mod enforce;
pub mod error;
pub mod infer;
pub mod input;
pub mod json_form;
pub mod params;
pub mod pyjson;
pub mod repr;
pub mod table;
pub mod types;
pub mod value;

pub use error::SchemaError;
pub use infer::infer_signature;
pub use input::{ModelInput, Series, Tensor, TensorData};
pub use json_form::{signature_from_dict, signature_to_dict, SignatureDict};
pub use types::*;
pub use value::Value;

//! # signet — model signatures for machine-learning models
//!
//! This crate owns the *contract* between a model and its data, exactly as MLflow 3.17.2
//! defines it ([docs/](../../../docs/README.md)), and the models of Python, numpy and pandas
//! behaviour the contract needs — no I/O, no HTTP, no async:
//!
//! | module | owns |
//! | --- | --- |
//! | [`types`] | the type system: DataType, Array/Object/Map/Any, ColSpec, TensorSpec, Schema, ParamSpec, ModelSignature, with MLflow's construction rules and messages |
//! | [`json_form`] | the signature's JSON form, byte-identical to MLflow's `to_dict()`, and its parsing |
//! | [`infer`] | `infer_signature`: a signature from sample data |
//! | [`enforce`] | the check of an input and params against a signature before the model runs, and [`enforce::violations`]: every violation of a data batch, row by row |
//! | [`params`] | inference parameters: validation of a ParamSchema's defaults and of the params sent with a request |
//! | [`diff`] | what changed between two signatures, each change classified breaking or compatible for existing callers (docs/signature-compatibility.md) |
//! | [`error`] | [`SchemaError`]: the error of schema construction, parsing and inference, with MLflow's exception class and message |
//! | [`pandas`] | `pd.read_csv`'s rules: the C tokenizer, NA strings, header labels, column typing |
//! | [`numpy`] | numpy's rules: dtype kinds, sizes and integer bounds, `np.promote_types`, the ISO parser of `np.datetime64`, the Arrow arrays holding `float16` and `datetime64` values |
//! | [`input`], [`table`], [`value`], [`elem`] | how model inputs are represented: Arrow tables for DataFrames (see [`table`] for the pandas ↔ Arrow mapping), tensors, Python values and their tagged-JSON form |
//! | [`pyjson`], [`repr`] | Python's `json` and `repr` byte for byte, for exact output and messages; [`pyjson::float`] is the one home of Python's and numpy's float texts |
//! | [`guard`] | [`guard::catch_panic`]: calls into third-party parsers that may panic on malformed input become errors |
//! | [`pynum`] | CPython's `int(str)` and `float(str)`: the text → number rules of request parsing and of numpy's object casts |
//!
//! The scoring protocol (request bodies, response rendering) is `signet-protocol`'s; model
//! directories are `signet-model`'s; the CLI and the server live in their own crates.
//!
//! ## The house-price example
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Int64Array, RecordBatch};
//! use signet::{infer_signature, signature_to_dict, ModelInput};
//!
//! let sqft: ArrayRef = Arc::new(Int64Array::from(vec![1500, 2000]));
//! let bedrooms: ArrayRef = Arc::new(Int64Array::from(vec![3, 4]));
//! let houses = RecordBatch::try_from_iter([("sqft", sqft), ("bedrooms", bedrooms)]).unwrap();
//! let signature = infer_signature(Some(&ModelInput::Table(houses)), None, None).unwrap();
//! assert_eq!(
//!     signature_to_dict(&signature).inputs.as_deref(),
//!     Some(r#"[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]"#)
//! );
//! ```

pub mod diff;
pub mod elem;
pub mod enforce;
pub mod error;
pub mod guard;
pub mod infer;
pub mod input;
pub mod json_form;
pub mod numpy;
pub mod pandas;
pub mod params;
pub mod pyjson;
pub mod pynum;
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

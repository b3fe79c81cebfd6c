//! # signet-protocol — MLflow's scoring protocol, without HTTP
//!
//! This crate owns what travels over the wire between a client and an MLflow 3.17.2 scoring
//! server (`mlflow models serve`), independent of any HTTP library
//! ([docs/serving.md](../../../docs/serving.md)):
//!
//! | module | owns |
//! | --- | --- |
//! | [`request`] | a `POST /invocations` body (JSON in its four formats, CSV, Parquet) parsed into model input and params as MLflow's scoring server parses it, and the [`RequestError`](request::RequestError) MLflow answers when it cannot |
//! | [`render`] | Python renderings of model data: pandas/numpy `str()` for the data embedded in MLflow's messages, and the `{"predictions": ...}` body byte for byte |
//! | [`parquet_check`] | the check of a Parquet file's Thrift metadata (footer, page headers) before the parquet crate decodes it (a corrupt length would make it abort on a huge allocation) |
//! | [`error`] | MLflow's error codes and the HTTP status, `sqlstate` and `error_class` each maps to |
//!
//! The signature itself (types, enforcement) is `signet`'s; the server (`signet-server`) and
//! the CLI (`signet predict`) call this crate and only add transport.

#![warn(missing_docs)]

pub mod error;
pub mod parquet_check;
pub mod render;
pub mod request;

pub use error::ErrorCode;
pub use request::{parse_request, ParsedRequest, RequestError};

#![warn(missing_docs)]
//! A reader for skops files: scikit-learn objects saved as data (`skops.io.dump`, MLflow 3's
//! default `serialization_format: skops`). Nothing in a file is ever executed or unpickled:
//! the zip's `schema.json` becomes a typed [`Node`] tree and its `.npy` members become
//! [`NdArray`]s; skops' trusted-type audit decides whether the file may be used at all.
//!
//! Modules:
//! * `archive` — [`SkopsFile::open`]/[`SkopsFile::from_bytes`]: the zip, `schema.json`, size
//!   limits, the audit against the caller's trusted types;
//! * [`node`] — the tree ([`Node`], [`NodeKind`], [`Json`]) and its path-naming accessors;
//! * `parse` — `schema.json` to nodes by `__loader__`, with skops' `__id__` memo;
//! * [`npy`] — numpy's `.npy` format ([`parse_npy`], [`NdArray`], [`ArrayData`]);
//! * [`audit`] — skops' default trusted types and [`untrusted_types`];
//! * `error` — [`SkopsError`], naming the file and the node.

mod archive;
pub mod audit;
mod error;
pub mod node;
pub mod npy;
mod parse;

pub use archive::SkopsFile;
pub use audit::untrusted_types;
pub use error::SkopsError;
pub use node::{Json, Node, NodeKind};
pub use npy::{parse_npy, ArrayData, NdArray};
pub use parse::PROTOCOL;

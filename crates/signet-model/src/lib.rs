//! # signet-model — MLflow model directories
//!
//! This crate owns MLflow model directories as MLflow 3.17.2 writes and reads them: the
//! `MLmodel` file, its flavors and the example files next to it (see MODEL_FORMAT.md). For now
//! it provides the YAML form only: [`yaml`] reproduces PyYAML's `safe_dump` byte for byte, which
//! is what MLflow uses to write `MLmodel`, and [`yaml::signature_block`] renders the
//! `signature:` block of a model signature.

pub mod yaml;

pub use yaml::{signature_block, Yaml};

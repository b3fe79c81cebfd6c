//! # signet-trees — XGBoost and LightGBM models in pure Rust
//!
//! Evaluators for the gradient-boosted tree models MLflow logs with `mlflow.xgboost` and
//! `mlflow.lightgbm`, reading only data (nothing in a model directory is executed), and
//! predicting as the libraries do: bit for bit in `f32` for XGBoost, in `f64` for LightGBM.
//!
//! | module | owns |
//! | --- | --- |
//! | [`error`] | [`TreeError`]: every failure names the file and the byte offset or key |
//! | `cursor` | the byte cursor the JSON and UBJSON readers share: offset, errors naming the byte, nesting limit |
//! | [`value`] | the JSON/UBJSON document model and typed access with key paths |
//! | [`json`] | the JSON reader (XGBoost `.json` models) |
//! | [`ubjson`] | the UBJSON reader (XGBoost `.ubj` models, typed counted arrays) |
//! | [`tree`] | the shared flat tree: node arrays, categorical bitsets, checked once at load |
//! | [`forest`] | the prediction layout: all trees in one breadth-first array of small nodes; a block of rows, or one row through a group of trees, walked in lockstep |
//! | [`real`] | [`real::Real`]: the two float types the evaluators compare in |
//! | [`quickscorer`] | batches through forests of small ragged trees (LightGBM's), feature by feature: each feature's sorted thresholds scanned once for 8 rows |
//! | [`xgboost`] | XGBoost models: gbtree, dart, gblinear, objectives, categories |
//! | [`lightgbm`] | LightGBM text models: decision types, categorical bitsets, linear trees, objectives |
//! | [`parallel`] | row-parallel batches on scoped threads |
//! | [`input`] | MLflow model inputs (tables, tensors) into the dense matrices the evaluators read |
//! | [`flavor`] | the `xgboost` and `lightgbm` MLflow flavors with MLflow 3.17.2's pyfunc semantics |

mod cursor;
pub mod error;
pub mod flavor;
pub mod forest;
pub mod input;
pub mod json;
pub mod lightgbm;
pub mod parallel;
pub mod quickscorer;
pub mod real;
pub mod tree;
pub mod ubjson;
pub mod value;
pub mod xgboost;

pub use error::TreeError;
pub use flavor::{LightGbmFlavor, XgboostFlavor, LIGHTGBM_FLAVOR, XGBOOST_FLAVOR};

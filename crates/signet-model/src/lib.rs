//! # signet-model — MLflow model directories
//!
//! This crate owns MLflow model directories as MLflow 3.17.2 writes and reads them
//! (docs/model-directory.md), and the models signet runs from them:
//!
//! | module | owns |
//! | --- | --- |
//! | [`yaml`] | the YAML form: PyYAML `safe_dump`-exact emitter, `safe_load`-compatible reader, the `signature:` block |
//! | [`mlmodel`] | the `MLmodel` file ([`MlModel`]): every top-level key, flavors in file order, unknown keys kept verbatim, `Model.load`'s path rules and messages |
//! | [`example`] | input examples: `input_example.json`, `serving_input_example.json`, `saved_input_example_info`, written byte-exact and read back |
//! | [`dir`] | the directory on disk: atomic saves, artifact paths that must stay inside the directory |
//! | [`model`] | Rust models: the [`Model`] trait (MLflow's `PythonModel`) and [`save_model`] |
//! | [`registry`] | what a program registers, the only code that runs models: the [`Registry`] of model types and [`FlavorLoader`]s, [`LoadContext`], [`Predictor`] |
//! | [`pyfunc`] | loaded models: [`load_model`] and [`PyFuncModel`], whose `predict` enforces the signature first |
//!
//! Any MLflow model directory can be read for its signature and examples ([`MlModel::load`],
//! [`example::load_input_example`]); only models whose flavor the program registered can be
//! run, and loading never executes anything found in the directory.
//!
//! ```no_run
//! use signet_model::{load_model, Registry};
//! # struct HousePrice;
//! # impl signet_model::Model for HousePrice {
//! #     fn model_type(&self) -> &str { "house_price" }
//! #     fn predict(&self, _: &signet_model::PredictContext, i: signet::ModelInput, _: Option<&signet::Value>)
//! #         -> Result<signet::ModelInput, signet_model::ModelError> { Ok(i) }
//! #     fn save_state(&self) -> Result<Vec<u8>, signet_model::ModelError> { Ok(Vec::new()) }
//! # }
//! # impl signet_model::LoadModel for HousePrice {
//! #     fn load_state(_: &[u8], _: &signet_model::PredictContext) -> Result<Self, signet_model::ModelError> { Ok(HousePrice) }
//! # }
//! let mut registry = Registry::new();
//! registry.register::<HousePrice>("house_price");
//! let model = load_model("house_price_model", &registry)?;
//! println!("{:?}", model.signature());
//! # Ok::<(), signet_model::ModelError>(())
//! ```

pub mod dir;
pub mod error;
pub mod example;
pub mod mlmodel;
pub mod model;
pub mod pyfunc;
pub mod registry;
pub mod yaml;

pub use error::ModelError;
pub use example::{InputExample, LoadedExample, SavedExample};
pub use mlmodel::{ExampleInfo, MlModel, MLFLOW_VERSION, MLMODEL_FILE_NAME};
pub use model::{
    infer_from_example, save_model, save_model_dir, save_model_with, ExamplePredict, LoadModel,
    Model, ModelOutput, PredictContext, SaveOptions, SavedModel,
};
pub use pyfunc::{load_model, Prediction, PyFuncModel};
pub use registry::{FlavorLoader, LoadContext, Predictor, Registry};
pub use yaml::{signature_block, Yaml};

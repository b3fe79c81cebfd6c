//! What a program registers, and so all the code that may ever run a model: the model types
//! ([`Registry::register`], rebuilt by [`LoadModel::load_state`]) and the [`FlavorLoader`]s of
//! MLflow flavors ([`Registry::register_flavor`]), with what a loader gets ([`LoadContext`])
//! and gives back (a [`Predictor`]). Nothing found in a model directory is ever run.

use crate::dir::resolve_inside;
use crate::error::ModelError;
use crate::mlmodel::MlModel;
use crate::model::{LoadModel, Model, ModelOutput, PredictContext};
use crate::yaml::Yaml;
use signet::{ModelInput, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a [`FlavorLoader`] gets: the model directory, its MLmodel and the flavor's section.
#[derive(Clone, Copy, Debug)]
pub struct LoadContext<'a> {
    /// The model directory.
    pub model_dir: &'a Path,
    /// The MLmodel.
    pub mlmodel: &'a MlModel,
    /// The flavor's name.
    pub flavor: &'a str,
    /// The flavor's configuration.
    pub config: &'a Yaml,
}

impl LoadContext<'_> {
    /// The flavor's `data` file inside the model directory (checked not to leave it), or
    /// the model directory itself when the flavor has no `data` (MLflow's convention).
    pub fn data_path(&self) -> Result<PathBuf, ModelError> {
        match self.config.get("data").and_then(Yaml::as_str) {
            Some(rel) => resolve_inside(self.model_dir, rel),
            None => Ok(self.model_dir.to_path_buf()),
        }
    }
}

/// A model that has been loaded and can predict (inputs already enforced).
pub trait Predictor: Send + Sync {
    /// Predicts on an enforced input with enforced params.
    fn predict(&self, input: ModelInput, params: Option<&Value>)
        -> Result<ModelOutput, ModelError>;
}

/// A closure over a loaded model is a predictor: `Box::new(move |input, _: Option<&Value>|
/// model.predict(input))`.
impl<F> Predictor for F
where
    F: Fn(ModelInput, Option<&Value>) -> Result<ModelOutput, ModelError> + Send + Sync,
{
    fn predict(
        &self,
        input: ModelInput,
        params: Option<&Value>,
    ) -> Result<ModelOutput, ModelError> {
        self(input, params)
    }
}

/// Loads the models of one MLflow flavor (e.g. `onnx`), registered with
/// [`Registry::register_flavor`].
pub trait FlavorLoader: Send + Sync {
    /// Builds the predictor from the model directory.
    fn load(&self, ctx: &LoadContext<'_>) -> Result<Box<dyn Predictor>, ModelError>;
}

type ModelCtor =
    Arc<dyn Fn(&[u8], &PredictContext) -> Result<Box<dyn Model>, ModelError> + Send + Sync>;

/// The model types and flavor loaders a program knows. Loading a model only ever runs code
/// registered here — never anything found in the model directory.
#[derive(Clone, Default)]
pub struct Registry {
    models: HashMap<String, ModelCtor>,
    flavors: Vec<(String, Arc<dyn FlavorLoader>)>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.models.keys().collect();
        names.sort();
        f.debug_struct("Registry")
            .field("models", &names)
            .field(
                "flavors",
                &self.flavors.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Registry {
    /// An empty registry (the `signet` flavor is always understood; no model type and no
    /// other flavor is registered).
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers a model type under `name` (the `model_type` its saved models carry).
    pub fn register<T: LoadModel>(&mut self, name: &str) -> &mut Registry {
        self.models.insert(
            name.to_string(),
            Arc::new(|state, ctx| Ok(Box::new(T::load_state(state, ctx)?) as Box<dyn Model>)),
        );
        self
    }

    /// Registers the loader of an MLflow flavor (e.g. `onnx`): a model whose MLmodel has that
    /// flavor is run by `loader`. Loaders are tried in registration order.
    pub fn register_flavor(
        &mut self,
        flavor: &str,
        loader: impl FlavorLoader + 'static,
    ) -> &mut Registry {
        self.flavors.retain(|(n, _)| n != flavor);
        self.flavors.push((flavor.to_string(), Arc::new(loader)));
        self
    }

    /// Whether a model type is registered.
    pub fn has_model_type(&self, name: &str) -> bool {
        self.models.contains_key(name)
    }

    /// Whether a flavor loader is registered.
    pub fn has_flavor(&self, flavor: &str) -> bool {
        self.flavors.iter().any(|(n, _)| n == flavor)
    }

    pub(crate) fn model_ctor(&self, name: &str) -> Option<&ModelCtor> {
        self.models.get(name)
    }

    pub(crate) fn flavor_loaders(&self) -> &[(String, Arc<dyn FlavorLoader>)] {
        &self.flavors
    }
}

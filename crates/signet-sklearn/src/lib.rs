#![warn(missing_docs)]
//! scikit-learn models served natively: estimators rebuilt from a skops file (via
//! `signet-skops`, never executing or unpickling anything), predicting as scikit-learn 1.9
//! does, behind MLflow's `sklearn` flavor.
//!
//! Modules:
//! * [`flavor`] — [`SklearnFlavor`] (the `FlavorLoader`), [`SklearnModel`], outputs as numpy
//!   arrays (class labels with `classes_`' dtype);
//! * [`estimator`] — the [`Estimator`] trait, what every estimator knows of its input
//!   ([`estimator::Fitted`]: class, `feature_names_in_`, width, methods), [`Output`],
//!   [`Classes`];
//! * [`registry`] — the classes signet rebuilds: [`build`] (class name to estimator;
//!   unsupported classes are refused with the supported list), [`SUPPORTED`];
//! * [`frame`] — [`Frame`]/[`Matrix`]: the input as sklearn sees a DataFrame or array;
//! * [`compose`] — `Pipeline`, `ColumnTransformer`, identity `FunctionTransformer`;
//! * [`preprocess`] — `StandardScaler` and `RobustScaler` (one `CenterScale`), `MinMaxScaler`,
//!   `MaxAbsScaler`, `Normalizer`, `SimpleImputer`;
//! * [`encoders`] — `OneHotEncoder`, `OrdinalEncoder`;
//! * [`features`] — `PolynomialFeatures`, `KBinsDiscretizer`;
//! * [`linear`] — `LinearRegression`, `Ridge`, `Lasso`, `ElasticNet`, `SGDRegressor`,
//!   `LinearSVR`, `LogisticRegression`, `SGDClassifier`, `LinearSVC`;
//! * [`neighbors`] — `KNeighborsClassifier`/`Regressor`, `GaussianNB`;
//! * [`tree`] — the `Tree`, `DecisionTree*`, `RandomForest*`, `ExtraTrees*`;
//! * [`svm`] — `SVC` (votes; `probability=True`), `SVR`; linear, poly, rbf, sigmoid kernels;
//! * [`gb`] — `GradientBoosting*`;
//! * [`hgb`] — `HistGradientBoosting*` (missing values, categorical splits);
//! * `error` — [`SklearnError`].

pub mod compose;
pub mod encoders;
mod error;
pub mod estimator;
pub mod features;
pub mod flavor;
pub mod frame;
pub mod gb;
pub mod hgb;
pub mod linear;
pub mod neighbors;
pub mod preprocess;
pub mod registry;
pub mod svm;
pub mod tree;

pub use error::SklearnError;
pub use estimator::{Classes, Estimator, Method, Output};
pub use flavor::{SklearnFlavor, SklearnModel, SKLEARN_FLAVOR};
pub use frame::{Frame, Matrix};
pub use registry::{build, SUPPORTED};

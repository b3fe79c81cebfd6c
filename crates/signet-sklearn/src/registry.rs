//! The sklearn classes signet rebuilds, each with the code that reads it: [`build`] turns a
//! skops node into an [`Estimator`], and [`SUPPORTED`] lists the classes. Only the classes
//! in this table are ever rebuilt; anything else in a skops file is refused by name.

use crate::error::SklearnError;
use crate::estimator::{Estimator, Loader};
use crate::{compose, encoders, features, gb, hgb, linear, neighbors, preprocess, svm, tree};
use signet_skops::{Node, NodeKind};
use std::sync::LazyLock;

/// The estimator a `load` read, boxed.
fn boxed<E: Estimator + 'static>(
    loaded: Result<E, SklearnError>,
) -> Result<Box<dyn Estimator>, SklearnError> {
    Ok(Box::new(loaded?))
}

/// The sklearn classes signet rebuilds (module path and class), each with how it is read.
const ESTIMATORS: &[(&[&str], Loader)] = &[
    (
        &["sklearn.compose._column_transformer.ColumnTransformer"],
        |n| boxed(compose::ColumnTransformer::load(n, build)),
    ),
    (
        &[
            "sklearn.ensemble._forest.ExtraTreesClassifier",
            "sklearn.ensemble._forest.ExtraTreesRegressor",
            "sklearn.ensemble._forest.RandomForestClassifier",
            "sklearn.ensemble._forest.RandomForestRegressor",
        ],
        |n| boxed(tree::Forest::load(n)),
    ),
    (
        &[
            "sklearn.ensemble._gb.GradientBoostingClassifier",
            "sklearn.ensemble._gb.GradientBoostingRegressor",
        ],
        |n| boxed(gb::GradientBoosting::load(n)),
    ),
    (&["sklearn.impute._base.SimpleImputer"], |n| boxed(preprocess::SimpleImputer::load(n))),
    (
        &[
            "sklearn.linear_model._base.LinearRegression",
            "sklearn.linear_model._coordinate_descent.ElasticNet",
            "sklearn.linear_model._coordinate_descent.Lasso",
            "sklearn.linear_model._ridge.Ridge",
            "sklearn.linear_model._stochastic_gradient.SGDRegressor",
            "sklearn.svm._classes.LinearSVR",
        ],
        |n| boxed(linear::LinearModel::load(n)),
    ),
    (
        &[
            "sklearn.linear_model._logistic.LogisticRegression",
            "sklearn.linear_model._stochastic_gradient.SGDClassifier",
            "sklearn.svm._classes.LinearSVC",
        ],
        |n| boxed(linear::LogisticRegression::load(n)),
    ),
    (&["sklearn.svm._classes.SVC", "sklearn.svm._classes.SVR"], |n| boxed(svm::Svm::load(n))),
    (
        &[
            "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
            "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingRegressor",
        ],
        |n| boxed(hgb::HistGradientBoosting::load(n)),
    ),
    (
        &["sklearn.preprocessing._data.RobustScaler"],
        |n| boxed(preprocess::CenterScale::load_robust(n)),
    ),
    (
        &["sklearn.preprocessing._polynomial.PolynomialFeatures"],
        |n| boxed(features::PolynomialFeatures::load(n)),
    ),
    (
        &["sklearn.preprocessing._discretization.KBinsDiscretizer"],
        |n| boxed(features::KBinsDiscretizer::load(n)),
    ),
    (&["sklearn.preprocessing._data.MaxAbsScaler"], |n| boxed(preprocess::MaxAbsScaler::load(n))),
    (&["sklearn.preprocessing._data.Normalizer"], |n| boxed(preprocess::Normalizer::load(n))),
    (&["sklearn.naive_bayes.GaussianNB"], |n| boxed(neighbors::GaussianNB::load(n))),
    (
        &[
            "sklearn.neighbors._classification.KNeighborsClassifier",
            "sklearn.neighbors._regression.KNeighborsRegressor",
        ],
        |n| boxed(neighbors::KNeighbors::load(n)),
    ),
    (&["sklearn.pipeline.Pipeline"], |n| boxed(compose::Pipeline::load(n, build))),
    (
        &["sklearn.preprocessing._function_transformer.FunctionTransformer"],
        |n| boxed(compose::Identity::load(n)),
    ),
    (&["sklearn.preprocessing._data.MinMaxScaler"], |n| boxed(preprocess::MinMaxScaler::load(n))),
    (
        &["sklearn.preprocessing._data.StandardScaler"],
        |n| boxed(preprocess::CenterScale::load_standard(n)),
    ),
    (
        &["sklearn.preprocessing._encoders.OneHotEncoder"],
        |n| boxed(encoders::OneHotEncoder::load(n)),
    ),
    (
        &["sklearn.preprocessing._encoders.OrdinalEncoder"],
        |n| boxed(encoders::OrdinalEncoder::load(n)),
    ),
    (
        &[
            "sklearn.tree._classes.DecisionTreeClassifier",
            "sklearn.tree._classes.DecisionTreeRegressor",
        ],
        |n| boxed(tree::DecisionTree::load(n)),
    ),
];

/// The sklearn classes signet rebuilds (module path and class).
pub static SUPPORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    ESTIMATORS
        .iter()
        .flat_map(|(names, _)| *names)
        .copied()
        .collect()
});

/// Rebuilds the estimator a skops node holds.
pub fn build(node: &Node) -> Result<Box<dyn Estimator>, SklearnError> {
    let name = node.type_name();
    let loader = match node.kind {
        NodeKind::Object { .. } => ESTIMATORS.iter().find(|(names, _)| names.contains(&&*name)),
        _ => None,
    };
    let Some((_, load)) = loader else {
        let mut short: Vec<&str> = SUPPORTED
            .iter()
            .map(|s| s.rsplit('.').next().unwrap_or(s))
            .collect();
        short.sort_unstable();
        return Err(SklearnError::new(format!(
            "at {}: signet does not implement {} ({name}); supported estimators: {}",
            node.display_path(),
            node.class,
            short.join(", ")
        )));
    };
    load(node)
}

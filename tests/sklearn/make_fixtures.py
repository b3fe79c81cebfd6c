"""scikit-learn fixtures for signet-sklearn (run by scripts/sklearn_fixtures.sh).

    python make_fixtures.py DIR

Trains small estimators and pipelines on fixed synthetic data, saves each with
`mlflow.sklearn.save_model` (MLflow 3.17.2's default format, skops: checked) into DIR/<name>
with the test rows as its input example and `pyfunc_predict_fn` set, then writes
DIR/<name>/expected.json:

* `pyfunc`: `mlflow.pyfunc.load_model(dir).predict(<loaded input example>)` encoded as
  {"dtype", "shape", "data"} (NaN as null);
* `sklearn`: the estimator's own `<predict_fn>(X_test)`, same encoding (must equal `pyfunc`);
* `untrusted`: `skops.io.get_untrusted_types(file=model.skops)` (signet's audit must agree);
* `predict_fn`.

DIR/<name>/invocations.json holds MLflow's scoring-server answers to request bodies of the
test rows, and a V2 request of them (see serving_bodies.py).

DIR/onnx/ holds the same models exported by skl2onnx and saved by `mlflow.onnx.save_model`,
with onnxruntime's predictions (see onnx_fixtures.py).

DIR/readers/ holds files for the skops reader alone (LightGBM's sklearn wrapper).

A case also writes DIR/<name>/refusals.json when sklearn refuses some input (unknown
category with handle_unknown="error"): a `dataframe_split` request body and sklearn's message.
Inputs include missing values (NaN in numeric columns), categories unseen during fit and
string class labels.
"""

import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
os.environ["MLFLOW_ALLOW_PICKLE_DESERIALIZATION"] = "true"
os.environ.setdefault("MLFLOW_TRACKING_URI", "file:///tmp/signet-sklearn-mlruns")

import logging  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.ERROR)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
import skops.io  # noqa: E402
import yaml  # noqa: E402
import onnx_fixtures  # noqa: E402
import serving_bodies  # noqa: E402
from mlflow.models import Model  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import (  # noqa: E402
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.ensemble import (  # noqa: E402
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.naive_bayes import GaussianNB  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor  # noqa: E402
from sklearn.svm import SVC, SVR, LinearSVC, LinearSVR  # noqa: E402
from sklearn.linear_model import (  # noqa: E402
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
    SGDClassifier,
    SGDRegressor,
)
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402
from sklearn.preprocessing import (  # noqa: E402
    KBinsDiscretizer,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    OneHotEncoder,
    PolynomialFeatures,
    RobustScaler,
    OrdinalEncoder,
    StandardScaler,
)
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor  # noqa: E402

rng = np.random.RandomState(0)
N = 200


def numeric_frame(n, seed, nan=False):
    r = np.random.RandomState(seed)
    df = pd.DataFrame(
        {
            "a": r.normal(0, 1, n),
            "b": r.uniform(-3, 3, n),
            "c": r.normal(5, 2, n),
            "d": r.exponential(1.0, n),
        }
    )
    if nan:
        df.loc[r.rand(n) < 0.15, "a"] = np.nan
        df.loc[r.rand(n) < 0.15, "c"] = np.nan
    return df


X_num = numeric_frame(N, 1)
X_num_test = numeric_frame(12, 2)
X_num_test_nan = numeric_frame(12, 3, nan=True)
y_reg = 3 * X_num["a"] - 2 * X_num["b"] + 0.5 * X_num["c"] ** 2 + rng.normal(0, 0.3, N)
y_bin = (X_num["a"] + X_num["b"] > 0).astype(np.int64)
score = X_num["a"] - X_num["b"] + 0.3 * X_num["c"]
y_str = np.where(score < 0.5, "low", np.where(score < 2.5, "mid", "high")).astype(object)

HOODS = ["north", "south", "east", "west"]


def house_frame(n, seed, test=False):
    r = np.random.RandomState(seed)
    df = pd.DataFrame(
        {
            "sqft": r.uniform(500, 4000, n).round(),
            "bedrooms": r.randint(1, 6, n).astype(np.float64),
            "age": r.uniform(0, 80, n).round(1),
            "neighborhood": r.choice(HOODS, n),
            "style": r.choice(["ranch", "colonial", "modern"], n),
        }
    )
    df.loc[r.rand(n) < 0.1, "age"] = np.nan
    df.loc[r.rand(n) < 0.1, "sqft"] = np.nan
    if test:
        df.loc[1, "neighborhood"] = "downtown"  # unseen during fit
        df.loc[3, "style"] = "tudor"  # unseen during fit
        df.loc[2, "sqft"] = np.nan
        df.loc[4, "age"] = np.nan
    return df


X_house = house_frame(N, 4)
X_house_test = house_frame(10, 5, test=True)
hood_value = X_house["neighborhood"].map({"north": 50, "south": -20, "east": 10, "west": 0})
y_price = (
    100 * X_house["sqft"].fillna(2000) / 1000
    + 15 * X_house["bedrooms"]
    - 0.5 * X_house["age"].fillna(40)
    + hood_value
    + rng.normal(0, 5, N)
)
y_price_class = np.where(y_price > np.median(y_price), "expensive", "cheap").astype(object)


def house_preprocessor(sparse=True):
    numeric = Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
    )
    return ColumnTransformer(
        [
            ("num", numeric, ["sqft", "bedrooms", "age"]),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=sparse), ["neighborhood", "style"]),
        ]
    )


def coded_frame(n, seed, nan=False):
    """Numeric features plus an integer-coded categorical one (codes 0..5; 7 is unseen)."""
    df = numeric_frame(n, seed, nan=nan)
    r = np.random.RandomState(seed + 100)
    df["code"] = r.randint(0, 6, n).astype(np.float64)
    return df


X_coded = coded_frame(N, 6)
X_coded_test = coded_frame(12, 7, nan=True)
X_coded_test.loc[0, "code"] = 7.0  # a category unseen during fit
X_coded_test.loc[1, "code"] = np.nan
y_coded = y_reg + np.where(X_coded["code"].isin([1.0, 4.0]), 5.0, 0.0)


def cases():
    """(name, model, X_train, y_train, X_test, predict_fn)."""
    yield "standard_scaler_linear_regression", make_pipeline(StandardScaler(), LinearRegression()), X_num, y_reg, X_num_test, "predict"
    yield "minmax_ridge", make_pipeline(MinMaxScaler(), Ridge(alpha=0.7)), X_num, y_reg, X_num_test, "predict"
    yield "lasso", Lasso(alpha=0.05), X_num, y_reg, X_num_test, "predict"
    yield "elastic_net", ElasticNet(alpha=0.1, l1_ratio=0.3), X_num, y_reg, X_num_test, "predict"
    yield "linear_regression_ndarray", LinearRegression(), X_num.to_numpy(), y_reg.to_numpy(), X_num_test.to_numpy(), "predict"
    yield "imputer_mean_ridge", make_pipeline(SimpleImputer(), Ridge()), X_num, y_reg, X_num_test_nan, "predict"
    yield "logistic_binary", make_pipeline(StandardScaler(), LogisticRegression()), X_num, y_bin, X_num_test, "predict"
    yield "logistic_binary_proba", make_pipeline(StandardScaler(), LogisticRegression()), X_num, y_bin, X_num_test, "predict_proba"
    yield "logistic_multinomial_str", LogisticRegression(C=0.5, max_iter=500), X_num, y_str, X_num_test, "predict"
    yield "logistic_multinomial_proba", LogisticRegression(C=0.5, max_iter=500), X_num, y_str, X_num_test, "predict_proba"
    yield "logistic_multinomial_log_proba", LogisticRegression(C=0.5, max_iter=500), X_num, y_str, X_num_test, "predict_log_proba"
    yield "decision_tree_regressor_nan", DecisionTreeRegressor(max_depth=6, random_state=0), X_num, y_reg, X_num_test_nan, "predict"
    yield "decision_tree_classifier_str", DecisionTreeClassifier(max_depth=5, random_state=0), X_num, y_str, X_num_test, "predict"
    yield "decision_tree_classifier_proba", DecisionTreeClassifier(max_depth=5, random_state=0), X_num, y_str, X_num_test_nan, "predict_proba"
    yield "random_forest_regressor", RandomForestRegressor(n_estimators=15, max_depth=6, random_state=0), X_num, y_reg, X_num_test, "predict"
    yield "random_forest_classifier", RandomForestClassifier(n_estimators=15, max_depth=6, random_state=0), X_num, y_str, X_num_test, "predict"
    yield "random_forest_classifier_proba", RandomForestClassifier(n_estimators=15, max_depth=6, random_state=0), X_num, y_bin, X_num_test, "predict_proba"
    yield "extra_trees_regressor", ExtraTreesRegressor(n_estimators=10, max_depth=6, random_state=0), X_num, y_reg, X_num_test, "predict"
    yield "extra_trees_classifier_proba", ExtraTreesClassifier(n_estimators=10, max_depth=6, random_state=0), X_num, y_str, X_num_test, "predict_proba"
    yield "gradient_boosting_regressor", GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=0), X_num, y_reg, X_num_test, "predict"
    yield "gradient_boosting_binary_proba", GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0), X_num, y_bin, X_num_test, "predict_proba"
    yield "gradient_boosting_multiclass", GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0), X_num, y_str, X_num_test, "predict"
    yield "gradient_boosting_multiclass_proba", GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0), X_num, y_str, X_num_test, "predict_proba"
    yield "hist_gb_regressor_nan", HistGradientBoostingRegressor(max_iter=30, random_state=0), X_num, y_reg, X_num_test_nan, "predict"
    yield "hist_gb_regressor_categorical", HistGradientBoostingRegressor(max_iter=30, categorical_features=[4], random_state=0), X_coded, y_coded, X_coded_test, "predict"
    yield "hist_gb_poisson", HistGradientBoostingRegressor(loss="poisson", max_iter=20, random_state=0), X_num, np.abs(y_reg), X_num_test_nan, "predict"
    yield "hist_gb_binary_proba", HistGradientBoostingClassifier(max_iter=20, random_state=0), X_num, y_bin, X_num_test_nan, "predict_proba"
    yield "hist_gb_multiclass", HistGradientBoostingClassifier(max_iter=20, random_state=0), X_num, y_str, X_num_test_nan, "predict"
    yield "hist_gb_multiclass_proba", HistGradientBoostingClassifier(max_iter=20, categorical_features=[4], random_state=0), X_coded, y_str, X_coded_test, "predict_proba"
    yield "knn_classifier", make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5)), X_num, y_str, X_num_test, "predict"
    yield "knn_classifier_distance_proba", KNeighborsClassifier(n_neighbors=7, weights="distance"), X_num, y_str, X_num_test, "predict_proba"
    yield "knn_regressor_manhattan", KNeighborsRegressor(n_neighbors=4, metric="manhattan"), X_num, y_reg, X_num_test, "predict"
    yield "knn_regressor_distance", KNeighborsRegressor(n_neighbors=4, weights="distance"), X_num, y_reg, X_num_test, "predict"
    yield "gaussian_nb", GaussianNB(), X_num, y_str, X_num_test, "predict"
    yield "gaussian_nb_proba", GaussianNB(), X_num, y_str, X_num_test, "predict_proba"
    yield "gaussian_nb_log_proba", GaussianNB(), X_num, y_bin, X_num_test, "predict_log_proba"
    yield "sgd_classifier_log_proba", make_pipeline(StandardScaler(), SGDClassifier(loss="log_loss", random_state=0)), X_num, y_str, X_num_test, "predict_proba"
    yield "sgd_classifier_hinge", make_pipeline(StandardScaler(), SGDClassifier(random_state=0)), X_num, y_bin, X_num_test, "predict"
    yield "sgd_regressor", make_pipeline(StandardScaler(), SGDRegressor(random_state=0)), X_num, y_reg, X_num_test, "predict"
    yield "linear_svc", make_pipeline(RobustScaler(), LinearSVC(random_state=0)), X_num, y_str, X_num_test, "predict"
    yield "linear_svr", make_pipeline(MaxAbsScaler(), LinearSVR(random_state=0, max_iter=5000)), X_num, y_reg, X_num_test, "predict"
    yield "svc_rbf", make_pipeline(StandardScaler(), SVC()), X_num, y_str, X_num_test, "predict"
    yield "svc_rbf_proba", make_pipeline(StandardScaler(), SVC(probability=True, random_state=0)), X_num, y_str, X_num_test, "predict_proba"
    yield "svc_binary_proba_poly", make_pipeline(StandardScaler(), SVC(kernel="poly", degree=2, probability=True, random_state=0)), X_num, y_bin, X_num_test, "predict_proba"
    yield "svc_linear", make_pipeline(StandardScaler(), SVC(kernel="linear")), X_num, y_bin, X_num_test, "predict"
    yield "svc_sigmoid", make_pipeline(StandardScaler(), SVC(kernel="sigmoid", gamma=0.1)), X_num, y_str, X_num_test, "predict"
    yield "svr_rbf", make_pipeline(StandardScaler(), SVR(C=10.0)), X_num, y_reg, X_num_test, "predict"
    yield "svr_poly", make_pipeline(StandardScaler(), SVR(kernel="poly", degree=3, coef0=1.0)), X_num, y_reg, X_num_test, "predict"
    yield "polynomial_ridge", make_pipeline(PolynomialFeatures(degree=3), StandardScaler(), Ridge()), X_num, y_reg, X_num_test, "predict"
    yield "polynomial_interaction_linear", make_pipeline(PolynomialFeatures(degree=2, interaction_only=True, include_bias=False), LinearRegression()), X_num, y_reg, X_num_test, "predict"
    yield "kbins_onehot_logistic", make_pipeline(KBinsDiscretizer(n_bins=4, quantile_method="averaged_inverted_cdf"), LogisticRegression()), X_num, y_str, X_num_test, "predict_proba"
    yield "kbins_ordinal_uniform_ridge", make_pipeline(KBinsDiscretizer(n_bins=5, encode="ordinal", strategy="uniform"), Ridge()), X_num, y_reg, X_num_test, "predict"
    yield "normalizer_ridge", make_pipeline(Normalizer(), Ridge()), X_num, y_reg, X_num_test, "predict"
    # The pipeline: ColumnTransformer(SimpleImputer+StandardScaler, OneHotEncoder) + LogisticRegression.
    yield "column_transformer_logistic", Pipeline([("pre", house_preprocessor()), ("clf", LogisticRegression(max_iter=500))]), X_house, y_price_class, X_house_test, "predict"
    yield "column_transformer_logistic_proba", Pipeline([("pre", house_preprocessor()), ("clf", LogisticRegression(max_iter=500))]), X_house, y_price_class, X_house_test, "predict_proba"
    # The house-price pipelines: imputer + scaler + one-hot + regressor.
    yield "house_price_ridge", Pipeline([("pre", house_preprocessor()), ("reg", Ridge(alpha=1.0))]), X_house, y_price, X_house_test, "predict"
    yield "house_price_gbr", Pipeline([("pre", house_preprocessor(sparse=False)), ("reg", GradientBoostingRegressor(n_estimators=25, random_state=0))]), X_house, y_price, X_house_test, "predict"
    yield "house_price_random_forest", Pipeline([("pre", house_preprocessor()), ("reg", RandomForestRegressor(n_estimators=10, random_state=0))]), X_house, y_price, X_house_test, "predict"
    # By index, remainder passthrough, OrdinalEncoder with unknown values, one-hot with drop.
    by_index = ColumnTransformer(
        [
            ("ord", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), [3, 4]),
            ("scale", StandardScaler(), [1]),
        ],
        remainder="passthrough",
    )
    yield "column_transformer_index_passthrough_tree", Pipeline([("pre", by_index), ("tree", DecisionTreeRegressor(max_depth=5, random_state=0))]), X_house, y_price, X_house_test, "predict"
    dropped = ColumnTransformer(
        [
            ("onehot", OneHotEncoder(drop="first", handle_unknown="ignore", sparse_output=False), ["neighborhood"]),
            ("mm", make_pipeline(SimpleImputer(strategy="constant", fill_value=0.0), MinMaxScaler()), ["sqft", "age"]),
        ],
        remainder="drop",
    )
    yield "onehot_drop_first_minmax_lasso", Pipeline([("pre", dropped), ("reg", Lasso(alpha=0.5))]), X_house, y_price, X_house_test, "predict"
    rare = ColumnTransformer(
        [
            ("onehot", OneHotEncoder(max_categories=3, handle_unknown="infrequent_if_exist", sparse_output=False), ["neighborhood"]),
            ("ordinal", OrdinalEncoder(max_categories=2, handle_unknown="use_encoded_value", unknown_value=-1), ["style"]),
            ("num", SimpleImputer(), ["sqft", "age"]),
        ]
    )
    yield "infrequent_categories_ridge", Pipeline([("pre", rare), ("reg", Ridge())]), X_house, y_price, X_house_test, "predict"
    rare_ignore = ColumnTransformer(
        [("onehot", OneHotEncoder(min_frequency=60, handle_unknown="ignore"), ["neighborhood", "style"])],
        remainder="passthrough",
    )
    yield "infrequent_ignore_tree", Pipeline([("pre", rare_ignore), ("tree", DecisionTreeRegressor(max_depth=4, random_state=0))]), X_house, y_price, X_house_test, "predict"
    strict = ColumnTransformer(
        [
            ("onehot", OneHotEncoder(handle_unknown="error"), ["neighborhood"]),
            ("num", SimpleImputer(strategy="mean"), ["sqft", "bedrooms"]),
        ]
    )
    known = X_house_test.copy()
    known.loc[1, "neighborhood"] = "north"
    yield "onehot_error_linear", Pipeline([("pre", strict), ("reg", LinearRegression())]), X_house, y_price, known, "predict"


def encode(a):
    a = np.asarray(a)
    flat = a.reshape(-1).tolist()
    data = [None if isinstance(v, float) and np.isnan(v) else v for v in flat]
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def lightgbm_wrapper(out):
    """DIR/readers/lgbm_classifier.skops: LightGBM's sklearn wrapper as skops saves it, for the
    reader (the LightGBM engine reads `_Booster._handle` and `_le` from the tree)."""
    import lightgbm

    os.makedirs(os.path.join(out, "readers"), exist_ok=True)
    model = lightgbm.LGBMClassifier(n_estimators=3, verbose=-1).fit(X_num, y_str)
    blob = skops.io.dumps(model)
    with open(os.path.join(out, "readers", "lgbm_classifier.skops"), "wb") as f:
        f.write(blob)
    with open(os.path.join(out, "readers", "lgbm_classifier.json"), "w") as f:
        json.dump(
            {
                "untrusted": sorted(skops.io.get_untrusted_types(data=blob)),
                "booster": model.booster_.model_to_string(),
                "classes": model._le.classes_.tolist(),
            },
            f,
        )


def main(out):
    os.makedirs(out, exist_ok=True)
    names = []
    fitted = []
    bodies = 0
    for name, model, X, y, X_test, fn in cases():
        model.fit(X, y)
        path = os.path.join(out, name)
        blob = skops.io.dumps(model)
        untrusted = skops.io.get_untrusted_types(data=blob)
        mlflow.sklearn.save_model(
            model,
            path,
            input_example=X_test,
            pyfunc_predict_fn=fn,
            skops_trusted_types=untrusted,
            # Given, so MLflow does not infer requirements in a subprocess per model.
            pip_requirements=["scikit-learn==1.9.1", "skops==0.16.0"],
        )
        flavor = Model.load(path).flavors["sklearn"]
        assert flavor["serialization_format"] == "skops", flavor
        assert flavor["pickled_model"] == "model.skops", flavor
        pyfunc = mlflow.pyfunc.load_model(path)
        example = Model.load(path).load_input_example(path)
        got = pyfunc.predict(example)
        direct = getattr(model, fn)(X_test)
        expected = {
            "predict_fn": fn,
            "untrusted": sorted(untrusted),
            "pyfunc": encode(got),
            "sklearn": encode(direct),
        }
        with open(os.path.join(path, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
        fitted.append((name, model, X, X_test))
        refused = []
        if name == "onehot_error_linear":
            try:
                model.predict(X_house_test)
                raise AssertionError("sklearn accepted an unknown category")
            except ValueError as e:
                bad = X_house_test.where(pd.notna(X_house_test), None)
                with open(os.path.join(path, "refusals.json"), "w") as f:
                    json.dump(
                        {
                            "request": {"dataframe_split": {"columns": list(X_house_test.columns), "data": bad.values.tolist()}},
                            "message": str(e),
                        },
                        f,
                        indent=1,
                    )
            refused.append(("unknown_category", X_house_test))
        bodies += serving_bodies.frame_or_tensor(path, X_test, refused, pyfunc)
        names.append(name)
    lightgbm_wrapper(out)
    onnx_fixtures.write_all(out, fitted)
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(names, f, indent=1)
    print(f"{len(names)} sklearn fixtures written to {out}, with MLflow's answers to {bodies} /invocations bodies")


if __name__ == "__main__":
    main(sys.argv[1])

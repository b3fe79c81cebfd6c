"""Models, bodies and scikit-learn's own timings for scripts/sklearn_bench.sh.

    python bench_models.py DIR

Writes into DIR:
* house_price_sklearn: a copy of examples/models/house_price_sklearn (imputer + scaler +
  one-hot + Ridge, skops);
* house_price_forest: the same preprocessing + RandomForestRegressor(100 trees, depth 10),
  saved by `mlflow.sklearn.save_model` (skops);
* house_price_xgb: an XGBRegressor (100 trees, depth 6) on sqft and bedrooms, saved by
  `mlflow.xgboost.save_model` (ubj);
* house_price_lgb: an LGBMRegressor (100 trees, 31 leaves) on sqft and bedrooms, saved by
  `mlflow.lightgbm.save_model` (skops, MLflow 3's default for the sklearn API);
* <model>/body_1.json: a 1-row `dataframe_split` body for /invocations;
* python.json: median seconds of one `predict` call on a 1-row DataFrame, for each skops
  model loaded with `mlflow.sklearn.load_model` (`sklearn/<name>`), and of MLflow's
  `pyfunc.predict` on the same row (`pyfunc/<name>`).
"""

import json
import os
import shutil
import statistics
import sys
import time

import numpy as np
import pandas as pd
import mlflow.pyfunc
import mlflow.sklearn
import mlflow.lightgbm
import mlflow.xgboost
import lightgbm
import skops.io
import xgboost
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def data(n=400):
    rng = np.random.default_rng(7)
    cities = np.array(["Seattle", "Austin", "Boston", "Denver"])
    X = pd.DataFrame({
        "sqft": rng.integers(600, 4000, n).astype("float64"),
        "bedrooms": rng.integers(1, 6, n).astype("float64"),
        "city": cities[rng.integers(0, len(cities), n)],
    })
    premium = X["city"].map({"Seattle": 90_000, "Austin": 20_000, "Boston": 110_000, "Denver": 40_000})
    y = 150.0 * X["sqft"] + 12_000 * X["bedrooms"] + premium + rng.normal(0, 15_000, n)
    return X, y


def timed(fn, seconds=10.0):
    """Median seconds of one call: 20 warm-up calls, then calls for about `seconds`."""
    for _ in range(20):
        fn()
    runs = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(runs) < 20:
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def body(path, frame):
    with open(os.path.join(path, "body_1.json"), "w") as f:
        json.dump({"dataframe_split": {"columns": list(frame.columns), "data": frame.values.tolist()}}, f)


def main(out):
    os.makedirs(out, exist_ok=True)
    X, y = data()
    row = X.head(1)
    src = os.path.join(ROOT, "examples", "models", "house_price_sklearn")
    ridge = os.path.join(out, "house_price_sklearn")
    shutil.rmtree(ridge, ignore_errors=True)
    shutil.copytree(src, ridge)
    forest = os.path.join(out, "house_price_forest")
    shutil.rmtree(forest, ignore_errors=True)
    numbers = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    pipe = Pipeline([
        ("columns", ColumnTransformer([
            ("numbers", numbers, ["sqft", "bedrooms"]),
            ("city", OneHotEncoder(handle_unknown="ignore"), ["city"]),
        ])),
        ("regressor", RandomForestRegressor(n_estimators=100, max_depth=10, random_state=0)),
    ]).fit(X, y)
    mlflow.sklearn.save_model(pipe, forest, input_example=X.head(3), skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps(pipe)),
                              pip_requirements=["scikit-learn==1.9.1", "skops==0.16.0"])
    xgb = os.path.join(out, "house_price_xgb")
    shutil.rmtree(xgb, ignore_errors=True)
    num = X[["sqft", "bedrooms"]]
    model = xgboost.XGBRegressor(n_estimators=100, max_depth=6, random_state=0).fit(num, y)
    mlflow.xgboost.save_model(model, xgb, input_example=num.head(3), pip_requirements=["xgboost"])
    lgb = os.path.join(out, "house_price_lgb")
    shutil.rmtree(lgb, ignore_errors=True)
    model = lightgbm.LGBMRegressor(n_estimators=100, random_state=0, verbose=-1).fit(num, y)
    mlflow.lightgbm.save_model(model, lgb, input_example=num.head(3), pip_requirements=["lightgbm"])
    body(lgb, num.head(1))
    body(ridge, row)
    body(forest, row)
    body(xgb, num.head(1))
    times = {}
    for name in ("house_price_sklearn", "house_price_forest"):
        path = os.path.join(out, name)
        est = mlflow.sklearn.load_model(path)
        times[f"sklearn/{name}"] = timed(lambda: est.predict(row))
        pyfunc = mlflow.pyfunc.load_model(path)
        times[f"pyfunc/{name}"] = timed(lambda: pyfunc.predict(row))
    with open(os.path.join(out, "python.json"), "w") as f:
        json.dump(times, f, indent=1)
    for k, v in times.items():
        print(f"{k}: {v * 1e6:.1f} us")


if __name__ == "__main__":
    main(sys.argv[1])

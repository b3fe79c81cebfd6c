"""Makes examples/models/house_price_sklearn: a scikit-learn pipeline (imputer + scaler for the
numbers, one-hot for the city, Ridge regression) saved by MLflow 3.17.2 as skops, the way
`mlflow.sklearn.save_model` saves it by default, plus the data and sklearn's own predictions
that signet's tests compare with.

    .venv-interop/bin/python scripts/make_sklearn_example.py
"""
import os
import shutil

import numpy as np
import pandas as pd
import mlflow.sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.join(os.path.dirname(__file__), "..", "examples")
MODEL = os.path.join(ROOT, "models", "house_price_sklearn")

rng = np.random.default_rng(7)
n = 400
cities = np.array(["Seattle", "Austin", "Boston", "Denver"])
train = pd.DataFrame({
    "sqft": rng.integers(600, 4000, n).astype("float64"),
    "bedrooms": rng.integers(1, 6, n).astype("float64"),
    "city": cities[rng.integers(0, len(cities), n)],
})
premium = train["city"].map({"Seattle": 90_000, "Austin": 20_000, "Boston": 110_000, "Denver": 40_000})
price = 150.0 * train["sqft"] + 12_000 * train["bedrooms"] + premium + rng.normal(0, 15_000, n)
train.loc[rng.choice(n, 20, replace=False), "sqft"] = np.nan

numbers = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
pipe = Pipeline([
    ("columns", ColumnTransformer([
        ("numbers", numbers, ["sqft", "bedrooms"]),
        ("city", OneHotEncoder(handle_unknown="ignore"), ["city"]),
    ])),
    ("regressor", Ridge(alpha=1.0)),
])
pipe.fit(train, price)

shutil.rmtree(MODEL, ignore_errors=True)
# OneHotEncoder keeps its `dtype` (numpy.float64), a type skops does not trust by default.
mlflow.sklearn.save_model(pipe, MODEL, input_example=train.head(3), skops_trusted_types=["numpy.dtype"])

# Rows to predict: a missing sqft, a city never seen in training (one-hot ignores it).
data = pd.DataFrame({
    "sqft": [1500.0, 2000.0, np.nan, 1800.0],
    "bedrooms": [3.0, 4.0, 2.0, 3.0],
    "city": ["Seattle", "Boston", "Austin", "Portland"],
})
data.to_csv(os.path.join(ROOT, "data", "house_prices_city.csv"), index=False)
pd.DataFrame({"price": pipe.predict(data)}).to_csv(
    os.path.join(ROOT, "data", "house_prices_city_output.csv"), index=False, float_format="%.17g")
print("saved", MODEL)

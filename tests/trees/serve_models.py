"""Models and request bodies for scripts/serve_compare.sh: the same requests are sent to
`mlflow models serve` and to `signet serve --compat mlflow`, and the answers compared byte for
byte.

    python tests/trees/serve_models.py DIR

Writes DIR/<model>/model (saved by mlflow.xgboost / mlflow.lightgbm / mlflow.sklearn with the
pinned libraries) and DIR/<model>/requests/<NN>-<what>.<json|csv> (the body; the extension
gives the content type), then prints the model names, one a line.
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import lightgbm as lgb  # noqa: E402
import mlflow  # noqa: E402
import xgboost as xgb  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

OUT = sys.argv[1]
RNG = np.random.default_rng(11)
N, F = 300, 4
X = pd.DataFrame(RNG.normal(size=(N, F)), columns=[f"f{i}" for i in range(F)])
Y_BIN = (X.f0 + 0.5 * X.f1 > 0).astype(int)
Y_STR = np.array(["no", "yes"])[Y_BIN]
Y_REG = X.f0 * 2 + X.f2


def save(name, saver, model, pred):
    path = os.path.join(OUT, name, "model")
    saver(model, path, signature=infer_signature(X, pred), input_example=X.head(2))
    reqs = os.path.join(OUT, name, "requests")
    os.makedirs(reqs, exist_ok=True)
    head = X.head(3)
    split = json.loads(head.to_json(orient="split", index=False))
    records = json.loads(head.to_json(orient="records"))
    bodies = {
        "01-dataframe_split.json": {"dataframe_split": split},
        "02-dataframe_records.json": {"dataframe_records": records},
        "03-instances.json": {"instances": records},
        "04-inputs.json": {"inputs": {c: head[c].tolist() for c in head.columns}},
        "05-one_row.json": {"dataframe_split": {"columns": split["columns"], "data": split["data"][:1]}},
        "06-refused_missing_column.json": {"dataframe_split": {"columns": split["columns"][:-1],
                                                               "data": [r[:-1] for r in split["data"]]}},
        "07-null_value.json": {"dataframe_split": {"columns": split["columns"],
                                                   "data": [[None] + split["data"][0][1:]]}},
        "08-refused_string.json": {"dataframe_split": {"columns": split["columns"],
                                                       "data": [["x"] + split["data"][0][1:]]}},
        "09-refused_no_format.json": {"columns": split["columns"], "data": split["data"]},
    }
    for fname, body in bodies.items():
        with open(os.path.join(reqs, fname), "w") as fh:
            json.dump(body, fh)
    head.to_csv(os.path.join(reqs, "10-csv.csv"), index=False)
    print(name, flush=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    p = {"n_estimators": 20, "max_depth": 3, "n_jobs": 2, "random_state": 1}
    m = xgb.XGBClassifier(**p).fit(X, Y_BIN)
    save("xgb_classifier", mlflow.xgboost.save_model, m, m.predict(X))
    m = xgb.XGBRegressor(**p).fit(X, Y_REG)
    save("xgb_regressor", mlflow.xgboost.save_model, m, m.predict(X))
    b = xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 3, "nthread": 2},
                  xgb.DMatrix(X, label=np.digitize(X.f0, [-0.5, 0.5])), 10)
    save("xgb_booster_multi", mlflow.xgboost.save_model, b, b.predict(xgb.DMatrix(X)))
    lp = {"n_estimators": 20, "num_leaves": 7, "verbose": -1, "n_jobs": 2, "random_state": 1}
    b = lgb.train({"objective": "binary", "num_leaves": 7, "verbose": -1, "num_threads": 2},
                  lgb.Dataset(X, Y_BIN), 20)
    save("lgb_booster", mlflow.lightgbm.save_model, b, b.predict(X))
    m = lgb.LGBMClassifier(**lp).fit(X, Y_STR)
    save("lgb_classifier_skops", mlflow.lightgbm.save_model, m, m.predict(X))
    m = lgb.LGBMRegressor(**lp).fit(X, Y_REG)
    save("lgb_regressor_skops", mlflow.lightgbm.save_model, m, m.predict(X))
    m = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, Y_STR)
    save("sklearn_pipeline_skops", mlflow.sklearn.save_model, m, m.predict(X))


if __name__ == "__main__":
    main()

"""Fixtures for signet-trees: models saved by mlflow.xgboost / mlflow.lightgbm with the pinned
libraries, their inputs, the library's own predictions and mlflow.pyfunc's predictions.

    python tests/trees/make_fixtures.py OUT_DIR

For each case OUT_DIR/<case>/ holds:
  model/          the MLflow model directory
  x.bin           the feature matrix exactly as the library's predictor saw it (row-major,
                  little-endian float32 for XGBoost, float64 for LightGBM; categories as codes)
  input.parquet   the DataFrame given to mlflow.pyfunc (pandas category columns kept)
  case.json       what was called and what it returned (values as IEEE bit patterns)
OUT_DIR/cases.json lists the cases. Nothing here is committed; scripts/trees_fixtures.sh runs it.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import lightgbm as lgb  # noqa: E402
import mlflow  # noqa: E402
import xgboost as xgb  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402

OUT = sys.argv[1]
RNG = np.random.default_rng(7)
CASES = []


def bits(a):
    a = np.ascontiguousarray(a)
    if a.dtype == np.float32:
        return a.view(np.uint32).ravel().tolist()
    if a.dtype == np.float64:
        return [str(v) for v in a.view(np.uint64).ravel().tolist()]
    return a.ravel().tolist()


def describe(a):
    a = np.asarray(a)
    if a.dtype.kind in "UO":  # labels: compared as text
        return {"dtype": str(a.dtype), "shape": list(a.shape), "bits": [], "strings": [str(v) for v in a.ravel()]}
    return {"dtype": str(a.dtype), "shape": list(a.shape), "bits": bits(a)}


def numeric_frame(n, f, nan_rows=True, prefix="f"):
    X = RNG.normal(size=(n, f))
    X[RNG.random(size=(n, f)) < 0.05] = np.nan
    if nan_rows:
        X[:3, :] = np.nan  # whole rows missing
    X[3, 0] = 0.0
    X[4, 0] = 1e-40  # below LightGBM's zero threshold
    return pd.DataFrame(X, columns=[f"{prefix}{i}" for i in range(f)])


def clean_frame(n, f, prefix="f"):
    """Rows without NaN: blocks of them take the batch scorer for small ragged trees
    (QuickScorer) instead of the walk."""
    return pd.DataFrame(RNG.normal(size=(n, f)), columns=[f"{prefix}{i}" for i in range(f)])


def target(df, kind):
    z = np.nan_to_num(df.iloc[:, 0].to_numpy(float)) + 0.5 * np.nan_to_num(
        df.iloc[:, 1].to_numpy(float)
    ) + RNG.normal(scale=0.3, size=len(df))
    if kind == "reg":
        return z
    if kind == "pos":
        return np.exp(z / 2)
    if kind == "bin":
        return (z > 0).astype(int)
    if kind == "prob":
        return 1 / (1 + np.exp(-z))
    if kind == "multi":
        return np.digitize(z, [-0.7, 0.0, 0.7])
    raise ValueError(kind)


def run_pyfunc(model_dir, df):
    try:
        out = mlflow.pyfunc.load_model(model_dir).predict(df)
        return {"ok": describe(np.asarray(out))}
    except Exception as e:  # recorded: signet must refuse too
        return {"error": f"{type(e).__name__}: {e}"}


def record(name, flavor, model_dir, x, library, df, call, extra=None):
    d = os.path.join(OUT, name)
    x.astype(np.float32 if flavor == "xgboost" else np.float64).tofile(os.path.join(d, "x.bin"))
    df.to_parquet(os.path.join(d, "input.parquet"))
    case = {
        "name": name,
        "flavor": flavor,
        "rows": int(x.shape[0]),
        "cols": int(x.shape[1]),
        "call": call,
        "library": describe(library),
        "pyfunc": run_pyfunc(model_dir, df),
    }
    case.update(extra or {})
    with open(os.path.join(d, "case.json"), "w") as fh:
        json.dump(case, fh)
    CASES.append(name)
    status = "ok" if "ok" in case["pyfunc"] else "pyfunc error"
    print(f"  {name}: {flavor} {x.shape} ({status})", flush=True)


def save_xgb(name, model, df_train, fmt="ubj", signature=True):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    mlflow.xgboost.save_model(
        model, os.path.join(d, "model"), model_format=fmt,
        signature=infer_signature(df_train) if signature else None,
        pip_requirements=[f"xgboost=={xgb.__version__}"],
    )
    return os.path.join(d, "model")


def xgb_codes(df):
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].cat.codes.astype(float).replace(-1, np.nan)
    return out.to_numpy(np.float32)


# ---------------------------------------------------------------- XGBoost boosters
def xgb_booster(name, objective, kind, params=None, rounds=20, df=None, fmt="ubj", extra_train=None):
    df = numeric_frame(600, 6) if df is None else df
    y = target(df, kind)
    p = {"objective": objective, "max_depth": 4, "eta": 0.3, "nthread": 2, "seed": 1}
    p.update(params or {})
    dtrain = xgb.DMatrix(df, label=y, **(extra_train or {}))
    bst = xgb.train(p, dtrain, rounds)
    test = df.iloc[:150]
    lib = bst.predict(xgb.DMatrix(test, **(extra_train or {})))
    path = save_xgb(name, bst, df, fmt)
    record(name, "xgboost", path, xgb_codes(test), lib, test, {"api": "dmatrix"})


def xgb_cases():
    for obj, kind in [
        ("reg:squarederror", "reg"),
        ("reg:squaredlogerror", "pos"),
        ("reg:absoluteerror", "reg"),
        ("reg:pseudohubererror", "reg"),
        ("reg:logistic", "prob"),
        ("binary:logistic", "bin"),
        ("binary:logitraw", "bin"),
        ("binary:hinge", "bin"),
        ("count:poisson", "pos"),
        ("reg:gamma", "pos"),
        ("reg:tweedie", "pos"),
    ]:
        xgb_booster("xgb_" + obj.replace(":", "_"), obj, kind)
    xgb_booster("xgb_multi_softprob", "multi:softprob", "multi", {"num_class": 4})
    xgb_booster("xgb_multi_softmax", "multi:softmax", "multi", {"num_class": 4})
    xgb_booster("xgb_json_binary", "binary:logistic", "bin", fmt="json")
    xgb_booster("xgb_dart", "binary:logistic", "bin", {"booster": "dart", "rate_drop": 0.2, "skip_drop": 0.0})
    xgb_booster("xgb_gblinear", "reg:squarederror", "reg", {"booster": "gblinear"})
    xgb_booster("xgb_gblinear_multi", "multi:softprob", "multi", {"booster": "gblinear", "num_class": 4})
    xgb_booster("xgb_rf", "reg:squarederror", "reg", {"num_parallel_tree": 4, "subsample": 0.8, "colsample_bynode": 0.8}, rounds=3)
    # ranking: groups of 10
    df = numeric_frame(600, 6)
    y = np.clip(target(df, "multi"), 0, 3)
    dtrain = xgb.DMatrix(df, label=y, qid=np.repeat(np.arange(60), 10))
    bst = xgb.train({"objective": "rank:pairwise", "max_depth": 4, "nthread": 2}, dtrain, 20)
    test = df.iloc[:150]
    path = save_xgb("xgb_rank_pairwise", bst, df)
    record("xgb_rank_pairwise", "xgboost", path, xgb_codes(test), bst.predict(xgb.DMatrix(test)), test, {"api": "dmatrix"})
    # wide and deep
    xgb_booster("xgb_wide", "binary:logistic", "bin", df=numeric_frame(400, 500, prefix="w"), rounds=30)
    t = time.time()
    xgb_booster("xgb_deep", "reg:squarederror", "reg", {"max_depth": 12, "eta": 0.05, "max_bin": 64, "nthread": 1},
                rounds=1000, df=numeric_frame(500, 8))
    print(f"    (deep xgboost: {time.time() - t:.1f}s)")
    # rows without NaN (QuickScorer): depth-wise and leaf-wise (ragged) trees
    xgb_booster("xgb_clean_squarederror", "reg:squarederror", "reg", rounds=60, df=clean_frame(600, 6))
    xgb_booster("xgb_clean_lossguide", "reg:squarederror", "reg",
                {"tree_method": "hist", "grow_policy": "lossguide", "max_leaves": 24, "max_depth": 0},
                rounds=60, df=clean_frame(600, 6))
    xgb_booster("xgb_clean_multi_softprob", "multi:softprob", "multi", {"num_class": 4}, rounds=30,
                df=clean_frame(600, 6))


def xgb_sklearn_cases():
    df = numeric_frame(800, 6)
    # regressor
    m = xgb.XGBRegressor(n_estimators=30, max_depth=4, n_jobs=2)
    m.fit(df, target(df, "reg"))
    test = df.iloc[:150]
    path = save_xgb("xgb_sk_regressor", m, df)
    record("xgb_sk_regressor", "xgboost", path, xgb_codes(test), m.predict(test), test, {"api": "sklearn"})
    # binary classifier with early stopping
    y = target(df, "bin")
    m = xgb.XGBClassifier(n_estimators=200, max_depth=4, n_jobs=2, early_stopping_rounds=5, learning_rate=0.5)
    m.fit(df.iloc[:600], y[:600], eval_set=[(df.iloc[600:], y[600:])], verbose=False)
    path = save_xgb("xgb_sk_binary_early", m, df)
    lib = m.get_booster().inplace_predict(test, iteration_range=(0, m.best_iteration + 1))
    record("xgb_sk_binary_early", "xgboost", path, xgb_codes(test), lib, test,
           {"api": "sklearn", "iteration_end": int(m.best_iteration + 1), "labels": describe(m.predict(test))})
    # multiclass classifier
    y = target(df, "multi")
    m = xgb.XGBClassifier(n_estimators=20, max_depth=4, n_jobs=2)
    m.fit(df, y)
    path = save_xgb("xgb_sk_multiclass", m, df)
    lib = m.get_booster().inplace_predict(test)
    record("xgb_sk_multiclass", "xgboost", path, xgb_codes(test), lib, test,
           {"api": "sklearn", "labels": describe(m.predict(test))})
    # dart regressor through inplace_predict
    m = xgb.XGBRegressor(n_estimators=20, max_depth=3, booster="dart", rate_drop=0.3, n_jobs=2)
    m.fit(df, target(df, "reg"))
    path = save_xgb("xgb_sk_dart", m, df)
    record("xgb_sk_dart", "xgboost", path, xgb_codes(test), m.predict(test), test, {"api": "sklearn"})
    # categorical features (pandas category columns)
    n = 800
    cat = pd.DataFrame({
        "num": RNG.normal(size=n),
        "color": pd.Categorical(RNG.choice(["red", "green", "blue", "teal"], size=n)),
        "size": pd.Categorical(RNG.choice(["S", "M", "L"], size=n)),
    })
    cat.loc[:4, "num"] = np.nan
    cat.loc[5:8, "color"] = np.nan
    y = ((cat["color"] == "red") | (cat["num"].fillna(0) > 0.5)).astype(int).to_numpy()
    m = xgb.XGBClassifier(n_estimators=20, max_depth=4, enable_categorical=True, tree_method="hist", n_jobs=2)
    m.fit(cat, y)
    test = cat.iloc[:150]
    path = save_xgb("xgb_sk_categorical", m, cat)
    lib = m.get_booster().inplace_predict(test)
    record("xgb_sk_categorical", "xgboost", path, xgb_codes(test), lib, test,
           {"api": "sklearn", "labels": describe(m.predict(test))})
    # without a signature the category DataFrame reaches XGBoost (MLflow's enforcement refuses
    # category columns against the inferred string schema, recorded above)
    path = save_xgb("xgb_sk_categorical_nosig", m, cat, signature=False)
    record("xgb_sk_categorical_nosig", "xgboost", path, xgb_codes(test), lib, test,
           {"api": "sklearn", "labels": describe(m.predict(test))})
    # unseen categories. XGBoost 3.2 recodes them with a lower_bound over the sorted training
    # categories: "purple" silently becomes "red" (the next one up); "zzz" (past the last) is
    # refused. signet reproduces both.
    unseen = test.copy()
    unseen["color"] = pd.Categorical(unseen["color"].astype(object).fillna("purple"))
    lib = m.get_booster().inplace_predict(unseen)
    path = save_xgb("xgb_sk_categorical_unseen", m, cat, signature=False)
    recoded = unseen.copy()
    recoded["color"] = pd.Categorical(recoded["color"].astype(object).replace("purple", "red"),
                                      categories=cat["color"].cat.categories)
    record("xgb_sk_categorical_unseen", "xgboost", path, xgb_codes(recoded), lib, unseen,
           {"api": "sklearn", "labels": describe(m.predict(unseen))})
    past = test.copy()
    past["color"] = pd.Categorical(past["color"].astype(object).fillna("zzz"))
    try:
        m.get_booster().inplace_predict(past)
        raise SystemExit("xgboost accepted a category past the last training category")
    except ValueError as e:
        print(f"    category past the last refused by xgboost: {str(e).splitlines()[0][:100]}")
    path = save_xgb("xgb_sk_categorical_refused", m, cat, signature=False)
    record("xgb_sk_categorical_refused", "xgboost", path, np.zeros((0, 3)), np.zeros(0, np.float32), past,
           {"api": "sklearn", "library_refused": True})


# ---------------------------------------------------------------- LightGBM boosters
def save_lgb(name, bst, df_train, signature=True):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    mlflow.lightgbm.save_model(bst, os.path.join(d, "model"),
                               signature=infer_signature(df_train) if signature else None,
                               pip_requirements=[f"lightgbm=={lgb.__version__}"])
    return os.path.join(d, "model")


def lgb_codes(df, bst):
    out = df.copy()
    for i, c in enumerate([c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]):
        cats = bst.pandas_categorical[i]
        out[c] = pd.Categorical(out[c], categories=cats).codes.astype(float)
        out.loc[out[c] < 0, c] = np.nan
    return out.to_numpy(np.float64)


def lgb_booster(name, params, kind, df=None, rounds=20, test=None, valid=False):
    df = numeric_frame(800, 6) if df is None else df
    y = target(df, kind)
    p = {"verbose": -1, "num_threads": 2, "seed": 1, "num_leaves": 15, "min_data_in_leaf": 5}
    p.update(params)
    if valid:
        train = lgb.Dataset(df.iloc[:600], y[:600])
        val = lgb.Dataset(df.iloc[600:], y[600:], reference=train)
        bst = lgb.train(p, train, 300, valid_sets=[val], callbacks=[lgb.early_stopping(5, verbose=False)])
    else:
        bst = lgb.train(p, lgb.Dataset(df, y), rounds)
    test = df.iloc[:150] if test is None else test
    lib = bst.predict(test)
    path = save_lgb(name, bst, df)
    loaded = lgb.Booster(model_file=os.path.join(path, "model.lgb"))
    x = lgb_codes(test, loaded)
    record(name, "lightgbm", path, x, loaded.predict(test), test,
           {"api": "booster", "trained_prediction": describe(lib)})


def lgb_cases():
    for obj, kind in [
        ("regression", "reg"),
        ("regression_l1", "reg"),
        ("huber", "reg"),
        ("fair", "reg"),
        ("quantile", "reg"),
        ("mape", "pos"),
        ("binary", "bin"),
        ("cross_entropy", "prob"),
        ("poisson", "pos"),
        ("gamma", "pos"),
        ("tweedie", "pos"),
    ]:
        lgb_booster("lgb_" + obj, {"objective": obj}, kind)
    lgb_booster("lgb_binary_sigmoid2", {"objective": "binary", "sigmoid": 2.0}, "bin")
    lgb_booster("lgb_regression_sqrt", {"objective": "regression", "reg_sqrt": True}, "pos")
    lgb_booster("lgb_multiclass", {"objective": "multiclass", "num_class": 4}, "multi")
    lgb_booster("lgb_multiclassova", {"objective": "multiclassova", "num_class": 4}, "multi")
    lgb_booster("lgb_rf", {"objective": "regression", "boosting": "rf", "bagging_freq": 1, "bagging_fraction": 0.7}, "reg")
    lgb_booster("lgb_dart", {"objective": "binary", "boosting": "dart"}, "bin")
    lgb_booster("lgb_linear_tree", {"objective": "regression", "linear_tree": True}, "reg")
    lgb_booster("lgb_zero_as_missing", {"objective": "regression", "zero_as_missing": True}, "reg")
    lgb_booster("lgb_no_missing", {"objective": "regression", "use_missing": False}, "reg")
    lgb_booster("lgb_early_stopping", {"objective": "binary", "learning_rate": 0.3}, "bin", valid=True)
    lgb_booster("lgb_wide", {"objective": "binary"}, "bin", df=numeric_frame(400, 500, prefix="w"), rounds=30)
    t = time.time()
    lgb_booster("lgb_deep", {"objective": "regression", "max_depth": 12, "num_leaves": 200, "learning_rate": 0.05,
                             "max_bin": 63, "num_threads": 1, "min_data_in_leaf": 2},
                "reg", df=numeric_frame(500, 8), rounds=1000)
    print(f"    (deep lightgbm: {time.time() - t:.1f}s)")
    # rows without NaN (QuickScorer)
    for name, params, kind in [
        ("lgb_clean_regression", {"objective": "regression", "num_leaves": 31}, "reg"),
        ("lgb_clean_multiclass", {"objective": "multiclass", "num_class": 4, "num_leaves": 31}, "multi"),
        ("lgb_clean_linear_tree", {"objective": "regression", "linear_tree": True, "num_leaves": 31}, "reg"),
    ]:
        lgb_booster(name, params, kind, df=clean_frame(800, 6), rounds=100)
    # categorical
    n = 800
    cat = pd.DataFrame({
        "num": RNG.normal(size=n),
        "color": pd.Categorical(RNG.choice(["red", "green", "blue", "teal"], size=n)),
        "size": pd.Categorical(RNG.choice(["S", "M", "L"], size=n)),
    })
    cat.loc[:4, "num"] = np.nan
    cat.loc[5:8, "color"] = np.nan
    df_y = cat
    y = ((cat["color"] == "red") | (cat["num"].fillna(0) > 0.5)).astype(int).to_numpy()
    bst = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 2, "min_data_per_group": 5, "cat_smooth": 1},
                    lgb.Dataset(df_y, y), 20)
    path = save_lgb("lgb_categorical", bst, cat)
    loaded = lgb.Booster(model_file=os.path.join(path, "model.lgb"))
    test = cat.iloc[:150].copy()
    # unseen category and a category column whose categories are in another order
    test["color"] = pd.Categorical(test["color"].astype(object).where(test.index != 20, "purple"),
                                   categories=["teal", "purple", "red", "green", "blue"])
    record("lgb_categorical", "lightgbm", path, lgb_codes(test, loaded), loaded.predict(test), test,
           {"api": "booster", "trained_prediction": describe(bst.predict(test))})
    path = save_lgb("lgb_categorical_nosig", bst, cat, signature=False)
    record("lgb_categorical_nosig", "lightgbm", path, lgb_codes(test, loaded), loaded.predict(test), test,
           {"api": "booster"})


# ------------------------------------------- LightGBM scikit-learn wrappers (skops)
def lgb_sklearn(name, model, df, y, test=None, fit=None):
    model.fit(df, y, **(fit or {}))
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model")
    mlflow.lightgbm.save_model(model, path, signature=infer_signature(df, model.predict(df)),
                               pip_requirements=[f"lightgbm=={lgb.__version__}"])
    test = df.iloc[:150] if test is None else test
    loaded = mlflow.lightgbm.load_model(path)  # the skops file, as MLflow reads it back
    # library: what LGBMModel.predict asks the Booster for (num_iteration=None: best_iteration)
    lib = loaded._Booster.predict(test, num_iteration=loaded._Booster.best_iteration or None)
    record(name, "lightgbm", path, lgb_codes(test, loaded._Booster), lib, test,
           {"api": "sklearn", "best_iteration": int(loaded._Booster.best_iteration),
            "wrapper_prediction": describe(loaded.predict(test))})


def lgb_sklearn_cases():
    p = {"n_estimators": 20, "num_leaves": 15, "min_child_samples": 5, "verbose": -1, "n_jobs": 2, "random_state": 1}
    df = numeric_frame(800, 6)
    names = np.array(["no", "yes"])
    lgb_sklearn("lgbsk_classifier_str", lgb.LGBMClassifier(**p), df, names[target(df, "bin")])
    lgb_sklearn("lgbsk_classifier_int", lgb.LGBMClassifier(**p), df, np.array([3, 8])[target(df, "bin")])
    lgb_sklearn("lgbsk_multiclass_str", lgb.LGBMClassifier(**p), df,
                np.array(["a", "bb", "c", "dd"])[target(df, "multi")])
    lgb_sklearn("lgbsk_multiclass_int", lgb.LGBMClassifier(**p), df, np.array([10, 20, 30, 40])[target(df, "multi")])
    lgb_sklearn("lgbsk_regressor", lgb.LGBMRegressor(**p), df, target(df, "reg"))
    yb = target(df, "bin")
    lgb_sklearn("lgbsk_early_stopping", lgb.LGBMClassifier(**dict(p, n_estimators=300, learning_rate=0.3)),
                df.iloc[:600], names[yb[:600]], test=df.iloc[:150],
                fit={"eval_set": [(df.iloc[600:], names[yb[600:]])],
                     "callbacks": [lgb.early_stopping(5, verbose=False)]})
    n = 800
    cat = pd.DataFrame({
        "num": RNG.normal(size=n),
        "color": pd.Categorical(RNG.choice(["red", "green", "blue", "teal"], size=n)),
    })
    cat.loc[5:8, "color"] = np.nan
    y = np.array(["cold", "hot"])[((cat["color"] == "red") | (cat["num"] > 0.5)).astype(int).to_numpy()]
    lgb_sklearn("lgbsk_categorical", lgb.LGBMClassifier(**dict(p, min_data_per_group=5, cat_smooth=1)), cat, y)


if __name__ == "__main__":
    t0 = time.time()
    os.makedirs(OUT, exist_ok=True)
    print(f"xgboost {xgb.__version__}, lightgbm {lgb.__version__}, mlflow {mlflow.__version__}")
    xgb_cases()
    xgb_sklearn_cases()
    lgb_cases()
    lgb_sklearn_cases()
    with open(os.path.join(OUT, "cases.json"), "w") as fh:
        json.dump(CASES, fh)
    print(f"{len(CASES)} cases in {time.time() - t0:.1f}s")

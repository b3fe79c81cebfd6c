"""Benchmark models for signet-trees and the libraries' own predict on them, same data, same run.

    python tests/trees/bench_libraries.py DIR

Writes DIR/xgb.ubj, DIR/lgb.txt (binary classifiers: 300 trees, depth 6 / 63 leaves, 30
features), DIR/x32.bin and DIR/x64.bin (1,000,000 rows, row-major, 1% NaN) and DIR/python.json:
seconds per call for a single row (xgboost.Booster.inplace_predict, lightgbm.Booster.predict)
and for 10k and 1M rows with the libraries' multithreaded C++ predictors (nthread = 2).
"""
import json
import os
import sys
import time

import lightgbm as lgb
import numpy as np
import xgboost as xgb

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(3)
N, F = 1_000_000, 30
X = rng.normal(size=(N, F)).astype(np.float32)
X[rng.random(size=X.shape) < 0.01] = np.nan
y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2]) > 0).astype(int)
tr = slice(0, 20000)
bst = xgb.train({"objective": "binary:logistic", "max_depth": 6, "nthread": 2}, xgb.DMatrix(X[tr], label=y[tr]), 300)
bst.save_model(os.path.join(OUT, "xgb.ubj"))
lg = lgb.train({"objective": "binary", "num_leaves": 63, "verbose": -1, "num_threads": 2}, lgb.Dataset(X[tr].astype(np.float64), y[tr]), 300)
lg.save_model(os.path.join(OUT, "lgb.txt"))
X.tofile(os.path.join(OUT, "x32.bin"))
X64 = X.astype(np.float64)
X64.tofile(os.path.join(OUT, "x64.bin"))


def timeit(fn, min_time=2.0, max_iter=100000):
    fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time and len(times) < max_iter:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


bst.set_param({"nthread": 2})
res = {}
one32, one64 = X[:1], X64[:1]
res["xgb_single"] = timeit(lambda: bst.inplace_predict(one32))
res["lgb_single"] = timeit(lambda: lg.predict(one64, num_threads=2))
for n, name in [(10_000, "10k"), (N, "1m")]:
    res[f"xgb_{name}"] = timeit(lambda: bst.inplace_predict(X[:n]), min_time=3.0 if n < N else 1.0, max_iter=50 if n < N else 3)
    res[f"lgb_{name}"] = timeit(lambda: lg.predict(X64[:n], num_threads=2), min_time=3.0 if n < N else 1.0, max_iter=50 if n < N else 3)
with open(os.path.join(OUT, "python.json"), "w") as fh:
    json.dump(res, fh, indent=1)
print(json.dumps(res, indent=1))

"""Benchmark models for signet-trees and the libraries' own predict on them, same data, same run.

    python tests/trees/bench_libraries.py DIR [BENCH_CAPI] [--single]

Writes to DIR:
* the models (binary classifiers, 30 features, trained on 20,000 rows), one file per size in
  SIZES: XGBoost `xgb_<name>.ubj`, LightGBM `lgb_<name>.txt`; the `default` ones are
  `XGBClassifier()` / `LGBMClassifier()` with the libraries' default parameters;
* x32.bin and x64.bin (1,000,000 rows, row-major, 1% NaN);
* python.json: seconds per call.
  - "single": per model, one row per call, cycling over the first ROWS rows (the median of
    blocks of ROWS calls): "python" = xgboost.Booster.inplace_predict /
    lightgbm.Booster.predict(num_threads=2); with BENCH_CAPI (tests/trees/bench_capi.c, built),
    the same C call without Python ("XGBoosterPredictFromDense", "LGBM_BoosterPredictForMat")
    and LightGBM's fastest one-row call ("LGBM_BoosterPredictForMatSingleRowFast");
    "visits" = split nodes a row passes on average (the sum over trees of its leaf's depth).
  - "batch" (not with --single): 10k and 1M rows on the 300-tree models with the libraries'
    multithreaded C++ predictors (nthread = 2).
"""
import json
import os
import subprocess
import sys
import time

import lightgbm as lgb
import numpy as np
import xgboost as xgb

OUT = sys.argv[1]
CAPI = next((a for a in sys.argv[2:] if not a.startswith("--")), None)
SINGLE_ONLY = "--single" in sys.argv
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(3)
N, F, ROWS = 1_000_000, 30, 1000
X = rng.normal(size=(N, F)).astype(np.float32)
X[rng.random(size=X.shape) < 0.01] = np.nan
y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2]) > 0).astype(int)
tr = slice(0, 20000)
X64 = X.astype(np.float64)
X.tofile(os.path.join(OUT, "x32.bin"))
X64.tofile(os.path.join(OUT, "x64.bin"))

# (name, trees, XGBoost max_depth, LightGBM num_leaves); None = the sklearn wrapper's default.
SIZES = [
    ("t10", 10, 6, 31),
    ("default", None, None, None),  # 100 trees: XGBoost depth 6, LightGBM 31 leaves
    ("t300", 300, 6, 63),
    ("t1000", 1000, 8, 255),
]
models = []
for name, trees, depth, leaves in SIZES:
    xpath = os.path.join(OUT, f"xgb_{name}.ubj")
    lpath = os.path.join(OUT, f"lgb_{name}.txt")
    if trees is None:
        xgb.XGBClassifier(n_jobs=2).fit(X[tr], y[tr]).get_booster().save_model(xpath)
        lgb.LGBMClassifier(n_jobs=2, verbose=-1).fit(X64[tr], y[tr]).booster_.save_model(lpath)
    else:
        xgb.train(
            {"objective": "binary:logistic", "max_depth": depth, "nthread": 2},
            xgb.DMatrix(X[tr], label=y[tr]),
            trees,
        ).save_model(xpath)
        lgb.train(
            {"objective": "binary", "num_leaves": leaves, "verbose": -1, "num_threads": 2},
            lgb.Dataset(X64[tr], y[tr]),
            trees,
        ).save_model(lpath)
    models.append((name, xpath, lpath))


def timeit(fn, min_time=2.0, max_iter=100000):
    fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time and len(times) < max_iter:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def per_row(call, rows, min_time=2.0):
    """Median seconds per call over blocks of one call per row: (wall, on-CPU time of this
    thread). The on-CPU time leaves out waiting for a core (but not a VM host's contention),
    and the libraries' OpenMP worker threads, which have little to do for one row."""
    call(rows[0])
    wall, cpu = [], []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time:
        t, c = time.perf_counter(), time.thread_time()
        for r in rows:
            call(r)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - t)
    return float(np.median(wall)) / len(rows), float(np.median(cpu)) / len(rows)


def xgb_depths(bst):
    """Per tree, node id -> depth."""
    out = []
    for text in bst.get_dump(dump_format="json"):
        depth = {}
        stack = [(json.loads(text), 0)]
        while stack:
            node, d = stack.pop()
            depth[node["nodeid"]] = d
            for c in node.get("children", []):
                stack.append((c, d + 1))
        out.append(depth)
    return out


def lgb_depths(bst):
    """Per tree, leaf index -> depth."""
    out = []
    for info in bst.dump_model()["tree_info"]:
        depth = {}
        stack = [(info["tree_structure"], 0)]
        while stack:
            node, d = stack.pop()
            if "leaf_index" in node or "split_index" not in node:
                depth[node.get("leaf_index", 0)] = d
            else:
                stack += [(node["left_child"], d + 1), (node["right_child"], d + 1)]
        out.append(depth)
    return out


def capi(kind, lib, model, xbin):
    if CAPI is None:
        return {}
    cmd = [CAPI, kind, lib, model, xbin, str(F), str(ROWS), "2"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


rows32 = [X[i : i + 1] for i in range(ROWS)]
rows64 = [X64[i : i + 1] for i in range(ROWS)]
res = {"single": {}, "batch": {}}
for name, xpath, lpath in models:
    bst = xgb.Booster(model_file=xpath)
    bst.set_param({"nthread": 2})
    leaves = bst.predict(xgb.DMatrix(X[:ROWS]), pred_leaf=True).astype(int)
    depth = xgb_depths(bst)
    res["single"][f"xgb_{name}"] = {
        "trees": len(depth),
        "visits": float(np.mean([sum(depth[t][n] for t, n in enumerate(r)) for r in leaves])),
        **dict(zip(["python", "python_cpu"], per_row(lambda r: bst.inplace_predict(r), rows32))),
        **capi("xgb", xgb.core._LIB._name, xpath, os.path.join(OUT, "x32.bin")),
    }
    lg = lgb.Booster(model_file=lpath)
    leaves = lg.predict(X64[:ROWS], pred_leaf=True).astype(int)
    depth = lgb_depths(lg)
    res["single"][f"lgb_{name}"] = {
        "trees": len(depth),
        "visits": float(np.mean([sum(depth[t][n] for t, n in enumerate(r)) for r in leaves])),
        **dict(zip(["python", "python_cpu"], per_row(lambda r: lg.predict(r, num_threads=2), rows64))),
        **capi("lgb", lgb.basic._LIB._name, lpath, os.path.join(OUT, "x64.bin")),
    }
    print(name, json.dumps({k: v for k, v in res["single"].items() if k.endswith(name)}), flush=True)

if not SINGLE_ONLY:
    bst = xgb.Booster(model_file=os.path.join(OUT, "xgb_t300.ubj"))
    bst.set_param({"nthread": 2})
    lg = lgb.Booster(model_file=os.path.join(OUT, "lgb_t300.txt"))
    for n, name in [(10_000, "10k"), (N, "1m")]:
        kw = dict(min_time=3.0 if n < N else 1.0, max_iter=50 if n < N else 3)
        res["batch"][f"xgb_{name}"] = timeit(lambda: bst.inplace_predict(X[:n]), **kw)
        res["batch"][f"lgb_{name}"] = timeit(lambda: lg.predict(X64[:n], num_threads=2), **kw)
with open(os.path.join(OUT, "python.json"), "w") as fh:
    json.dump(res, fh, indent=1)
print(json.dumps(res, indent=1))

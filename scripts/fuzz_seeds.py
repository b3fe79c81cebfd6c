"""Seed inputs for the fuzz targets (scripts/fuzz.sh): the conformance cases' requests,
signatures and MLmodel files, the repository's test data, and small files written by the
real libraries (pyarrow Parquet, numpy .npy, skops, xgboost UBJSON, lightgbm text).

Usage: python scripts/fuzz_seeds.py OUT_DIR   (writes OUT_DIR/<target>/seed-N)
Runs in the pinned interop venv (scripts/venv.sh). Harnesses whose input starts with a
selector byte (request_*, v2_infer, input_example) get that byte prefixed here.
"""
import io
import json
import os
import pathlib
import re
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONFORMANCE = (ROOT / ".." / "shared" / "conformance").resolve()
OUT = pathlib.Path(sys.argv[1])
counts = {}


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    n = counts.get(target, 0)
    counts[target] = n + 1
    (d / f"seed-{n}").write_bytes(data)


def jsonl(name):
    path = CONFORMANCE / name
    if not path.exists():
        sys.exit(f"fuzz_seeds: conformance cases not found at {path}")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- requests, signatures, MLmodel files from the conformance cases
for i, case in enumerate(jsonl("serve.jsonl")):
    req = case.get("request") or {}
    ct, body = (req.get("content_type") or "").lower(), req.get("body") or ""
    sel = bytes([i % 4 | (0x80 if i % 3 == 0 else 0)])
    if "json" in ct:
        seed("request_json", sel + body.encode())
        seed("data_json", body)
    elif "csv" in ct:
        seed("request_csv", sel + body.encode())
        seed("data_csv", body)
for case in jsonl("serve.jsonl") + jsonl("enforce.jsonl"):
    sig = case.get("signature") or {}
    parts = [(sig.get(k) or "").encode() for k in ("inputs", "outputs", "params")]
    seed("signature_json", b"\0".join(parts))
for case in jsonl("mlmodel.jsonl")[:60]:
    if case.get("mlmodel"):
        seed("mlmodel_yaml", case["mlmodel"])
seed("mlmodel_yaml", (ROOT / "examples/models/house_price/MLmodel").read_bytes())

# --- V2 infer bodies (docs/serving.md), prefixed with a signature selector
V2 = [
    (1, '{"inputs": [{"name": "sqft", "shape": [2], "datatype": "INT64", "data": [1500, 2000]}, {"name": "bedrooms", "shape": [2], "datatype": "INT64", "data": [3, 4]}]}'),
    (1, '{"id": "r1", "parameters": {"content_type": "pd"}, "inputs": [{"name": "sqft", "shape": [1, 1], "datatype": "INT64", "data": [[2500]]}, {"name": "bedrooms", "shape": [1, 1], "datatype": "INT64", "data": [[5]]}]}'),
    (3, '{"inputs": [{"name": "input-0", "shape": [2, 3], "datatype": "FP64", "data": [[1,2,3],[4,5,6]]}]}'),
    (3, '{"inputs": [{"name": "input-0", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3], "parameters": {"content_type": "np"}}]}'),
    (2, '{"parameters": {"temperature": 0.1, "n": 2}, "inputs": [{"name": "s", "shape": [2], "datatype": "BYTES", "data": ["a", "b"], "parameters": {"content_type": "str"}}, {"name": "b", "shape": [2], "datatype": "BOOL", "data": [true, false]}]}'),
    (0, '{"inputs": [{"name": "x", "shape": [2], "datatype": "BYTES", "data": ["aGk=", "eA=="], "parameters": {"content_type": "base64"}}]}'),
    (0, '{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "UINT8", "data": [1, 2, 3, 4]}], "outputs": [{"name": "y"}]}'),
]
for sel, body in V2:
    seed("v2_infer", bytes([sel]) + body.encode())

# --- input examples: (selector, file); selector = signature << 4 | params << 3 | kind
seed("input_example", b"\x10" + (ROOT / "examples/models/house_price/input_example.json").read_bytes())
for sel, text in [
    (0x31, '{"inputs": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}'),
    (0x01, '{"inputs": {"a": [1, 2], "b": [[1.5], [2.5]]}}'),
    (0x02, '{"question": "why?", "k": [1, 2]}'),
    (0x23, '{"data": [1.5, 2.0], "indices": [0, 1], "indptr": [0, 1, 2], "shape": [2, 2]}'),
    (0x24, '{"data": [1, 2], "indices": [1, 0], "indptr": [0, 1, 2], "shape": [2, 3]}'),
    (0x18, '{"inputs": {"columns": ["sqft", "bedrooms"], "data": [[1500, 3]]}, "params": {"k": 1}}'),
    (0x20, '{"columns": ["s", "d", "t", "a"], "data": [["x", 1.5, "2024-01-01T00:00:00", [1.0, 2.0]], ["y", null, null, []]]}'),
]:
    seed("input_example", bytes([sel]) + text.encode())
for text in ['[{"a": 1, "b": "x"}, {"a": 2.5, "b": null}]', '{"x": [1, 2, 3], "y": [true, false, null]}', "1e400", '"\\ud800"']:
    seed("data_json", text)
seed("data_json", '{"a": 1}\n{"a": 2, "b": [1, 2]}\n')

# --- CSV files
for p in sorted((ROOT / "examples/data").glob("*.csv")):
    seed("data_csv", p.read_bytes())
    seed("request_csv", b"\x01" + p.read_bytes())
seed("data_csv", 'a,b,c\n1,"x, y",2024-01-01\nNA,,3.5\n"q""uote",True,-inf\n')

# --- ONNX models from the engine's fixtures (the small ones)
for p in sorted((ROOT / "crates/signet-onnx/tests/data").glob("*.onnx")):
    if p.stat().st_size <= 32_768:
        seed("onnx_model", p.read_bytes())

# --- tree models from the repository and from the libraries
for p in sorted((ROOT / "crates/signet-trees/tests/data").glob("*")):
    if p.suffix == ".lgb" and p.stat().st_size <= 65_536:
        seed("lightgbm_model", p.read_bytes())
    elif p.suffix in (".json", ".ubj") and p.stat().st_size <= 65_536:
        seed("xgboost_model", p.read_bytes())

import numpy as np
import pandas as pd

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 3))
y_bin = (X[:, 0] + X[:, 1] > 0).astype(int)
y_multi = np.digitize(X[:, 0], [-0.5, 0.5])

# Parquet, as pandas writes it (pyarrow, with pandas metadata)
frames = [
    pd.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]}),
    pd.DataFrame({"s": ["a", None], "d": [1.5, np.nan], "b": [True, False], "i": pd.array([1, None], dtype="Int32"),
                  "t": pd.to_datetime(["2024-01-01", None]), "x": [b"\x00\x01", b""]}),
    pd.DataFrame({"a": [[1.0, 2.0], []], "c": pd.Categorical(["u", "v"])}),
]
for df in frames:
    buf = io.BytesIO()
    df.to_parquet(buf)
    seed("request_parquet", bytes([1 if "sqft" in df else 2]) + buf.getvalue())
    seed("data_parquet", buf.getvalue())

# .npy arrays
for arr in [np.arange(6, dtype="<i8").reshape(2, 3), np.array([1.5, np.nan], dtype=">f4"),
            np.array(["ab", "c"]), np.array([True, False]), np.asfortranarray(np.ones((2, 2))),
            np.array([(1, 2.5)], dtype=[("a", "<i4"), ("b", "<f8")]), np.float64(3.0)]:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    seed("npy", buf.getvalue())

# skops archives of small estimators
import skops.io as sio
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

for est in [LinearRegression().fit(X, X[:, 0]), make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y_multi),
            DecisionTreeClassifier(max_depth=2).fit(X, y_bin)]:
    seed("skops_archive", sio.dumps(est))

# xgboost (UBJSON and JSON) and lightgbm (text), a few trees each
import lightgbm as lgb
import xgboost as xgb

for params, y in [({"objective": "binary:logistic", "max_depth": 2}, y_bin),
                  ({"objective": "multi:softprob", "num_class": 3, "max_depth": 2}, y_multi),
                  ({"objective": "reg:squarederror", "booster": "dart", "max_depth": 2}, X[:, 0])]:
    booster = xgb.train(params, xgb.DMatrix(X, label=y), num_boost_round=3)
    seed("xgboost_model", bytes(booster.save_raw("ubj")))
    seed("xgboost_model", bytes(booster.save_raw("json")))
for params, y in [({"objective": "binary", "num_leaves": 4, "verbose": -1}, y_bin),
                  ({"objective": "multiclass", "num_class": 3, "num_leaves": 4, "verbose": -1}, y_multi)]:
    booster = lgb.train(params, lgb.Dataset(X, label=y, params={"min_data_in_leaf": 5}), num_boost_round=3)
    seed("lightgbm_model", booster.model_to_string())

print(json.dumps(counts))

"""Interop between signet and real MLflow 3.17.2 (run by scripts/interop.sh).

    python check_mlflow.py write-mlflow DIR   # MLflow saves models into DIR/mlflow/<name>
    python check_mlflow.py check-signet DIR   # MLflow loads the models signet saved into DIR/signet/<name>

`write-mlflow` saves python_function models (signatures and input examples of several kinds)
and writes, next to each, `expected.json`: what MLflow itself reads back (`Model.load`:
signature, flavors, saved_input_example_info; `load_input_example`, encoded as a conformance
corpus Value; `load_input_example_params`; the serving example text). signet's interop test
must read the same.

`check-signet` loads every model signet wrote with `mlflow.models.Model.load` and checks it
against the `expected.json` signet wrote: same signature, flavors and example info, and the
same `load_input_example` / `load_input_example_params` results; and checks that
`mlflow.pyfunc.load_model` refuses the Rust model with ModuleNotFoundError (MLflow cannot
execute it). Prints `N passed, N failed` and exits 1 on any failure.
"""

import base64
import datetime as dt
import json
import math
import os
import sys
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_TRACKING_URI", "file:///tmp/signet-interop-mlruns")

import logging  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import mlflow  # noqa: E402
from mlflow.models import Model, infer_signature  # noqa: E402
from mlflow.models.signature import ModelSignature  # noqa: E402
from mlflow.types import ColSpec, ParamSchema, ParamSpec, Schema  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.ERROR)


# --------------------------------------------------------------------------------------------
# Encoding Python values as conformance corpus Values (FORMAT.md §1-§2)


def elem(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, np.integer)) and not isinstance(v, np.bool_):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return {"$float": "nan"}
        if math.isinf(f):
            return {"$float": "inf" if f > 0 else "-inf"}
        return f
    if isinstance(v, bytes):
        return {"$bytes": base64.b64encode(v).decode()}
    if isinstance(v, pd.Timestamp):
        return {"$timestamp": v.isoformat()}
    if isinstance(v, dt.datetime):
        return {"$datetime": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$date": v.isoformat()}
    if isinstance(v, np.ndarray):
        return {"$ndarray": ndarray_value(v)}
    if isinstance(v, (list, tuple)):
        return [elem(x) for x in v]
    if isinstance(v, dict):
        return {str(k): elem(x) for k, x in v.items()}
    return repr(v)


def dtype_name(dtype):
    name = str(dtype)
    if name.startswith("<U"):
        return "str"
    if name.startswith("|S"):
        return "bytes"
    return name


def cell(v, dtype):
    name = dtype_name(dtype)
    if name == "object":
        return elem(v)
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if name.startswith("datetime64"):
        return pd.Timestamp(v).isoformat()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    return elem(v)


def ndarray_value(a):
    dtype = dtype_name(a.dtype)

    def nest(x):
        if isinstance(x, np.ndarray) and x.ndim > 0 and dtype != "object":
            return [nest(y) for y in x]
        if isinstance(x, np.ndarray) and x.ndim > 0:
            return [nest(y) for y in x]
        if dtype == "object":
            return elem(x.item() if isinstance(x, np.ndarray) else x)
        if dtype == "bytes":
            return base64.b64encode(bytes(x)).decode()
        if dtype.startswith("datetime64"):
            return np.datetime_as_string(x)
        v = x.item() if hasattr(x, "item") else x
        if isinstance(v, float) and math.isnan(v):
            return None
        return v

    return {"type": "ndarray", "dtype": dtype, "shape": list(a.shape), "values": nest(a)}


def column(name, s):
    dtype = dtype_name(s.dtype)
    cells = s.tolist()
    if dtype.startswith("datetime64"):
        values = [None if pd.isna(x) else np.datetime_as_string(x) for x in s.values]
    elif dtype == "object" and any(isinstance(x, bytes) for x in cells) and all(
        isinstance(x, bytes) or x is None for x in cells
    ):
        dtype = "bytes"
        values = [None if x is None else base64.b64encode(x).decode() for x in cells]
    else:
        values = [cell(x, s.dtype) for x in cells]
    return {"name": name if isinstance(name, (str, int)) else str(name), "dtype": dtype, "values": values}


def value(v):
    if isinstance(v, pd.DataFrame):
        return {"type": "dataframe", "columns": [column(c, v[c]) for c in v.columns]}
    if isinstance(v, np.ndarray):
        return ndarray_value(v)
    if isinstance(v, dict) and v and all(isinstance(x, np.ndarray) for x in v.values()):
        return {"type": "tensor_dict", "arrays": {k: ndarray_value(x) for k, x in v.items()}}
    try:
        from scipy.sparse import csc_matrix, csr_matrix

        if isinstance(v, (csr_matrix, csc_matrix)):
            return ndarray_value(v.data)
    except ImportError:
        pass
    return {"type": "json", "value": elem(v)}


def model_facts(path):
    m = Model.load(path)
    example = m.load_input_example(path)
    params = m.load_input_example_params(path)
    return {
        "signature": m.signature.to_dict() if m.signature is not None else None,
        "flavors": list(m.flavors),
        "saved_input_example_info": m.saved_input_example_info,
        "example": value(example) if example is not None else None,
        "example_params": {k: elem(x) for k, x in params.items()} if params else None,
        "serving": m.get_serving_input(path),
    }


# --------------------------------------------------------------------------------------------
# write-mlflow


class Echo(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return model_input


def mlflow_models():
    house = pd.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]})
    house_sig = ModelSignature(
        Schema([ColSpec("long", "sqft"), ColSpec("long", "bedrooms")]),
        Schema([ColSpec("double", "price")]),
        ParamSchema([ParamSpec("threshold", "double", 0.5)]),
    )
    models = {
        "house-df-signature": dict(signature=house_sig, input_example=house),
        "house-df-params-inferred": dict(input_example=(house, {"k": 5, "name": "x"})),
        "ndarray-float32": dict(input_example=np.arange(6, dtype=np.float32).reshape(2, 3) / 4),
        "ndarray-nan": dict(input_example=np.array([1.5, np.nan])),
        "tensor-dict": dict(input_example={"a": np.array([1, 2]), "b": np.array([[0.5], [1.5]])}),
        "chat-params": dict(
            input_example=({"messages": [{"role": "user", "content": "hi"}]}, {"max_tokens": 10})
        ),
        "json-dict": dict(input_example={"q": "hi", "n": [1, 2], "o": {"k": None}}),
        "list-of-str": dict(input_example=["a", "b"]),
        "list-of-dicts": dict(input_example=[{"a": 1, "b": "x"}, {"a": 2}]),
        "scalar-str": dict(input_example="hello"),
        "df-optional": dict(input_example=pd.DataFrame({"a": [1, 2], "b": ["x", None]})),
        "df-all-types": dict(
            input_example=pd.DataFrame(
                {
                    "c_bool": [True, False],
                    "c_int32": np.array([1, 2], dtype=np.int32),
                    "c_int64": [3, 4],
                    "c_float32": np.array([1.5, 2.5], dtype=np.float32),
                    "c_float64": [0.25, 0.5],
                    "c_str": ["s", "t"],
                    "c_bytes": [b"ab", b"cd"],
                    "c_datetime": pd.to_datetime(["2020-01-01 00:00:00", "2021-06-30 12:00:00"]),
                }
            )
        ),
        "df-default-labels": dict(input_example=pd.DataFrame([[1, 2], [3, 4]])),
        "signature-no-example": dict(signature=house_sig),
    }
    try:
        from scipy.sparse import csr_matrix

        models["sparse-csr"] = dict(input_example=csr_matrix(np.array([[1.0, 0.0], [0.0, 2.0]])))
    except ImportError:
        pass
    return models


def write_mlflow(root):
    out = os.path.join(root, "mlflow")
    os.makedirs(out, exist_ok=True)
    for name, kwargs in mlflow_models().items():
        path = os.path.join(out, name)
        # Explicit requirements: MLflow would otherwise infer them by importing the model in a
        # subprocess, which takes seconds per model.
        mlflow.pyfunc.save_model(
            path, python_model=Echo(), pip_requirements=[f"mlflow=={mlflow.__version__}"], **kwargs
        )
        with open(os.path.join(path, "expected.json"), "w") as f:
            json.dump(model_facts(path), f, indent=1)
        print(f"saved {name}")


# --------------------------------------------------------------------------------------------
# check-signet


def check_signet(root):
    base = os.path.join(root, "signet")
    passed, failed = 0, 0
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name)
        with open(os.path.join(path, "expected.json")) as f:
            expected = json.load(f)
        problems = []
        try:
            got = model_facts(path)
        except Exception as e:  # noqa: BLE001
            got = None
            problems.append(f"Model.load / load_input_example failed: {e!r}")
        if got is not None:
            for key in ["signature", "flavors", "saved_input_example_info", "example", "example_params"]:
                if key in expected and got[key] != expected[key]:
                    problems.append(f"{key}: mlflow {json.dumps(got[key])}\n    signet {json.dumps(expected[key])}")
        try:
            mlflow.pyfunc.load_model(path)
            problems.append("mlflow.pyfunc.load_model succeeded on a Rust model")
        except ModuleNotFoundError as e:
            if "signet_model_rs" not in str(e):
                problems.append(f"unexpected ModuleNotFoundError: {e}")
        except Exception as e:  # noqa: BLE001
            problems.append(f"mlflow.pyfunc.load_model raised {type(e).__name__}: {e}")
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for p in problems:
                print(f"  {p}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return failed == 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("write-mlflow", "check-signet"):
        print(__doc__)
        sys.exit(2)
    if sys.argv[1] == "write-mlflow":
        write_mlflow(sys.argv[2])
    else:
        sys.exit(0 if check_signet(sys.argv[2]) else 1)


if __name__ == "__main__":
    main()

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

import importlib.util
import json
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
# Encoding Python values as conformance corpus Values (FORMAT.md §1-§2): the Python package's
# own encoder (python/signet/_elem.py), loaded as a file so that no compiled extension is needed
# (as scripts/record_cases.py does).

_spec = importlib.util.spec_from_file_location(
    "signet_elem",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "signet", "_elem.py"),
)
_elem = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_elem)


def value(v):
    """A loaded input example as a Value; a sparse matrix as the ndarray of its stored values
    (as signet reads it)."""
    try:
        from scipy.sparse import issparse

        if issparse(v):
            v = v.data
    except ImportError:
        pass
    return _elem.encode_value(v, inputs=False)


def model_facts(path):
    m = Model.load(path)
    example = m.load_input_example(path)
    params = m.load_input_example_params(path)
    return {
        "signature": m.signature.to_dict() if m.signature is not None else None,
        "flavors": list(m.flavors),
        "saved_input_example_info": m.saved_input_example_info,
        "example": value(example) if example is not None else None,
        "example_params": _elem.encode_params(params, inputs=False) if params else None,
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

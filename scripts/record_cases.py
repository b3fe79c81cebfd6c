#!/usr/bin/env python3
"""Records the project's own conformance cases from real MLflow (3.17.2, in .venv-interop).

Writes conformance/cases/{infer,enforce,serve}.jsonl in the format of the shared corpus
(FORMAT.md in the conformance corpus: kinds `infer`, `enforce`, `serve`), ids under a
`project/` prefix, lines sorted by id. Every expectation is what MLflow did; nothing is
written by hand:

* `enforce` — `PyFuncModel.predict(input, params=...)` of a python_function echo model saved
  with the case's signature (the model records what it received).
* `serve` — the case's body POSTed to `/invocations` of the scoring server's own FastAPI app
  (`mlflow.pyfunc.scoring_server.init(model)`), driven in-process through ASGI (the same
  request handling `mlflow models serve` runs, without a socket).
* `infer` — `mlflow.models.infer_signature(input, output, params)`.

The behaviours probed (issue 9): the `index` of a `dataframe_split` body; scalar `inputs` for
`integer`/`long`/`float`/`double` columns; a pandas `Timestamp` as a param default; which name a
named-tensor error names.

Usage: .venv-interop/bin/python scripts/record_cases.py [OUT_DIR]   (default conformance/cases)
"""
import asyncio
import importlib.util
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import warnings

import numpy as np
import pandas as pd

import mlflow
import mlflow.pyfunc
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from mlflow.models.signature import ModelSignature
from mlflow.pyfunc import scoring_server
from mlflow.types.schema import ColSpec, ParamSchema, ParamSpec, Schema, TensorSpec

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "conformance", "cases")

assert mlflow.__version__ == "3.17.2", f"recorded against MLflow 3.17.2, found {mlflow.__version__}"

# --------------------------------------------------------------------------------------------
# Python value -> corpus Elem / Value (FORMAT.md §1, §2)
# --------------------------------------------------------------------------------------------


# The encoder is the Python package's own (python/signet/_elem.py), loaded as a file so that
# recording needs no compiled extension.
_spec = importlib.util.spec_from_file_location(
    "signet_elem", os.path.join(ROOT, "python", "signet", "_elem.py")
)
_elem = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_elem)


def encode_elem(v):
    """A recorded result's Elem: numpy scalars written as plain values."""
    return _elem.encode_elem(v, inputs=False)


def encode_value(v):
    return _elem.encode_value(v, inputs=False)


def encode_input(v):
    """An input's Value: numpy scalars written as {"$numpy": [dtype, value]}."""
    return _elem.encode_value(v, inputs=True)


def encode_params(p):
    return _elem.encode_params(p, inputs=False)


def encode_input_params(p):
    return _elem.encode_params(p, inputs=True)


# --------------------------------------------------------------------------------------------
# MLflow's messages -> recorded fields (FORMAT.md §5, §6)
# --------------------------------------------------------------------------------------------

ENFORCE_PREFIX = "Failed to enforce schema of data '"


def strip_wrappers(msg):
    """The innermost message: scoring server and enforcement wrappers removed."""
    if msg.startswith("Failed to predict data '") and "'. \nError: " in msg:
        msg = msg.split("'. \nError: ", 1)[1]
    if msg.startswith(ENFORCE_PREFIX) and "'. Error: " in msg:
        msg = msg.split("'. Error: ", 1)[1]
    return msg


def error_class(msg):
    if "Model is missing inputs" in msg or "but the input DataFrame has only" in msg:
        return "missing_inputs"
    if "shape" in msg and ("does not match" in msg or "could not be converted" in msg
                           or "reshape" in msg or "Shape of input" in msg):
        return "shape_mismatch"
    if msg.startswith("Invalid parameters found") or msg.startswith("Parameters must be"):
        return "invalid_params"
    if ("Incompatible input types" in msg or "does not match expected dtype" in msg
            or "Failed to convert" in msg or "could not be converted" in msg
            or "Incompatible input type" in msg):
        return "incompatible_type"
    if "but an input of type" in msg or "Input DataFrame is empty" in msg or "was found" in msg:
        return "invalid_input"
    return "other"


def error_column(msg):
    import re

    for pat in (
        r"Incompatible input types for column (\S+)\.",
        r"column '([^']*)'",
        r"Model is missing inputs \['([^']*)'",
        r"Model is missing inputs \[(\d+)",
        r"of input (\S+) is ",
        r"for input (\S+)\.$",
    ):
        m = re.search(pat, msg)
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------------------------
# The echo model and the places MLflow runs it
# --------------------------------------------------------------------------------------------


class Echo(mlflow.pyfunc.PythonModel):
    """Returns what it receives (or a fixed output) and remembers input and params."""

    def __init__(self, output=None):
        self.output = output
        self.seen = None

    def predict(self, context, model_input, params=None):
        self.seen = (model_input, params)
        return model_input if self.output is None else self.output


_models = {}
_tmp = tempfile.mkdtemp(prefix="signet-record-")


def load(signature):
    """A python_function echo model saved with `signature` (a to_dict form or None), loaded."""
    key = json.dumps(signature, sort_keys=True)
    if key not in _models:
        path = os.path.join(_tmp, f"m{len(_models)}")
        sig = None if signature is None else ModelSignature.from_dict(signature)
        mlflow.pyfunc.save_model(path, python_model=Echo(), signature=sig)
        _models[key] = mlflow.pyfunc.load_model(path)
    return _models[key]


def python_model(model):
    return model._model_impl.python_model


class WarningLog(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def capture():
    h = WarningLog()
    logging.getLogger("mlflow").addHandler(h)
    return h


def release(h, caught):
    logging.getLogger("mlflow").removeHandler(h)
    msgs = list(h.messages)
    for w in caught:
        if issubclass(w.category, UserWarning) and "mlflow" in (w.filename or ""):
            msgs.append(str(w.message))
    return msgs


def run_enforce(signature, value, params):
    model = load(signature)
    python_model(model).seen = None
    h = capture()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.predict(value, params=params)
            seen_input, seen_params = python_model(model).seen
            expect = {"ok": True, "input": encode_value(seen_input),
                      "params": encode_params(seen_params)}
        except MlflowException as e:
            msg = e.message
            wrapped = msg.startswith(ENFORCE_PREFIX)
            inner = strip_wrappers(msg) if wrapped else msg
            cause = e.__context__ if wrapped and e.__context__ is not None else e
            klass = error_class(inner)
            if wrapped and klass == "other" and not isinstance(cause, MlflowException):
                klass = "incompatible_type"  # a raw conversion error inside schema enforcement
            expect = {"ok": False, "error": inner, "error_class": klass,
                      "column": error_column(inner), "wrapped": wrapped,
                      "exception": type(cause).__name__, "error_code": e.error_code}
    msgs = release(h, caught)
    if msgs:
        expect["warnings"] = msgs
    return expect


def asgi_post(app, body, content_type):
    """POST /invocations through the ASGI app; returns (status, headers, body bytes)."""
    headers = [(b"host", b"testserver"), (b"content-length", str(len(body)).encode())]
    if content_type is not None:
        headers.append((b"content-type", content_type.encode("latin-1")))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/invocations", "raw_path": b"/invocations",
             "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 1), "server": ("testserver", 80)}
    sent = {"status": None, "headers": [], "body": b""}
    delivered = False

    async def receive():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(msg):
        if msg["type"] == "http.response.start":
            sent["status"] = msg["status"]
            sent["headers"] = msg.get("headers", [])
        elif msg["type"] == "http.response.body":
            sent["body"] += msg.get("body", b"")

    asyncio.run(app(scope, receive, send))
    hdrs = {k.decode().lower(): v.decode() for k, v in sent["headers"]}
    return sent["status"], hdrs, sent["body"]


def _strict(text):
    def bad(tok):
        raise ValueError(tok)

    return json.loads(text, parse_constant=bad)


def run_serve(signature, body, content_type="application/json"):
    model = load(signature)
    python_model(model).seen = None
    app = scoring_server.init(model)
    h = capture()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, hdrs, raw = asgi_post(app, body.encode("utf-8"), content_type)
    msgs = release(h, caught)
    text = raw.decode("utf-8")
    expect = {"status": status, "content_type": hdrs.get("content-type")}
    try:
        parsed = _strict(text)
        if isinstance(parsed, dict) and "stack_trace" in parsed:
            parsed["stack_trace"] = "<omitted>"
        expect["body"] = parsed
    except ValueError:
        expect["body_text"] = text
        parsed = None
    if status == 200:
        seen_input, seen_params = python_model(model).seen
        expect["input"] = encode_value(seen_input)
        expect["params"] = encode_params(seen_params)
    elif isinstance(parsed, dict) and isinstance(parsed.get("message"), str):
        expect["error"] = strip_wrappers(parsed["message"])
    if msgs:
        expect["warnings"] = msgs
    return expect


def run_infer(inp, out, params):
    h = capture()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            expect = {"signature": infer_signature(inp, out, params).to_dict()}
        except Exception as e:  # noqa: BLE001 - recorded as the expectation
            expect = {"error": str(e)}
    msgs = release(h, caught)
    if msgs:
        expect["warnings"] = msgs
    return expect


# --------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------


def sig(inputs=None, params=None):
    return ModelSignature(inputs=inputs, params=params).to_dict()


HOUSE = sig(Schema([ColSpec("long", "sqft"), ColSpec("long", "bedrooms")]))


def split_body(data, index=None, columns=("sqft", "bedrooms"), **extra):
    d = {"columns": list(columns), "data": data}
    if index is not None:
        d["index"] = index
    d.update(extra)
    return json.dumps({"dataframe_split": d})


cases = []


def serve(cid, signature, body, content_type="application/json"):
    cases.append({"id": "serve/project/" + cid, "kind": "serve", "signature": signature,
                  "request": {"content_type": content_type, "body": body},
                  "expect": run_serve(signature, body, content_type)})


def enforce(cid, signature, value, params=None):
    cases.append({"id": "enforce/project/" + cid, "kind": "enforce", "signature": signature,
                  "input": encode_input(value), "params": encode_input_params(params),
                  "expect": run_enforce(signature, value, params)})


def infer(cid, inp, out, params):
    cases.append({"id": "infer/project/" + cid, "kind": "infer",
                  "input": None if inp is None else encode_input(inp),
                  "output": None if out is None else encode_input(out),
                  "params": encode_input_params(params), "expect": run_infer(inp, out, params)})


# 1. dataframe_split `index` ------------------------------------------------------------------
rows = [[1500, 3], [2000, 4]]
serve("split-index/none", HOUSE, split_body(rows))
serve("split-index/ints", HOUSE, split_body(rows, [10, 20]))
serve("split-index/strings", HOUSE, split_body(rows, ["a", "b"]))
serve("split-index/floats", HOUSE, split_body(rows, [0.5, 1.5]))
serve("split-index/duplicate", HOUSE, split_body(rows, [7, 7]))
serve("split-index/null-label", HOUSE, split_body(rows, [None, 1]))
serve("split-index/mixed-labels", HOUSE, split_body(rows, [1, "b"]))
serve("split-index/shorter", HOUSE, split_body(rows, [10]))
serve("split-index/longer", HOUSE, split_body(rows, [10, 20, 30]))
serve("split-index/empty", HOUSE, split_body(rows, []))
serve("split-index/empty-data", HOUSE, split_body([], []))
serve("split-index/empty-data-with-labels", HOUSE, split_body([], [1, 2]))
serve("split-index/not-a-list", HOUSE, split_body(rows, 5))
serve("split-index/null", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": None,
                                      "data": rows}}))
serve("split-index/in-error/missing-column", HOUSE,
      split_body([[1500, 2]], ["r1"], columns=("sqft", "bathrooms")))
serve("split-index/in-error/bad-value", HOUSE, split_body([[1.5, 3]], ["r1"]))
serve("split-index/shorter/bad-value", HOUSE, split_body([[1.5, 3], [2, 4]], ["r1"]))
serve("split-index/strings/dict-data", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": ["a", "b"],
                                      "data": {"sqft": [1, 2], "bedrooms": [3, 4]}}}))
serve("split-index/strings/dict-of-scalars-data", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": ["a", "b"],
                                      "data": {"sqft": 1, "bedrooms": 3}}}))
serve("split-index/shorter/dict-of-dicts-data", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": ["a"],
                                      "data": {"sqft": {"a": 1, "b": 2},
                                               "bedrooms": {"a": 3, "b": 4}}}}))
serve("split-index/longer/dict-of-dicts-data", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": ["a", "b", "c"],
                                      "data": {"sqft": {"a": 1, "b": 2},
                                               "bedrooms": {"a": 3, "b": 4}}}}))
serve("split-index/shorter/dict-of-lists-data", HOUSE,
      json.dumps({"dataframe_split": {"columns": ["sqft", "bedrooms"], "index": ["a"],
                                      "data": {"sqft": [1, 2], "bedrooms": [3, 4]}}}))
STR_PAIR = sig(Schema([ColSpec("string", "sqft"), ColSpec("double", "bedrooms")]))
serve("split-index/empty-data-with-labels/string-double", STR_PAIR, split_body([], [1, 2]))
serve("split-index/ints/string-double", STR_PAIR, split_body([["x", 1.5], ["y", 2.5]], [10, 20]))
serve("split-index/in-error/missing-column/two-rows", HOUSE,
      split_body([[1500, 2], [1600, 3]], [10, 20], columns=("sqft", "bathrooms")))
INT32_PAIR = sig(Schema([ColSpec("integer", "sqft"), ColSpec("integer", "bedrooms")]))
serve("split-index/ints/int32-cast", INT32_PAIR, split_body(rows, [10, 20]))
enforce("split-index/df-index-kept", HOUSE,
        pd.DataFrame({"sqft": np.array([1, 2], dtype="int32"),
                      "bedrooms": np.array([3, 4], dtype="int64")}, index=[10, 20]))
enforce("split-index/df-index-in-error", HOUSE,
        pd.DataFrame({"sqft": [1.5, 2.0], "bedrooms": [3, 4]}, index=["r1", "r2"]))

# 2. scalar `inputs` for integer / long / float / double columns ------------------------------
for t in ("integer", "long", "float", "double"):
    one = sig(Schema([ColSpec(t, "a")]))
    two = sig(Schema([ColSpec(t, "a"), ColSpec(t, "b")]))
    unnamed = sig(Schema([ColSpec(t)]))
    serve(f"scalar-inputs/{t}/dict-scalar", one, json.dumps({"inputs": {"a": 1}}))
    serve(f"scalar-inputs/{t}/dict-two-scalars", two, json.dumps({"inputs": {"a": 1, "b": 2}}))
    serve(f"scalar-inputs/{t}/dict-list", one, json.dumps({"inputs": {"a": [1, 2]}}))
    serve(f"scalar-inputs/{t}/dict-float-scalar", one, json.dumps({"inputs": {"a": 1.5}}))
    serve(f"scalar-inputs/{t}/dict-big-scalar", one, json.dumps({"inputs": {"a": 3000000000}}))
    serve(f"scalar-inputs/{t}/dict-int32-max", one, json.dumps({"inputs": {"a": 2147483647}}))
    serve(f"scalar-inputs/{t}/dict-int32-max-plus-1", one,
          json.dumps({"inputs": {"a": 2147483648}}))
    serve(f"scalar-inputs/{t}/dict-int32-min-minus-1", one,
          json.dumps({"inputs": {"a": -2147483649}}))
    serve(f"scalar-inputs/{t}/dict-beyond-i64", one,
          json.dumps({"inputs": {"a": 18446744073709551615}}))
    serve(f"scalar-inputs/{t}/dict-numeric-string", one, json.dumps({"inputs": {"a": "7"}}))
    serve(f"scalar-inputs/{t}/dict-bool", one, json.dumps({"inputs": {"a": True}}))
    serve(f"scalar-inputs/{t}/dict-null", one, json.dumps({"inputs": {"a": None}}))
    serve(f"scalar-inputs/{t}/dict-scalar-and-list", two,
          json.dumps({"inputs": {"a": 1, "b": [2, 3]}}))
    serve(f"scalar-inputs/{t}/bare-scalar", one, json.dumps({"inputs": 5}))
    serve(f"scalar-inputs/{t}/bare-float-unnamed", unnamed, json.dumps({"inputs": 5.5}))
    serve(f"scalar-inputs/{t}/bare-scalar-unnamed", unnamed, json.dumps({"inputs": 5}))
    serve(f"scalar-inputs/{t}/list-unnamed", unnamed, json.dumps({"inputs": [5, 6]}))
    serve(f"scalar-inputs/{t}/instances-dict", one, json.dumps({"instances": [{"a": 1}]}))
    # 7, not 1: MLflow lets an int64 column of only 0/1 values become float/double.
    enforce(f"scalar-inputs/{t}/dict-scalar", one, {"a": 7})
    enforce(f"scalar-inputs/{t}/dict-scalar-one", one, {"a": 1})
    enforce(f"scalar-inputs/{t}/dict-np-int64-scalar", one, {"a": np.int64(7)})
    enforce(f"scalar-inputs/{t}/bare-int", unnamed, 5)
    enforce(f"scalar-inputs/{t}/dict-np-int32-scalar", one, {"a": np.int32(7)})
    enforce(f"scalar-inputs/{t}/dict-list", one, {"a": [7, 8]})
    enforce(f"scalar-inputs/{t}/dict-float-scalar", one, {"a": 1.5})

# 3. pandas Timestamp as a param default -------------------------------------------------------
TS = pd.Timestamp("2024-01-02 03:04:05")
for label, default in (("timestamp", TS), ("timestamp-midnight", pd.Timestamp("2024-01-02")),
                       ("timestamp-micros", pd.Timestamp("2024-01-02 03:04:05.123456")),
                       ("datetime", dt.datetime(2024, 1, 2, 3, 4, 5)),
                       ("np-datetime64", np.datetime64("2024-01-02T03:04:05")),
                       ("timestamp-list", [TS, TS])):
    infer(f"param-timestamp/{label}", pd.DataFrame({"x": [1]}), None, {"p": default})
for label, default in (("timestamp", TS), ("timestamp-midnight", pd.Timestamp("2024-01-02")),
                       ("timestamp-micros", pd.Timestamp("2024-01-02 03:04:05.123456")),
                       ("timestamp-nanos", pd.Timestamp("2024-01-02 03:04:05.123456789")),
                       ("timestamp-utc", pd.Timestamp("2024-01-02 03:04:05", tz="UTC")),
                       ("timestamp-plus-2h", pd.Timestamp("2024-01-02 03:04:05", tz="Etc/GMT-2"))):
    psig = sig(Schema([ColSpec("long", "x")]), ParamSchema([ParamSpec("p", "datetime", default)]))
    df = pd.DataFrame({"x": [1]})
    enforce(f"param-timestamp/{label}/default", psig, df, None)
    enforce(f"param-timestamp/{label}/empty", psig, df, {})
    enforce(f"param-timestamp/{label}/given-timestamp", psig, df,
            {"p": pd.Timestamp("2025-05-06 07:08:09")})
    enforce(f"param-timestamp/{label}/given-string", psig, df, {"p": "2025-05-06T07:08:09"})
    serve(f"param-timestamp/{label}/default", psig, json.dumps({"inputs": {"x": [1]}}))
    serve(f"param-timestamp/{label}/given", psig,
          json.dumps({"inputs": {"x": [1]}, "params": {"p": "2025-05-06T07:08:09"}}))
psig = sig(Schema([ColSpec("long", "x")]),
           ParamSchema([ParamSpec("p", "datetime", [TS, TS], shape=(-1,))]))
enforce("param-timestamp/list-default/default", psig, pd.DataFrame({"x": [1]}), None)
serve("param-timestamp/list-default/default", psig, json.dumps({"inputs": {"x": [1]}}))

# 4. which name a named-tensor error names -----------------------------------------------------
TENSORS = sig(Schema([TensorSpec(np.dtype("float64"), (-1, 2), "a"),
                      TensorSpec(np.dtype("int32"), (-1,), "b"),
                      TensorSpec(np.dtype("float32"), (-1,), "c")]))
good = {"a": np.array([[1.0, 2.0]]), "b": np.array([1], dtype="int32"),
        "c": np.array([1.0], dtype="float32")}
bad = {"a": np.array([[1, 2]], dtype="int64"),           # dtype not safely castable? (int64)
       "b": np.array([1.5]),                              # float64 for int32
       "c": np.array([[1.0, 2.0]], dtype="float32")}      # wrong shape
shape_bad = {"a": np.array([1.0, 2.0]), "b": np.array([[1]], dtype="int32"),
             "c": np.array([[1.0]], dtype="float32")}


def mix(**over):
    d = dict(good)
    d.update(over)
    return d


enforce("named-tensor-error/ok", TENSORS, good)
enforce("named-tensor-error/b-dtype", TENSORS, mix(b=bad["b"]))
enforce("named-tensor-error/c-shape", TENSORS, mix(c=bad["c"]))
enforce("named-tensor-error/a-shape", TENSORS, mix(a=shape_bad["a"]))
enforce("named-tensor-error/b-dtype-c-shape", TENSORS, mix(b=bad["b"], c=bad["c"]))
enforce("named-tensor-error/all-shape", TENSORS, dict(shape_bad))
enforce("named-tensor-error/b-dtype-c-shape/reversed-keys", TENSORS,
        {"c": bad["c"], "b": bad["b"], "a": good["a"]})
enforce("named-tensor-error/a-str-dtype", TENSORS, mix(a=np.array([["x", "y"]])))
enforce("named-tensor-error/missing-b-bad-c", TENSORS, {"a": good["a"], "c": bad["c"]})
enforce("named-tensor-error/df-b-bad", TENSORS,
        pd.DataFrame({"a": [[1.0, 2.0]], "b": ["x"], "c": [1.0]}))
enforce("named-tensor-error/b-shape-c-shape/reversed-keys", TENSORS,
        {"c": np.array([[1.0, 2.0]], dtype="float32"), "b": np.array([[1]], dtype="int32"),
         "a": good["a"]})
enforce("named-tensor-error/df-c-bad-a-bad/reversed-columns", TENSORS,
        pd.DataFrame({"c": [[1.0, 2.0]], "b": [1], "a": [[1.0, 2.0, 3.0]]}))
enforce("named-tensor-error/df-a-bad-c-bad", TENSORS,
        pd.DataFrame({"a": [[1.0, 2.0, 3.0]], "b": [1], "c": ["x"]}))
tensor_bodies = {
    "b-floats": {"a": [[1, 2]], "b": [1.5], "c": [1.0]},
    "b-strings": {"a": [[1, 2]], "b": ["x"], "c": [1.0]},
    "c-shape": {"a": [[1, 2]], "b": [1], "c": [[1.0, 2.0]]},
    "a-shape": {"a": [1, 2], "b": [1], "c": [1.0]},
    "a-strings-c-strings": {"a": [["x", "y"]], "b": [1], "c": ["z"]},
    "b-strings-c-shape": {"a": [[1, 2]], "b": ["x"], "c": [[1.0, 2.0]]},
    "all-shape": {"a": [1, 2], "b": [[1]], "c": [[1.0]]},
    "b-shape-c-shape": {"a": [[1, 2]], "b": [[1]], "c": [[1.0, 2.0]]},
    "reversed-keys/b-shape-c-shape": {"c": [[1.0, 2.0]], "b": [[1]], "a": [[1, 2]]},
    "b-strings-c-strings": {"a": [[1, 2]], "b": ["x"], "c": ["z"]},
    "reversed-keys/b-strings-c-strings": {"c": ["z"], "b": ["x"], "a": [[1, 2]]},
    "reversed-keys/b-strings-c-shape": {"c": [[1.0, 2.0]], "b": ["x"], "a": [[1, 2]]},
}
for name, inputs in tensor_bodies.items():
    serve(f"named-tensor-error/inputs/{name}", TENSORS, json.dumps({"inputs": inputs}))
serve("named-tensor-error/instances/b-strings-c-shape", TENSORS,
      json.dumps({"instances": [{"a": [1, 2], "b": "x", "c": [1.0, 2.0]}]}))
serve("named-tensor-error/split/b-strings-c-shape", TENSORS,
      json.dumps({"dataframe_split": {"columns": ["a", "b", "c"],
                                      "data": [[[1, 2], "x", [1.0, 2.0]]]}}))
serve("named-tensor-error/split/a-shape-c-shape", TENSORS,
      json.dumps({"dataframe_split": {"columns": ["a", "b", "c"],
                                      "data": [[[1, 2, 3], 1, [1.0, 2.0]]]}}))
serve("named-tensor-error/split/reversed-columns/a-shape-c-shape", TENSORS,
      json.dumps({"dataframe_split": {"columns": ["c", "b", "a"],
                                      "data": [[[1.0, 2.0], 1, [1, 2, 3]]]}}))
serve("named-tensor-error/split/reversed-columns/b-strings-c-strings", TENSORS,
      json.dumps({"dataframe_split": {"columns": ["c", "b", "a"],
                                      "data": [["z", "x", [1, 2]]]}}))
serve("named-tensor-error/split/a-shape-c-strings", TENSORS,
      json.dumps({"dataframe_split": {"columns": ["a", "b", "c"],
                                      "data": [[[1, 2, 3], 1, "x"]]}}))

# --------------------------------------------------------------------------------------------

ids = [c["id"] for c in cases]
assert len(ids) == len(set(ids)), "duplicate case ids"
os.makedirs(OUT, exist_ok=True)
for kind in ("infer", "enforce", "serve"):
    mine = sorted((c for c in cases if c["kind"] == kind), key=lambda c: c["id"])
    with open(os.path.join(OUT, f"{kind}.jsonl"), "w", encoding="utf-8") as f:
        for c in mine:
            f.write(json.dumps(c, ensure_ascii=False, allow_nan=False) + "\n")
    print(f"{kind}: {len(mine)} cases -> {os.path.join(OUT, kind + '.jsonl')}", file=sys.stderr)

"""MLflow's scoring-server answers for the scikit-learn fixtures (called by make_fixtures.py and
onnx_fixtures.py), recorded in-process, without starting a server.

`record(path, bodies)` loads the saved model once with `mlflow.pyfunc.load_model` and answers
each request body as `mlflow models serve` does: `scoring_server.invocations(data,
content_type, model, input_schema)` (the function the FastAPI `/invocations` route calls), its
`MlflowException`s answered as the route's `_async_catch_mlflow_exception` answers them
(`e.serialize_as_json()`, `e.get_http_status_code()`). The serving-environment flag `init`
sets is set too. DIR/<case>/invocations.json then holds

    {"bodies": [{"what", "content_type", "request", "status", "response"}, ...],
     "v2": {"inputs": [...]}}

`v2` is an Open Inference Protocol request of the same rows (built from the input example),
whose outputs signet must answer as MLflow's pyfunc predictions (expected.json's `pyfunc`).

Bodies per case (`frame_bodies`, `tensor_bodies`, `dict_bodies`): the saved
`serving_input_example.json`, `dataframe_records`, `inputs` and `instances` where the
signature allows them, CSV, and refused ones (a missing column, a wrong width, an unknown
category, a null where the estimator refuses NaN).
"""

import json
import logging
import os

import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.pyfunc import load_model, scoring_server

# The scoring server warns about `instances` at every such body.
logging.getLogger("mlflow.pyfunc.scoring_server").setLevel(logging.ERROR)

JSON = "application/json"
CSV = "text/csv"

# What `scoring_server.init` sets before serving (it only changes type-hinted models).
os.environ["_MLFLOW_IS_IN_SERVING_ENVIRONMENT"] = "true"


def _cell(v):
    if isinstance(v, (float, np.floating)) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _rows(df):
    return [[_cell(v) for v in row] for row in df.itertuples(index=False)]


def _records(df):
    return [dict(zip(map(str, df.columns), row)) for row in _rows(df)]


def _split(df):
    return {"dataframe_split": {"columns": list(map(str, df.columns)), "data": _rows(df)}}


def split_text(df):
    return json.dumps(_split(df))


def _v2_datatype(dtype):
    if dtype.kind == "f":
        return "FP64" if dtype.itemsize == 8 else "FP32"
    if dtype.kind in "iu":
        return "INT64"
    if dtype.kind == "b":
        return "BOOL"
    return "BYTES"


def frame_v2(df):
    """A V2 request of a DataFrame's rows: one input per column."""
    return {
        "inputs": [
            {
                "name": str(c),
                "shape": [len(df)],
                "datatype": _v2_datatype(df[c].dtype),
                "data": [_cell(v) for v in df[c].tolist()],
            }
            for c in df.columns
        ]
    }


def frame_bodies(path, df, refusals=(), signed=True):
    """Request bodies for a column-based model whose input example is the DataFrame `df`.
    Columns reordered or added are sent only to a model with a signature (`signed`): without
    one, MLflow feeds the columns as they come, and such a body only makes another input."""
    with open(os.path.join(path, "serving_input_example.json")) as f:
        split = f.read()
    bodies = [
        ("serving_input_example", JSON, split),
        ("dataframe_records", JSON, json.dumps({"dataframe_records": _records(df)})),
        ("inputs_columns", JSON, json.dumps({"inputs": {str(c): [_cell(v) for v in df[c].tolist()] for c in df.columns}})),
        ("instances", JSON, json.dumps({"instances": _records(df)})),
        ("csv", CSV, df.to_csv(index=False)),
        ("missing_column", JSON, json.dumps(_split(df.drop(columns=df.columns[0])))),
    ]
    split = _split(df)["dataframe_split"]
    bodies += [
        ("inputs_records", JSON, json.dumps({"inputs": _records(df)})),
        ("split_with_index", JSON, json.dumps({"dataframe_split": dict(split, index=[f"r{i}" for i in range(len(df))])})),
        ("csv_charset", CSV + "; charset=utf-8", df.to_csv(index=False)),
        ("content_type_parameter", JSON + "; format=pandas-split", split_text(df)),
    ]
    if signed:
        bodies += [
            ("columns_reversed", JSON, json.dumps(_split(df[list(df.columns)[::-1]]))),
            ("extra_column", JSON, json.dumps(_split(df.assign(extra=1.5)))),
        ]
    numeric = [c for c in df.columns if df[c].dtype.kind == "f" and not df[c].isna().any()]
    if numeric:
        nulled = df.copy()
        nulled.loc[nulled.index[0], numeric[0]] = np.nan
        bodies.append(("null_in_" + str(numeric[0]), JSON, json.dumps(_split(nulled))))
        rows = _rows(df)
        at = list(df.columns).index(numeric[0])
        ints = [r[:at] + [int(round(r[at]))] + r[at + 1 :] for r in rows]
        bodies.append(("ints_in_" + str(numeric[0]), JSON, json.dumps({"dataframe_split": dict(split, data=ints)})))
        text = [r[:at] + ["1.5"] + r[at + 1 :] for r in rows]
        bodies.append(("string_in_" + str(numeric[0]), JSON, json.dumps({"dataframe_split": dict(split, data=text)})))
    for what, frame in refusals:
        bodies.append((what, JSON, json.dumps(_split(frame))))
    return bodies


def tensor_bodies(path, X):
    """Request bodies for a model taking one unnamed tensor whose input example is `X`."""
    with open(os.path.join(path, "serving_input_example.json")) as f:
        example = f.read()
    rows = [[_cell(v) for v in r] for r in X.tolist()]
    return [
        ("serving_input_example", JSON, example),
        ("instances", JSON, json.dumps({"instances": rows})),
        ("dataframe_split", JSON, json.dumps({"dataframe_split": {"data": rows}})),
        ("one_row", JSON, json.dumps({"inputs": rows[:1]})),
        ("wrong_width", JSON, json.dumps({"inputs": [r[:-1] for r in rows]})),
    ]


def tensor_v2(X):
    """A V2 request of one unnamed tensor (content type `np`: a model without a signature
    would take `pd`, one DataFrame column per input)."""
    return {
        "parameters": {"content_type": "np"},
        "inputs": [
            {
                "name": "input-0",
                "shape": list(X.shape),
                "datatype": _v2_datatype(X.dtype),
                "data": [_cell(v) for v in X.reshape(-1).tolist()],
            }
        ]
    }


def dict_bodies(feed):
    """Request bodies for a model of named tensors fed the dict `feed` ({name: array})."""
    nested = {k: np.vectorize(_cell, otypes=[object])(v).tolist() for k, v in feed.items()}
    first = next(iter(feed))
    return [
        ("inputs", JSON, json.dumps({"inputs": nested})),
        ("instances_one_row", JSON, json.dumps({"instances": [{k: v[0] for k, v in nested.items()}]})),
        ("missing_input", JSON, json.dumps({"inputs": {k: v for k, v in nested.items() if k != first}})),
    ]


def answer(model, schema, content_type, body):
    """(status, response body) as `mlflow models serve` answers `body` at `/invocations`."""
    try:
        r = scoring_server.invocations(body.encode(), content_type, model, schema)
        return r.status, r.response
    except MlflowException as e:
        return e.get_http_status_code(), e.serialize_as_json()


def record(path, bodies, v2=None, model=None):
    """Writes `path`/invocations.json: MLflow's answer to each of `bodies` ((what,
    content_type, body) triples), and the V2 request `v2`. `model`: the pyfunc model loaded
    from `path` (loaded here when `None`)."""
    model = model or load_model(path)
    schema = model.metadata.get_input_schema()
    out = []
    for what, content_type, body in bodies:
        status, response = answer(model, schema, content_type, body)
        out.append(
            {
                "what": what,
                "content_type": content_type,
                "request": body,
                "status": status,
                "response": response,
            }
        )
    with open(os.path.join(path, "invocations.json"), "w") as f:
        json.dump({"bodies": out, "v2": v2}, f, indent=1)
    return len(out)


def dict_v2(feed):
    """A V2 request of named tensors ({name: array}), content type `dict`."""
    return {
        "parameters": {"content_type": "dict"},
        "inputs": [
            {
                "name": k,
                "shape": list(v.shape),
                "datatype": _v2_datatype(v.dtype),
                "data": [_cell(x) for x in v.reshape(-1).tolist()],
            }
            for k, v in feed.items()
        ]
    }


def frame_or_tensor(path, X_test, refusals=(), model=None):
    """`record` with the bodies that fit the input example `X_test` (a DataFrame or ndarray)."""
    model = model or load_model(path)
    if isinstance(X_test, pd.DataFrame):
        signed = model.metadata.signature is not None
        return record(path, frame_bodies(path, X_test, refusals, signed), frame_v2(X_test), model)
    X_test = np.asarray(X_test)
    return record(path, tensor_bodies(path, X_test), tensor_v2(X_test), model)

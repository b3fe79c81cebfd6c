"""Random DataFrames through both routes into Rust: the block reader (which reads numpy blocks
only when asked and leaves a frame that passes as it is unread) and the per-column route
(`_convert.frame_payload`, which reads every column). For each frame and schema the two must
give the same violations, the same enforced frame or refusal, params and warnings, in both
modes. A fixed seed: a failure names its case and is replayed by its index."""
import json

import numpy as np
import pandas as pd
import pytest

import signet
from _routes import assert_same_answers
from signet import _convert

DTYPES = ["int8", "int32", "int64", "uint8", "float32", "float64", "bool", "datetime64[ns]", "str"]
TYPES = ["boolean", "integer", "long", "float", "double", "string", "datetime"]
CASES = 200


def _column(rng, dtype, rows):
    # Text and datetimes are missing a value now and then (numbers and bools cannot be).
    missing = rows > 0 and rng.random() < 0.3
    if dtype == "bool":
        return rng.random(rows) < 0.5
    if dtype == "str":
        values = [f"v{i}" for i in rng.integers(0, 9, rows)]
        return pd.array([None] * missing + values[missing:], dtype="str")
    if dtype.startswith("datetime"):
        values = (np.datetime64("2020-01-01") + rng.integers(0, 1000, rows)).astype(dtype)
        if missing:
            values[0] = np.datetime64("NaT")
        return values
    if dtype.startswith("float"):
        return (rng.random(rows) * 10).round(1).astype(dtype)
    return rng.integers(0, 100, rows).astype(dtype)


def _frame(rng):
    rows = int(rng.integers(0, 6))
    width = int(rng.integers(1, 6))
    labels = [f"c{i}" for i in range(width)] if rng.random() < 0.8 else list(range(width))
    if rng.random() < 0.5:
        # One 2-D block: `pd.DataFrame(X, columns=labels)` (strided columns), or its columns
        # made contiguous by a Fortran-ordered array.
        dtype = str(rng.choice(["int64", "int32", "float64", "float32", "uint8"]))
        x = _column(rng, dtype, rows * width).reshape(rows, width)
        if rng.random() < 0.3:
            x = np.asfortranarray(x)
        df = pd.DataFrame(x, columns=labels, copy=False)
    else:
        df = pd.DataFrame({
            label: _column(rng, str(rng.choice(DTYPES)), rows) for label in labels
        })
    shape = rng.random()
    if shape < 0.2 and rows > 1:
        df = df.iloc[::2]  # strided rows
    elif shape < 0.35 and width > 1:
        df = df[list(rng.permutation(df.columns))]  # columns reordered
    return df


def _exact_type(dtype):
    return {"bool": "boolean", "int32": "integer", "int64": "long", "float32": "float",
            "float64": "double", "str": "string", "datetime64[ns]": "datetime"}.get(dtype)


def _schema(rng, df):
    cols = list(df.columns)
    specs = []
    for label in cols:
        exact = _exact_type(str(df[label].dtype))
        ty = exact if exact and rng.random() < 0.85 else str(rng.choice(TYPES))
        specs.append({"type": ty, "name": label, "required": bool(rng.random() < 0.8)})
    roll = rng.random()
    if roll < 0.15 and len(specs) > 1:
        specs = specs[:-1]  # an extra column in the frame
    elif roll < 0.25:
        specs.append({"type": "double", "name": "missing", "required": bool(rng.random() < 0.5)})
    elif roll < 0.35 and len(specs) > 1:
        specs = specs[::-1]  # the schema in another order
    if rng.random() < 0.15:
        specs = [{"type": s["type"]} for s in specs]  # positional
    return json.dumps(specs)


@pytest.mark.parametrize("case", range(CASES))
def test_random_frames_answer_the_same_by_both_routes(case):
    rng = np.random.default_rng(case)
    df = _frame(rng)
    inputs = _schema(rng, df)
    params = '[{"name": "k", "type": "long", "default": 3, "shape": null}]' if case % 3 == 0 else None
    try:
        sig = signet.Signature(inputs, params=params)._native()
    except signet.SchemaError:
        pytest.skip("not a valid schema")  # e.g. unnamed optional columns
    given = '{"k": 7}' if params else None
    slow = _convert.frame_payload(df)
    for mode in ("strict", "mlflow"):
        where = (case, inputs, mode, df.dtypes.to_dict())
        assert_same_answers(("pandas", df), slow, sig, mode, like=df, params=given, where=where)

"""Python objects <-> the corpus' Value form (FORMAT.md of the conformance corpus, §1-§2).

This is the one home of that encoding on the Python side: `signet` hands small or unusual
data (object columns, lists, dicts, ...) to Rust in this form, reads results back from it, and
`scripts/record_cases.py` records conformance cases with it.

`encode_value(v, inputs=True)` writes numpy scalars as `{"$numpy": [dtype, value]}` (inputs);
with `inputs=False` as plain values (what recorded results do). `decode_value` builds the
pandas/numpy object a Value describes, with its exact dtypes.
"""
import base64
import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["encode_elem", "encode_value", "encode_params", "decode_elem", "decode_value"]


def _iso(ts, digits):
    s = ts.strftime("%Y-%m-%dT%H:%M:%S")
    return s + ("." + f"{ts.nanosecond + ts.microsecond * 1000:09d}"[:digits] if digits else "")


def encode_elem(v, inputs=True):
    """One Python value as an Elem (FORMAT.md §1)."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if inputs and isinstance(v, np.generic) and not isinstance(v, np.datetime64):
        return {"$numpy": [str(v.dtype), encode_elem(v.item(), inputs)]}
    if v is pd.NaT:
        return {"$nat": True}
    if v is pd.NA:
        return {"$na": True}
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if f != f:
            return {"$float": "nan"}
        if f in (float("inf"), float("-inf")):
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
    if isinstance(v, np.datetime64):
        return {"$datetime64": str(v)}
    if isinstance(v, np.ndarray):
        return {"$ndarray": encode_value(v, inputs)}
    if isinstance(v, (pd.DataFrame, pd.Series)):
        return {"$value": encode_value(v, inputs)}
    if isinstance(v, tuple):
        return {"$tuple": [encode_elem(x, inputs) for x in v]}
    if isinstance(v, list):
        return [encode_elem(x, inputs) for x in v]
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {k: encode_elem(x, inputs) for k, x in v.items()}
        return {"$dict": [[encode_elem(k, inputs), encode_elem(x, inputs)] for k, x in v.items()]}
    raise TypeError(f"signet cannot read a value of type {type(v).__name__}: {v!r}")


def _dtype_name(series):
    d = series.dtype
    if d == object:
        non_null = [x for x in series if x is not None]
        if non_null and all(isinstance(x, bytes) for x in non_null):
            return "bytes"
        return "object"
    if isinstance(d, pd.StringDtype):
        return "string" if d.na_value is pd.NA else "str"
    return str(d)


def _column_values(series, dtype, inputs):
    out = []
    for x in series.tolist() if dtype != "object" else list(series):
        if dtype == "object":
            out.append(encode_elem(x, inputs))
        elif dtype.startswith("datetime64"):
            unit = dtype[len("datetime64[") : -1]
            digits = {"ns": 9, "us": 6, "ms": 3, "s": 0}[unit]
            out.append(None if pd.isna(x) else _iso(pd.Timestamp(x), digits))
        elif dtype == "bytes":
            out.append(None if x is None else base64.b64encode(x).decode())
        elif x is None or x is pd.NA or (isinstance(x, float) and x != x):
            out.append(None)
        else:
            out.append(encode_elem(x, inputs))
    return out


def _index(obj, inputs):
    idx = obj.index
    if isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1:
        return None
    return [encode_elem(x, inputs) for x in idx.tolist()]


def _label(name):
    return int(name) if isinstance(name, (int, np.integer)) else name


def encode_value(v, inputs=True):
    """A whole model input or output as a Value (FORMAT.md §2)."""
    if isinstance(v, pd.DataFrame):
        cols = []
        for i, name in enumerate(v.columns):
            s = v.iloc[:, i]
            d = _dtype_name(s)
            cols.append({"name": _label(name), "dtype": d, "values": _column_values(s, d, inputs)})
        out = {"type": "dataframe", "columns": cols}
        if (ix := _index(v, inputs)) is not None:
            out["index"] = ix
        return out
    if isinstance(v, pd.Series):
        d = _dtype_name(v)
        out = {"type": "series", "name": _label(v.name), "dtype": d,
               "values": _column_values(v, d, inputs)}
        if (ix := _index(v, inputs)) is not None:
            out["index"] = ix
        return out
    if isinstance(v, np.ndarray):
        kind = v.dtype.kind
        if kind == "U":
            d = "str"
        elif kind == "S":
            d = "bytes"
        elif kind == "O":
            d = "object"
        else:
            d = str(v.dtype)

        def enc(x):
            if kind == "O":
                return encode_elem(x, inputs)
            if kind == "S":
                return base64.b64encode(x).decode()
            if kind == "f":
                return None if x != x else float(x)
            if kind == "M":
                return str(x)
            return encode_elem(x.item() if hasattr(x, "item") else x, inputs)

        def nest(a):
            if not isinstance(a, np.ndarray):
                return enc(a)
            if a.ndim == 0:
                return enc(a[()])
            return [nest(a[i]) for i in range(a.shape[0])]

        return {"type": "ndarray", "dtype": d, "shape": list(v.shape), "values": nest(v)}
    if isinstance(v, dict) and v and all(isinstance(x, np.ndarray) for x in v.values()):
        return {"type": "tensor_dict",
                "arrays": {k: encode_value(a, inputs) for k, a in v.items()}}
    return {"type": "json", "value": encode_elem(v, inputs)}


def encode_params(p, inputs=True):
    """Params (a dict, or `None`) as an object of Elems."""
    return None if p is None else {k: encode_elem(x, inputs) for k, x in p.items()}


# --------------------------------------------------------------------------------------------
# Value -> Python
# --------------------------------------------------------------------------------------------


def _unit_of(text):
    """numpy's datetime64 unit of an ISO text by its precision."""
    if "T" not in text:
        return "D"
    frac = text.split(".", 1)[1] if "." in text else ""
    return {0: "s", 3: "ms", 6: "us", 9: "ns"}.get(len(frac), "ns")


def decode_elem(e):
    """The Python value an Elem describes."""
    if isinstance(e, list):
        return [decode_elem(x) for x in e]
    if not isinstance(e, dict):
        return e
    if len(e) == 1:
        (tag, x), = e.items()
        if tag == "$float":
            return float(x)
        if tag == "$bytes":
            return base64.b64decode(x)
        if tag == "$datetime":
            return dt.datetime.fromisoformat(x)
        if tag == "$date":
            return dt.date.fromisoformat(x)
        if tag == "$datetime64":
            return np.datetime64(x, _unit_of(x))
        if tag == "$timestamp":
            return pd.Timestamp(x)
        if tag == "$nat":
            return pd.NaT
        if tag == "$na":
            return pd.NA
        if tag == "$numpy":
            return np.dtype(x[0]).type(decode_elem(x[1]))
        if tag == "$ndarray":
            return decode_value(x)
        if tag == "$tuple":
            return tuple(decode_elem(y) for y in x)
        if tag == "$dict":
            return {decode_elem(k): decode_elem(y) for k, y in x}
        if tag == "$value":
            return decode_value(x)
    return {k: decode_elem(x) for k, x in e.items()}


# pandas' dtype for a column of Python strings, which the Value form calls `str`: pandas 3's
# `str` (a StringDtype with NaN for missing values); `object` on pandas 2 (whose `StringDtype`
# takes no `na_value` before 2.3), or its `string[pyarrow_numpy]` under `future.infer_string`.
_STR = pd.Series(["a"]).dtype

_NUMERIC = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
            "float16", "float32", "float64"}


def _objects(values, shape=None):
    out = np.empty(len(values) if shape is None else shape, dtype=object)
    flat = out.reshape(-1)
    for i, x in enumerate(values):
        flat[i] = x
    return out


def _column(dtype, values, name, index):
    if dtype in _NUMERIC:
        if dtype.startswith("float"):
            values = [np.nan if x is None else x for x in values]
        return pd.Series(np.array(values, dtype=dtype), name=name, index=index)
    if dtype == "str":
        return pd.Series(values, dtype=_STR, name=name, index=index)
    if dtype == "bytes":
        return pd.Series(_objects([None if x is None else base64.b64decode(x) for x in values]),
                         dtype=object, name=name, index=index)
    if dtype.startswith("datetime64"):
        arr = np.array([np.datetime64("NaT") if x is None else np.datetime64(x) for x in values],
                       dtype=dtype)
        return pd.Series(arr, name=name, index=index)
    if dtype == "object":
        return pd.Series(_objects([decode_elem(x) for x in values]), dtype=object, name=name,
                         index=index)
    # pandas' nullable extension dtypes (Int64, Float64, boolean, string)
    return pd.Series(pd.array([pd.NA if x is None else x for x in values], dtype=dtype),
                     name=name, index=index)


def _ndarray(v):
    dtype, shape, values = v["dtype"], tuple(v["shape"]), v["values"]

    def flat(x, depth):
        if depth == 0:
            return [x]
        return [y for item in x for y in flat(item, depth - 1)]

    items = flat(values, len(shape))
    if dtype == "object":
        return _objects([decode_elem(x) for x in items], shape)
    if dtype == "str":
        return np.array(items, dtype=str).reshape(shape)
    if dtype == "bytes":
        return np.array([base64.b64decode(x) for x in items], dtype=bytes).reshape(shape)
    if dtype.startswith("datetime64"):
        return np.array(items, dtype=dtype).reshape(shape)
    if dtype.startswith("float"):
        items = [np.nan if x is None else x for x in items]
    return np.array(items, dtype=dtype).reshape(shape)


def decode_value(v):
    """The Python object (DataFrame, Series, ndarray, dict of arrays, value) a Value describes."""
    kind = v["type"]
    if kind == "dataframe":
        index = [decode_elem(x) for x in v["index"]] if "index" in v else None
        n = len(v["columns"][0]["values"]) if v["columns"] else len(index or [])
        df = pd.DataFrame(index=index if index is not None else pd.RangeIndex(n))
        for i, c in enumerate(v["columns"]):
            df.insert(i, c["name"], _column(c["dtype"], c["values"], c["name"], df.index),
                      allow_duplicates=True)
        return df
    if kind == "series":
        index = [decode_elem(x) for x in v["index"]] if "index" in v else None
        return _column(v["dtype"], v["values"], v["name"], index)
    if kind == "ndarray":
        return _ndarray(v)
    if kind == "tensor_dict":
        return {k: _ndarray(a) for k, a in v["arrays"].items()}
    if kind == "json":
        return decode_elem(v["value"])
    raise ValueError(f"unknown value type {kind!r}")

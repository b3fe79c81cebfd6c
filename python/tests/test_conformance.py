"""The in-memory cases of the conformance corpus (`infer`, `enforce`), replayed through the
Python API: each case's input is decoded into the pandas/numpy object MLflow was given, then
`signet.infer_signature`, `signet.enforce` and `signet.validate` must decide as MLflow did.
DataFrame inputs are replayed a second time as pyarrow tables where pyarrow keeps their dtypes.

A case that fails and is not in the known-gaps list fails the suite; so does a known gap that
passes (remove it from the list)."""
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import signet
from signet import _elem
from conftest import cases, known_gaps, same_message

INFER = cases("infer")
ENFORCE = cases("enforce")
GAPS = known_gaps()


def _decode(v):
    return None if v is None else _elem.decode_value(v)


def _params(p):
    if p is None:
        return None
    if isinstance(p, dict):
        return {k: _elem.decode_elem(x) for k, x in p.items()}
    return _elem.decode_elem(p)


def _arrow_twin(obj):
    """The same DataFrame as a pyarrow table, when pyarrow keeps every column's dtype."""
    if not isinstance(obj, pd.DataFrame) or obj.shape[1] == 0:
        return None
    if not obj.columns.is_unique or not all(isinstance(c, str) for c in obj.columns):
        return None
    if any(obj[c].dtype == object or str(obj[c].dtype) == "float16" for c in obj.columns):
        return None
    try:
        table = pa.Table.from_pandas(obj, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    back = table.to_pandas()
    if list(back.dtypes.astype(str)) != list(obj.dtypes.astype(str)):
        return None
    return table


def _outcome(fn):
    try:
        return fn(), None
    except signet.SignetError as e:
        return None, e


def check_infer(case):
    inp, out = _decode(case["input"]), _decode(case["output"])
    params = _params(case["params"])
    want = case["expect"]
    got, err = _outcome(lambda: signet.infer_signature(inp, out, params))
    if "error" in want:
        assert err is not None, f"expected error {want['error']!r}, got {got}"
        assert same_message(want["error"], str(err)), f"{want['error']!r} != {str(err)!r}"
        return
    assert err is None, f"expected {want['signature']}, got error {err}"
    assert got.to_dict() == want["signature"]
    twin = _arrow_twin(inp)
    if twin is not None:
        assert signet.infer_signature(twin, out, params).to_dict() == want["signature"], "pyarrow"


def _plain(v):
    """Results as the corpus records them: numpy scalars plain, no index."""
    v = dict(v)
    v.pop("index", None)
    return v


def check_enforce(case):
    sig = signet.Signature.from_dict(case["signature"]) if case["signature"] else None
    inp = _decode(case["input"])
    params = _params(case["params"])
    want = case["expect"]

    def run():
        r = signet.enforce(inp, sig, params=params, compat="mlflow")
        return r if params is not None else (r, None)

    got, err = _outcome(run)
    if want["ok"]:
        assert err is None, f"expected success, got {err!r}"
        data, got_params = got
        have = _elem.encode_value(data, inputs=False)
        assert json.dumps(_plain(have)) == json.dumps(_plain(want["input"])), "input differs"
        found = signet.validate(inp, sig, compat="mlflow")
        assert found.num_rows == 0, found.to_pylist()
    else:
        assert err is not None, "expected an error, got success"
        assert same_message(want["error"], err.inner_message or str(err)), (
            f"{want['error']!r} != {err.inner_message!r}"
        )
        assert err.error_class == want["error_class"]
        assert err.column == want["column"]
        if want["wrapped"] and want["error_class"] != "invalid_params":
            found = signet.validate(inp, sig, compat="mlflow")
            assert found.num_rows > 0, "validate found nothing MLflow refuses"
    twin = _arrow_twin(inp)
    if twin is not None:
        refused = _outcome(lambda: signet.enforce(twin, sig, compat="mlflow"))[1] is not None
        if want["ok"]:
            assert not refused, "pyarrow input refused"
        elif want["wrapped"] and want["error_class"] != "invalid_params":
            assert refused, "pyarrow input accepted"


def _run(case, check):
    cid = case["id"]
    try:
        check(case)
    except Exception as e:  # noqa: BLE001 - the assertion is the known-gap bookkeeping
        if cid in GAPS:
            pytest.xfail(GAPS[cid])
        raise AssertionError(f"{cid}: {e}") from e
    if cid in GAPS:
        pytest.fail(f"{cid} passes: remove it from conformance/known-gaps.tsv")


@pytest.mark.parametrize("case", INFER, ids=[c["id"] for c in INFER])
def test_infer(case):
    _run(case, check_infer)


# Cases without a signature test MLflow passing data through untouched; the Python API always
# enforces a signature, so they have nothing to replay here (the Rust replay covers them).
ENFORCE_WITH_SIG = [c for c in ENFORCE if c["signature"]]


@pytest.mark.parametrize("case", ENFORCE_WITH_SIG, ids=[c["id"] for c in ENFORCE_WITH_SIG])
def test_enforce(case):
    _run(case, check_enforce)


def test_corpus_is_there():
    assert len(INFER) > 100 and len(ENFORCE) > 500, (len(INFER), len(ENFORCE))

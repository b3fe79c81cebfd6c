"""The Python API on each kind of data: pandas, pyarrow, numpy, Python values; models run
natively; bad input raises a clear Python exception (never a crash)."""
import gc
import json
import pathlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import signet
from _routes import assert_same_answers, outcome as _outcome

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOUSE_ONNX = ROOT / "examples" / "models" / "house_price"
HOUSE_SKLEARN = ROOT / "examples" / "models" / "house_price_sklearn"

HOUSE_INPUTS = (
    '[{"type": "long", "name": "sqft", "required": true}, '
    '{"type": "long", "name": "bedrooms", "required": true}]'
)


def houses():
    return pd.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]})


def test_infer_pandas_pyarrow_polars_like_agree():
    sig = signet.infer_signature(houses())
    assert sig.inputs == HOUSE_INPUTS and sig.outputs is None and sig.params is None
    assert signet.infer_signature(pa.Table.from_pandas(houses())) == sig
    assert signet.infer_signature(pa.RecordBatch.from_pandas(houses())) == sig


def test_polars_frames_cross_through_the_arrow_stream():
    import polars as pl

    # A text column (polars exports `string_view`) and an all-null one (which polars exports
    # with a buffer arrow-rs' importer refuses: the frame goes through pyarrow).
    df = pl.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4], "city": ["a", None],
                       "note": [None, None]})
    sig = signet.infer_signature(df)
    assert sig == signet.infer_signature(df.to_pandas())
    assert json.loads(sig.inputs)[2:] == [
        {"type": "string", "name": "city", "required": False},
        {"type": "any", "name": "note", "required": False},
    ]
    bad = pl.DataFrame({"sqft": [1500.0, None, 1.5], "bedrooms": [3, 4, 5]})
    house = signet.Signature(HOUSE_INPUTS)
    found = signet.validate(bad, house)
    assert found.to_pylist() == signet.validate(bad.to_pandas(), house).to_pylist()
    assert found.column("row").to_pylist() == [1, 2]
    good = signet.enforce(pl.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]}), house)
    assert good.column("sqft").to_pylist() == [1500, 2000]


def test_infer_output_and_params():
    sig = signet.infer_signature(houses(), np.array([1.0, 2.0]), {"k": 5, "name": "x"})
    assert sig.outputs == '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
    assert json.loads(sig.params) == [
        {"name": "k", "type": "long", "default": 5, "shape": None},
        {"name": "name", "type": "string", "default": "x", "shape": None},
    ]


def test_infer_object_columns_go_through_the_value_form():
    df = pd.DataFrame({"tags": [["a"], ["b", "c"]], "n": [1, 2]})
    sig = signet.infer_signature(df)
    assert json.loads(sig.inputs)[0] == {
        "type": "array", "items": {"type": "string"}, "name": "tags", "required": True
    }


def test_validate_reports_every_row():
    bad = pd.DataFrame({"sqft": [1500.0, None, 1.5], "bedrooms": [3, 4, 5]})
    found = signet.validate(bad, signet.Signature(HOUSE_INPUTS))
    assert found.column_names == ["row", "column", "value", "reason"]
    assert found.column("row").to_pylist() == [1, 2]
    assert found.column("column").to_pylist() == ["sqft", "sqft"]
    assert found.column("value").to_pylist()[1] == "1.5"
    assert signet.validate(houses(), signet.Signature(HOUSE_INPUTS)).num_rows == 0


def test_validate_missing_column():
    found = signet.validate(pd.DataFrame({"sqft": [1]}), signet.Signature(HOUSE_INPUTS))
    assert found.column("row").to_pylist() == [None]
    assert found.column("reason")[0].as_py() == "Model is missing inputs ['bedrooms']."


def test_enforce_converts_and_refuses_with_mlflows_message():
    sig = signet.Signature('[{"type": "double", "name": "x", "required": true}]')
    out = signet.enforce(pd.DataFrame({"x": np.array([1, 2], dtype="int32")}), sig)
    assert str(out["x"].dtype) == "float64" and out["x"].tolist() == [1.0, 2.0]
    with pytest.raises(signet.EnforceError) as e:
        signet.enforce(pd.DataFrame({"x": ["a"]}), sig)
    assert e.value.error_class == "incompatible_type"
    assert e.value.column == "x"
    assert str(e.value).startswith("Incompatible input types for column x.")


def _bases(a):
    """The chain of objects an array's memory belongs to."""
    while a is not None:
        yield a
        a = getattr(a, "base", None)


def test_handed_over_memory_lives_as_long_as_its_array():
    # The array's base owns Rust's buffer (`numpy_api::ArrowMemory`): once the frame is gone and
    # the allocator has handed the same sizes out again, the array still holds its values.
    sig = signet.Signature('[{"type": "long", "name": "a", "required": true}]')
    out = signet.enforce(pd.DataFrame({"a": np.arange(100_000, dtype="int32")}), sig)
    values = out["a"].to_numpy()
    del out
    gc.collect()
    for _ in range(20):
        signet.enforce(pd.DataFrame({"a": np.full(100_000, 7, dtype="int32")}), sig)
    assert values.tolist() == list(range(100_000))
    assert values.flags.c_contiguous and values.flags.aligned


def test_text_results_take_the_dtype_pandas_gives_python_strings():
    # Results decoded from the Value form (a list, a scalar) get `str` columns in pandas' own
    # dtype for Python strings: `str` on pandas 3, `object` on pandas 2 (whose StringDtype takes
    # no `na_value` before 2.3: decoding raised a TypeError there).
    sig = signet.Signature('[{"type": "string", "required": true}]')
    text = pd.Series(["x"]).dtype
    for data, values in ((["a", "b"], ["a", "b"]), ("a", ["a"])):
        out = signet.enforce(data, sig)
        assert out.dtypes.tolist() == [text], data
        assert out.iloc[:, 0].tolist() == values


def test_enforced_frames_never_alias_the_input():
    sig = signet.Signature(
        '[{"type": "long", "name": "a", "required": true}, '
        '{"type": "long", "name": "b", "required": true}, '
        '{"type": "double", "name": "c", "required": true}]'
    )
    df = pd.DataFrame(
        {
            "a": np.array([1, 2, 3], dtype="int32"),  # converted to int64
            "b": np.array([4, 5, 6], dtype="int64"),  # passed through
            "c": np.array([0.5, 1.5, 2.5]),
        }
    )
    out = signet.enforce(df, sig)
    assert [str(t) for t in out.dtypes] == ["int64", "int64", "float64"]
    for col in "abc":
        assert not np.shares_memory(out[col].to_numpy(), df[col].to_numpy()), col
    # The converted column is Rust's own memory, handed over without a copy, and writable.
    assert any(type(b).__name__ == "ArrowMemory" for b in _bases(out["a"].to_numpy()))
    out.loc[0, "a"] = 70
    out.loc[0, "b"] = 40
    assert out["a"].tolist() == [70, 2, 3] and out["b"].tolist() == [40, 5, 6]
    assert df["a"].tolist() == [1, 2, 3] and df["b"].tolist() == [4, 5, 6]
    # A frame enforcement leaves as it is: a copy-on-write copy, indexed 0..n-1.
    same = pd.DataFrame({"a": [1, 2], "b": [3, 4], "c": [0.5, 1.0]}, index=[7, 8])
    out = signet.enforce(same, sig)
    assert out is not same and list(out.index) == [0, 1] and list(same.index) == [7, 8]
    out.loc[0, "a"] = 10
    out.columns.name = "renamed"
    assert same["a"].tolist() == [1, 2] and same.columns.name is None
    # A tensor that enforcement passes through is the caller's array itself, as MLflow's
    # `_enforce_schema` returns it (no copy: 1M x 784 float32 rows are 3 GB), also when signet
    # read a contiguous copy of it.
    tsig = signet.Signature('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]')
    arr = np.ones((3, 2), dtype="float32")
    assert signet.enforce(arr, tsig) is arr
    strided = np.ones((6, 2), dtype="float32")[::2]
    assert not strided.flags.c_contiguous
    assert signet.enforce(strided, tsig) is strided


@pytest.mark.parametrize("name,array", [
    ("float32 2-D", np.arange(6, dtype="float32").reshape(3, 2)),
    ("int8 1-D", np.arange(4, dtype="int8")),
    ("bool", np.array([[True, False], [False, True]])),
    ("0-d", np.array(2.5)),
    ("big-endian", np.arange(6, dtype=">f8").reshape(3, 2)),
    ("Fortran order", np.asfortranarray(np.arange(6, dtype="float64").reshape(3, 2))),
    ("strided", np.arange(12, dtype="float64").reshape(6, 2)[::2]),
    ("uint64", np.arange(4, dtype="uint64")),
    ("datetime64", np.array(["2020-01-01"], dtype="datetime64[ns]")),
    ("object", np.array([1, "a"], dtype=object)),
    ("text", np.array(["a", "b"])),
])
def test_numpy_arrays_read_by_rust_answer_as_the_python_payload(name, array):
    """A numpy array reaches Rust as itself (dtype, shape and memory read from its array
    interface) or, when Rust declines it, as the payload Python builds: the answers are those
    of the payload route either way."""
    from signet import _convert, _signet

    slow = _convert.declined_payload(array)
    assert _outcome(lambda: _signet.infer_signature(("ndarray", array), None, None)) == _outcome(
        lambda: _signet.infer_signature(slow, None, None))
    sigs = ['[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 2]}}]',
            '[{"type": "tensor", "tensor-spec": {"dtype": "%s", "shape": %s}}]' % (
                array.dtype.name if array.dtype != object else "object",
                json.dumps([-1, *array.shape[1:]] if array.ndim else []))]
    for inputs in sigs:
        try:
            sig = signet.Signature(inputs)._native()
        except signet.SchemaError:
            continue
        for mode in ("strict", "mlflow"):
            assert_same_answers(("ndarray", array), slow, sig, mode, like=array,
                                where=(name, inputs, mode))


@pytest.mark.parametrize("name,data", [
    ("arrays", {"x": np.ones((3, 2), dtype="float32"), "y": np.arange(3)}),
    ("strided and big-endian", {"x": np.ones((6, 2), dtype="float32")[::2],
                                "y": np.arange(3, dtype=">i8")}),
    ("an integer key", {"x": np.ones((3, 2), dtype="float32"), 1: np.arange(3)}),
    ("a list value", {"x": np.ones((3, 2), dtype="float32"), "y": [1, 2, 3]}),
    ("an object array", {"x": np.ones((3, 2), dtype="float32"),
                         "y": np.array([1, "a", None], dtype=object)}),
    ("scalars", {"x": 1.5, "y": "a"}),
])
def test_dicts_read_by_rust_answer_as_the_python_payload(name, data):
    """A dict reaches Rust as itself and is read in place when its keys are text and its
    values numpy arrays Rust reads; any other goes the payload Python builds. Same answers."""
    from signet import _convert

    slow = _convert.declined_payload(data)
    named = '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}, "name": "x"}, ' \
            '{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "y"}]'
    cols = '[{"type": "double", "name": "x"}, {"type": "string", "name": "y", "required": false}]'
    for inputs in (named, cols):
        sig = signet.Signature(inputs)._native()
        for mode in ("strict", "mlflow"):
            assert_same_answers(("dict", data), slow, sig, mode, like=data,
                                where=(name, inputs, mode))


def test_a_frame_over_one_row_major_block_is_checked_as_its_values():
    # MLflow checks a frame of several columns against one unnamed TensorSpec as its values,
    # `df.to_numpy()`. A frame over one row-major block (`pd.DataFrame(array)`) is checked in
    # place, and `df.to_numpy()` itself comes back, as MLflow's does; the same values in any
    # other layout give the same answers, refusals included.
    arr = np.arange(12, dtype="float32").reshape(4, 3)
    fast = pd.DataFrame(arr, copy=False)
    slow = pd.DataFrame({i: arr[:, i].copy() for i in range(3)})  # one column-major block

    def spec(dtype, width):
        return signet.Signature(
            f'[{{"type": "tensor", "tensor-spec": {{"dtype": "{dtype}", "shape": [-1, {width}]}}}}]'
        )

    out = signet.enforce(fast, spec("float32", 3))
    assert isinstance(out, np.ndarray) and out.shape == (4, 3) and out.dtype == np.float32
    assert np.shares_memory(out, arr) and np.array_equal(out, arr)
    assert np.array_equal(signet.enforce(slow, spec("float32", 3)), arr)
    other_layouts = [
        pd.DataFrame(np.asfortranarray(arr), copy=False),  # contiguous columns
        pd.DataFrame(np.arange(24, dtype="float32").reshape(4, 6)[:, ::2] // 2, copy=False),
        pd.DataFrame(arr[::-1], copy=False).iloc[::-1].reset_index(drop=True),  # reversed rows
    ]
    for df in other_layouts:
        out = signet.enforce(df, spec("float32", 3))
        assert np.array_equal(out, df.to_numpy()) and out.dtype == np.float32
    cases = [(spec("float64", 3), fast, slow), (spec("float32", 4), fast, slow),
             (spec("float32", 3), fast.iloc[:0], slow.iloc[:0])]
    for sig, a, b in cases:
        refused = _outcome(lambda: signet.enforce(a, sig))
        assert refused[0] == "error" and refused == _outcome(lambda: signet.enforce(b, sig))
        assert signet.validate(a, sig).equals(signet.validate(b, sig))
        assert signet.validate(a, sig).num_rows == 1


def test_a_frame_that_passes_as_it_is_is_not_read():
    # `pd.DataFrame(X, columns=names)` holds its columns strided in one row-major block.
    # When the columns' labels and dtypes alone show that enforcement passes a frame as it
    # is, its values are not read (nor strided ones copied out): the answers (frame, params,
    # warnings, violations) are those of the per-column route, which reads every column.
    from signet import _convert

    X = np.random.default_rng(7).random((50, 4))
    names = ["a", "b", "c", "d"]
    frames = {
        "row-major": pd.DataFrame(X, columns=names, copy=False),
        "rows sliced": pd.DataFrame(X, columns=names, copy=False).iloc[::3],
        "float32": pd.DataFrame(X.astype("float32"), columns=names, copy=False),
        "extra column": pd.DataFrame(X, columns=names[:3] + ["e"], copy=False),
        "reordered": pd.DataFrame(X, columns=names[::-1], copy=False),
        "integers": pd.DataFrame((X * 10).astype("int64"), columns=names, copy=False),
        "contiguous columns": pd.DataFrame({c: X[:, i].copy() for i, c in enumerate(names)}),
        "mixed blocks": pd.DataFrame({"a": X[:, 0], "b": (X[:, 1] * 10).astype("int64"),
                                      "c": X[:, 2].astype("float32"), "d": X[:, 3]}),
    }
    assert not frames["row-major"]["a"].to_numpy().flags.c_contiguous
    params = '[{"name": "k", "type": "long", "default": 3, "shape": null}]'
    schemas = {
        "double": json.dumps([{"type": "double", "name": c} for c in names]),
        "optional d": json.dumps(
            [{"type": "double", "name": c, "required": c != "d"} for c in names]
        ),
        "long": json.dumps([{"type": "long", "name": c} for c in names]),
        "positional": json.dumps([{"type": "double"}] * 4),
    }
    for fname, df in frames.items():
        for sname, inputs in schemas.items():
            for with_params in (None, params):
                sig = signet.Signature(inputs, params=with_params)._native()
                given = '{"k": 7}' if with_params else None
                for mode in ("strict", "mlflow"):
                    assert_same_answers(("pandas", df), _convert.frame_payload(df), sig, mode,
                                        like=df, params=given,
                                        where=(fname, sname, with_params, mode))
    # The case it is for: the caller's frame comes back over the caller's memory where
    # pandas copies on write (a deep copy otherwise, so that writes stay apart).
    sig = signet.Signature(schemas["double"])
    out = signet.enforce(frames["row-major"], sig)
    assert np.shares_memory(out["a"].to_numpy(), X) == _convert._copy_on_write()
    assert signet.validate(frames["row-major"], sig).num_rows == 0


def test_series_and_dicts_of_arrays_are_read_in_place():
    # A dict of numeric arrays comes back with the caller's arrays themselves under the
    # schema's names (MLflow's `_enforce_schema`: `out["x"] is d["x"]`, extra keys dropped).
    sig = signet.Signature(
        '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}, "name": "x"}, '
        '{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "y"}]'
    )
    d = {"x": np.ones((3, 2), "float32"), "y": np.arange(3), "z": np.zeros(3)}
    out = signet.enforce(d, sig)
    assert list(out) == ["x", "y"] and out["x"] is d["x"] and out["y"] is d["y"]
    with pytest.raises(signet.EnforceError):
        signet.enforce({"x": d["x"], "y": d["y"].astype("int32")}, sig)
    # A numeric Series: read in place, answered as a frame like any other input.
    ssig = signet.Signature('[{"type": "long", "name": "a", "required": true}]')
    out = signet.enforce(pd.Series(np.arange(4, dtype="int32"), name="a"), ssig)
    assert out.equals(pd.DataFrame({"a": np.arange(4, dtype="int64")}))


def test_enforce_arrow_in_arrow_out():
    sig = signet.Signature('[{"type": "double", "name": "x", "required": true}]')
    out = signet.enforce(pa.table({"x": pa.array([1, 2], type=pa.int32())}), sig)
    assert isinstance(out, pa.RecordBatch)
    assert out.column(0).type == pa.float64()


def test_enforce_tensor_and_params():
    sig = signet.Signature(
        '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]',
        params='[{"name": "k", "type": "long", "default": 3, "shape": null}]',
    )
    data, params = signet.enforce(np.ones((3, 2), dtype="float32"), sig, params={})
    assert data.dtype == np.float32 and data.shape == (3, 2)
    assert params == {"k": 3}
    with pytest.raises(signet.EnforceError) as e:
        signet.enforce(np.ones((3, 3), dtype="float32"), sig)
    assert e.value.error_class == "shape_mismatch"


def test_diff_classifies():
    old = signet.Signature(HOUSE_INPUTS)
    new = signet.Signature('[{"type": "long", "name": "sqft", "required": true}]')
    assert not signet.diff(old, new).breaking
    d = signet.diff(new, old)
    assert d.breaking and "bedrooms" in d.text
    assert any(c["severity"] == "breaking" for c in d.changes)


def test_onnx_model_predicts_and_enforces():
    model = signet.load_model(str(HOUSE_ONNX))
    assert model.flavor == "onnx"
    assert model.signature.inputs is not None
    out = model.predict(houses())
    assert len(out) == 2
    with pytest.raises(signet.EnforceError) as e:
        model.predict(pd.DataFrame({"sqft": [1500]}))
    assert str(e.value).startswith("Failed to enforce schema of data")
    assert e.value.error_class == "missing_inputs"


def test_sklearn_model_predicts():
    model = signet.load_model(str(HOUSE_SKLEARN))
    assert model.flavor == "sklearn"
    df = pd.DataFrame({"sqft": [1500.0, None], "bedrooms": [3.0, 2.0], "city": ["Paris", "Lyon"]})
    out = np.asarray(model.predict(df)).ravel()
    assert out.shape == (2,) and np.isfinite(out).all()
    # MLflow's rule: int64 cannot safely become the signature's double.
    with pytest.raises(signet.EnforceError) as e:
        model.predict(df.assign(bedrooms=[3, 2]))
    assert "Can not safely convert int64 to float64" in str(e.value)


def test_signature_from_mlflow_dict_form():
    sig = signet.Signature.from_dict({"inputs": HOUSE_INPUTS, "outputs": None, "params": None})
    assert sig.to_dict() == {"inputs": HOUSE_INPUTS, "outputs": None, "params": None}
    with pytest.raises(signet.SchemaError):
        signet.Signature.from_dict({"inputs": '[{"type": "nope", "name": "x"}]'})


@pytest.mark.parametrize(
    "data",
    [
        np.array([1 + 2j]),
        pd.DataFrame({"x": [1 + 2j]}),
        object(),
    ],
    ids=["complex-array", "complex-column", "object"],
)
def test_unsupported_data_is_a_clear_error(data):
    for call in (signet.infer_signature, lambda d: signet.validate(d, signet.Signature(HOUSE_INPUTS))):
        with pytest.raises(signet.InputError) as e:
            call(data)
        assert str(e.value).startswith("signet cannot read a value of type")


def test_frame_without_columns():
    with pytest.raises(signet.SignetError) as e:
        signet.enforce(pd.DataFrame(), signet.Signature(HOUSE_INPUTS))
    assert "missing inputs" in str(e.value)


def test_unknown_model_uri(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    with pytest.raises(signet.ModelError) as e:
        signet.load_model("/no/such/model")
    assert "/no/such/model" in str(e.value)
    with pytest.raises(signet.ModelError) as e:
        signet.load_model("models:/nope@champion")
    assert str(e.value) == (
        "no tracking server: set MLFLOW_TRACKING_URI (or pass --tracking-uri), e.g. "
        "http://127.0.0.1:5000 after `mlflow server --port 5000`"
    )


def _frames():
    """(name, frame, read by Rust's block reader?) for the pandas-frame route."""
    rng = np.random.default_rng(0)
    n = 6
    times = pd.to_datetime(
        ["2020-01-01", None, "2021-06-30T12:00:00", "1999-12-31", None, "2000-02-29"],
        format="ISO8601",
    )
    base = pd.DataFrame({
        "i8": rng.integers(-5, 5, n).astype("int8"),
        "i64": rng.integers(-5, 5, n),
        "u4": rng.integers(0, 9, n).astype("uint32"),
        "f2": rng.random(n).astype("float16"),
        "f4": rng.random(n).astype("float32"),
        "f8": rng.random(n),
        "b": rng.random(n) < 0.5,
        "t_ns": times.astype("datetime64[ns]"),
        "t_s": times.astype("datetime64[s]"),
        "s": pd.array(["a", None, "c", "d", "e", "f"], dtype="str"),
        "S": pd.array(["a", "b", None, "d", "e", "f"], dtype="string[pyarrow]"),
    })
    # `str` columns are Arrow-backed from pandas 3 (read in place), object columns before
    # (which the block reader leaves to the per-column route).
    text = isinstance(base["s"].dtype, pd.StringDtype)
    yield "blocks", base, text
    yield "rows sliced", base.iloc[::2], text
    yield "rows reversed", base.iloc[::-1], text
    yield "column subset", base[["f8", "b", "i64"]], True
    yield "no rows", base.iloc[:0], text
    yield "strided 2-D", pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"], copy=False), True
    yield "duplicate labels", pd.DataFrame([[1, 2]], columns=["a", "a"]), True
    yield "integer labels", pd.DataFrame({0: [1, 2], 1: [3.0, 4.0]}), True
    yield "mixed labels", pd.DataFrame({0: [1, 2], "b": [3.0, 4.0]}), True
    yield "bool labels", pd.DataFrame({True: [1, 2]}), False
    yield "float labels", pd.DataFrame({1.5: [1, 2]}), False
    yield "range labels", pd.DataFrame(np.arange(6, dtype="float32").reshape(3, 2)), True
    yield "tz-aware", pd.DataFrame({"t": pd.date_range("2020", periods=3, tz="UTC")}), False
    yield "object column", pd.DataFrame({"o": [[1], [2]]}), False
    yield "big-endian", pd.DataFrame({"x": np.arange(3, dtype=">f8")}), False
    yield "categorical", pd.DataFrame({"c": pd.Categorical(["a", "b"])}), False


@pytest.mark.parametrize("name,df,read", list(_frames()), ids=[f[0] for f in _frames()])
def test_block_reader_answers_as_the_per_column_route(name, df, read, monkeypatch):
    """A DataFrame read from pandas' blocks by Rust gives exactly what the per-column route
    (`_convert.frame_payload`) gives: the same signature, violations and enforced frame."""
    from signet import _convert, _signet

    declined = []
    slow = _convert.frame_payload
    monkeypatch.setattr(_convert, "frame_payload", lambda d: declined.append(1) or slow(d))
    fast_sig = _outcome(lambda: _signet.infer_signature(("pandas", df), None, None))
    assert bool(declined) == (not read), name
    assert fast_sig == _outcome(lambda: _signet.infer_signature(slow(df), None, None))
    inputs = json.loads(fast_sig[1][0][0]) if fast_sig[0] == "ok" else []
    specs = [json.dumps(inputs)]
    # Every column declared `long`: violations of each kind of column, row by row.
    specs.append(json.dumps(
        [{"type": "long", "name": c["name"], "required": True} for c in inputs if "name" in c]
    ))
    for inputs_json in specs:
        if inputs_json == "[]":
            continue
        sig = signet.Signature(inputs_json)._native()
        for mode in ("strict", "mlflow"):
            assert _outcome(lambda: _signet.validate(("pandas", df), sig, mode)) == _outcome(
                lambda: _signet.validate(slow(df), sig, mode)
            )
            fast = _outcome(lambda: _signet.enforce(("pandas", df), sig, None, mode, False))
            want = _outcome(lambda: _signet.enforce(slow(df), sig, None, mode, False))
            assert fast[0] == want[0]
            if fast[0] == "ok":
                pd.testing.assert_frame_equal(
                    _convert.result(fast[1][0], like=df), _convert.result(want[1][0], like=df)
                )
            else:
                assert fast == want


@pytest.mark.parametrize(
    "inputs,want",
    [
        (None, [("sqft", True), ("bedrooms", True)]),
        ('[{"type": "long", "name": "a"}, {"type": "string", "name": "b.c", "required": false}]',
         [("a", True), ("b.c", False)]),
        ('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]', None),
        ('[{"type": "long"}, {"type": "double"}]', None),
    ],
    ids=["house", "optional", "tensor", "positional"],
)
def test_input_columns_read_from_the_mlmodel(tmp_path, inputs, want):
    # What signet.spark sends to its workers: the signature's named columns and their
    # required flags, read from MLmodel without loading the model.
    import shutil

    model = tmp_path / "m"
    shutil.copytree(HOUSE_ONNX, model)
    if inputs is not None:
        text = (model / "MLmodel").read_text()
        start = text.index("  inputs: ")
        end = text.index("  outputs: ")
        (model / "MLmodel").write_text(text[:start] + "  inputs: " + json.dumps(inputs) + "\n" + text[end:])
    assert signet._signet.input_columns(str(model)) == want


def test_input_columns_of_a_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(signet.ModelError):
        signet._signet.input_columns(str(tmp_path / "nowhere"))

"""The Python API on each kind of data: pandas, pyarrow, numpy, Python values; models run
natively; bad input raises a clear Python exception (never a crash)."""
import json
import pathlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import signet

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


def test_unknown_model_uri():
    with pytest.raises(signet.ModelError) as e:
        signet.load_model("/no/such/model")
    assert "/no/such/model" in str(e.value)
    with pytest.raises(signet.ModelError) as e:
        signet.load_model("models:/nope@champion")
    assert "MLFLOW_TRACKING_URI" in str(e.value) or "nope" in str(e.value)

"""signet: MLflow model signatures, inferred, validated and enforced in Rust, and MLflow models
(ONNX, scikit-learn saved as skops, XGBoost, LightGBM) run natively.

    >>> import pandas as pd, signet
    >>> houses = pd.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]})
    >>> sig = signet.infer_signature(houses)
    >>> sig.inputs
    '[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]'
    >>> signet.validate(pd.DataFrame({"sqft": [1.5], "bedrooms": [3]}), sig).num_rows
    1

Data: pandas DataFrames and Series, numpy arrays, dicts of arrays, Python values, and anything
with `__arrow_c_stream__` (pyarrow, polars, ...). Results and messages are MLflow 3.17.2's.
The GIL is released while Rust works.
"""
import json as _json
import logging as _logging

from . import _convert
from ._errors import EnforceError, InputError, ModelError, SchemaError, SignetError
from ._signet import Model as _Model
from . import _signet

__all__ = [
    "Signature", "infer_signature", "validate", "enforce", "diff", "Diff", "load_model",
    "Model", "SignetError", "SchemaError", "EnforceError", "InputError", "ModelError",
]

_log = _logging.getLogger("signet")

_COMPAT = ("strict", "mlflow")


class Signature:
    """A model signature in MLflow's dict form: `inputs`, `outputs` and `params` are the JSON
    texts MLflow writes in the MLmodel file (or `None`)."""

    __slots__ = ("inputs", "outputs", "params", "_compiled")

    def __init__(self, inputs=None, outputs=None, params=None):
        self.inputs, self.outputs, self.params = inputs, outputs, params
        self._compiled = None

    @classmethod
    def from_dict(cls, d):
        """From `ModelSignature.to_dict()` form; checked and normalised as MLflow reads it."""
        compiled = _signet.CompiledSignature(d.get("inputs"), d.get("outputs"), d.get("params"))
        if compiled.is_empty:
            raise SchemaError("the signature has neither inputs, outputs nor params")
        sig = cls(*compiled.dict)
        sig._compiled = compiled
        return sig

    def _native(self):
        """The signature parsed once by Rust (`SchemaError` when it is not valid)."""
        if self._compiled is None:
            self._compiled = _signet.CompiledSignature(self.inputs, self.outputs, self.params)
        return self._compiled

    @classmethod
    def of(cls, obj):
        """A Signature from a Signature, an `mlflow.models.ModelSignature`, a dict, a model
        (signet's or a URI/path of one)."""
        if isinstance(obj, Signature):
            return obj
        if isinstance(obj, dict):
            return cls.from_dict(obj)
        if isinstance(obj, Model):
            sig = obj.signature
            if sig is None:
                raise SchemaError(f"the model at {obj.path} has no signature")
            return sig
        if hasattr(obj, "to_dict"):
            return cls.from_dict(obj.to_dict())
        if isinstance(obj, str):
            return cls.of(load_model(obj))
        raise InputError(f"not a signature: {type(obj).__name__}")

    def to_dict(self):
        """`ModelSignature.to_dict()`."""
        return {"inputs": self.inputs, "outputs": self.outputs, "params": self.params}

    def _tuple(self):
        return (self.inputs, self.outputs, self.params)

    def to_mlflow(self):
        """The same signature as an `mlflow.models.ModelSignature` (needs mlflow)."""
        from mlflow.models.signature import ModelSignature

        return ModelSignature.from_dict(self.to_dict())

    def __eq__(self, other):
        return isinstance(other, Signature) and self._tuple() == other._tuple()

    def __repr__(self):
        return f"Signature(inputs={self.inputs!r}, outputs={self.outputs!r}, params={self.params!r})"


def _warn(messages):
    for m in messages:
        _log.warning(m)


def _compat(compat):
    if compat not in _COMPAT:
        raise InputError(f"compat must be one of {_COMPAT}, not {compat!r}")
    return compat


def infer_signature(data, output=None, params=None):
    """`mlflow.models.infer_signature(model_input, model_output, params)`: the same signature,
    byte for byte; MLflow's warnings go to the `signet` logger."""
    inp = None if data is None else _convert.payload(data)
    out = None if output is None else _convert.payload(output)
    sig, warnings = _signet.infer_signature(inp, out, _convert.params_json(params))
    _warn(warnings)
    return Signature(*sig)


def validate(data, signature, compat="strict"):
    """Every violation of `data` against the signature's inputs, as a `pyarrow.Table` with
    columns `row` (0-based, null for a problem of a whole column), `column`, `value` (as
    Python shows it) and `reason` (MLflow's message). Empty when the data passes.

    `signature`: a Signature, an mlflow ModelSignature, a dict, a model or a model URI/path.
    """
    import pyarrow as pa

    sig = Signature.of(signature)
    rows = _signet.validate(_convert.payload(data), sig._native(), _compat(compat))
    if not rows:
        return _no_violations()
    cols = list(zip(*rows))
    return pa.table(
        {
            "row": pa.array(cols[0], type=pa.int64()),
            "column": pa.array(cols[1], type=pa.string()),
            "value": pa.array(cols[2], type=pa.string()),
            "reason": pa.array(cols[3], type=pa.string()),
        }
    )


_EMPTY = []


def _no_violations():
    """The empty violations table (pyarrow tables are immutable: one is shared)."""
    if not _EMPTY:
        import pyarrow as pa

        _EMPTY.append(pa.table({
            "row": pa.array([], type=pa.int64()),
            "column": pa.array([], type=pa.string()),
            "value": pa.array([], type=pa.string()),
            "reason": pa.array([], type=pa.string()),
        }))
    return _EMPTY[0]


def enforce(data, signature, params=None, compat="strict"):
    """MLflow's `_enforce_schema` (and params enforcement): the data as the model would
    receive it, converted to the signature's types; raises `EnforceError` with MLflow's
    message when the data is refused. With `params`, returns `(data, params)`."""
    sig = Signature.of(signature)
    out, got_params, warnings = _signet.enforce(
        _convert.payload(data), sig._native(), _convert.params_json(params), _compat(compat),
        _convert.wants_arrow(data),
    )
    if warnings:
        _warn(warnings)
    result = _convert.result(out, like=data)
    if params is None:
        return result
    from . import _elem

    return result, None if got_params is None else _elem.decode_elem(_json.loads(got_params))


class Diff:
    """What changed between two signatures: `breaking`, `text` (human-readable) and `changes`
    (a list of dicts: kind, part, name, old, new, severity, ...)."""

    __slots__ = ("breaking", "text", "report")

    def __init__(self, text, report, breaking):
        self.text, self.report, self.breaking = text, report, breaking

    @property
    def changes(self):
        """The changes as dicts, as `signet diff --format json` prints them."""
        return self.report.get("changes", [])

    def __repr__(self):
        return self.text


def diff(old, new):
    """Compares two signatures (or models, or model URIs) for existing callers: each change is
    classified breaking or compatible (docs/signature-compatibility.md)."""
    text, report, breaking = _signet.diff(Signature.of(old)._native(), Signature.of(new)._native())
    return Diff(text, _json.loads(report), breaking)


class Model:
    """A model loaded as `mlflow.pyfunc.load_model` loads it, and run natively."""

    __slots__ = ("_inner",)

    def __init__(self, inner):
        self._inner = inner

    @property
    def signature(self):
        """The model's Signature, or None."""
        sig = self._inner.signature
        return None if sig is None else Signature(*sig)

    @property
    def flavor(self):
        """The flavor that runs the model (`onnx`, `sklearn`, `xgboost`, `lightgbm`)."""
        return self._inner.flavor

    @property
    def path(self):
        """The local model directory."""
        return self._inner.path

    def predict(self, data, params=None):
        """`PyFuncModel.predict(data, params)`: the signature is enforced first (an
        `EnforceError` with MLflow's whole message when refused), then the model runs."""
        out, warnings = self._inner.predict(
            _convert.payload(data), _convert.params_json(params), _convert.wants_arrow(data)
        )
        _warn(warnings)
        return _convert.result(out, like=data)

    def __repr__(self):
        return f"signet.Model(flavor={self.flavor!r}, path={self.path!r})"


def load_model(model_uri, compat="strict"):
    """Loads a model from a directory or a model URI (`models:/name@alias`, `models:/name/3`,
    `runs:/<run>/<path>`, `mlflow-artifacts:/...`; `MLFLOW_TRACKING_URI` names the server).
    Downloads go into signet's cache once."""
    return Model(_Model(str(model_uri), _compat(compat)))

"""ONNX interop between signet and real MLflow 3.17.2 (run by scripts/interop.sh).

    python check_onnx.py write-mlflow DIR   # MLflow saves ONNX models into DIR/onnx-mlflow/<name>
    python check_onnx.py check-signet DIR   # MLflow runs the ONNX models signet saved into DIR/onnx-signet/<name>

`write-mlflow` trains small scikit-learn models on fixed data, exports them with skl2onnx
(zipmap off), saves each with `mlflow.onnx.save_model` with an input example and the signature
MLflow infers from the example and the pyfunc model's prediction on it
(`infer_signature(example, pyfunc.predict(example))`), and writes next to it `expected.json`:
that signature and MLflow's (onnxruntime's) predictions on the loaded input example.
signet's interop test (crates/signet-onnx/tests/interop.rs) must predict the same within
1e-5, then saves each model.onnx again with signet (`save_onnx_model`, signature inferred by
signet) into DIR/onnx-signet/<name> with its own `expected.json`.

`check-signet` loads each of those with `mlflow.models.Model.load` (same signature) and
`mlflow.pyfunc.load_model` (MLflow's onnxruntime wrapper) and checks MLflow's predictions on
the saved input example equal signet's within 1e-5. Prints `N passed, N failed`, exits 1 on
any failure.
"""

import json
import os
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_TRACKING_URI", "file:///tmp/signet-interop-mlruns")

import logging  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import mlflow  # noqa: E402
import mlflow.onnx  # noqa: E402
from mlflow.models import Model, infer_signature  # noqa: E402
from skl2onnx import to_onnx  # noqa: E402
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor  # noqa: E402
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.tree import DecisionTreeClassifier  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.ERROR)

TOLERANCE = 1e-5


def encode(pred):
    """A prediction as JSON: a DataFrame by columns, a dict or an array as shape + flat data."""

    def array(a):
        a = np.asarray(a)
        return {"shape": list(a.shape), "data": [float(x) for x in a.reshape(-1)]}

    if isinstance(pred, pd.DataFrame):
        return {"frame": {str(c): [float(x) for x in pred[c]] for c in pred.columns}}
    if isinstance(pred, dict):
        return {"dict": {k: array(v) for k, v in pred.items()}}
    return {"array": array(pred)}


def close(a, b, where):
    """Differences between two encoded predictions (empty when equal within TOLERANCE)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return [f"{where}: keys {sorted(a)} != {sorted(b)}"]
        out = []
        for k in a:
            out += close(a[k], b[k], f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} != {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += close(x, y, f"{where}[{i}]")
        return out[:5]
    if isinstance(a, float) or isinstance(b, float):
        if abs(float(a) - float(b)) > TOLERANCE * max(1.0, abs(float(a))):
            return [f"{where}: {a} != {b}"]
        return []
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def models():
    """(name, onnx model, input example) for each case."""
    rng = np.random.RandomState(0)
    out = []

    # The house-price regression: two int64 columns fed as one [N, 2] tensor.
    house = pd.DataFrame({"sqft": [1500, 2000, 1200, 1800, 2400], "bedrooms": [3, 4, 2, 3, 4]})
    price = house["sqft"] * 200 + house["bedrooms"] * 10000
    lin = LinearRegression().fit(house.values.astype(np.float64), price)
    onx = to_onnx(lin, house.values.astype(np.int64)[:1], target_opset=17)
    out.append(("linreg-house-df", onx, house.head(3)))

    # Float features: DataFrame example (float64 columns cast to the float32 input by MLflow).
    X = rng.rand(60, 4).astype(np.float32)
    y = X @ np.array([1.5, -2.0, 0.5, 3.0], dtype=np.float32) + rng.rand(60).astype(np.float32)
    frame = pd.DataFrame(X[:4].astype(np.float64), columns=["a", "b", "c", "d"])

    rf = RandomForestRegressor(n_estimators=5, max_depth=4, random_state=0).fit(X, y)
    out.append(("random-forest-df", to_onnx(rf, X[:1], target_opset=17), frame))

    gbr = GradientBoostingRegressor(n_estimators=10, max_depth=3, random_state=0).fit(X, y)
    out.append(("gradient-boosting-ndarray", to_onnx(gbr, X[:1], target_opset=17), X[:4]))

    # Classifiers with ndarray examples: MLflow returns a dict of label and probabilities.
    labels = (y > np.median(y)).astype(np.int64)
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, labels)
    onx = to_onnx(pipe, X[:1], target_opset=17, options={"zipmap": False})
    out.append(("scaler-logreg-ndarray", onx, X[:5]))

    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, labels)
    onx = to_onnx(tree, X[:1], target_opset=17, options={"zipmap": False})
    out.append(("decision-tree-ndarray", onx, X[5:8]))
    return out


def write_mlflow(root):
    base = os.path.join(root, "onnx-mlflow")
    os.makedirs(base, exist_ok=True)
    for name, onx, example in models():
        # Save once without a signature to run MLflow's own pyfunc on the example...
        with tempfile.TemporaryDirectory() as tmp:
            probe = os.path.join(tmp, "m")
            mlflow.onnx.save_model(onx, probe)
            prediction = mlflow.pyfunc.load_model(probe).predict(example)
        signature = infer_signature(example, prediction)
        # ...then save the model for real, with the signature MLflow infers from them.
        path = os.path.join(base, name)
        mlflow.onnx.save_model(onx, path, signature=signature, input_example=example)
        loaded = Model.load(path).load_input_example(path)
        predictions = mlflow.pyfunc.load_model(path).predict(loaded)
        expected = {"signature": signature.to_dict(), "predictions": encode(predictions)}
        with open(os.path.join(path, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1)
        print(f"saved onnx-mlflow/{name}", file=sys.stderr)


def check_signet(root):
    base = os.path.join(root, "onnx-signet")
    names = sorted(os.listdir(base)) if os.path.isdir(base) else []
    passed, failures = 0, []
    if not names:
        failures.append("no ONNX models saved by signet found in " + base)
    for name in names:
        path = os.path.join(base, name)
        with open(os.path.join(path, "expected.json")) as f:
            expected = json.load(f)
        try:
            meta = Model.load(path)
            problems = []
            if meta.signature.to_dict() != expected["signature"]:
                problems.append(
                    f"signature {meta.signature.to_dict()} != signet's {expected['signature']}"
                )
            example = meta.load_input_example(path)
            predictions = encode(mlflow.pyfunc.load_model(path).predict(example))
            problems += close(expected["predictions"], predictions, "predictions")
        except Exception as e:  # a model MLflow cannot load or run is a failure, not a crash
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failures.append(f"onnx-signet/{name}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"MLflow loaded and ran onnx-signet/{name}", file=sys.stderr)
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"onnx interop (MLflow runs signet's models): {passed} passed, {len(failures)} failed")
    return not failures


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("write-mlflow", "check-signet"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "write-mlflow":
        write_mlflow(sys.argv[2])
    else:
        sys.exit(0 if check_signet(sys.argv[2]) else 1)


if __name__ == "__main__":
    main()

"""Load + first predict of an MLflow model with MLflow itself, the counterpart of
`cargo bench -p signet-onnx --bench load` (run by scripts/bench_vs_mlflow.sh, ONLY=load).

    python scripts/bench_load_mlflow.py MODEL_DIR [RUNS]

Times, in this already-started Python process (mlflow, pandas and onnxruntime imported
once before the first run), `mlflow.pyfunc.load_model(MODEL_DIR)` and then one `predict` on
the model's input example — the same work signet's bench does. Also times one cold start: a
fresh `python -c` that imports mlflow, loads and predicts once. Prints JSON lines like the
signet bench.
"""

import json
import statistics
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import logging  # noqa: E402

import mlflow  # noqa: E402
import mlflow.pyfunc  # noqa: E402
import onnxruntime  # noqa: E402,F401
from mlflow.models import Model  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.ERROR)


def line(stage, values, runs):
    values = sorted(values)
    p90 = values[round((len(values) - 1) * 0.9)]
    print(json.dumps({"bench": "load", "impl": "mlflow", "model": "house_price_onnx",
                      "stage": stage, "runs": runs,
                      "median_ms": round(statistics.median(values), 3),
                      "p90_ms": round(p90, 3), "min_ms": round(values[0], 3)}))


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    load_ms, total_ms = [], []
    for _ in range(runs):
        started = time.perf_counter()
        model = mlflow.pyfunc.load_model(path)
        loaded = time.perf_counter()
        example = Model.load(path).load_input_example(path)
        model.predict(example)
        done = time.perf_counter()
        load_ms.append((loaded - started) * 1e3)
        total_ms.append((done - started) * 1e3)
    line("load_model", load_ms, runs)
    line("load_and_first_predict", total_ms, runs)
    code = ("import warnings; warnings.filterwarnings('ignore'); import mlflow.pyfunc; "
            "from mlflow.models import Model; p = %r; "
            "mlflow.pyfunc.load_model(p).predict(Model.load(p).load_input_example(p))" % path)
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        cold.append((time.perf_counter() - started) * 1e3)
    line("cold_process_import_load_predict", cold, 3)


if __name__ == "__main__":
    main()

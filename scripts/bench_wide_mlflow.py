"""bench_wide_mlflow.py — MLflow 3.17.2 on wide requests, the MLflow side of signet's
`cargo bench -p signet-protocol --bench wide` (same bodies): a 1-row `dataframe_split` whose N
columns `x0..` are all extra against the house-price model (`refused`), and the same plus
`sqft`, `bedrooms` (`accepted`). Timed: `scoring_server.invocations(body, "application/json",
model, schema)`, the request handler minus HTTP (parse, enforcement, error message).

Run: MLFLOW_PY=.venv-interop/bin/python; $MLFLOW_PY scripts/bench_wide_mlflow.py [--widths 10,1000]
Prints one JSON line per case: {"case", "columns", "median_s", "runs", "status"}.
"""

import argparse
import json
import logging
import os
import statistics
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.environ.get("SIGNET_SHARED_BENCH", os.path.join(ROOT, "..", "shared", "bench")))
import _mlflow_fixtures as F  # noqa: E402


def body(known, n):
    cols = [f'"{k}"' for k in known] + [f'"x{i}"' for i in range(n)]
    data = [f"{i % 1000}.5" for i in range(len(cols))]
    return '{"dataframe_split": {"columns": [%s], "data": [[%s]]}}' % (", ".join(cols), ", ".join(data))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", default="10,1000,10000,100000")
    ap.add_argument("--budget", type=float, default=3.0, help="seconds of timed runs per case")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    import mlflow.pyfunc
    from mlflow.exceptions import MlflowException
    from mlflow.pyfunc import scoring_server

    model = mlflow.pyfunc.load_model(F.ensure_model("house_price", "house_price"))
    schema = model.metadata.get_input_schema()
    for n in [int(w) for w in args.widths.split(",")]:
        for case, known in (("refused", []), ("accepted", ["sqft", "bedrooms"])):
            b = body(known, n)
            runs = []
            while len(runs) < 3 or (sum(runs) < args.budget and len(runs) < 50):
                t = time.perf_counter()
                try:
                    status = scoring_server.invocations(b, "application/json", model, schema).status
                except MlflowException as e:  # what the web layer turns into a 400 body
                    status = e.get_http_status_code()
                    e.serialize_as_json()
                runs.append(time.perf_counter() - t)
            print(json.dumps({"case": case, "columns": n, "median_s": statistics.median(runs),
                              "runs": len(runs), "status": status}), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""bench_tensor_mlflow.py — MLflow 3.17.2 parse + enforce of tensor784 request bodies.

The tensor case of ../shared/bench (a `Tensor(float32, (-1, 784))` signature) has no request
bodies there; this script times the same stage as parse_mlflow.py's `parse_enforce`
(`scoring_server._parse_json_data` then `_enforce_schema`) on two bodies per row count:

  split   {"dataframe_split": {"columns": [0, ..., 783], "data": [[...784 floats...], ...]}}
  inputs  {"inputs": [[...784 floats...], ...]}

(float32 values written as `json.dumps(ndarray.tolist())` writes them, as signet's
`signet_testkit::workloads::body("tensor784", ...)` does). One JSON line per measurement,
the fields of parse_mlflow.py. Run with the pinned venv:

  .venv-interop/bin/python scripts/bench_tensor_mlflow.py [--rows 1,100,10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings

SHARED = os.environ.get(
    "SIGNET_SHARED_BENCH",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"),
)
sys.path.insert(0, SHARED)

import _mlflow_fixtures as F  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", default="1,100,10000")
    ap.add_argument("--formats", default="split,inputs")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("mlflow").setLevel(logging.ERROR)

    import mlflow.pyfunc
    from mlflow.models.utils import _enforce_schema
    from mlflow.pyfunc import scoring_server

    model = mlflow.pyfunc.load_model(F.ensure_model("tensor784", "identity"))
    metadata = model.metadata
    schema = metadata.get_input_schema()
    for fmt in args.formats.split(","):
        for rows in [int(r) for r in args.rows.split(",")]:
            arr = F.make_input("tensor784_ndarray", rows)
            if fmt == "split":
                payload = {"dataframe_split": {"columns": list(range(784)), "data": arr.tolist()}}
            else:
                payload = {fmt: arr.tolist()}
            body = json.dumps(payload, separators=(",", ":")).encode()

            def run(body=body):
                parsed = scoring_server._parse_json_data(body, metadata, schema).data
                return _enforce_schema(parsed, schema)

            out = run()
            assert out.shape == (rows, 784) and str(out.dtype) == "float32", (out.shape, out.dtype)
            r = F.time_call(run, repeats=args.repeats)
            F.emit({"bench": "parse", "impl": "mlflow", "case": "tensor784", "format": fmt,
                    "stage": "parse_enforce", "rows": rows, "body_bytes": len(body),
                    "median_s": r["median_s"], "mb_per_s": len(body) / r["median_s"] / 1e6,
                    "runs": r["runs"], "loops": r["loops"], "min_s": r["min_s"],
                    "max_s": r["max_s"]})
            F.log(f"tensor784 {fmt:7s} rows={rows:>6,d} body={len(body):>10,d} B "
                  f"median={r['median_s'] * 1e3:9.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

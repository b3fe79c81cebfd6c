#!/usr/bin/env bash
# signet-trees against the libraries' own predict, same models, same data, same run:
#
#   bash scripts/trees_bench.sh
#
# 1. tests/trees/bench_libraries.py DIR (in .venv-interop) makes an XGBoost and a LightGBM
#    model (300 trees each) and 1M rows, and times xgboost.Booster.inplace_predict /
#    lightgbm.Booster.predict (single row; 10k and 1M rows on 2 threads);
# 2. cargo bench -p signet-trees --bench predict times signet-trees on the same;
# 3. prints the ratios (library time / signet time: > 1 means signet is faster).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=.venv-interop
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
"$VENV/bin/python" tests/trees/bench_libraries.py "$DIR"
SIGNET_TREES_BENCH_DIR="$DIR" cargo bench -p signet-trees --bench predict
"$VENV/bin/python" - "$DIR/python.json" <<'PY'
import json, sys, os
lib = json.load(open(sys.argv[1]))
print(f"{'case':12} {'library':>12} {'signet':>12} {'ratio':>8}")
for k, t in lib.items():
    est = json.load(open(os.path.join("target/criterion/trees", k, "new/estimates.json")))
    s = est["median"]["point_estimate"] / 1e9
    print(f"{k:12} {t*1e6:10.1f}us {s*1e6:10.1f}us {t/s:7.2f}x")
PY

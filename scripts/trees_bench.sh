#!/usr/bin/env bash
# signet-trees against the libraries' own predict, same models, same data, same run:
#
#   bash scripts/trees_bench.sh [--single]
#
# 1. tests/trees/bench_libraries.py DIR (in .venv-interop) makes XGBoost and LightGBM binary
#    classifiers of four sizes (10 trees; the sklearn wrappers' defaults, 100 trees of depth 6 /
#    31 leaves; 300 trees of depth 6 / 63 leaves; 1000 trees of depth 8 / 255 leaves) and 1M
#    rows, and times one row per call with xgboost.Booster.inplace_predict /
#    lightgbm.Booster.predict, and the same C calls without Python (tests/trees/bench_capi.c,
#    built here with cc); without --single also 10k and 1M rows on the 300-tree models;
# 2. cargo bench -p signet-trees --bench predict times signet-trees on the same;
# 3. prints the table: library / signet > 1 means signet is faster.
# TREES_BENCH_DIR=DIR keeps the models and data there (default: a temporary directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/venv.sh
if [ -n "${TREES_BENCH_DIR:-}" ]; then
    DIR=$TREES_BENCH_DIR
    mkdir -p "$DIR"
else
    DIR=$(mktemp -d)
    trap 'rm -rf "$DIR"' EXIT
fi
SINGLE=${1:-}
cc -O2 -o "$DIR/bench_capi" tests/trees/bench_capi.c -ldl
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_WAIT_POLICY=PASSIVE "$VENV/bin/python" tests/trees/bench_libraries.py "$DIR" "$DIR/bench_capi" $SINGLE
FILTER=()
[ "$SINGLE" = "--single" ] && FILTER=(-- single)
SIGNET_TREES_BENCH_DIR="$DIR" cargo bench -p signet-trees --bench predict "${FILTER[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$VENV/bin/python" - "$DIR/python.json" "${CARGO_TARGET_DIR:-target}/criterion/trees" <<'PY'
import json, os, sys
lib = json.load(open(sys.argv[1]))
def signet(case, group=""):
    est = json.load(open(os.path.join(sys.argv[2] + group, case, "new/estimates.json")))
    return est["median"]["point_estimate"] / 1e9
us = lambda s: f"{s * 1e6:.2f}"
print("\nsingle row (µs a call; visits = split nodes a row passes; ns/visit = time / visits)")
print("| model | trees | visits | Python call | same C call | C one-row fast | signet | Python/signet | C/signet | ns/visit C fast | ns/visit signet |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for case, r in lib["single"].items():
    lib_name, size = case.split("_", 1)
    s = signet(f"{lib_name}_single_{size}")
    c = r.get("XGBoosterPredictFromDense") or r.get("LGBM_BoosterPredictForMat")
    fast = r.get("LGBM_BoosterPredictForMatSingleRowFast")
    v = r["visits"]
    print(f"| {case} | {r['trees']} | {v:.0f} | {us(r['python'])} | {us(c) if c else '–'} | "
          f"{us(fast) if fast else '–'} | {us(s)} | {r['python'] / s:.1f}× | "
          f"{f'{c / s:.1f}×' if c else '–'} | {f'{fast / v * 1e9:.1f}' if fast else '–'} | "
          f"{s / v * 1e9:.1f} |")
print("\non-CPU time of the calling thread (µs a call; leaves out time waiting for a core, but in")
print("a VM still grows with the host's contention); signet's from criterion group trees_cpu")
print("| model | Python call | C one-row fast | signet | Python/signet | C fast/signet |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for case, r in lib["single"].items():
    lib_name, size = case.split("_", 1)
    s = signet(f"{lib_name}_single_{size}", "_cpu")
    fast = r.get("LGBM_BoosterPredictForMatSingleRowFast_cpu")
    print(f"| {case} | {us(r['python_cpu'])} | {us(fast) if fast else '–'} | {us(s)} | "
          f"{r['python_cpu'] / s:.1f}× | {f'{fast / s:.1f}×' if fast else '–'} |")
if lib["batch"]:
    print("\nbatch, 300-tree models (library: multithreaded C++ on 2 threads)")
    print("| case | library | signet | library/signet |")
    print("| --- | ---: | ---: | ---: |")
    for case, t in lib["batch"].items():
        s = signet(case)
        print(f"| {case} | {t * 1e3:.1f} ms | {s * 1e3:.1f} ms | {t / s:.2f}× |")
PY

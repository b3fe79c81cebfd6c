#!/usr/bin/env bash
# scikit-learn (skops), XGBoost and LightGBM models: signet against the libraries and against
# `mlflow models serve`, same models, same machine, same run (it is shared and noisy: only
# the same-run ratios mean anything).
#
#   bash scripts/sklearn_bench.sh [DIR]
#
# 1. tests/sklearn/bench_models.py DIR (in .venv-interop, made and pinned by scripts/venv.sh)
#    saves the house-price Ridge pipeline (examples/models/house_price_sklearn), a RandomForest
#    pipeline (skops) and an XGBRegressor (ubj) with MLflow, and times sklearn's own `predict`
#    (and MLflow's pyfunc predict) on a one-row DataFrame;
# 2. cargo bench -p signet-cli --bench sklearn_predict times signet on the same row (a bench
#    binary: it reuses the release build of signet-cli);
# 3. for the Ridge pipeline, the XGBRegressor and the LGBMRegressor: `mlflow models serve --env-manager local`
#    then `signet serve` (release), each under wrk -t1 -c8 for DURATION s (after a 2 s warm-up)
#    with the same 1-row `dataframe_split` body and ../shared/bench/wrk_post.lua;
# 4. prints the Markdown tables of BENCHMARKS.md.
# Knobs: DURATION (10), CONCURRENCY ("1 8"), PORT (5081), SIGNET (a release binary; built
# when unset), SKIP_SERVE=1, SKIP_PREDICT=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/venv.sh >&2
VENV=$ROOT/$VENV  # absolute: PATH and the servers below use it
SHARED=${SIGNET_SHARED_BENCH:-$ROOT/../shared/bench}
DURATION=${DURATION:-10}
CONCURRENCY=${CONCURRENCY:-"1 8"}
PORT=${PORT:-5081}
HOST=127.0.0.1
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ $# -ge 1 ]; then
    DIR=$1
    mkdir -p "$DIR"
else
    DIR=$(mktemp -d)
    trap 'rm -rf "$DIR"' EXIT
fi
export PYTHONWARNINGS=ignore
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

echo "==> models and sklearn's timings into $DIR" >&2
"$VENV/bin/python" tests/sklearn/bench_models.py "$DIR" >&2

if [ -z "${SKIP_PREDICT:-}" ]; then
    echo "==> signet single-row predict" >&2
    SIGNET_SKLEARN_BENCH_DIR="$DIR" cargo bench -p signet-cli --bench sklearn_predict >&2
fi

ping_ok() { curl -sf -o /dev/null "http://$HOST:$PORT/ping"; }
wait_up() {  # $1: pid
    for _ in $(seq 1800); do
        ping_ok && return 0
        kill -0 "$1" 2>/dev/null || { echo "server $1 exited" >&2; return 1; }
        sleep 0.1
    done
    echo "server $1: no /ping within 180 s" >&2
    return 1
}
stop() {  # $1: pid; also its children (uvicorn under `mlflow models serve`)
    local kids
    kids=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
    kill -TERM $kids "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    # The children (uvicorn) may outlive the parent: the next server needs the port.
    for _ in $(seq 100); do
        ping_ok || return 0
        sleep 0.1
    done
    echo "a server still answers on port $PORT after stop" >&2
    return 1
}
load() {  # $1: label, $2: model dir; prints one JSON line per concurrency
    export BODY_FILE="$2/body_1.json"
    local code c
    code=$(curl -s -o "$DIR/resp.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "@$BODY_FILE" "http://$HOST:$PORT/invocations")
    [ "$code" = 200 ] || { echo "$1: HTTP $code $(head -c 300 "$DIR/resp.json")" >&2; exit 1; }
    echo "$1: $(head -c 200 "$DIR/resp.json")" >&2
    wrk -t1 -c8 -d2s -s "$SHARED/wrk_post.lua" "http://$HOST:$PORT/invocations" >/dev/null
    for c in $CONCURRENCY; do
        wrk -t1 -c"$c" -d"${DURATION}s" --timeout 30s -s "$SHARED/wrk_post.lua" \
            "http://$HOST:$PORT/invocations" | grep '^WRKJSON ' \
            | sed "s|^WRKJSON {|{\"server\":\"$1\",\"c\":$c,|"
    done
}

: > "$DIR/serve.jsonl"
if [ -z "${SKIP_SERVE:-}" ]; then
    if [ -z "${SIGNET:-}" ]; then
        cargo build -q --release -p signet-cli
        SIGNET=$TARGET/release/signet
    fi
    export PATH="$VENV/bin:$PATH"  # `mlflow models serve` execs uvicorn from PATH
    for model in house_price_sklearn house_price_xgb house_price_lgb; do
        echo "==> $model: mlflow models serve" >&2
        "$VENV/bin/mlflow" models serve -m "$DIR/$model" --env-manager local -h $HOST -p $PORT \
            > "$DIR/mlflow-$model.log" 2>&1 &
        pid=$!
        wait_up $pid
        load "mlflow/$model" "$DIR/$model" >> "$DIR/serve.jsonl"
        stop $pid
        echo "==> $model: signet serve" >&2
        "$SIGNET" serve "$DIR/$model" --host $HOST --port $PORT > "$DIR/signet-$model.log" 2>&1 &
        pid=$!
        wait_up $pid
        load "signet/$model" "$DIR/$model" >> "$DIR/serve.jsonl"
        stop $pid
    done
fi

"$VENV/bin/python" - "$DIR" <<'PY'
import json, os, sys
out = sys.argv[1]
lib = json.load(open(os.path.join(out, "python.json")))
mine = os.path.join(out, "signet.json")
signet = json.load(open(mine)) if os.path.exists(mine) else {}
def crit(name):
    return signet.get(name)
print("\n| model | sklearn `predict` (1-row DataFrame) | MLflow pyfunc `predict` | signet pyfunc `predict` | signet model only | sklearn / signet pyfunc |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for name in ("house_price_sklearn", "house_price_forest"):
    s, p = lib[f"sklearn/{name}"], lib[f"pyfunc/{name}"]
    a, b = crit(f"{name}/pyfunc"), crit(f"{name}/model")
    if a is None:
        continue
    print(f"| {name} | {s*1e6:,.0f} µs | {p*1e6:,.0f} µs | {a*1e6:,.1f} µs | {b*1e6:,.1f} µs | **{s/a:,.0f}×** |")
rows = [json.loads(l) for l in open(os.path.join(out, "serve.jsonl")) if l.strip()]
if rows:
    by = {(r["server"], r["c"]): r for r in rows}
    print("\n| model | c | MLflow req/s | signet req/s | ratio | MLflow p50 / p99 | signet p50 / p99 | errors (MLflow / signet) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in ("house_price_sklearn", "house_price_xgb", "house_price_lgb"):
        for c in sorted({r["c"] for r in rows}):
            m, s = by.get((f"mlflow/{name}", c)), by.get((f"signet/{name}", c))
            if not (m and s):
                continue
            err = lambda r: r["errors_status"] + r["errors_other"]
            print(f"| {name} | {c} | {m['rps']:,.0f} | {s['rps']:,.0f} | **{s['rps']/m['rps']:,.0f}×** | "
                  f"{m['p50_ms']:.1f} / {m['p99_ms']:.1f} ms | {s['p50_ms']:.2f} / {s['p99_ms']:.2f} ms | {err(m)} / {err(s)} |")
PY

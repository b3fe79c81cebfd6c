#!/usr/bin/env bash
# `signet serve --compat mlflow` against `mlflow models serve`, byte for byte, on tree and
# scikit-learn models saved by real MLflow:
#
#   bash scripts/serve_compare.sh
#
# 1. tests/trees/serve_models.py DIR (in .venv-interop) saves XGBoost (classifier, regressor,
#    multiclass Booster), LightGBM (Booster, LGBMClassifier and LGBMRegressor as skops) and a
#    scikit-learn pipeline (skops), each with request bodies: dataframe_split,
#    dataframe_records, instances, inputs, one row, a null, CSV, and refused ones (missing
#    column, a string in a double column, no format key);
# 2. for each model, starts `mlflow models serve -m DIR --env-manager local` and
#    `signet serve DIR --compat mlflow` side by side, sends every body to both /invocations,
#    and compares status codes and bodies byte for byte;
# 3. checks signet's V2 answers: GET /v2/models/NAME and POST .../infer of the same rows
#    answer 200 with one output of as many rows as were sent, whose values are MLflow's
#    /invocations predictions of those rows (1e-6 relative).
# Any difference fails the script (the first bytes of both answers are printed).
# SIGNET=path/to/signet skips the build (default: the workspace's debug build, which
# `cargo test --workspace` has already made). Ports: PORT_MLFLOW (5391), PORT_SIGNET (5392).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

HOST=127.0.0.1
PORT_MLFLOW=${PORT_MLFLOW:-5391}
PORT_SIGNET=${PORT_SIGNET:-5392}
WORK=$(mktemp -d)
export MLFLOW_TRACKING_URI="file://$WORK/mlruns"
export PYTHONWARNINGS=ignore MLFLOW_DISABLE_TELEMETRY=true
# `mlflow models serve` runs `bash -c "exec uvicorn ..."`: uvicorn must be on PATH.
export PATH="$PWD/$VENV/bin:$PATH"

if [[ -z ${SIGNET:-} ]]; then
    cargo build -q --workspace --bins
    SIGNET=${CARGO_TARGET_DIR:-target}/debug/signet
fi

MLFLOW_PID=""
SIGNET_PID=""
stop() {
    local kids
    if [[ -n $MLFLOW_PID ]]; then
        kids=$(cat "/proc/$MLFLOW_PID/task/$MLFLOW_PID/children" 2>/dev/null || true)
        for k in $kids; do kill -TERM "$k" 2>/dev/null || true; done
        kill -TERM "$MLFLOW_PID" 2>/dev/null || true
        wait "$MLFLOW_PID" 2>/dev/null || true
    fi
    if [[ -n $SIGNET_PID ]]; then
        kill -TERM "$SIGNET_PID" 2>/dev/null || true
        wait "$SIGNET_PID" 2>/dev/null || true
    fi
    MLFLOW_PID=""
    SIGNET_PID=""
    # The next pair reuses the ports: wait until both are closed.
    for _ in $(seq 100); do
        curl -s "http://$HOST:$PORT_MLFLOW/ping" >/dev/null 2>&1 \
            || curl -s "http://$HOST:$PORT_SIGNET/ping" >/dev/null 2>&1 || break
        sleep 0.1
    done
}
trap 'stop; rm -rf "$WORK"' EXIT

wait_ping() { # port pid what
    local deadline=$(( $(date +%s) + 180 ))
    until curl -sf "http://$HOST:$1/ping" >/dev/null 2>&1; do
        kill -0 "$2" 2>/dev/null || { echo "$3 exited; its log:"; tail -20 "$WORK/$3.log"; exit 1; }
        (( $(date +%s) < deadline )) || { echo "$3: no /ping within 180 s"; exit 1; }
        sleep 0.1
    done
}

post() { # port file out -> status code
    local ct=application/json
    [[ $2 == *.csv ]] && ct=text/csv
    curl -s -o "$3" -w '%{http_code}' -H "Content-Type: $ct" --data-binary "@$2" \
        "http://$HOST:$1/invocations" || true
}

echo "==> MLflow saves the models ($WORK)"
MODELS=$("$PY" tests/trees/serve_models.py "$WORK/models")

FAILS=0
CHECKED=0
for name in $MODELS; do
    dir="$WORK/models/$name/model"
    "$PY" -m mlflow models serve -m "$dir" --env-manager local -h "$HOST" -p "$PORT_MLFLOW" \
        >"$WORK/mlflow.log" 2>&1 &
    MLFLOW_PID=$!
    "$SIGNET" serve "$dir" --host "$HOST" --port "$PORT_SIGNET" --compat mlflow \
        --model-name "$name" >"$WORK/signet.log" 2>&1 &
    SIGNET_PID=$!
    wait_ping "$PORT_SIGNET" "$SIGNET_PID" signet
    wait_ping "$PORT_MLFLOW" "$MLFLOW_PID" mlflow
    for req in "$WORK/models/$name/requests"/*; do
        what=$(basename "$req")
        a=$(post "$PORT_MLFLOW" "$req" "$WORK/a")
        b=$(post "$PORT_SIGNET" "$req" "$WORK/b")
        CHECKED=$((CHECKED + 1))
        # Two parts of MLflow's answers cannot be reproduced: the order of a Python set of the
        # request formats (it depends on the interpreter's string hashing, PYTHONHASHSEED)
        # and the Python traceback in `stack_trace`; the rest of such bodies must be identical.
        unset_order() {
            sed -E -e "s/exactly one of the input fields \{[^}]*\}/exactly one of the input fields {...}/" \
                -e 's/"stack_trace": "([^"\\]|\\.)*"/"stack_trace": "..."/' "$1"
        }
        # MLflow's predictions of the split body: what V2 must answer below.
        [[ $what == 01-dataframe_split.json ]] && cp "$WORK/a" "$WORK/split_mlflow"
        if [[ $a == "$b" ]] && cmp -s "$WORK/a" "$WORK/b"; then
            echo "  $name $what: $a, identical"
        elif [[ $a == "$b" ]] && cmp -s <(unset_order "$WORK/a") <(unset_order "$WORK/b"); then
            echo "  $name $what: $a, identical but for a Python set's order or traceback"
        else
            FAILS=$((FAILS + 1))
            echo "  $name $what: DIFFERENT"
            echo "    mlflow $a: $(head -c 300 "$WORK/a")"
            echo "    signet $b: $(head -c 300 "$WORK/b")"
        fi
    done
    # V2: metadata, then the split body's rows as V2 inputs.
    code=$(curl -s -o "$WORK/meta" -w '%{http_code}' "http://$HOST:$PORT_SIGNET/v2/models/$name")
    "$PY" - "$WORK/models/$name/requests/01-dataframe_split.json" "$WORK/v2.json" <<'PY'
import json, sys
split = json.load(open(sys.argv[1]))["dataframe_split"]
rows = split["data"]
inputs = [{"name": c, "shape": [len(rows)], "datatype": "FP64", "data": [r[i] for r in rows]}
          for i, c in enumerate(split["columns"])]
json.dump({"inputs": inputs}, open(sys.argv[2], "w"))
PY
    icode=$(curl -s -o "$WORK/infer" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data-binary "@$WORK/v2.json" "http://$HOST:$PORT_SIGNET/v2/models/$name/infer")
    CHECKED=$((CHECKED + 1))
    if v2=$("$PY" - "$name" "$code" "$WORK/meta" "$icode" "$WORK/infer" "$WORK/v2.json" \
        "$WORK/split_mlflow" <<'PY'
import json, math, sys
name, mcode, meta, icode, infer, req, mlflow = sys.argv[1:]
assert mcode == "200", f"metadata {mcode}: {open(meta).read()[:200]}"
m = json.load(open(meta))
assert m["name"] == name and m["inputs"], m
assert icode == "200", f"infer {icode}: {open(infer).read()[:200]}"
r = json.load(open(infer))
rows = len(json.load(open(req))["inputs"][0]["data"])
assert r["model_name"] == name and len(r["outputs"]) >= 1, r
out = r["outputs"][0]
assert out["shape"][0] == rows and len(out["data"]) >= rows, out
# The values: MLflow's /invocations predictions of the same rows, flattened (1e-6 relative;
# V2 writes NaN and the infinities as null).
def flat(x):
    return [z for y in x for z in flat(y)] if isinstance(x, list) else [x]
preds = json.load(open(mlflow))["predictions"]
if preds and isinstance(preds[0], dict):
    outs = {o["name"]: o["data"] for o in r["outputs"]}
    pairs = [(p[k], v) for k in preds[0] for p, v in zip(preds, flat(outs[k]))]
else:
    pairs = list(zip(flat(preds), flat(out["data"])))
    assert len(flat(preds)) == len(flat(out["data"])), (len(flat(preds)), len(flat(out["data"])))
for want, have in pairs:
    if isinstance(want, float) and isinstance(have, (int, float)):
        assert math.isclose(want, have, rel_tol=1e-6, abs_tol=1e-12), (want, have)
    elif isinstance(want, float) and not math.isfinite(want):
        assert have is None, (want, have)
    else:
        assert want == have, (want, have)
print(f"{out['datatype']} {out['shape']}, {len(pairs)} values as MLflow predicted")
PY
    ); then
        echo "  $name V2: metadata 200, infer 200 $v2"
    else
        FAILS=$((FAILS + 1))
        echo "  $name V2: NOT SANE"
    fi
    stop
done
echo "$CHECKED checks, $FAILS failed"
[[ $FAILS == 0 ]]

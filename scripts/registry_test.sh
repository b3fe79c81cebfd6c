#!/usr/bin/env bash
# The registry round trips against a real `mlflow server` 3.17.2 (issue 10):
#
#   bash scripts/registry_test.sh
#
# Starts `mlflow server` from .venv-interop on a free loopback port (SQLite and artifacts in a
# temp dir, --serve-artifacts being the default), then
#   1. cargo test --workspace --test live_server -- --ignored  (SIGNET_MLFLOW_URI)
#   2. signet log → registry → MLflow Python: pyfunc.load_model("models:/NAME/1"),
#      get_model_info's signature, the logged model READY with its mlflow.modelVersions tag
#   3. MLflow Python → registry → signet: mlflow.onnx.log_model(registered_model_name=...),
#      then `signet predict` and `signet serve` from models:/NAME@champion (same predictions)
#   4. aliases move; `signet diff` on versions; `signet log --require-compatible-with` refuses
#      a breaking version and registers nothing
#   5. a second server with --app-name basic-auth: right and wrong passwords
#   6. a server that fails mid-upload (a proxy refusing artifact PUTs): the logged model is
#      LOGGED_MODEL_UPLOAD_FAILED and signet says so
# Every server is stopped on exit (trap). Adds Flask-WTF==1.3.0 (mlflow[auth]) to the venv
# when missing. Run scripts/interop.sh first on a fresh machine (it creates the venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh
MLFLOW_BIN="$PWD/$VENV/bin/mlflow"

START=$(date +%s)
WORK=$(mktemp -d)
PIDS=()    # processes started here
GROUPS_=() # process groups of the mlflow servers (each runs uvicorn and a job runner as children)
cleanup() {
    for g in "${GROUPS_[@]}"; do kill -- "-$g" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${GROUPS_[@]}" "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
export PYTHONWARNINGS=ignore MLFLOW_HTTP_REQUEST_MAX_RETRIES=2 MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR=1
export SIGNET_CACHE_DIR="$WORK/cache"
unset MLFLOW_TRACKING_USERNAME MLFLOW_TRACKING_PASSWORD MLFLOW_TRACKING_TOKEN

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { # URL LOG
    for _ in $(seq 1 120); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/health")" != 000 ]; then return 0; fi
        sleep 0.5
    done
    echo "registry_test: the server at $1 did not start:" >&2; tail -20 "$2" >&2; exit 1
}
start_server() { # DIR PORT [extra args...]
    local dir=$1 port=$2; shift 2
    mkdir -p "$dir"
    (cd "$dir" && exec setsid "$MLFLOW_BIN" server --host 127.0.0.1 --port "$port" \
        --backend-store-uri "sqlite:///$dir/mlflow.db" --artifacts-destination "$dir/artifacts" \
        --workers 1 "$@" >"$dir/server.log" 2>&1) &
    GROUPS_+=($!)
}
expect_fail() { # CODE LOGFILE PATTERN -- command...
    local code=$1 log=$2 pattern=$3; shift 4
    set +e; "$@" >"$log.out" 2>"$log"; local got=$?; set -e
    if [ "$got" != "$code" ] || ! cat "$log.out" "$log" | grep -q -- "$pattern"; then
        echo "FAIL: expected exit $code and '$pattern' from: $*" >&2
        echo "got exit $got:" >&2; cat "$log" >&2; exit 1
    fi
    echo "ok: exit $got: $(cat "$log.out" "$log" | grep -m1 -- "$pattern")"
}

# The test build of the workspace (what `cargo test --workspace` built) holds the binary; a
# `-p signet-cli` build would resolve other features and rebuild every dependency.
echo "==> cargo test --workspace --no-run (the signet binary)"
cargo test --workspace --no-run -q
SIGNET="$PWD/target/debug/signet"

PORT=$(free_port)
export MLFLOW_TRACKING_URI="http://127.0.0.1:$PORT"
start_server "$WORK/server" "$PORT"
wait_up "$MLFLOW_TRACKING_URI" "$WORK/server/server.log"
echo "==> mlflow server at $MLFLOW_TRACKING_URI"

echo "==> 1. Rust tests against the server"
SIGNET_MLFLOW_URI="$MLFLOW_TRACKING_URI" cargo test --workspace --test live_server -- --ignored --test-threads=1

echo "==> 2. signet log -> registry -> MLflow Python"
"$SIGNET" log examples/models/house_price --name model --experiment signet-logged --new-run \
    --register-as hp_signet --alias champion | tee "$WORK/log1.txt"
grep -q '^models:/m-[0-9a-f]\{32\}$' "$WORK/log1.txt"
grep -qx 'models:/hp_signet/1' "$WORK/log1.txt"
"$PY" tests/registry/check_registry.py load-signet hp_signet 1

echo "==> 3. MLflow Python -> registry -> signet predict / serve"
"$PY" tests/registry/check_registry.py log-python hp_py champion "$WORK/py"
"$SIGNET" predict models:/hp_py@champion "$WORK/py/request.json" | tee "$WORK/pred.json"
"$PY" - "$WORK/pred.json" "$WORK/py/expected.json" <<'PYEOF'
import json, sys
got = json.load(open(sys.argv[1]))["predictions"]
got = [next(iter(r.values())) if isinstance(r, dict) else r for r in got]
want = json.load(open(sys.argv[2]))
assert len(got) == len(want) and all(abs(a - b) <= 1e-4 * max(1, abs(b)) for a, b in zip(got, want)), (got, want)
print(f"ok: signet predict == MLflow's predictions {want}")
PYEOF
SPORT=$(free_port)
T0=$(date +%s%N)
"$SIGNET" serve models:/hp_py@champion --port "$SPORT" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!; PIDS+=($SERVE_PID)
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$SPORT/ping" && break; sleep 0.05; done
T1=$(date +%s%N)
curl -sf -H 'Content-Type: application/json' --data @"$WORK/py/request.json" \
    "http://127.0.0.1:$SPORT/invocations" | tee "$WORK/served.json"; echo
"$PY" - "$WORK/served.json" "$WORK/py/expected.json" <<'PYEOF'
import json, sys
got = [next(iter(r.values())) if isinstance(r, dict) else r for r in json.load(open(sys.argv[1]))["predictions"]]
want = json.load(open(sys.argv[2]))
assert all(abs(a - b) <= 1e-4 * max(1, abs(b)) for a, b in zip(got, want)) and len(got) == len(want), (got, want)
print("ok: signet serve models:/hp_py@champion answers MLflow's predictions")
PYEOF
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
echo "serve from the cache: ready in $(( (T1 - T0) / 1000000 )) ms (debug build, cached model)"

echo "==> 4. aliases move, diff, the compatibility gate"
"$SIGNET" log examples/models/house_price --register-as hp_signet --alias champion >"$WORK/log2.txt"
grep -qx 'models:/hp_signet/2' "$WORK/log2.txt"
"$SIGNET" show models:/hp_signet@champion >/dev/null
grep -qx "model_version: '2'" "$SIGNET_CACHE_DIR"/*/registry/hp_signet/2/registered_model_meta
echo "ok: champion moved to version 2"
"$SIGNET" diff models:/hp_signet/1 models:/hp_signet@champion
# A breaking candidate: a new required input.
cp -r examples/models/house_price "$WORK/breaking"
"$PY" - "$WORK/breaking/MLmodel" <<'PYEOF'
import json, sys, yaml
p = sys.argv[1]
m = yaml.safe_load(open(p))
cols = json.loads(m["signature"]["inputs"]) + [{"type": "long", "name": "bathrooms", "required": True}]
m["signature"]["inputs"] = json.dumps(cols)
yaml.safe_dump(m, open(p, "w"), default_flow_style=False)
PYEOF
grep -q bathrooms "$WORK/breaking/MLmodel"
expect_fail 1 "$WORK/diff.err" "BREAKING" -- "$SIGNET" diff models:/hp_signet@champion "$WORK/breaking"
grep -q "BREAKING    inputs bathrooms added" "$WORK/diff.err.out"
"$SIGNET" diff --format json models:/hp_signet@champion "$WORK/breaking" >"$WORK/diff.json" || true
"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['breaking'] and d['changes'][0]['item']=='bathrooms', d; print('ok: diff --format json', d['changes'][0])" "$WORK/diff.json"
expect_fail 2 "$WORK/gate.err" "refusing to log" -- "$SIGNET" log "$WORK/breaking" --register-as hp_signet \
    --require-compatible-with models:/hp_signet@champion
[ "$("$PY" tests/registry/check_registry.py versions hp_signet)" = 2 ] || { echo "FAIL: a version was registered" >&2; exit 1; }
"$SIGNET" log "$WORK/breaking" --register-as hp_signet --require-compatible-with models:/hp_signet@champion \
    --allow-breaking >"$WORK/log3.txt" 2>"$WORK/log3.err"
grep -qx 'models:/hp_signet/3' "$WORK/log3.txt"
echo "ok: the gate refused the breaking version, --allow-breaking logged it as version 3"
expect_fail 2 "$WORK/unknown.err" "RESOURCE_DOES_NOT_EXIST" -- "$SIGNET" show models:/no_such_model@champion
expect_fail 2 "$WORK/down.err" "failed: " -- env MLFLOW_TRACKING_URI="http://127.0.0.1:$(free_port)" "$SIGNET" show models:/hp_signet/1
expect_fail 2 "$WORK/notmlflow.err" "is this an MLflow tracking server?" -- env MLFLOW_TRACKING_URI="$MLFLOW_TRACKING_URI/not-mlflow" "$SIGNET" show models:/x/1

echo "==> 5. basic auth (mlflow server --app-name basic-auth)"
APORT=$(free_port)
cat >"$WORK/auth.ini" <<INI
[mlflow]
default_permission = READ
database_uri = sqlite:///$WORK/auth/basic_auth.db
admin_username = admin
admin_password = signet-admin-pw1
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
INI
mkdir -p "$WORK/auth"
export MLFLOW_AUTH_CONFIG_PATH="$WORK/auth.ini" MLFLOW_FLASK_SERVER_SECRET_KEY="signet-registry-test-$$"
start_server "$WORK/auth" "$APORT" --app-name basic-auth
unset MLFLOW_AUTH_CONFIG_PATH MLFLOW_FLASK_SERVER_SECRET_KEY
wait_up "http://127.0.0.1:$APORT" "$WORK/auth/server.log"
MLFLOW_TRACKING_URI="http://127.0.0.1:$APORT" MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=signet-admin-pw1 \
    "$SIGNET" log examples/models/house_price --register-as hp_auth >"$WORK/auth.txt"
grep -qx 'models:/hp_auth/1' "$WORK/auth.txt"
echo "ok: logged with basic auth"
expect_fail 2 "$WORK/auth.err" "failed with HTTP 401" -- env MLFLOW_TRACKING_URI="http://127.0.0.1:$APORT" \
    MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=wrong "$SIGNET" log examples/models/house_price
mkdir -p "$WORK/home/.mlflow"
printf '[mlflow]\nmlflow_tracking_username = admin\nmlflow_tracking_password = signet-admin-pw1\n' >"$WORK/home/.mlflow/credentials"
HOME="$WORK/home" MLFLOW_TRACKING_URI="http://127.0.0.1:$APORT" "$SIGNET" show models:/hp_auth/1 >/dev/null
echo "ok: ~/.mlflow/credentials"

echo "==> 6. a server failing mid-upload"
PPORT=$(free_port)
"$PY" tests/registry/failing_proxy.py "$PPORT" "$MLFLOW_TRACKING_URI" >"$WORK/proxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PPORT/health" && break; sleep 0.1; done
expect_fail 2 "$WORK/upload.err" "is marked LOGGED_MODEL_UPLOAD_FAILED" -- env MLFLOW_TRACKING_URI="http://127.0.0.1:$PPORT" \
    MLFLOW_HTTP_REQUEST_MAX_RETRIES=1 "$SIGNET" log examples/models/house_price --register-as hp_failed
ID=$(grep -o 'm-[0-9a-f]\{32\}' "$WORK/upload.err" | head -1)
[ "$("$PY" tests/registry/check_registry.py logged-model-status "$ID")" = "FAILED" ] \
    || { echo "FAIL: $ID is not UPLOAD_FAILED" >&2; exit 1; }
expect_fail 2 "$WORK/failed-show.err" "LOGGED_MODEL_UPLOAD_FAILED" -- "$SIGNET" show "models:/$ID"
echo "ok: $ID is LOGGED_MODEL_UPLOAD_FAILED, nothing registered, signet refuses it"

echo "registry_test: all passed in $(( $(date +%s) - START )) s"

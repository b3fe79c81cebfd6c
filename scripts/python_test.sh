#!/usr/bin/env bash
# The Python package and its Spark integration, from a fresh venv (issue 14):
#   1. Java 17 for Spark (installed from apt when missing);
#   2. .venv-python with python/requirements-test.txt (pinned; reinstalled when it changes);
#   3. `pip install ./python/cli`, then `signet serve` answers /ping from that install;
#   4. `pip install ./python` (the signet package, PyO3 abi3), then pytest python/tests:
#      the conformance replay through the Python API, the API tests, and Spark in local[2];
#   5. the same package in .venv-python-oldest, with the oldest numpy, pandas and pyarrow that
#      pyproject.toml allows (python/requirements-oldest.txt), and the API and frame-route tests there (the
#      corpus records pandas 3's dtypes, so its replay runs in step 4 only).
# SIGNET_PY_PROFILE (default dev) is the cargo profile maturin builds with: dev shares the
# workspace's test build; `release` is what a user's `pip install` builds.
set -euo pipefail
cd "$(dirname "$0")/.."
START=$(date +%s)
PROFILE="${SIGNET_PY_PROFILE:-dev}"

if ! command -v java >/dev/null 2>&1; then
    echo "==> installing Java 17 for Spark (apt)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
java -version 2>&1 | head -1

VENV=.venv-python
VENV_REQS=python/requirements-test.txt
source scripts/venv.sh

export MATURIN_PEP517_ARGS="--profile $PROFILE"
echo "==> pip install ./python/cli (cargo profile $PROFILE)"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python/cli
SIGNET_BIN=$("$PY" -c 'import signet_cli; print(signet_cli.find_signet_bin())')
echo "signet binary: $SIGNET_BIN"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VENV/bin/signet" serve --host 127.0.0.1 --port "$PORT" >"$VENV/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null || { echo "FAIL: signet serve from pip did not answer /ping" >&2; cat "$VENV/serve.log" >&2; exit 1; }
echo "ok: signet serve (installed by pip) answers /ping"
kill $SERVE; wait $SERVE 2>/dev/null || true

echo "==> pip install ./python (cargo profile $PROFILE)"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
echo "==> pytest python/tests"
"$PY" -m pytest -q -p no:cacheprovider python/tests "$@"

VENV=.venv-python-oldest
VENV_REQS=python/requirements-oldest.txt
source scripts/venv.sh
echo "==> pip install ./python into $VENV ($(grep -E '^(numpy|pandas|pyarrow)==' "$VENV_REQS" | tr '\n' ' '))"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
echo "==> pytest python/tests/test_api.py test_frame_routes.py (oldest dependencies; polars is not among them)"
"$PY" -m pytest -q -p no:cacheprovider python/tests/test_api.py python/tests/test_frame_routes.py -k "not polars"
echo "python_test: all passed in $(( $(date +%s) - START )) s"

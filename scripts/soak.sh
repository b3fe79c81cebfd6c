#!/usr/bin/env bash
# Soak test of `signet serve` (release build) on the house-price example:
#
#   scripts/soak.sh [DURATION]      (seconds, default 600)
#
# c=64 keep-alive connections, 90% valid 1-row requests and 10% hostile ones (deep nesting,
# huge numbers, invalid UTF-8, wrong content types, stalled uploads, 100k-column bodies),
# by scripts/soak.py: the valid ones from wrk on 90% of the connections (VALID_CLIENT=wrk, the
# default; needs `apt-get install -y wrk`), the hostile ones from its own asyncio workers on the
# rest; VALID_CLIENT=python sends everything from the Python workers (standard library only). Records the valid requests' p99, the
# answers by status, dropped connections and the server's RSS every second (soak-rss.csv in
# OUT, default a temp dir), prints a summary and PASS/FAIL: RSS flat after warm-up, only
# 2xx/4xx/503, no drops, valid p99 < 10 ms. Exit 1 on FAIL.
#
# Knobs: PORT (5091), CONCURRENCY (64), WARMUP (30 s), SIGNET (binary; built when unset),
# PYTHON (python3), OUT, VALID_CLIENT (wrk | python).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${1:-600}"
PORT="${PORT:-5091}"
OUT="${OUT:-$(mktemp -d)}"
if [ -z "${SIGNET:-}" ]; then
  (cd "$ROOT" && CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" cargo build --release -q -p signet-cli)
  SIGNET="${CARGO_TARGET_DIR:-$ROOT/target}/release/signet"
fi
"$SIGNET" serve "$ROOT/examples/models/house_price" --port "$PORT" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/ping" >/dev/null || { echo "soak.sh: the server did not start" >&2; cat "$OUT/serve.log" >&2; exit 2; }
echo "soak: signet serve (pid $SERVER) on :$PORT for ${DURATION}s, c=${CONCURRENCY:-64}; RSS in $OUT/soak-rss.csv"
set +e
"${PYTHON:-python3}" "$ROOT/scripts/soak.py" --port "$PORT" --pid "$SERVER" --duration "$DURATION" \
  --concurrency "${CONCURRENCY:-64}" --valid-client "${VALID_CLIENT:-wrk}" --warmup "${WARMUP:-30}" --rss-csv "$OUT/soak-rss.csv"
rc=$?
set -e
kill -0 "$SERVER" 2>/dev/null || { echo "soak.sh: the server died" >&2; rc=1; }
exit $rc

#!/usr/bin/env bash
# serve_signet.sh — the HTTP benchmark of `signet serve`, measured exactly as
# ../shared/bench/serve_mlflow.sh measures `mlflow models serve` (same bodies, same wrk Lua
# script, same settings, same JSON lines with "impl":"signet"), plus an overload run.
#
#   * cold start: process start -> first HTTP 200 on /ping (COLD_RUNS starts, median);
#   * wrk (wrk_post.lua) POSTing a dataframe_split body of 1 and of 100 rows (written by the
#     shared fixtures, so byte-identical to MLflow's) to /invocations at each concurrency:
#     RUNS runs of DURATION s, medians of requests/s, p50 and p99;
#   * resident memory (VmRSS): idle after start, max under load, idle after load;
#   * overload: OVERLOAD_C connections for OVERLOAD_S s; the answers by status (from the
#     server's `/metrics`, cumulative over the whole run: every non-200 must be a 503), whether
#     it still answers /ping afterwards, and RSS.
#
# The model is examples/models/house_price (ONNX, run by signet's tract engine; the same
# signature as the shared baseline's Python house-price model).
#
# Run:   MLFLOW_PY=/path/to/venv/bin/python scripts/serve_signet.sh > signet-serve.jsonl
# Knobs: PORT (5072) DURATION (5) RUNS (3) CONCURRENCY ("1 8 64") BODY_ROWS ("1 100")
#        COLD_RUNS (5) WRK_THREADS (1) OVERLOAD_C (512) OVERLOAD_S (30) SIGNET (binary path)
# Needs: wrk, curl, the release binary (built when SIGNET is unset), MLFLOW_PY for the bodies.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SIGNET_SHARED_BENCH:-$ROOT/../shared/bench}
MLFLOW_PY=${MLFLOW_PY:-python3}
PORT=${PORT:-5072}
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
CONCURRENCY=${CONCURRENCY:-"1 8 64"}
BODY_ROWS=${BODY_ROWS:-"1 100"}
COLD_RUNS=${COLD_RUNS:-5}
WRK_THREADS=${WRK_THREADS:-1}
OVERLOAD_C=${OVERLOAD_C:-512}
OVERLOAD_S=${OVERLOAD_S:-30}
MODEL=${MODEL:-$ROOT/examples/models/house_price}
WORK=${SIGNET_BENCH_TMP:-/tmp/signet-bench-signet}/serve
HOST=127.0.0.1
mkdir -p "$WORK"

log() { echo "[serve_signet] $*" >&2; }
command -v wrk >/dev/null || { log "wrk not found (apt-get install -y wrk)"; exit 1; }
command -v curl >/dev/null || { log "curl not found"; exit 1; }
if [[ -z ${SIGNET:-} ]]; then
  (cd "$ROOT" && cargo build -q --release -p signet-cli)
  SIGNET=$ROOT/target/release/signet
fi
VERSION=$("$SIGNET" --version | awk '{print $2}')
if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  log "port $PORT on $HOST is already in use; set PORT"; exit 1
fi

declare -A BODY_BYTES
for rows in $BODY_ROWS; do
  BODY_BYTES[$rows]=$("$MLFLOW_PY" "$SHARED/_mlflow_fixtures.py" write-body house_price split \
    "$rows" "$WORK/body_${rows}.json" | tail -1)
done

SERVER_PID=""
SAMPLER_PID=""

rss_kb() {
  local k v u
  if [[ -r /proc/$1/status ]]; then
    while read -r k v u; do [[ $k == VmRSS: ]] && { echo "$v"; return; }; done < "/proc/$1/status"
  fi
  echo 0
}
cpu_ticks() {
  local f
  if read -ra f < "/proc/$1/stat" 2>/dev/null; then echo $(( f[13] + f[14] )); else echo 0; fi
}
CLK_TCK=$(getconf CLK_TCK)

ping_ok() {
  local line
  { exec 3<>"/dev/tcp/$HOST/$PORT"; } 2>/dev/null || return 1
  printf 'GET /ping HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$HOST" >&3
  read -r -t 5 line <&3 || { exec 3>&-; return 1; }
  exec 3>&-
  [[ $line == "HTTP/1.1 200"* ]]
}

stop_server() {
  if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; fi
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

start_server() {  # sets SERVER_PID, COLD_S
  local t0 t1 deadline
  t0=$(date +%s.%N)
  "$SIGNET" serve "$MODEL" --host "$HOST" --port "$PORT" --compat mlflow --metrics \
    >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  deadline=$(( $(date +%s) + 60 ))
  until ping_ok; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited; see $WORK/server.log"; exit 1; }
    (( $(date +%s) < deadline )) || { log "no 200 on /ping within 60 s"; exit 1; }
    sleep 0.002
  done
  t1=$(date +%s.%N)
  COLD_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
}

median_json() {
  python3 -c '
import json, statistics, sys
runs = [json.loads(l) for l in sys.stdin if l.strip()]
med = lambda k: statistics.median(r[k] for r in runs)
print(json.dumps({"rps": med("rps"), "p50_ms": med("p50_ms"), "p99_ms": med("p99_ms"),
  "mean_ms": med("mean_ms"), "max_ms": max(r["max_ms"] for r in runs), "runs": len(runs),
  "requests": sum(r["requests"] for r in runs),
  "errors": sum(r["errors_status"] + r["errors_other"] for r in runs),
  "rps_all": [round(r["rps"], 1) for r in runs],
  "p99_all": [round(r["p99_ms"], 3) for r in runs]}))'
}

# ---- cold starts --------------------------------------------------------------------------
: > "$WORK/server.log"
COLDS=()
for i in $(seq $((COLD_RUNS - 1))); do
  start_server; COLDS+=("$COLD_S"); log "cold start #$i: ${COLD_S}s"; stop_server
done
start_server; COLDS+=("$COLD_S"); log "cold start #$COLD_RUNS: ${COLD_S}s (kept for load tests)"
THREADS=$(ls "/proc/$SERVER_PID/task" | wc -l)
log "server pid $SERVER_PID ($THREADS threads)"
printf '%s\n' "${COLDS[@]}" | python3 -c '
import json, statistics, sys
v = [float(x) for x in sys.stdin.read().split()]
print(json.dumps({"bench": "serve", "impl": "signet", "version": sys.argv[1],
  "metric": "cold_start", "median_s": statistics.median(v), "min_s": min(v), "max_s": max(v),
  "runs": len(v), "all_s": v}))' "$VERSION"

# ---- correctness check --------------------------------------------------------------------
for rows in $BODY_ROWS; do
  code=$(curl -s -o "$WORK/resp_${rows}.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$WORK/body_${rows}.json" "http://$HOST:$PORT/invocations")
  [[ $code == 200 ]] || { log "POST $rows-row body -> HTTP $code: $(head -c 300 "$WORK/resp_${rows}.json")"; exit 1; }
  log "POST $rows-row body -> 200 $(head -c 80 "$WORK/resp_${rows}.json")"
done

sleep 1
echo "{\"bench\":\"serve\",\"impl\":\"signet\",\"version\":\"$VERSION\",\"metric\":\"rss\",\"state\":\"idle_after_start\",\"server_kb\":$(rss_kb "$SERVER_PID")}"

# ---- load ---------------------------------------------------------------------------------
LOAD_MAX_KB=0
run_load() {  # rows concurrency duration runs -> one JSON record on stdout
  local rows=$1 c=$2 dur=$3 runs=$4 t cpu0 cpu1 w0 w1 cpu_pct rss_max summary
  export BODY_FILE="$WORK/body_${rows}.json"
  t=$WRK_THREADS; (( t > c )) && t=$c
  : > "$WORK/runs.jsonl"; : > "$WORK/rss.txt"
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kb "$SERVER_PID"; sleep 0.25; done ) \
    >> "$WORK/rss.txt" &
  SAMPLER_PID=$!
  cpu0=$(cpu_ticks "$SERVER_PID"); w0=$(date +%s.%N)
  for _ in $(seq "$runs"); do
    wrk -t"$t" -c"$c" -d"${dur}s" --timeout 30s -s "$SHARED/wrk_post.lua" \
      "http://$HOST:$PORT/invocations" > "$WORK/wrk.out"
    grep '^WRKJSON ' "$WORK/wrk.out" | sed 's/^WRKJSON //' >> "$WORK/runs.jsonl"
  done
  cpu1=$(cpu_ticks "$SERVER_PID"); w1=$(date +%s.%N)
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  cpu_pct=$(awk -v c=$((cpu1 - cpu0)) -v t="$CLK_TCK" -v a="$w0" -v b="$w1" \
    'BEGIN { printf "%.1f", 100 * c / t / (b - a) }')
  rss_max=$(sort -n "$WORK/rss.txt" | tail -1); rss_max=${rss_max:-0}
  (( rss_max > LOAD_MAX_KB )) && LOAD_MAX_KB=$rss_max
  summary=$(median_json < "$WORK/runs.jsonl")
  echo "{\"bench\":\"serve\",\"impl\":\"signet\",\"version\":\"$VERSION\",\"metric\":\"load\",\"format\":\"split\",\"body_rows\":$rows,\"body_bytes\":${BODY_BYTES[$rows]},\"concurrency\":$c,\"wrk_threads\":$t,\"duration_s\":$dur,\"server_rss_max_kb\":$rss_max,\"server_cpu_pct\":$cpu_pct,${summary#\{}"
  log "rows=$rows c=$c: $summary rss_max=${rss_max}kB server_cpu=${cpu_pct}%"
}

for rows in $BODY_ROWS; do
  export BODY_FILE="$WORK/body_${rows}.json"
  log "warm-up: $rows-row body, c=8, 2 s"
  wrk -t1 -c8 -d2s -s "$SHARED/wrk_post.lua" "http://$HOST:$PORT/invocations" >/dev/null
  for c in $CONCURRENCY; do
    run_load "$rows" "$c" "$DURATION" "$RUNS"
  done
done
echo "{\"bench\":\"serve\",\"impl\":\"signet\",\"version\":\"$VERSION\",\"metric\":\"rss\",\"state\":\"max_under_load\",\"server_kb\":$LOAD_MAX_KB}"
sleep 2
echo "{\"bench\":\"serve\",\"impl\":\"signet\",\"version\":\"$VERSION\",\"metric\":\"rss\",\"state\":\"idle_after_load\",\"server_kb\":$(rss_kb "$SERVER_PID")}"

# ---- overload -----------------------------------------------------------------------------
if (( OVERLOAD_C > 0 )); then
  log "overload: c=$OVERLOAD_C for ${OVERLOAD_S}s (1-row body)"
  LOAD_MAX_KB=0
  export BODY_FILE="$WORK/body_1.json"
  t=2
  : > "$WORK/rss.txt"
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kb "$SERVER_PID"; sleep 0.25; done ) \
    >> "$WORK/rss.txt" &
  SAMPLER_PID=$!
  wrk -t"$t" -c"$OVERLOAD_C" -d"${OVERLOAD_S}s" --timeout 30s -s "$SHARED/wrk_post.lua" \
    "http://$HOST:$PORT/invocations" > "$WORK/wrk_overload.out" || true
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
  rss_max=$(sort -n "$WORK/rss.txt" | tail -1); rss_max=${rss_max:-0}
  alive=false; ping_ok && alive=true
  # The answers by status, from the server's own Prometheus counters (--metrics).
  statuses=$(curl -s "http://$HOST:$PORT/metrics" | python3 -c '
import json, re, sys
counts = {}
for line in sys.stdin:
    m = re.match(r"signet_requests_total\{route=\"/invocations\",status=\"(\d+)\"\} (\d+)", line)
    if m:
        counts[m.group(1)] = int(m.group(2))
print(json.dumps(counts))')
  summary=$(grep '^WRKJSON ' "$WORK/wrk_overload.out" | sed 's/^WRKJSON //')
  echo "{\"bench\":\"serve\",\"impl\":\"signet\",\"version\":\"$VERSION\",\"metric\":\"overload\",\"concurrency\":$OVERLOAD_C,\"duration_s\":$OVERLOAD_S,\"server_rss_max_kb\":$rss_max,\"alive_after\":$alive,\"invocations_by_status\":$statuses,\"wrk\":$summary}"
  log "overload: $summary statuses=$statuses rss_max=${rss_max}kB alive_after=$alive"
fi
stop_server
log "done; server log: $WORK/server.log"

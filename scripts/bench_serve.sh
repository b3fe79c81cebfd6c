#!/usr/bin/env bash
# bench_serve.sh — `signet serve` against `mlflow models serve` under wrk, in the same run
# (this machine is noisy: only ratios from one run mean anything), printed as Markdown.
#
#   scripts/bench_serve.sh
#
# MLflow: ../shared/bench/serve_mlflow.sh as shipped (its house-price pyfunc model, uvicorn).
# signet: scripts/serve_signet.sh (the same bodies, wrk script and settings; the shipped
# ONNX house-price model with the same signature), plus the overload run (c=512, 30 s).
# MLFLOW_PY: a Python with mlflow 3.17.2 (default: .venv-bench, created when missing).
# The knobs of both scripts (DURATION, RUNS, CONCURRENCY, BODY_ROWS, COLD_RUNS) pass through.
# Raw JSON lines land in target/bench-serve/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SIGNET_SHARED_BENCH:-$ROOT/../shared/bench}
OUT=$ROOT/target/bench-serve
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${MLFLOW_PY:-}" ]; then
  if [ ! -x "$ROOT/.venv-bench/bin/python" ]; then
    python3 -m venv "$ROOT/.venv-bench"
    "$ROOT/.venv-bench/bin/pip" install -q "mlflow==3.17.2"
  fi
  MLFLOW_PY=$ROOT/.venv-bench/bin/python
fi
export MLFLOW_PY

(cd "$ROOT" && cargo build -q --release -p signet-cli)
export SIGNET=$ROOT/target/release/signet

echo "== mlflow models serve" >&2
bash "$SHARED/serve_mlflow.sh" > "$OUT/mlflow.jsonl"
echo "== signet serve" >&2
bash "$ROOT/scripts/serve_signet.sh" > "$OUT/signet.jsonl"

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def lines(name):
    return [json.loads(l) for l in open(os.path.join(out, name)) if l.strip().startswith("{")]
m, s = lines("mlflow.jsonl"), lines("signet.jsonl")
def one(rs, **kw):
    for r in rs:
        if all(r.get(k) == v for k, v in kw.items()):
            return r
    return None

print("\n### Throughput and latency (`dataframe_split` to /invocations, wrk, medians of runs)\n")
print("| body rows | concurrency | MLflow req/s | signet req/s | speed-up | MLflow p50 / p99 | signet p50 / p99 | signet errors |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in (x for x in m if x["metric"] == "load"):
    t = one(s, metric="load", body_rows=r["body_rows"], concurrency=r["concurrency"])
    if not t:
        continue
    print(f"| {r['body_rows']} | {r['concurrency']} | {r['rps']:,.0f} | {t['rps']:,.0f} | "
          f"{t['rps'] / r['rps']:,.0f}× | {r['p50_ms']:.2f} / {r['p99_ms']:.2f} ms | "
          f"{t['p50_ms']:.3f} / {t['p99_ms']:.3f} ms | {t['errors']} |")

print("\n### Memory and cold start\n")
print("| measure | MLflow | signet |")
print("|---|---:|---:|")
for state in ("idle_after_start", "max_under_load", "idle_after_load"):
    a, b = one(m, metric="rss", state=state), one(s, metric="rss", state=state)
    if a and b:
        cli = f" (+ {a['cli_kb'] / 1024:.1f} MiB `mlflow` CLI parent)" if a.get("cli_kb") else ""
        print(f"| RSS {state.replace('_', ' ')} | {a['server_kb'] / 1024:.1f} MiB{cli} | {b['server_kb'] / 1024:.1f} MiB |")
a, b = one(m, metric="cold_start"), one(s, metric="cold_start")
if a and b:
    print(f"| cold start to first `/ping` 200 (median) | {a['median_s'] * 1000:,.0f} ms | {b['median_s'] * 1000:.1f} ms |")

o = one(s, metric="overload")
if o:
    w = o["wrk"]
    print(f"\n### Overload (signet, c={o['concurrency']}, {o['duration_s']} s, 1-row body)\n")
    print(f"- {w['requests']:,} requests, {w['rps']:,.0f} req/s, p50 {w['p50_ms']:.2f} ms, "
          f"p99 {w['p99_ms']:.2f} ms, max {w['max_ms']:.0f} ms")
    print(f"- /invocations answers by status over the whole run: {o['invocations_by_status']}; "
          f"wrk socket errors: {w['errors_other']}")
    print(f"- RSS max {o['server_rss_max_kb'] / 1024:.1f} MiB; still serving afterwards: {o['alive_after']}")
PY

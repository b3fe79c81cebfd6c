#!/usr/bin/env bash
# bench_vs_mlflow.sh — measures signet and MLflow 3.17.2 on the same work in the same run
# (this machine is noisy: only ratios from one run mean anything) and prints a Markdown table.
#
#   scripts/bench_vs_mlflow.sh            # enforce + parse
#   ONLY=enforce scripts/bench_vs_mlflow.sh
#   ONLY=load scripts/bench_vs_mlflow.sh   # load + first predict of the shipped ONNX model
#
# MLflow side: ../shared/bench/{enforce,parse}_mlflow.py run with MLFLOW_PY (default: the
# interop venv, made and pinned by scripts/venv.sh: mlflow 3.17.2, onnxruntime, ...). signet side: the
# criterion benches `cargo bench -p signet --bench enforce` and `-p signet-protocol --bench
# parse` (same cases, built by signet-testkit's `workloads`). `load`: scripts/bench_load_mlflow.py (mlflow.pyfunc.load_model
# + predict; needs onnxruntime in the venv, installed when missing) vs
# `cargo bench -p signet-onnx --bench load`, plus a whole `signet predict` process vs a whole
# Python process doing the same. Raw results land in target/bench-vs-mlflow/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SIGNET_SHARED_BENCH:-$ROOT/../shared/bench}
OUT=$ROOT/target/bench-vs-mlflow
ONLY=${ONLY:-"enforce parse"}
mkdir -p "$OUT"
if [ -z "${MLFLOW_PY:-}" ]; then
  cd "$ROOT"
  source scripts/venv.sh >&2
  MLFLOW_PY=$PY
fi
export SIGNET_BENCH_TMP=${SIGNET_BENCH_TMP:-$OUT/mlflow-tmp}

for what in $ONLY; do
  case $what in
    enforce)
      echo "== MLflow enforce" >&2
      "$MLFLOW_PY" "$SHARED/enforce_mlflow.py" --ops enforce_schema --repeats 5 \
        --cases house_price,mixed20,convert,tensor784_ndarray,convert_i64_01_to_double \
        > "$OUT/mlflow-enforce.jsonl"
      "$MLFLOW_PY" "$SHARED/enforce_mlflow.py" --ops enforce_schema --repeats 5 \
        --cases tensor784 --rows 1,100,10000 >> "$OUT/mlflow-enforce.jsonl"
      echo "== signet enforce" >&2
      (cd "$ROOT" && cargo bench -q -p signet --bench enforce) > "$OUT/signet-enforce.txt"
      ;;
    parse)
      echo "== MLflow parse" >&2
      "$MLFLOW_PY" "$SHARED/parse_mlflow.py" --stages parse_enforce --repeats 5 \
        > "$OUT/mlflow-parse.jsonl"
      echo "== signet parse" >&2
      (cd "$ROOT" && cargo bench -q -p signet-protocol --bench parse) > "$OUT/signet-parse.txt"
      ;;
    load)
      "$MLFLOW_PY" -c "import onnxruntime, onnx" 2>/dev/null ||
        "$MLFLOW_PY" -m pip install -q onnx onnxruntime
      MODEL=$ROOT/examples/models/house_price
      echo "== MLflow load + first predict" >&2
      "$MLFLOW_PY" "$ROOT/scripts/bench_load_mlflow.py" "$MODEL" 20 > "$OUT/mlflow-load.jsonl"
      echo "== signet load + first predict" >&2
      (cd "$ROOT" && cargo bench -q -p signet-onnx --bench load) > "$OUT/signet-load.jsonl"
      (cd "$ROOT" && cargo build -q --release -p signet-cli)
      python3 - "$ROOT/target/release/signet" "$MODEL" >> "$OUT/signet-load.jsonl" <<'COLD'
import json, statistics, subprocess, sys, time
exe, model = sys.argv[1], sys.argv[2]
runs = []
for _ in range(10):
    t = time.perf_counter()
    subprocess.run([exe, "predict", model, model + "/serving_input_example.json"],
                   check=True, capture_output=True)
    runs.append((time.perf_counter() - t) * 1e3)
runs.sort()
print(json.dumps({"bench": "load", "impl": "signet", "stage": "cold_process_import_load_predict",
                  "runs": 10, "median_ms": round(statistics.median(runs), 3),
                  "p90_ms": round(runs[9], 3), "min_ms": round(runs[0], 3)}))
COLD
      ;;
    *) echo "unknown benchmark $what" >&2; exit 2 ;;
  esac
done

python3 - "$ROOT/target/criterion" "$OUT" <<'PY'
import json, os, sys
crit, out = sys.argv[1], sys.argv[2]

def signet(group, name, rows):
    p = os.path.join(crit, group, name, str(rows), "new", "estimates.json")
    if not os.path.exists(p):
        return None
    return json.load(open(p))["median"]["point_estimate"] / 1e9

def fmt(s):
    if s is None:
        return "—"
    for unit, f in (("s", 1), ("ms", 1e3), ("µs", 1e6), ("ns", 1e9)):
        if s * f >= 1:
            return f"{s * f:.3g} {unit}"
    return f"{s * 1e9:.3g} ns"

def table(title, rows):
    print(f"\n### {title}\n")
    print("| case | rows | MLflow median | signet median | signet speed-up |")
    print("|---|---:|---:|---:|---:|")
    for case, n, m, s in rows:
        if m and s:
            r = m / s
            ratio = f"{r:,.0f}×" if r >= 10 else (f"{r:.2g}×" if r >= 1 else f"{1 / r:,.0f}× slower")
        else:
            ratio = "—"
        print(f"| {case} | {n:,} | {fmt(m)} | {fmt(s)} | {ratio} |")

p = os.path.join(out, "mlflow-enforce.jsonl")
if os.path.exists(p):
    rows = []
    for line in open(p):
        r = json.loads(line)
        if "median_s" not in r:
            continue
        rows.append((r["case"], r["rows"], r["median_s"], signet("enforce", r["case"], r["rows"])))
    table("In-memory enforcement (`_enforce_schema` vs `signet::enforce::enforce`)", rows)

p = os.path.join(out, "mlflow-parse.jsonl")
if os.path.exists(p):
    rows = []
    for line in open(p):
        r = json.loads(line)
        if "median_s" not in r:
            continue
        name = f"{r['case']}_{r['format']}"
        s = signet("parse_enforce", name, r["rows"])
        rows.append((f"{r['case']} {r['format']} ({r['body_bytes']:,} B)", r["rows"], r["median_s"], s))
    table("Request parse + enforce (`_parse_json_data` + `_enforce_schema` vs `parse_request` + `enforce`)", rows)

def load_lines(name):
    p = os.path.join(out, name)
    if not os.path.exists(p):
        return {}
    return {r["stage"]: r for r in map(json.loads, open(p)) if r.get("bench") == "load"}

m, s = load_lines("mlflow-load.jsonl"), load_lines("signet-load.jsonl")
if m and s:
    print("\n### Load + first predict of `examples/models/house_price` (ONNX)\n")
    print("| stage | MLflow median (p90) | signet median (p90) | signet speed-up |")
    print("|---|---:|---:|---:|")
    for stage in ("load_model", "load_and_first_predict", "cold_process_import_load_predict"):
        if stage in m and stage in s:
            a, b = m[stage], s[stage]
            print(f"| {stage} | {a['median_ms']:.3g} ms ({a['p90_ms']:.3g}) | "
                  f"{b['median_ms']:.3g} ms ({b['p90_ms']:.3g}) | {a['median_ms'] / b['median_ms']:,.0f}× |")
PY

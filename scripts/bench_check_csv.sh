#!/usr/bin/env bash
# bench_check_csv.sh — `signet check` vs pandas + pandera (lazy validation) vs pandas + MLflow's
# `_enforce_schema`, on the same files in the same run (issue 15), printing a Markdown table of
# wall time and peak RSS (/usr/bin/time -v; median of REPEAT runs, time and RSS of that run).
#
#   scripts/bench_check_csv.sh               # 5M rows (a ~94 MB CSV), REPEAT=3
#   ROWS=500000 REPEAT=1 scripts/bench_check_csv.sh
#
# Files (generated once into $OUT, default target/bench-check-csv): houses.csv (sqft, bedrooms,
# price, city), houses_dirty.csv (`abc` in sqft on 100 rows), houses.parquet, and the signature
# MLflow's infer_signature gives the CSV. The Python side runs in .venv-bench-check with the
# pins of scripts/requirements-bench-check.txt (pandera is not an interop requirement, so CI
# never installs it). Needs python3 with venv, PyPI and /usr/bin/time.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROWS=${ROWS:-5000000}
REPEAT=${REPEAT:-3}
OUT=${OUT:-$ROOT/target/bench-check-csv}
VENV=.venv-bench-check
VENV_REQS=scripts/requirements-bench-check.txt
source scripts/venv.sh >&2
mkdir -p "$OUT"
if [ ! -f "$OUT/houses_dirty.csv" ] || [ "$(cat "$OUT/rows" 2>/dev/null)" != "$ROWS" ]; then
  echo "==> generating $ROWS rows into $OUT" >&2
  "$PY" scripts/bench_check_csv.py gen "$OUT" "$ROWS"
  echo "$ROWS" > "$OUT/rows"
fi
echo "==> building signet (release)" >&2
cargo build -q --release --bin signet
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIGNET=$TARGET/release/signet

# run NAME CMD...: REPEAT runs; prints "median_seconds peak_mib" of the median run and keeps
# the last run's output in $OUT/NAME.out.
run() {
  local name=$1; shift
  local results=()
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.out" 2>&1 || true
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$OUT/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$OUT/$name.time")
    results+=("$wall $rss")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (REPEAT + 1) / 2 ))p"
}

SIG=$OUT/signature.json
declare -A T
for file in houses.csv houses_dirty.csv houses.parquet; do
  echo "==> $file" >&2
  T[signet,$file]=$(run "signet-$file" "$SIGNET" check --signature "$SIG" "$OUT/$file")
  T[pandera,$file]=$(run "pandera-$file" "$PY" scripts/bench_check_csv.py pandera "$OUT/$file")
  if [ "$file" != houses.parquet ]; then
    T[mlflow,$file]=$(run "mlflow-$file" "$PY" scripts/bench_check_csv.py mlflow "$OUT/$file" "$SIG")
  fi
done

cell() { # "seconds mib" -> "1.23 s, peak 45 MB"
  [ -n "${1:-}" ] || { echo "—"; return; }
  awk '{printf "%.2f s, peak %d MiB", $1, $2}' <<< "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {split(a,x," "); split(b,y," "); printf "%.1f×", y[1]/x[1]}'; }
size=$(du -m "$OUT/houses.csv" | cut -f1)
echo
echo "$ROWS rows, houses.csv $size MB; median of $REPEAT runs; $(nproc) cores"
echo
echo "| file | signet check | pandas + pandera (lazy) | pandas + MLflow \`_enforce_schema\` | signet vs pandera |"
echo "|---|---|---|---|---|"
for file in houses.csv houses_dirty.csv houses.parquet; do
  echo "| $file | $(cell "${T[signet,$file]}") | $(cell "${T[pandera,$file]}") | $(cell "${T[mlflow,$file]:-}") | $(ratio "${T[signet,$file]}" "${T[pandera,$file]}") |"
done
echo
echo "What each found (last run):"
for f in "$OUT"/*.out; do
  printf '  %s: %s\n' "$(basename "$f" .out)" "$(grep -m1 -E 'violation|valid|failure|refused|rows' "$f" | cut -c1-150)"
done
bad=$(tr ' ' '\n' < "$OUT/bad_rows.txt" | head -3 | tr '\n' ' ')
echo "  (first bad rows of houses_dirty.csv, 1-based: $bad...)"

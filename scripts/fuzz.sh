#!/usr/bin/env bash
# Fuzzes signet's parsers with cargo-fuzz (nightly), one target at a time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 60); TARGETs from fuzz/fuzz_targets/ (default: all). Each run
# starts from the committed corpus fuzz/corpus/<target>/ (plus, with FUZZ_SEEDS=1, fresh
# seeds from scripts/fuzz_seeds.py: conformance cases, test data, files written by the real
# libraries; needs the interop venv). New inputs that add coverage are merged back into
# fuzz/corpus/<target>/ (FUZZ_MERGE=0 to keep it unchanged). A crash stops that target and is
# left in fuzz/artifacts/<target>/: fix it, then copy the input to fuzz/regressions/<target>/
# so `cargo test --workspace --test corpora` replays it on stable.
#
# Environment: FUZZ_TARGET_DIR (default fuzz/target), FUZZ_SANITIZER (default none: the
# targets are safe Rust, so panics, overflows and debug assertions are what is sought; use
# `address` for unsafe code), FUZZ_RSS_MB (default 2048), FUZZ_SEEDS, FUZZ_MERGE.
# One fuzzer process at a time (no -jobs/-workers): the machine is shared.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${1:-60}"
[ $# -gt 0 ] && shift
TARGET_DIR="${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}"
SANITIZER="${FUZZ_SANITIZER:-none}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

if [ $# -gt 0 ]; then
  TARGETS=("$@")
else
  TARGETS=()
  for f in "$ROOT"/fuzz/fuzz_targets/*.rs; do TARGETS+=("$(basename "$f" .rs)"); done
fi

# Longest input per target: big enough for a real file of its kind, small enough to keep
# executions fast.
max_len() {
  case "$1" in
    npy|signature_json|mlmodel_yaml|data_csv|request_csv) echo 8192 ;;
    request_json|v2_infer|input_example|data_json) echo 16384 ;;
    *) echo 65536 ;;  # binary formats: onnx, parquet, skops zips, xgboost/lightgbm models
  esac
}

(cd "$ROOT/fuzz" && cargo +nightly fuzz build -s "$SANITIZER" --target-dir "$TARGET_DIR")
BIN_DIR="$TARGET_DIR/x86_64-unknown-linux-gnu/release"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SEED_DIR=""
if [ "${FUZZ_SEEDS:-0}" = 1 ]; then
  (cd "$ROOT" && source scripts/venv.sh && "$PY" scripts/fuzz_seeds.py "$WORK/seeds" >/dev/null)
  SEED_DIR="$WORK/seeds"
fi

SUMMARY="$WORK/summary"
printf '%-16s %8s %12s %8s %8s\n' target seconds executions crashes corpus >"$SUMMARY"
status=0
for t in "${TARGETS[@]}"; do
  [ -x "$BIN_DIR/$t" ] || { echo "fuzz.sh: no target $t in $BIN_DIR" >&2; exit 2; }
  corpus="$ROOT/fuzz/corpus/$t"
  artifacts="$ROOT/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts" "$WORK/new/$t"
  dirs=("$WORK/new/$t" "$corpus")
  [ -n "$SEED_DIR" ] && [ -d "$SEED_DIR/$t" ] && dirs+=("$SEED_DIR/$t")
  echo "== $t: ${SECS}s, -max_len=$(max_len "$t") -rss_limit_mb=$RSS_MB"
  start=$(date +%s)
  set +e
  "$BIN_DIR/$t" "${dirs[@]}" -max_total_time="$SECS" -max_len="$(max_len "$t")" \
    -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$RSS_MB" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" 2>"$WORK/$t.log"
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$WORK/$t.log" | grep -o '[0-9]*$' || echo "?")
  crashes=0
  if [ $rc -ne 0 ]; then
    crashes=1
    status=1
    grep -E 'panicked at|ERROR: libFuzzer|Test unit written' "$WORK/$t.log" | head -5 || true
    tail -40 "$WORK/$t.log" >"$artifacts/last-run.log"
  fi
  if [ "${FUZZ_MERGE:-1}" = 1 ]; then
    "${BIN_DIR}/$t" -merge=1 -max_len="$(max_len "$t")" -rss_limit_mb="$RSS_MB" -timeout=10 \
      "$corpus" "${dirs[@]:1}" "$WORK/new/$t" >/dev/null 2>&1 || true
  fi
  printf '%-16s %8s %12s %8s %8s\n' "$t" "$elapsed" "${execs:-?}" "$crashes" \
    "$(find "$corpus" -type f | wc -l)" >>"$SUMMARY"
done
echo
cat "$SUMMARY"
exit $status

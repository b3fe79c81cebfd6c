#!/usr/bin/env bash
# Memory check of `signet check` on a large input: generates a ~1 GB house-price file (Parquet
# by default) with a missing `bedrooms` every BAD_EVERY rows, checks it against the house-price
# signature with the release binary under `/usr/bin/time -v`, and prints the peak RSS.
#
#   scripts/check_memory.sh                 # 1024 MB Parquet
#   SIZE_MB=256 FORMAT=csv scripts/check_memory.sh
#
# Environment: SIZE_MB (default 1024), FORMAT (parquet | csv | jsonl, default parquet),
# BAD_EVERY (default 1000000), WORK (scratch directory, default target/check-memory; the data
# file is kept there for reruns and can be deleted afterwards).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZE_MB=${SIZE_MB:-1024}
FORMAT=${FORMAT:-parquet}
BAD_EVERY=${BAD_EVERY:-1000000}
WORK=${WORK:-target/check-memory}
mkdir -p "$WORK"

cargo build --release -p signet-cli --bin signet --example gen_house_data

data="$WORK/houses-${SIZE_MB}mb-${BAD_EVERY}.$FORMAT"
if [ ! -f "$data" ]; then
    target/release/examples/gen_house_data "$data" "$SIZE_MB" "$BAD_EVERY"
fi
ls -l "$data"

signature="$WORK/signature.json"
cat > "$signature" <<'EOF'
{"inputs": "[{\"type\": \"long\", \"name\": \"sqft\", \"required\": true}, {\"type\": \"long\", \"name\": \"bedrooms\", \"required\": true}, {\"type\": \"string\", \"name\": \"city\", \"required\": true}]", "outputs": null, "params": null}
EOF

status=0
/usr/bin/time -v target/release/signet check --signature "$signature" "$data" --max-examples 3 \
    > "$WORK/report.txt" 2> "$WORK/time.txt" || status=$?
cat "$WORK/report.txt"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$WORK/time.txt"
kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
echo "signet check exit code: $status (1 = violations found, as generated)"
echo "peak RSS: $((kb / 1024)) MB"
if [ "$status" -ge 2 ]; then
    cat "$WORK/time.txt" >&2
    exit "$status"
fi

#!/usr/bin/env bash
# Regenerates crates/signet-onnx/tests/data (ONNX models + onnxruntime outputs) with
# tests/onnx/make_fixtures.py. Needs a Python with scikit-learn, skl2onnx, onnx and onnxruntime:
#   PYTHON=/path/to/venv/bin/python scripts/onnx_fixtures.sh
# The Rust tests only read the generated files; they need no Python.
set -euo pipefail
cd "$(dirname "$0")/.."
"${PYTHON:-python3}" tests/onnx/make_fixtures.py "$@"

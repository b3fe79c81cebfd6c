#!/usr/bin/env bash
# Interop with real MLflow 3.17.2: MLflow-written models must read in signet exactly as MLflow
# reads them, and signet-written models must load in MLflow (`mlflow.models.Model.load`,
# `load_input_example`) with the same signature and example.
#
#   bash scripts/interop.sh
#
# Creates .venv-interop (ignored by git: the venv holds a `.gitignore` of its own) with the
# pinned packages of scripts/requirements-interop.txt (scripts/venv.sh),
# then runs
#   1. tests/interop/check_mlflow.py write-mlflow DIR  (MLflow saves models of many kinds)
#      tests/interop/check_onnx.py write-mlflow DIR    (MLflow saves ONNX exports of sklearn
#                                                      models, with onnxruntime's predictions)
#   2. cargo test --workspace --test interop             (signet reads them, runs the ONNX ones
#                                                      and predicts the same; saves its own)
#   3. tests/interop/check_mlflow.py check-signet DIR  (MLflow reads signet's models)
#      tests/interop/check_onnx.py check-signet DIR    (mlflow.pyfunc.load_model runs the ONNX
#                                                      models signet saved: same predictions)
#   4. cargo test --workspace --test openapi             (the server's /openapi.json documents
#      through openapi-spec-validator, real request and response bodies through their schemas;
#      SIGNET_OPENAPI_VALIDATOR=$PWD/.venv-interop/bin/python)
#   5. scripts/sklearn_fixtures.sh                       (sklearn models saved by MLflow as skops,
#      predicted natively as MLflow's pyfunc predicts them, and served: /invocations byte for
#      byte as MLflow's scoring server answers, V2 with MLflow's predictions)
#   6. scripts/trees_fixtures.sh                         (xgboost/lightgbm models saved by MLflow,
#      predicted natively, bit for bit as the libraries predict)
#   7. scripts/registry_test.sh                          (log, register, resolve and diff against
#      a real `mlflow server`)
# Any mismatch fails the script. Needs python3 (3.10+) with venv and pip, and the packages
# MLflow depends on from PyPI (first run only). PYTHON overrides the interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export MLFLOW_TRACKING_URI="file://$WORK/mlruns"
export PYTHONWARNINGS=ignore

echo "==> MLflow saves models"
"$VENV/bin/python" tests/interop/check_mlflow.py write-mlflow "$WORK"
"$VENV/bin/python" tests/interop/check_onnx.py write-mlflow "$WORK"

echo "==> signet reads them and saves its own"
# The workspace-wide selection keeps the features (and so the build) of `cargo test --workspace`.
SIGNET_INTEROP_DIR="$WORK" cargo test --workspace --test interop -- --include-ignored --nocapture

echo "==> MLflow reads signet's models"
"$VENV/bin/python" tests/interop/check_mlflow.py check-signet "$WORK"
"$VENV/bin/python" tests/interop/check_onnx.py check-signet "$WORK"

echo "==> the OpenAPI documents through openapi-spec-validator"
# --workspace for the same reason as above.
SIGNET_OPENAPI_VALIDATOR="$PWD/$VENV/bin/python" cargo test --workspace --test openapi -- --include-ignored --nocapture

echo "==> scikit-learn models saved by MLflow (skops), run natively"
bash scripts/sklearn_fixtures.sh

echo "==> xgboost and lightgbm models saved by MLflow, run natively"
bash scripts/trees_fixtures.sh

echo "==> the registry against a real mlflow server"
bash scripts/registry_test.sh

echo "==> signet serve vs mlflow models serve, byte for byte (trees and scikit-learn models)"
# The binary of the workspace's test build (what `cargo test --workspace` built).
cargo test --workspace --no-run -q
SIGNET="${CARGO_TARGET_DIR:-target}/debug/signet" bash scripts/serve_compare.sh

echo "==> the Python package and Spark (fresh venv: pip install ./python/cli and ./python, pytest)"
bash scripts/python_test.sh

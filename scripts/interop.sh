#!/usr/bin/env bash
# Interop with real MLflow 3.17.2: MLflow-written models must read in signet exactly as MLflow
# reads them, and signet-written models must load in MLflow (`mlflow.models.Model.load`,
# `load_input_example`) with the same signature and example.
#
#   bash scripts/interop.sh
#
# Creates .venv-interop (ignored by git: the venv holds a `.gitignore` of its own) with
# `pip install mlflow==3.17.2` when it is missing or holds another MLflow, then runs
#   1. tests/interop/check_mlflow.py write-mlflow DIR  (MLflow saves models of many kinds)
#   2. cargo test --workspace --test interop             (signet reads them; saves its own)
#   3. tests/interop/check_mlflow.py check-signet DIR  (MLflow reads signet's models)
# Any mismatch fails the script. Needs python3 (3.10+) with venv and pip, and the packages
# MLflow depends on from PyPI (first run only). PYTHON overrides the interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv-interop
PYTHON=${PYTHON:-python3}
MLFLOW_VERSION=3.17.2

if ! "$VENV/bin/python" -c "import mlflow, sys; sys.exit(mlflow.__version__ != '$MLFLOW_VERSION')" 2>/dev/null; then
    echo "==> creating $VENV (pip install mlflow==$MLFLOW_VERSION)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    echo '*' > "$VENV/.gitignore"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export MLFLOW_TRACKING_URI="file://$WORK/mlruns"
export PYTHONWARNINGS=ignore

echo "==> MLflow saves models"
"$VENV/bin/python" tests/interop/check_mlflow.py write-mlflow "$WORK"

echo "==> signet reads them and saves its own"
# The workspace-wide selection keeps the features (and so the build) of `cargo test --workspace`.
SIGNET_INTEROP_DIR="$WORK" cargo test --workspace --test interop -- --nocapture

echo "==> MLflow reads signet's models"
"$VENV/bin/python" tests/interop/check_mlflow.py check-signet "$WORK"

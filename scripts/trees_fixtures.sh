#!/usr/bin/env bash
# XGBoost and LightGBM models saved by the real libraries through MLflow, predicted by
# signet-trees and compared with the libraries and with mlflow.pyfunc:
#
#   bash scripts/trees_fixtures.sh [DIR]
#
# 1. tests/trees/make_fixtures.py DIR  (in .venv-interop: mlflow 3.17.2, xgboost 3.2.0,
#    lightgbm 4.7.0, installed there when missing) saves the models with
#    mlflow.xgboost/mlflow.lightgbm.save_model and records the inputs, the libraries'
#    predictions and mlflow.pyfunc.load_model(dir).predict(df);
# 2. cargo test --workspace --test trees_fixtures -- --ignored  (SIGNET_TREES_FIXTURES=DIR):
#    XGBoost bit-identical, LightGBM within 1 ulp, pyfunc outputs equal in dtype, shape and
#    values, MLflow's refusals refused too. Any mismatch fails the script.
# DIR defaults to a temporary directory removed afterwards. The fixtures are never committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

if [ $# -ge 1 ]; then
    DIR=$1
    mkdir -p "$DIR"
else
    DIR=$(mktemp -d)
    trap 'rm -rf "$DIR"' EXIT
fi
export MLFLOW_TRACKING_URI="file://$DIR/mlruns"
export PYTHONWARNINGS=ignore

echo "==> the libraries save models through MLflow ($DIR)"
"$VENV/bin/python" tests/trees/make_fixtures.py "$DIR"

echo "==> signet-trees predicts them"
SIGNET_TREES_FIXTURES="$DIR" cargo test --workspace --test trees_fixtures -- --ignored --nocapture

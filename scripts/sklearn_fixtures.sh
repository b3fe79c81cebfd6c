#!/usr/bin/env bash
# scikit-learn models as MLflow 3.17.2 saves them (skops), served natively by signet-sklearn.
#
#   bash scripts/sklearn_fixtures.sh [DIR]
#
# 1. tests/sklearn/make_fixtures.py DIR: trains estimators and pipelines with the pinned
#    scikit-learn, saves each with `mlflow.sklearn.save_model` (skops) and records MLflow's
#    pyfunc predictions, skops' untrusted types and sklearn's refusals; every case skl2onnx
#    converts is also saved with `mlflow.onnx.save_model` under DIR/onnx with onnxruntime's
#    predictions (tests/sklearn/onnx_fixtures.py), plus hand-built ONNX-ML graphs; for every
#    model, MLflow's scoring-server answers to ~7 request bodies (split, records, inputs,
#    instances, CSV, refused ones) are recorded in-process with
#    `scoring_server.invocations` (tests/sklearn/serving_bodies.py: no server started);
# 2. cargo test --workspace --test sklearn_fixtures -- --ignored with SIGNET_SKLEARN_FIXTURES=DIR:
#    signet loads every model through the `sklearn` flavor and must predict the same (1e-6
#    relative for floats, equal labels, same dtype and shape), and the ONNX flavor must predict
#    what MLflow's onnxruntime wrapper did (1e-5) and render the same /invocations JSON; every
#    model is then served through signet-server's router (`--compat mlflow`, in memory): each
#    recorded body must get MLflow's status and bytes (a refusal's `stack_trace` aside; floats
#    differing in their last digits are counted apart and must be within the tolerance), and
#    the same rows through V2 `/v2/models/<case>/infer` must answer MLflow's predictions.
# DIR defaults to a temporary directory removed afterwards. Uses .venv-interop (created and
# filled by scripts/interop.sh); installs the pinned packages this needs when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

if [ $# -ge 1 ]; then
    OUT=$1
    mkdir -p "$OUT"
else
    OUT=$(mktemp -d)
    trap 'rm -rf "$OUT"' EXIT
fi
export MLFLOW_TRACKING_URI="file://$OUT/mlruns"
export PYTHONWARNINGS=ignore

echo "==> scikit-learn models saved by MLflow (skops) into $OUT"
"$VENV/bin/python" tests/sklearn/make_fixtures.py "$OUT"

echo "==> signet-sklearn predicts as MLflow does"
SIGNET_SKLEARN_FIXTURES="$OUT" cargo test --workspace --test sklearn_fixtures -- --ignored --nocapture

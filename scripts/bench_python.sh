#!/usr/bin/env bash
# Benchmarks of the Python package (issue 14), same run, same machine:
#   scripts/bench_python.py  signet.enforce/validate vs MLflow's _enforce_schema (1, 10k, 1M rows; 600 columns)
#   scripts/bench_spark.py   signet.spark.predict vs mlflow.pyfunc.spark_udf on 1M rows, local[2]
# Installs signet (release build) and pyspark into the interop venv (MLflow 3.17.2 lives there).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
"$PY" -m pip install --quiet --disable-pip-version-check pyspark==4.3.0
MATURIN_PEP517_ARGS="--profile release" "$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./python
"$PY" scripts/bench_python.py "$@"
"$PY" scripts/bench_spark.py

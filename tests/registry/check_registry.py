"""Python side of scripts/registry_test.sh (MLflow 3.17.2 against a real tracking server).

  check_registry.py load-signet NAME VERSION     signet's registered model loads in MLflow:
                                                 pyfunc.load_model + predict, get_model_info's
                                                 signature, the logged model READY
  check_registry.py log-python NAME ALIAS OUT    mlflow.onnx.log_model(..., registered_model_name)
                                                 then the alias; writes a request body and
                                                 MLflow's predictions into OUT
  check_registry.py versions NAME                prints the number of versions of NAME
  check_registry.py logged-model-status ID       prints a logged model's status
"""

import json
import os
import sys

import mlflow
import numpy as np
import onnx
import pandas as pd
from mlflow import MlflowClient

HOUSE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "models", "house_price")
SIG_INPUTS = '[{"type": "long", "name": "sqft", "required": true}, {"type": "long", "name": "bedrooms", "required": true}]'
SIG_OUTPUTS = '[{"type": "double", "name": "price", "required": true}]'


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def load_signet(name, version):
    uri = f"models:/{name}/{version}"
    model = mlflow.pyfunc.load_model(uri)
    df = pd.DataFrame({"sqft": [1500, 2000], "bedrooms": [3, 4]})
    pred = model.predict(df)
    print(f"pyfunc.load_model({uri}).predict -> {pred if not hasattr(pred, 'to_dict') else pred.to_dict('list')}")
    info = mlflow.models.get_model_info(uri)
    sig = info.signature.to_dict()
    if sig["inputs"] != SIG_INPUTS or sig["outputs"] != SIG_OUTPUTS:
        fail(f"get_model_info signature {sig}")
    print(f"get_model_info({uri}).signature inputs={sig['inputs']}")
    client = MlflowClient()
    mv = client.get_model_version(name, version)
    if not mv.source.startswith("models:/m-"):
        fail(f"version source {mv.source}")
    model_id = mv.source[len("models:/"):]
    lm = client.get_logged_model(model_id)
    if str(lm.status) != "READY":
        fail(f"logged model status {lm.status}")
    if info.model_uuid != model_id or info.model_id != model_id:
        fail(f"model_uuid {info.model_uuid} / model_id {info.model_id} != {model_id}")
    tag = json.loads(lm.tags.get("mlflow.modelVersions", "[]"))
    if {"name": name, "version": str(version)} not in tag:
        fail(f"mlflow.modelVersions tag {tag}")
    print(f"logged model {model_id}: {lm.status}, mlflow.modelVersions={tag}")


def log_python(name, alias, out):
    model = onnx.load(os.path.join(HOUSE, "model.onnx"))
    sig = mlflow.models.ModelSignature.from_dict({"inputs": SIG_INPUTS, "outputs": SIG_OUTPUTS})
    mlflow.set_experiment("python-logged")
    with mlflow.start_run():
        info = mlflow.onnx.log_model(model, name="model", registered_model_name=name, signature=sig)
    MlflowClient().set_registered_model_alias(name, alias, info.registered_model_version)
    df = pd.DataFrame({"sqft": [1200, 2500, 3100], "bedrooms": [2, 4, 5]})
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "request.json"), "w") as f:
        json.dump({"dataframe_split": {"columns": list(df.columns), "data": df.values.tolist()}}, f)
    pred = mlflow.pyfunc.load_model(f"models:/{name}@{alias}").predict(df)
    values = pred.iloc[:, 0].tolist() if hasattr(pred, "columns") else np.asarray(pred).ravel().tolist()
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(values, f)
    print(f"python logged {info.model_uri} as {name} v{info.registered_model_version} @{alias}")


def main():
    cmd, *args = sys.argv[1:]
    if cmd == "load-signet":
        load_signet(*args)
    elif cmd == "log-python":
        log_python(*args)
    elif cmd == "versions":
        print(len(MlflowClient().search_model_versions(f"name='{args[0]}'")))
    elif cmd == "logged-model-status":
        print(MlflowClient().get_logged_model(args[0]).status)
    else:
        fail(f"unknown command {cmd}")


if __name__ == "__main__":
    main()

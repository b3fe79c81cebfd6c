"""Builds examples/models/house_price: the seed's house-price predictor as an MLflow ONNX model.

price = 140000 + 100 * sqft + 20000 * bedrooms, a scikit-learn LinearRegression exported with
skl2onnx (int64 input of shape [-1, 2]) and saved with mlflow.onnx.save_model with a column
signature (sqft: long, bedrooms: long -> price: double) and a DataFrame input example.

Run with a venv holding mlflow==3.17.2, onnx, skl2onnx, scikit-learn:
    python scripts/make_house_price_onnx.py examples/models/house_price
"""
import shutil
import sys

import mlflow.onnx
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import Int64TensorType
from sklearn.linear_model import LinearRegression

out = sys.argv[1]
X = pd.DataFrame({"sqft": [1500, 2000, 1200, 3000, 800], "bedrooms": [3, 4, 2, 5, 1]})
y = 140000 + 100 * X["sqft"] + 20000 * X["bedrooms"]
model = LinearRegression().fit(X.values.astype(np.float64), y.values.astype(np.float64))
model.coef_ = np.array([100.0, 20000.0])
model.intercept_ = 140000.0
onx = convert_sklearn(model, initial_types=[("input", Int64TensorType([None, 2]))],
                      target_opset={"": 17, "ai.onnx.ml": 3})
example = X.head(2)
signature = infer_signature(example, pd.Series([350000.0, 420000.0], name="price"))
shutil.rmtree(out, ignore_errors=True)
mlflow.onnx.save_model(onx, out, signature=signature, input_example=example)
print(out)

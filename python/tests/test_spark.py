"""signet.spark on pyspark 4 in local[2] (loopback only, UI off): validate (mapInArrow) and
predict (an Arrow UDF, or mapInArrow before Spark 4.1), compared with the single-machine API on
the same rows."""
import os
import pathlib
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

import signet
from pyspark.sql import SparkSession
from signet import spark as sspark

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOUSE_ONNX = ROOT / "examples" / "models" / "house_price"
HOUSE_INPUTS = (
    '[{"type": "long", "name": "sqft", "required": true}, '
    '{"type": "long", "name": "bedrooms", "required": true}]'
)



@pytest.fixture(scope="module")
def spark():
    assert shutil.which("java") or os.environ.get("JAVA_HOME"), (
        "Spark needs Java 17: scripts/python_test.sh installs it (apt openjdk-17-jre-headless)"
    )
    # The workers run this interpreter, where signet is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("signet-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_validate_finds_every_bad_row_with_a_stable_id(spark):
    rows = [(i, 1000 + i if i % 7 else None, 3) for i in range(40)]
    df = spark.createDataFrame(rows, "id long, sqft long, bedrooms long").repartition(2, "id")
    bad = sspark.validate(df, signet.Signature(HOUSE_INPUTS), id_column="id")
    got = sorted(r.row_id for r in bad.collect())
    assert got == [i for i in range(40) if i % 7 == 0]
    reasons = {r.reason for r in bad.collect()}
    assert reasons == {"missing value: integer columns cannot hold missing values"}, reasons

    # Without an id column: monotonically_increasing_id()'s ids of the same rows.
    from pyspark.sql import functions as F

    with_ids = df.withColumn("mid", F.monotonically_increasing_id())
    bad = sspark.validate(df, signet.Signature(HOUSE_INPUTS))
    want = sorted(r.mid for r in with_ids.where(F.col("sqft").isNull()).collect())
    assert sorted(r.row_id for r in bad.collect()) == want


def test_validate_agrees_with_the_single_machine_api(spark):
    pdf = pd.DataFrame({"sqft": [1500, 2000, 10], "bedrooms": [3, 4, 5]})
    sig = signet.Signature(HOUSE_INPUTS)
    assert signet.validate(pdf, sig).num_rows == 0
    assert sspark.validate(spark.createDataFrame(pdf), sig).count() == 0
    strings = spark.createDataFrame([("1500", 3)], "sqft string, bedrooms long")
    bad = sspark.validate(strings, sig).collect()
    local = signet.validate(pd.DataFrame({"sqft": ["1500"], "bedrooms": [3]}), sig)
    assert [r.reason for r in bad] == local.column("reason").to_pylist()


def test_missing_column_is_reported_once(spark):
    df = spark.createDataFrame([(i,) for i in range(10)], "sqft long").repartition(2)
    bad = sspark.validate(df, signet.Signature(HOUSE_INPUTS)).collect()
    assert [(r.row_id, r.column) for r in bad] == [(None, "bedrooms")]


def test_predict_runs_the_model_natively(spark):
    pdf = pd.DataFrame({"sqft": [1500, 2000, 2500, 900], "bedrooms": [3, 4, 4, 2]})
    want = np.asarray(signet.load_model(str(HOUSE_ONNX)).predict(pdf), dtype="float64").ravel()
    df = spark.createDataFrame(pdf).repartition(2)
    out = sspark.predict(df, str(HOUSE_ONNX)).toPandas().sort_values("sqft")
    got = dict(zip(out["sqft"], out["prediction"]))
    assert got == pytest.approx(dict(zip(pdf["sqft"], want)))


def test_predict_refuses_bad_rows_with_mlflows_message(spark):
    df = spark.createDataFrame([("x", 3)], "sqft string, bedrooms long")
    with pytest.raises(Exception) as e:
        sspark.predict(df, str(HOUSE_ONNX)).collect()
    assert "Failed to enforce schema of data" in str(e.value)


def test_predict_bad_uri_is_a_clear_error(spark):
    df = spark.createDataFrame([(1, 2)], "sqft long, bedrooms long")
    with pytest.raises(Exception) as e:
        sspark.predict(df, "/no/such/model").collect()
    assert "/no/such/model" in str(e.value)


def test_predict_sklearn_skops_model(spark):
    model_dir = ROOT / "examples" / "models" / "house_price_sklearn"
    pdf = pd.DataFrame(
        {"sqft": [1500.0, None, 2100.0], "bedrooms": [3.0, 2.0, 4.0], "city": ["Seattle", "Austin", "x"]}
    )
    want = np.asarray(signet.load_model(str(model_dir)).predict(pdf), dtype="float64").ravel()
    df = spark.createDataFrame(pdf, "sqft double, bedrooms double, city string")
    out = sspark.predict(df, str(model_dir)).toPandas()
    assert out["prediction"].tolist() == pytest.approx(want.tolist())


def _plan(df):
    return df._jdf.queryExecution().executedPlan().toString()


def test_predict_sends_only_the_models_columns(spark):
    # Spark >= 4.1: an Arrow UDF over the signature's columns (the others stay in the JVM).
    pdf = pd.DataFrame(
        {"note": ["a", "b", "c"], "sqft": [1500, 2000, 900], "bedrooms": [3, 4, 2], "x": [1.0, 2.0, 3.0]}
    )
    assert sspark._model_columns(str(HOUSE_ONNX), list(pdf.columns)) == ["sqft", "bedrooms"]
    want = np.asarray(signet.load_model(str(HOUSE_ONNX)).predict(pdf), dtype="float64").ravel()
    scored = sspark.predict(spark.createDataFrame(pdf).repartition(2), str(HOUSE_ONNX))
    assert "ArrowEvalPython" in _plan(scored)
    out = scored.toPandas()
    assert list(out.columns) == ["note", "sqft", "bedrooms", "x", "prediction"]
    got = dict(zip(out["note"], out["prediction"]))
    assert got == pytest.approx(dict(zip(pdf["note"], want)))


def test_predict_missing_column_is_mlflows_message(spark):
    # A required column the frame lacks: every column goes to the worker, whose enforcement
    # names what is missing.
    assert sspark._model_columns(str(HOUSE_ONNX), ["sqft", "x"]) == ["sqft", "x"]
    df = spark.createDataFrame([(1500, 1.0)], "sqft long, x double")
    with pytest.raises(Exception) as e:
        sspark.predict(df, str(HOUSE_ONNX)).collect()
    assert "Model is missing inputs ['bedrooms']" in str(e.value)


def test_predict_on_spark_4_0_goes_through_map_in_arrow(spark, monkeypatch):
    import pyspark.sql.functions as F

    monkeypatch.delattr(F, "arrow_udf")  # Spark 4.0 has no Arrow UDFs
    pdf = pd.DataFrame({"sqft": [1500, 2000, 900], "bedrooms": [3, 4, 2]})
    want = np.asarray(signet.load_model(str(HOUSE_ONNX)).predict(pdf), dtype="float64").ravel()
    scored = sspark.predict(spark.createDataFrame(pdf).repartition(2), str(HOUSE_ONNX))
    assert "MapInArrow" in _plan(scored)
    out = scored.toPandas()
    assert dict(zip(out["sqft"], out["prediction"])) == pytest.approx(dict(zip(pdf["sqft"], want)))

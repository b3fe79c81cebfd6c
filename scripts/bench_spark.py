#!/usr/bin/env python3
"""Spark scoring on one tree model and the same rows, in local[2], same run:
  floor    df.mapInArrow(each batch + a constant double column)   (Spark's own cost: Arrow
           batches to a Python worker and back, the same output schema, no model)
  udf floor  df.withColumn(an Arrow UDF of the features returning a constant column): the
           same, the way signet.spark.predict runs on Spark >= 4.1
  signet   signet.spark.predict(df, model)                  (Arrow UDF, native trees)
  mlflow   mlflow.pyfunc.spark_udf(spark, model, env_manager="local")   (pandas UDF, xgboost)
Then a profile of signet's worker: the same job (in the mapInArrow shape) with each phase timed (Spark
accumulators): receiving the batch, `Model.predict` (signature enforcement + native trees),
the output column, and what remains (Spark's JVM side, transfer, scheduling).
The model is an XGBoost regressor (200 trees, depth 6; --features, default 10) saved with
mlflow.xgboost.save_model, or with --flavor lightgbm an LGBMRegressor (200 trees, 31 leaves)
saved with mlflow.lightgbm.save_model; predictions are written to Spark's `noop` sink so both
sides do the whole scoring and nothing else. Prints wall times (median of --repeats) and the
ratio.

Run in a venv with mlflow 3.17.2, xgboost, pyspark 4.x and signet (scripts/bench_python.sh).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--features", type=int, default=10)
    ap.add_argument("--flavor", choices=("xgboost", "lightgbm"), default="xgboost")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    import mlflow
    import mlflow.xgboost
    import xgboost as xgb
    from mlflow.models import infer_signature
    from pyspark.sql import SparkSession

    import signet
    from signet import spark as sspark

    rng = np.random.default_rng(0)
    n = args.features
    cols = [f"f{i}" for i in range(n)]
    train = pd.DataFrame(rng.random((5000, n)), columns=cols)
    y = train.iloc[:, :10].sum(axis=1) + rng.normal(0, 0.1, 5000)
    path = os.path.join(tempfile.mkdtemp(prefix="signet-spark-bench-"), "model")
    if args.flavor == "xgboost":
        model = xgb.XGBRegressor(n_estimators=200, max_depth=6).fit(train, y)
        mlflow.xgboost.save_model(model, path, signature=infer_signature(train, model.predict(train)))
    else:
        import lightgbm as lgb
        import mlflow.lightgbm

        model = lgb.LGBMRegressor(n_estimators=200, num_leaves=31, verbose=-1).fit(train, y)
        mlflow.lightgbm.save_model(model, path, signature=infer_signature(train, model.predict(train)))
    print(f"{args.flavor}, {n} features, {args.rows:,} rows", flush=True)

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    if n == 10:
        data = pd.DataFrame(rng.random((args.rows, n)), columns=cols)
        df = spark.createDataFrame(data).repartition(2).cache()
    else:  # generated in Spark: a wide pandas frame is slow to hand over
        from pyspark.sql import functions as F

        df = spark.range(args.rows).select(*[F.rand(seed=i).alias(c) for i, c in enumerate(cols)])
        df = df.repartition(2).cache()
    df.count()

    # The same predictions first (a sample of rows).
    sample = df.limit(1000).toPandas()
    want = model.predict(sample)
    got = np.asarray(signet.load_model(path).predict(sample)).ravel()
    assert np.allclose(want, got, rtol=1e-6), "signet and xgboost disagree"

    udf = mlflow.pyfunc.spark_udf(spark, path, env_manager="local", result_type="double")

    def run_mlflow():
        df.withColumn("prediction", udf(*cols)).write.format("noop").mode("overwrite").save()

    def run_signet():
        sspark.predict(df, path).write.format("noop").mode("overwrite").save()

    import pyarrow as pa
    from pyspark.sql.types import DoubleType, StructField, StructType

    def run_floor():
        def same(batches):
            for batch in batches:
                yield batch.append_column("prediction", pa.nulls(batch.num_rows, pa.float64()))

        out = StructType(df.schema.fields + [StructField("prediction", DoubleType(), True)])
        df.mapInArrow(same, out).write.format("noop").mode("overwrite").save()

    from pyspark.sql.functions import ArrowUDFType, arrow_udf

    const = arrow_udf(lambda *a: pa.nulls(len(a[0]), pa.float64()), "double", ArrowUDFType.SCALAR)

    def run_udf_floor():
        df.withColumn("prediction", const(*cols)).write.format("noop").mode("overwrite").save()

    times = {}
    runs = (("floor", run_floor), ("udf floor", run_udf_floor), ("mlflow", run_mlflow), ("signet", run_signet))
    for name, fn in runs:
        fn()  # warm-up: worker start, model load
        ts = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        times[name] = statistics.median(ts)
        print(f"{name}: {times[name]:.2f} s (runs: {', '.join(f'{t:.2f}' for t in ts)})", flush=True)
    print(f"| model | rows | floor (`mapInArrow`, no model) | floor (Arrow UDF, no model) | "
          "`spark_udf` (env_manager=local) | `signet.spark.predict` | ratio |")
    print(f"| {args.flavor}, {n} features | {args.rows:,} | {times['floor']:.2f} s | "
          f"{times['udf floor']:.2f} s | {times['mlflow']:.2f} s | "
          f"{times['signet']:.2f} s | {times['mlflow'] / times['signet']:.1f}× |")
    if not args.no_profile:
        profile(spark, df, path, cols)
    spark.stop()


def profile(spark, df, path, cols):
    """signet.spark.predict's UDF with its phases timed (summed over both workers)."""
    import pyarrow as pa
    from pyspark.sql.types import DoubleType, StructField, StructType

    from signet import spark as sspark

    acc = {k: spark.sparkContext.accumulator(0.0) for k in ("wait", "predict", "column", "batches")}
    schema = StructType(df.schema.fields + [StructField("prediction", DoubleType(), True)])

    def score(batches):
        model = sspark._model(path, "strict")
        t = time.perf_counter()
        for batch in batches:
            t0 = time.perf_counter()
            acc["wait"].add(t0 - t)
            out = model.predict(pa.Table.from_batches([batch]))
            t1 = time.perf_counter()
            values = sspark._as_column(out, batch.num_rows).cast(pa.float64())
            result = batch.append_column("prediction", values)
            t = time.perf_counter()
            acc["predict"].add(t1 - t0)
            acc["column"].add(t - t1)
            acc["batches"].add(1)
            yield result
            t = time.perf_counter()

    df.mapInArrow(score, schema).write.format("noop").mode("overwrite").save()  # warm-up
    for a in acc.values():
        a.value = 0.0
    t0 = time.perf_counter()
    df.mapInArrow(score, schema).write.format("noop").mode("overwrite").save()
    wall = time.perf_counter() - t0
    v = {k: a.value for k, a in acc.items()}
    print(f"\nprofile of signet's worker (one run, wall {wall:.2f} s, {int(v['batches'])} batches, "
          f"2 workers; seconds summed over workers):")
    print(f"  Model.predict (enforce + native trees): {v['predict']:.2f} s")
    print(f"  output column (_as_column + cast + append): {v['column']:.3f} s")
    print(f"  waiting for the next batch / Spark consuming ours: {v['wait']:.2f} s")


if __name__ == "__main__":
    main()

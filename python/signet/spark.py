"""signet on Spark: validate a DataFrame against a signature, and predict with a model run
natively in each Python worker, through Arrow (`DataFrame.mapInArrow`, and an Arrow UDF for
predictions on Spark >= 4.1; no pandas conversion, no scoring-server subprocess, no JSON).

    >>> from signet import spark as sspark
    >>> bad = sspark.validate(df, "models:/fraud@champion")        # violations, row by row
    >>> scored = sspark.predict(df, "models:/fraud@champion")      # df + a `prediction` column

Spark hands each batch over as Arrow; signet reads it as pandas would show it
(`DataFrame.toPandas()`), so the decisions are MLflow's on the same rows.
"""
import os

import pyarrow as pa

import signet

__all__ = ["validate", "predict", "VIOLATION_SCHEMA"]

#: The schema of the DataFrame `validate` returns.
VIOLATION_SCHEMA = "row_id long, column string, value string, reason string"

_MODELS = {}


def _model(uri, compat):
    """One model per Python worker process and (uri, compat). A Spark task owns
    `spark.task.cpus` cores (1 by default) and local[N] runs N workers side by side, so the
    native tree evaluator is capped to the task's cores (`SIGNET_NUM_THREADS`) unless the
    user set it."""
    key = (uri, compat)
    if key not in _MODELS:
        from pyspark import TaskContext

        ctx = TaskContext.get()
        cpus = ctx.cpus() if ctx is not None else 1
        os.environ.setdefault("SIGNET_NUM_THREADS", str(max(int(cpus), 1)))
        _MODELS[key] = signet.load_model(uri, compat=compat)
    return _MODELS[key]


def _partition_base():
    """`monotonically_increasing_id()`'s layout: the partition id in the upper 31 bits, the
    row's position in its partition in the lower 33."""
    from pyspark import TaskContext

    ctx = TaskContext.get()
    return (ctx.partitionId() if ctx is not None else 0) << 33


def validate(df, signature, compat="strict", id_column=None):
    """Every violation of `df` against the signature's inputs, as a DataFrame with
    `row_id` (the row's `monotonically_increasing_id()` for the DataFrame's current
    partitioning, or the value of `id_column` when given; null for a problem of a whole
    column), `column`, `value` and `reason`.

    `signature`: a signet Signature, an mlflow ModelSignature, a dict or a model URI/path
    (resolved on the driver)."""
    sig = signet.Signature.of(signature).to_dict()
    if id_column is not None and id_column not in df.columns:
        raise signet.InputError(f"id_column {id_column!r} is not a column of the DataFrame")
    schema = VIOLATION_SCHEMA
    if id_column is not None:
        id_type = df.schema[id_column].dataType.simpleString()
        schema = f"row_id {id_type}, column string, value string, reason string"

    def check(batches):
        s = signet.Signature.from_dict(sig)
        base = _partition_base()
        seen = 0
        column_level = set()
        for batch in batches:
            # An id column the signature does not name is an extra input: MLflow ignores it.
            ids = batch.column(id_column) if id_column is not None else None
            found = signet.validate(pa.Table.from_batches([batch]), s, compat=compat)
            rows = found.column("row").to_pylist()
            keep_rows, row_ids = [], []
            for i, r in enumerate(rows):
                if r is None:
                    key = (found.column("column")[i].as_py(), found.column("reason")[i].as_py())
                    if key in column_level:
                        continue
                    column_level.add(key)
                    row_ids.append(None)
                elif ids is not None:
                    row_ids.append(ids[r].as_py())
                else:
                    row_ids.append(base + seen + r)
                keep_rows.append(i)
            seen += batch.num_rows
            if keep_rows:
                found = found.take(keep_rows)
                id_type = pa.int64() if ids is None else ids.type
                yield pa.RecordBatch.from_arrays(
                    [
                        pa.array(row_ids, type=id_type),
                        found.column("column").combine_chunks(),
                        found.column("value").combine_chunks(),
                        found.column("reason").combine_chunks(),
                    ],
                    names=["row_id", "column", "value", "reason"],
                )

    found = df.mapInArrow(check, schema)
    # A problem of a whole column is seen by every partition: report it once.
    from pyspark.sql import functions as F

    rows = found.where(F.col("row_id").isNotNull())
    columns = found.where(F.col("row_id").isNull()).dropDuplicates(["column", "reason"])
    return rows.unionByName(columns)


def predict(df, model_uri, column="prediction", result_type="double", compat="strict"):
    """`df` with the model's predictions added as `column` (of Spark type `result_type`, e.g.
    `double`, `long`, `string`, or `array<double>` for several outputs per row). Each Python
    worker loads the model once and runs it natively (ONNX, scikit-learn skops, XGBoost,
    LightGBM); the signature is enforced on every batch, and a refused batch fails the task
    with MLflow's message.

    On Spark >= 4.1 the predictions are an Arrow UDF's column: only the columns the model reads
    go to Python, and only the predictions come back (earlier Spark sends whole rows through
    `mapInArrow` and back)."""
    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    if column in df.columns:
        raise signet.InputError(f"the DataFrame already has a column {column!r}")
    from pyspark.sql.pandas.types import to_arrow_type

    out_type = _parse_datatype_string(result_type)
    arrow_type = to_arrow_type(out_type)
    uri = str(model_uri)

    def scored(batch):
        out = _model(uri, compat).predict(pa.Table.from_batches([batch]))
        return _as_column(out, batch.num_rows).cast(arrow_type)

    try:
        from pyspark.sql.functions import ArrowUDFType, arrow_udf
    except ImportError:  # Spark 4.0
        schema = StructType(df.schema.fields + [StructField(column, out_type, True)])

        def score_batches(batches):
            for batch in batches:
                yield batch.append_column(column, scored(batch))

        return df.mapInArrow(score_batches, schema)

    inputs = _model_columns(uri, df.columns)

    def score(*arrays):
        return scored(pa.RecordBatch.from_arrays(list(arrays), names=inputs))

    udf = arrow_udf(score, out_type, ArrowUDFType.SCALAR)
    # Backquoted: a name with a dot is a column of its own, not a struct field.
    return df.withColumn(column, udf(*[df["`" + c.replace("`", "``") + "`"] for c in inputs]))


def _model_columns(uri, columns):
    """The columns of `columns` the model at `uri` reads: its signature's named columns when
    every required one is there (enforcement ignores the others, as MLflow's does); otherwise
    all of them, so that enforcement names what is missing with MLflow's message."""
    specs = signet._signet.input_columns(uri)
    if specs is None:
        return list(columns)
    present = set(columns)
    if any(required and name not in present for name, required in specs):
        return list(columns)
    return [name for name, _ in specs if name in present]


def _as_column(out, n):
    """A model output as one Arrow column of `n` rows."""
    import numpy as np
    import pandas as pd

    if isinstance(out, pa.RecordBatch):
        out = pa.Table.from_batches([out])
    if isinstance(out, pa.Table):
        if out.num_columns == 1:
            return out.column(0).combine_chunks()
        return pa.array(np.stack([c.to_numpy() for c in out.columns], axis=1).tolist())
    if isinstance(out, pd.DataFrame):
        if out.shape[1] == 1:
            return pa.array(out.iloc[:, 0])
        return pa.array(out.to_numpy().tolist())
    if isinstance(out, pd.Series):
        return pa.array(out)
    arr = np.asarray(out)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.shape[0] != n:
        raise signet.ModelError(f"the model returned {arr.shape[0]} rows for {n}")
    return pa.array(arr if arr.ndim == 1 else arr.tolist())

#!/usr/bin/env python3
"""Python-side enforcement and validation, signet vs MLflow 3.17.2, in one process and one run.

For each case x row count, the median per-call time (measured interleaved) of
  mlflow   mlflow.models.utils._enforce_schema(df, schema)
  enforce  signet.enforce(df, signature)        (same decisions, same converted data)
  validate signet.validate(df, signature)       (every violation as a pyarrow Table)
on the same input. Cases: the shared baseline's (../shared/bench/_mlflow_fixtures.py, the same
data MLflow's baseline measured) house_price, mixed20 and convert (pandas DataFrames),
tensor784_ndarray (a float32 ndarray against a (-1, 784) TensorSpec) and tensor784 (the same
values as a DataFrame of 784 columns labelled 0..783); and wide600 (600 float64 columns against
600 `double` ColSpecs; mlflow#7948 reports ~175 ms there) and array20 (`pd.DataFrame(X,
columns=names)` of a 20-column float64 array, as scikit-learn users build frames, against 20
`double` ColSpecs).

Run in a venv with mlflow 3.17.2 and signet installed (scripts/bench_python.sh does it):
  python scripts/bench_python.py [--rows 1,10000,1000000] [--cases ...]
Prints a Markdown table: median times and the ratios MLflow / signet; then, for cases that
convert columns, the floor any enforcement returning a pandas frame pays (`pandas_floor`).
"""
import argparse
import gc
import logging
import os
import statistics
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("SIGNET_SHARED_BENCH", os.path.join(HERE, "..", "..", "shared", "bench")))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import _mlflow_fixtures as F  # noqa: E402
import signet  # noqa: E402


def wide_schema(n=600):
    from mlflow.types import ColSpec, Schema

    return Schema([ColSpec("double", f"c{i}") for i in range(n)])


def wide_input(rows, n=600):
    rng = np.random.default_rng(0)
    return pd.DataFrame({f"c{i}": rng.random(rows) for i in range(n)})


def array_input(rows, n=20):
    """`pd.DataFrame(X, columns=names)` of a 2-D float64 array (how scikit-learn users build
    frames): one row-major block, so each column is strided."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.random((rows, n)), columns=[f"c{i}" for i in range(n)], copy=False)


def schema_of(case):
    return {"wide600": wide_schema, "array20": lambda: wide_schema(20)}.get(
        case, lambda: F.make_schema(case))()


def input_of(case, rows):
    if case == "wide600":
        return wide_input(rows)
    if case == "array20":
        return array_input(rows)
    return F.make_input(case, rows)


def timed(fns, budget=0.3, repeats=7):
    """Median per-call seconds of each of `fns`, measured interleaved: each of `repeats` rounds
    times every function over enough calls to last ~budget/repeats, so a burst of noise on this
    shared machine falls on all of them rather than on one."""
    loops = []
    for fn in fns:
        fn()
        t0 = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t0, 1e-7)
        loops.append(max(1, int(budget / repeats / one)))
    times = [[] for _ in fns]
    gc.disable()
    try:
        for _ in range(repeats):
            for fn, n, ts in zip(fns, loops, times):
                t0 = time.perf_counter()
                for _ in range(n):
                    fn()
                ts.append((time.perf_counter() - t0) / n)
    finally:
        gc.enable()
    return [statistics.median(ts) for ts in times]


def pandas_floor(df, like):
    """A function doing only what any enforcement must do to turn `df` into `like` (the
    enforced frame): numpy's `astype` of each column whose dtype changes, and the result frame
    built from one block per column by pandas' internal constructors without checks (the
    cheapest construction pandas has; signet's own route for converted columns). No reading of
    the frame, no schema check. None when no column changes dtype, for columns other than
    numpy numbers, or pandas < 3."""
    try:
        from pandas._libs.internals import BlockPlacement
        from pandas.core.internals.blocks import NumpyBlock
        from pandas.core.internals.managers import BlockManager
    except ImportError:
        return None
    source = [df.iloc[:, i].to_numpy() for i in range(df.shape[1])]
    target = list(like.dtypes)
    numeric = all(isinstance(t, np.dtype) and s.dtype.kind in "biuf" for s, t in zip(source, target))
    if not numeric or all(s.dtype == t for s, t in zip(source, target)):
        return None
    rows = len(df)
    places = [BlockPlacement(slice(i, i + 1)) for i in range(len(source))]
    columns, index = like.columns, like.index

    def floor():
        blocks = [
            NumpyBlock((s.astype(t) if s.dtype != t else s).reshape(1, rows), p, 2)
            for s, t, p in zip(source, target, places)
        ]
        mgr = BlockManager(blocks, [columns.view(), index.view()], False)
        return pd.DataFrame._from_mgr(mgr, None)

    return floor


def same_result(a, b):
    """Whether MLflow's and signet's enforced data agree: the same dtypes (frames), or the same
    dtype, shape and values (tensors)."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    return list(a.dtypes.astype(str)) == list(b.dtypes.astype(str))


def fmt(s):
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1,10000,1000000")
    ap.add_argument("--cases", default="house_price,mixed20,convert,wide600,array20,tensor784_ndarray,tensor784")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    logging.getLogger("signet").setLevel(logging.ERROR)
    from mlflow.models.signature import ModelSignature
    from mlflow.models.utils import _enforce_schema

    floors = []
    print("| case | rows | MLflow `_enforce_schema` | `signet.enforce` | ratio | `signet.validate` | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case in args.cases.split(","):
        schema = schema_of(case)
        sig = signet.Signature.of(ModelSignature(inputs=schema))
        for rows in [int(r) for r in args.rows.split(",")]:
            if case in ("wide600", "tensor784") and rows > 10_000:  # 600/784 columns: 10k rows at most
                continue
            df = input_of(case, rows)
            a = _enforce_schema(df, schema)
            b = signet.enforce(df, sig, compat="mlflow")
            assert same_result(a, b), (case, a, b)
            assert signet.validate(df, sig, compat="mlflow").num_rows == 0
            fns = [
                lambda: _enforce_schema(df, schema),
                lambda: signet.enforce(df, sig, compat="mlflow"),
                lambda: signet.validate(df, sig, compat="mlflow"),
            ]
            floor = pandas_floor(df, a) if isinstance(a, pd.DataFrame) else None
            if floor is not None:
                assert floor().equals(a), case
                fns.append(floor)
            t_m, t_e, t_v, *t_f = timed(fns)
            print(f"| {case} | {rows:,} | {fmt(t_m)} | {fmt(t_e)} | {t_m / t_e:.1f}× | "
                  f"{fmt(t_v)} | {t_m / t_v:.1f}× |", flush=True)
            if t_f:
                floors.append(f"{case} at {rows:,} rows: {fmt(t_f[0])} (MLflow / floor "
                              f"{t_m / t_f[0]:.1f}×; signet.enforce / floor {t_e / t_f[0]:.2f})")
    if floors:
        print("\nfloor (numpy `astype` of the converted columns + the frame built from blocks, "
              "no reading, no checks):")
        for line in floors:
            print(f"  {line}")
    tiny_frame()


def tiny_frame():
    """The fast path for tiny frames (numpy buffers, no pyarrow) against the same frame
    handed over through pyarrow (`pa.Table.from_pandas` + the Arrow C stream)."""
    import pyarrow as pa
    from mlflow.models.signature import ModelSignature

    df = F.make_input("house_price", 1)
    sig = signet.Signature.of(ModelSignature(inputs=F.make_schema("house_price")))
    fast, arrow = timed([
        lambda: signet.validate(df, sig),
        lambda: signet.validate(pa.Table.from_pandas(df, preserve_index=False), sig),
    ])
    print(f"\ntiny frame (house_price, 1 row), signet.validate: fast path {fmt(fast)}, "
          f"through pyarrow {fmt(arrow)} ({arrow / fast:.1f}×)")


if __name__ == "__main__":
    main()

"""The Python side of scripts/bench_check_csv.sh (run in .venv-bench-check).

    bench_check_csv.py gen DIR ROWS        # houses.csv, houses_dirty.csv, houses.parquet, signature.json
    bench_check_csv.py pandera FILE        # pandas read + pandera lazy validation
    bench_check_csv.py mlflow FILE SIG     # pandas read + MLflow's _enforce_schema

The validators print one line: what they found.
"""
import json
import sys


def read(path):
    import pandas as pd

    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)


def gen(out, rows):
    import numpy as np
    import pandas as pd
    from mlflow.models import infer_signature

    rng = np.random.default_rng(15)
    cities = np.array(["NY", "LA", "SF", "DC", "TX", "MA", "FL", "WA"])
    df = pd.DataFrame(
        {
            "sqft": rng.integers(400, 5000, rows),
            "bedrooms": rng.integers(1, 7, rows),
            "price": np.round(rng.uniform(50_000, 999_999, rows), 1),
            "city": cities[rng.integers(0, len(cities), rows)],
        }
    )
    df.to_csv(f"{out}/houses.csv", index=False)
    df.to_parquet(f"{out}/houses.parquet", index=False)
    signature = infer_signature(pd.read_csv(f"{out}/houses.csv", nrows=100_000))
    with open(f"{out}/signature.json", "w") as f:
        json.dump(signature.to_dict(), f)
    # The dirty copy: `abc` in sqft on 100 rows.
    bad = set(rng.choice(rows, 100, replace=False).tolist())
    with open(f"{out}/houses.csv") as src, open(f"{out}/houses_dirty.csv", "w") as dst:
        dst.write(src.readline())
        for i, line in enumerate(src):
            if i in bad:
                line = "abc" + line[line.index(",") :]
            dst.write(line)
    with open(f"{out}/bad_rows.txt", "w") as f:
        f.write(" ".join(str(i + 1) for i in sorted(bad)) + "\n")


def pandera(path):
    import pandera.pandas as pa

    schema = pa.DataFrameSchema(
        {
            "sqft": pa.Column("int64"),
            "bedrooms": pa.Column("int64"),
            "price": pa.Column("float64"),
            "city": pa.Column(str),
        }
    )
    df = read(path)
    try:
        schema.validate(df, lazy=True)
        print("pandera: valid")
    except pa.errors.SchemaErrors as e:
        print(f"pandera: {len(e.failure_cases)} failure cases")


def mlflow(path, sig):
    from mlflow.exceptions import MlflowException
    from mlflow.models import ModelSignature
    from mlflow.models.utils import _enforce_schema

    with open(sig) as f:
        schema = ModelSignature.from_dict(json.load(f)).inputs
    df = read(path)
    try:
        _enforce_schema(df, schema)
        print("mlflow: valid")
    except MlflowException as e:
        print(f"mlflow: refused: {str(e)[:100]}")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    elif what == "pandera":
        pandera(sys.argv[2])
    elif what == "mlflow":
        mlflow(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown mode {what}")

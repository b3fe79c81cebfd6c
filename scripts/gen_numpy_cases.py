"""Records numpy's answers that signet::numpy reproduces, as committed test expectations.

    .venv-interop/bin/python scripts/gen_numpy_cases.py > tests/numpy/promote_types.tsv

Each line: dtype A, dtype B, np.promote_types(A, B) (numpy's `dtype.str` without byte order).
"""
import numpy as np

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]

print(f"# np.promote_types, numpy {np.__version__}")
for a in DTYPES:
    for b in DTYPES:
        print(f"{a}\t{b}\t{np.promote_types(a, b).name}")

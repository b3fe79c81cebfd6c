"""Writes crates/signet-skops/src/trusted_types.txt: skops' default trusted type lists.

    .venv-interop/bin/python tests/sklearn/gen_trusted_types.py > crates/signet-skops/src/trusted_types.txt

Each section starts with `[NAME]` and lists one fully qualified name per line. They are the
lists skops 0.16 computes at import time (skops/io/_trusted_types.py, _sklearn.py, _numpy.py,
_scipy.py) with the pinned scikit-learn, numpy and scipy; regenerate when a pin changes.
"""
import numpy as np
import scipy
import sklearn
import skops
from skops.io import _trusted_types as t
from skops.io import _sklearn as s
from skops.io import _scipy as sp
from skops.io._utils import get_module, get_type_name

sections = {
    "PRIMITIVE": t.PRIMITIVE_TYPE_NAMES,
    "CONTAINER": t.CONTAINER_TYPE_NAMES,
    "SKLEARN_ESTIMATOR": t.SKLEARN_ESTIMATOR_TYPE_NAMES,
    "SKLEARN_INTERNAL": t.SKLEARN_INTERNAL_TYPE_NAMES,
    "SCIPY_UFUNC": t.SCIPY_UFUNC_TYPE_NAMES,
    "NUMPY_UFUNC": t.NUMPY_UFUNC_TYPE_NAMES,
    "NUMPY_RANDOM_BIT_GENERATOR": t.NUMPY_RANDOM_BIT_GENERATOR_TYPE_NAMES,
    "NUMPY_DTYPE": t.NUMPY_DTYPE_TYPE_NAMES,
    "SGD_LOSS": sorted(get_module(x) + "." + x.__name__ for x in s.ALLOWED_LOSSES),
    "SPARSE": [get_type_name(x) for x in [scipy.sparse.spmatrix, sp._SPARRAY] if x is not None],
    "MASKED_ARRAY": [get_type_name(np.ma.MaskedArray)],
    "RANDOM_STATE": [get_type_name(np.random.RandomState)],
    "RANDOM_GENERATOR": [get_type_name(np.random.Generator)],
}
print(f"# skops {skops.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}")
for name, items in sections.items():
    print(f"[{name}]")
    for item in items:
        print(item)

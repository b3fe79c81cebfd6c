"""Python data -> the payloads `signet._signet` reads, and results back to Python objects.

Routes, fastest first (`python/src/convert.rs` documents each payload):

* numeric/bool numpy arrays: Rust reads their memory in place, no pyarrow (`tensor`); dicts of
  them (`tensors`) and numeric/bool Series (`series`) the same way;
* pandas DataFrames: handed to Rust as they are (`pandas`); Rust reads pandas' block manager
  in one pass (numpy numeric/bool/datetime64 blocks in place, pyarrow-backed text through the
  Arrow C data interface; `python/src/frame.rs`). Frames that reader declines come back to
  `frame_payload` here: per-column numpy arrays read in place (`columns`), else pyarrow
  (`pa.Table.from_pandas`, pandas metadata kept) when pyarrow can represent every column,
  else the Value form;
* anything with `__arrow_c_stream__` (pyarrow tables and batches, polars, ...): zero-copy Arrow;
* everything else (Series, lists, dicts, scalars, object arrays): the Value form (`_elem`).
"""
import json

import numpy as np
import pandas as pd

from . import _elem
from ._errors import InputError

_NUMPY_FAST = {"b", "i", "u", "f"}
_DATETIMES = {"datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]"}


_DTYPE_NAMES = {}


def _dtype_name(dtype):
    """`dtype.name`, remembered: numpy builds that text in Python on each access (~1.9 µs, most
    of a tensor's whole enforcement); the numeric and datetime dtypes passed here are few."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = dtype.name
    return name


def _native(a):
    if not a.flags.c_contiguous:  # np.ascontiguousarray would make a 0-d array 1-d
        a = np.ascontiguousarray(a).reshape(a.shape)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("="))
    return a


def _column_array(df, i):
    get = getattr(df, "_get_column_array", None)  # pandas' own, without building a Series
    return get(i) if get is not None else df.iloc[:, i].array


def _fast_column(arr):
    """(dtype, data) for a column Rust reads in place, or None."""
    dtype = getattr(arr, "dtype", None)
    if isinstance(arr, np.ndarray) and dtype.kind in _NUMPY_FAST and dtype.itemsize <= 8:
        return _dtype_name(dtype), _native(arr)
    if isinstance(dtype, np.dtype) and dtype.kind == "M" and _dtype_name(dtype) in _DATETIMES:
        # a datetime64 ndarray, or pandas' naive DatetimeArray: its int64 view, without a copy
        return _dtype_name(dtype), _native(np.asarray(arr)).view("int64")
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        name = "string" if dtype.na_value is pd.NA else "str"
        return name, arr.__arrow_array__().combine_chunks()
    return None


def _fast_columns(df):
    cols = []
    for i, label in enumerate(df.columns):
        if not isinstance(label, str):
            return None
        fast = _fast_column(_column_array(df, i))
        if fast is None:
            return None
        cols.append((label, fast[0], fast[1]))
    return cols


def _arrow_ok(df):
    """Whether pyarrow keeps every column's meaning (no mixed object columns)."""
    for i in range(df.shape[1]):
        s = df.iloc[:, i]
        if s.dtype == object:
            return False
        if not isinstance(df.columns[i], str):
            return False
    return df.columns.is_unique


def payload(data):
    """The payload tuple for one model input; `InputError` for data signet cannot read."""
    if type(data) is pd.DataFrame:  # the common cases, without a call
        return ("pandas", data)
    if type(data) is np.ndarray:  # dtype, shape and memory read by Rust
        return ("ndarray", data)
    if type(data) is dict and data:  # read by Rust when it is text keys to numpy arrays
        return ("dict", data)
    return declined_payload(data)


def declined_payload(data):
    """The payload Python builds, for data that no reader of Rust's takes as it is (a numpy
    array of another dtype, byte order or layout; a dict of anything else) and all the rest."""
    try:
        return _payload(data)
    except TypeError as e:
        raise InputError(str(e)) from None


def _numeric(a):
    """Whether Rust reads numpy array `a` in place (numbers and bools of up to 8 bytes)."""
    return isinstance(a, np.ndarray) and a.dtype.kind in _NUMPY_FAST and a.dtype.itemsize <= 8


def _payload(data):
    if _numeric(data):
        a = _native(data)
        return ("tensor", _dtype_name(a.dtype), list(a.shape), a)
    if isinstance(data, dict) and data and all(type(k) is str and _numeric(a) for k, a in data.items()):
        # A dict of numeric arrays (named tensors), each read in place.
        arrays = [(k, _native(a)) for k, a in data.items()]
        return ("tensors", [(k, _dtype_name(a.dtype), list(a.shape), a) for k, a in arrays])
    if (isinstance(data, pd.Series) and isinstance(data.dtype, np.dtype)
            and (data.name is None or type(data.name) in (str, int))):
        values = data.to_numpy()  # a numpy dtype: the Series' own array, not a copy
        if _numeric(values):
            # A Series of numbers or bools, read in place (no index: the Value form drops it too).
            a = _native(values)
            return ("series", data.name, _dtype_name(a.dtype), a)
    if isinstance(data, pd.DataFrame):
        return ("pandas", data)
    if hasattr(data, "__arrow_c_stream__") and not isinstance(data, pd.Series):
        import pyarrow as pa

        if not isinstance(data, (pa.Table, pa.RecordBatch, pa.RecordBatchReader)):
            # Another library's export (polars, ...) is taken through pyarrow, still without a
            # copy: pyarrow accepts what arrow-rs' stricter importer refuses (polars exports a
            # buffer for an all-null column, which the C data interface gives none).
            data = pa.RecordBatchReader.from_stream(data)
        return ("arrow", data)
    return ("value", _dumps(_elem.encode_value(data)))


def frame_payload(df):
    """The payload for a pandas DataFrame that Rust's block reader declined."""
    try:
        return _frame_payload(df)
    except TypeError as e:
        raise InputError(str(e)) from None


def _frame_payload(df):
    if df.shape[1] > 0:
        cols = _fast_columns(df)
        if cols is not None:
            return ("columns", cols, df.shape[0])
    if df.shape[1] > 0 and _arrow_ok(df):
        import pyarrow as pa

        try:
            return ("arrow", pa.Table.from_pandas(df, preserve_index=False))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
    return ("value", _dumps(_elem.encode_value(df)))


def params_json(params):
    """Params as the JSON text of an object of Elems (`None` stays `None`)."""
    if params is None:
        return None
    if not isinstance(params, dict):
        return _dumps(_elem.encode_elem(params))
    try:
        return _dumps(_elem.encode_params(params))
    except TypeError as e:
        raise InputError(str(e)) from None


def _dumps(v):
    return json.dumps(v, allow_nan=False)


_PANDAS3 = int(pd.__version__.split(".")[0]) >= 3


def _copy_on_write():
    """Whether pandas copies a shallow copy's data before it is modified (always from 3.0)."""
    return _PANDAS3 or pd.options.mode.copy_on_write is True


def result(out, like=None):
    """A result payload as a Python object; `like` is the input it answers (a pandas input
    gets pandas back, an Arrow input Arrow)."""
    kind = out[0]
    if kind == "columns":
        return _frame(out[1], out[2], out[3])
    if kind == "unchanged":
        # Data that enforcement leaves as it is: a numpy tensor itself (as MLflow returns it);
        # a DataFrame as a copy-on-write copy (no data copied), indexed 0..n-1 as every
        # enforced frame is.
        if isinstance(like, np.ndarray):
            return like
        return _shallow_copy(like)
    if kind == "values":
        # A DataFrame whose values (one row-major block) pass as the tensor: `df.to_numpy()`,
        # pandas' view of that block, as MLflow's `_enforce_schema` returns it.
        return like.to_numpy()
    if kind == "tensor":
        return out[1]
    if kind == "tensors":
        # A dict of tensors; `None`: the caller's own array under that name, passed as it is.
        return {n: like[n] if a is None else a for n, a in zip(out[1], out[2])}
    if kind == "arrow":
        batch = out[1]
        return batch if wants_arrow(like) else batch.to_pandas()
    return _elem.decode_value(json.loads(out[1]))


def _frame_public(labels, arrays, rows):
    """A DataFrame of the result columns Rust hands over: `arrays` (numpy arrays of shape
    `(1, rows)` over Rust's memory, no copy) labelled `labels` (a tuple, duplicates kept), one
    block each, indexed 0..rows-1: what `pd.DataFrame({label: array}, copy=False)` gives.
    `_frame` is this, or the same built from blocks on pandas >= 3 (`_block_constructors`)."""
    arrays = [a[0] for a in arrays]
    index = pd.RangeIndex(rows)
    if len(set(labels)) == len(labels):
        return pd.DataFrame(dict(zip(labels, arrays)), index=index, copy=False)
    df = pd.DataFrame(index=index)
    for i, (label, a) in enumerate(zip(labels, arrays)):
        df.insert(i, label, a, allow_duplicates=True)
    return df


def _shallow_copy(df):
    """`df.copy(deep=False)` indexed 0..n-1: with copy-on-write, no data is copied and
    writing to either frame leaves the other as it is (a deep copy without copy-on-write)."""
    if _from_blocks is not None:
        mgr = df._mgr
        index = mgr.axes[1]
        if _is_default_index(index):
            index = index.view()
        else:
            index = _range_index(len(index))
        blocks = [b.copy(deep=False) for b in mgr.blocks]
        return _from_blocks(blocks, mgr.axes[0].view(), index)
    df = df.copy(deep=not _copy_on_write())
    if not _is_default_index(df.index):
        df.index = pd.RangeIndex(len(df))
    return df


def _is_default_index(index):
    return type(index) is pd.RangeIndex and index.start == 0 and index.step == 1


_INDEXES = {}


def _index_view(key, make):
    """A view of the Index `make()` builds, built once per `key` (pandas 3 infers a `str`
    Index through pyarrow: ~40 us for two labels, most of a small frame's construction; a
    RangeIndex 1.5 us). Each result gets its own view (`Index._view`, ~0.5 us; pandas 3 only,
    checked by `_block_constructors`), so renaming one frame's columns or index leaves the
    others alone."""
    index = _INDEXES.get(key)
    if index is None:
        index = _cached_index(key, make)
    return index._view()


def _cached_index(key, make):
    """`make()`, kept in `_INDEXES` under `key` (at most 256 kept)."""
    if len(_INDEXES) >= 256:
        _INDEXES.clear()
    index = _INDEXES[key] = make()
    return index


def _range_index(rows):
    """`pd.RangeIndex(rows)`, through the cache of `_index_view`."""
    return _index_view(rows, lambda: pd.RangeIndex(rows))


def _block_constructors():
    """pandas 3's own block constructors, or None (older pandas, or internals that moved):
    `(frame, from_blocks)`, where `frame(labels, arrays, rows)` does `_frame_public`'s work
    and `from_blocks(blocks, columns, index)` makes a DataFrame of existing blocks.

    `pandas.api.internals.create_dataframe_from_blocks` (public from pandas 3.0, made for
    pyarrow's `to_pandas`) makes each block (`_make_block`: a placement array, datetime
    coercion, the block class looked up from the dtype), a `BlockManager` whose integrity it
    verifies, and `DataFrame._from_mgr`. signet builds its blocks right (numeric/bool numpy
    columns, one block each, placements 0..n-1; or the blocks of an existing frame), so it
    makes them with the class pandas picks for those dtypes (`NumpyBlock`, checked here for
    each dtype Rust hands out), placements made once per position (pandas' own `Block.copy`
    shares its placement too), and skips the check: 2 columns in ~2.5 us instead of 7.5, and a
    shallow copy in 2 us instead of `copy(deep=False)`'s 7. `frame` does it all in one
    function (the index views of `_index_view` inlined): a helper call costs ~0.1 us, a
    tenth of a small result's construction. Tried once at import against the public
    function; on any difference the public routes are used instead."""
    if not _PANDAS3:
        return None
    try:
        from pandas._libs.internals import BlockPlacement
        from pandas.api.internals import create_dataframe_from_blocks as public
        from pandas.core.internals.blocks import NumpyBlock, get_block_type
        from pandas.core.internals.managers import BlockManager

        if any(get_block_type(np.dtype(d)) is not NumpyBlock for d in _RESULT_DTYPES):
            return None
        placements = []
        indexes = _INDEXES
        from_mgr = pd.DataFrame._from_mgr

        def frame(labels, arrays, rows):
            """`_frame`: `arrays` are `(1, rows)` numeric/bool numpy arrays, not copied."""
            if len(arrays) > len(placements):
                placements.extend(
                    BlockPlacement(slice(j, j + 1)) for j in range(len(placements), len(arrays))
                )
            columns = indexes.get(labels)
            if columns is None:
                columns = _cached_index(labels, lambda: pd.Index(labels))
            index = indexes.get(rows)
            if index is None:
                index = _cached_index(rows, lambda: pd.RangeIndex(rows))
            blocks = [NumpyBlock(a, placements[i], 2) for i, a in enumerate(arrays)]
            return from_mgr(BlockManager(blocks, [columns._view(), index._view()], False), None)

        def from_blocks(blocks, columns, index):
            return from_mgr(BlockManager(blocks, [columns, index], False), None)

        arrays = [np.arange(3, dtype=np.int64), np.array([True, False, True]), np.ones(3, "float32")]
        labels, index = ("a", "b", "a"), pd.RangeIndex(3)
        ours = frame(labels, [a.reshape(1, 3) for a in arrays], 3)
        if not (ours.columns.equals(pd.Index(labels)) and ours.index.equals(index)):
            return None
        if ours.columns is _INDEXES[labels] or ours.index is _INDEXES[3]:  # views, not the cache
            return None
        blocks = [(a.reshape(1, 3), np.array([i], dtype=np.intp)) for i, a in enumerate(arrays)]
        theirs = public(blocks, index=index, columns=pd.Index(labels))
        if not (ours.equals(theirs) and list(ours.dtypes) == list(theirs.dtypes)):
            return None
        if [type(b) for b in ours._mgr.blocks] != [type(b) for b in theirs._mgr.blocks]:
            return None
        again = from_blocks([b.copy(deep=False) for b in ours._mgr.blocks], ours.columns, index)
        if not again.equals(theirs):
            return None
        return frame, from_blocks
    except Exception:  # noqa: BLE001 - any change in pandas' internals: the public routes
        return None


# The numpy dtypes of result columns (`python/src/numpy_api.rs` makes no others).
_RESULT_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64")

_frame_from_blocks, _from_blocks = _block_constructors() or (None, None)
_frame = _frame_from_blocks or _frame_public


def wants_arrow(data):
    """Whether results for `data` come back as Arrow (not as exact pandas dtypes)."""
    if type(data) is np.ndarray:
        return False
    return not isinstance(data, (pd.DataFrame, pd.Series)) and hasattr(data, "__arrow_c_stream__")

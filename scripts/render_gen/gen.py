"""Generates the expected renderings for crates/signet/tests/render.rs.

Each case is a corpus Value (conformance FORMAT.md); it is decoded to the Python object,
then `str(obj)` and MLflow's predictions body are recorded. Run with the MLflow 3.17.2 venv:
    env -u COLUMNS -u LINES /tmp/mlflow-venv/bin/python gen.py > cases.jsonl
"""
import base64, datetime as dt, io, json, math, sys
import numpy as np, pandas as pd
from mlflow.pyfunc.scoring_server import predictions_to_json, unwrapped_predictions_to_json


def from_elem(e):
    if isinstance(e, list):
        return [from_elem(x) for x in e]
    if isinstance(e, dict):
        if len(e) == 1:
            (k, v), = e.items()
            if k.startswith('$'):
                return from_tag(k, v)
        return {k: from_elem(v) for k, v in e.items()}
    return e


def from_tag(k, v):
    if k == '$float': return float(v)
    if k == '$bytes': return base64.b64decode(v)
    if k == '$datetime': return dt.datetime.fromisoformat(v)
    if k == '$date': return dt.date.fromisoformat(v)
    if k == '$datetime64': return np.datetime64(v)
    if k == '$timestamp': return pd.Timestamp(v)
    if k == '$nat': return pd.NaT
    if k == '$na': return pd.NA
    if k == '$numpy':
        d, x = v
        if d.startswith('datetime64'): return np.datetime64(x)
        if d == 'bytes': return np.bytes_(base64.b64decode(x))
        if d == 'str': return np.str_(x)
        return np.dtype(d).type(from_elem(x))
    if k == '$ndarray': return decode(v)
    if k == '$tuple': return tuple(from_elem(x) for x in v)
    if k == '$dict': return {from_elem(a): from_elem(b) for a, b in v}
    raise ValueError(k)


def tzinfo(tz):
    if tz in ('UTC', 'Z'): return dt.timezone.utc
    if tz[0] in '+-':
        h, m = tz[1:].split(':')
        d = dt.timedelta(hours=int(h), minutes=int(m))
        return dt.timezone(d if tz[0] == '+' else -d)
    return tz


def column(dtype, values):
    if dtype == 'object':
        s = pd.Series([from_elem(v) for v in values], dtype=object)
        return s
    if dtype == 'bytes':
        return pd.Series([None if v is None else base64.b64decode(v) for v in values], dtype=object)
    if dtype in ('str', 'string'):
        return pd.Series(values, dtype=dtype)
    if dtype in ('Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float32', 'Float64', 'boolean'):
        return pd.Series(pd.array(values, dtype=dtype))
    if dtype.startswith('float'):
        return pd.Series(np.array([np.nan if v is None else from_elem(v) for v in values], dtype=dtype))
    if dtype.startswith('datetime64['):
        inner = dtype[len('datetime64['):-1]
        if ',' in inner:
            unit, tz = [x.strip() for x in inner.split(',')]
            s = pd.Series(pd.to_datetime(values, format='ISO8601', utc=True))
            return s.dt.tz_convert(tzinfo(tz)).dt.as_unit(unit)
        s = pd.Series(pd.to_datetime(values, format='ISO8601'))
        return s.astype(dtype)
    return pd.Series(np.array(values, dtype=dtype))


def decode(v):
    t = v['type']
    if t == 'json':
        return from_elem(v['value'])
    if t == 'dataframe':
        cols = v['columns']
        if not cols:
            n = len(v.get('index', []))
            return pd.DataFrame(index=range(n))
        data = [column(c['dtype'], c['values']).rename(c['name']) for c in cols]
        df = pd.concat(data, axis=1) if len(set(c['name'] for c in cols)) == len(cols) else None
        if df is None:
            df = pd.DataFrame({i: s.values for i, s in enumerate(data)})
            df.columns = [c['name'] for c in cols]
        if len(cols) and not len(data[0]):
            df = pd.DataFrame({c['name']: s for c, s in zip(cols, data)})
        return df
    if t == 'series':
        s = column(v['dtype'], v['values'])
        s.name = v.get('name')
        return s
    if t == 'ndarray':
        dtype, shape, values = v['dtype'], tuple(v['shape']), v['values']
        if dtype == 'object':
            a = np.empty(shape, dtype=object)
            def fill(idx, x, d):
                if d == len(shape):
                    a[idx] = from_elem(x)
                else:
                    for i, y in enumerate(x):
                        fill(idx + (i,), y, d + 1)
            if shape == ():
                a[()] = from_elem(values)
            else:
                fill((), values, 0)
            return a
        if dtype == 'bytes':
            def b(x):
                return [b(y) for y in x] if isinstance(x, list) else base64.b64decode(x)
            return np.array(b(values), dtype='S').reshape(shape)
        if dtype == 'str':
            return np.array(values, dtype=str).reshape(shape)
        if dtype.startswith('datetime64'):
            def d(x):
                return [d(y) for y in x] if isinstance(x, list) else ('NaT' if x is None else x)
            return np.array(d(values), dtype=dtype).reshape(shape)
        def f(x):
            return [f(y) for y in x] if isinstance(x, list) else (np.nan if x is None else from_elem(x))
        return np.array(f(values), dtype=dtype).reshape(shape)
    if t == 'tensor_dict':
        return {k: decode(a) for k, a in v['arrays'].items()}
    raise ValueError(t)


def df(*cols, index=None):
    v = {'type': 'dataframe', 'columns': [{'name': n, 'dtype': d, 'values': vals} for n, d, vals in cols]}
    return v


def ser(name, dtype, values):
    return {'type': 'series', 'name': name, 'dtype': dtype, 'values': values}


def nd(dtype, shape, values):
    return {'type': 'ndarray', 'dtype': dtype, 'shape': shape, 'values': values}


def js(v):
    return {'type': 'json', 'value': v}


NAN = {'$float': 'nan'}
INF = {'$float': 'inf'}
NINF = {'$float': '-inf'}

cases = []


def case(name, value):
    cases.append((name, value))


# --- DataFrames: numbers
case('df/int/one', df(('sqft', 'int64', [1500])))
case('df/int/two-cols', df(('sqft', 'int64', [1500, 2000]), ('bedrooms', 'int64', [3, 4])))
case('df/int/negative', df(('a', 'int64', [-5, 12, 0]), ('b', 'int32', [7, -100000, 3])))
case('df/int/small-types', df(('i8', 'int8', [1, -2]), ('u', 'uint64', [1, 18446744073709551615]), ('u8', 'uint8', [0, 255])))
case('df/int/big', df(('l', 'int64', [9007199254740993, -9223372036854775808])))
case('df/float/nan', df(('sqft', 'float64', [1500.0, None])))
case('df/float/decimals', df(('f', 'float64', [1.25, 3.5, 100.0])))
case('df/float/big', df(('f', 'float64', [1e7, 3.5])))
case('df/float/tiny', df(('f', 'float64', [1e-7, 3.5])))
case('df/float/long-big', df(('f', 'float64', [123456789.123, 3.5])))
case('df/float/inf', df(('f', 'float64', [INF, NINF, None, 1.0])))
case('df/float/float32', df(('f', 'float32', [0.1, 0.2])))
case('df/float/float32-digits', df(('f', 'float32', [0.10000000149011612, 1.3333333730697632])))
case('df/float/float16', df(('f16', 'float16', [0.0999755859375, 2.0])))
case('df/float/mixed', df(('a', 'float64', [1.123456789, 2.0]), ('b', 'float64', [1e-5, 1.0]), ('c', 'float64', [-1.5, 2.0])))
case('df/float/1e16', df(('a', 'float64', [1e16, 2.0])))
case('df/float/1e6', df(('a', 'float64', [1e6, 2.0])))
case('df/float/123456.5', df(('a', 'float64', [123456.5, 2.0])))
case('df/float/1234567.5', df(('a', 'float64', [1234567.5, 2.0])))
case('df/float/all-nan', df(('a', 'float64', [None, None])))
case('df/float/zeros', df(('a', 'float64', [0.0, -0.0])))
case('df/float/tiny-nan-zero', df(('a', 'float64', [1e-7, None, 0.0])))
case('df/float/inf-big', df(('a', 'float64', [INF, 1e7])))
case('df/float/1e300', df(('a', 'float64', [1e300, 1])))
case('df/float/denormal', df(('a', 'float64', [5e-324, 1])))
case('df/float/rounding', df(('a', 'float64', [0.1 + 0.2, 2.675, 1.0000005, 0.0000015])))
case('df/float/negative', df(('a', 'float64', [-0.5, -1234.25, 3.0])))
case('df/float/ints', df(('a', 'float64', [1.0, 2.0, 3.0])))
case('df/float/precise', df(('price', 'float64', [199999.99, 250000.5, 1234.5678])))
case('df/bool', df(('b', 'bool', [True, False])))
case('df/bool-one', df(('b', 'bool', [True])))
# --- nullable
case('df/nullable/Int64', df(('I', 'Int64', [1, None])))
case('df/nullable/Float64', df(('F', 'Float64', [1.5, None, 2.25])))
case('df/nullable/Float64-wide', df(('F', 'Float64', [0.1, 1e-9, 1e20])))
case('df/nullable/boolean', df(('B', 'boolean', [True, None])))
case('df/nullable/UInt8', df(('a', 'UInt8', [1, 2])))
case('df/nullable/string', df(('s', 'string', ['a', None])))
# --- text
case('df/str/nan', df(('s', 'str', ['a', None, 'ccc'])))
case('df/str/two', df(('a', 'int64', [1, 22]), ('b', 'str', ['x', 'yy'])))
case('df/str/long', df(('x', 'str', ['y' * 60])))
case('df/str/escapes', df(('x', 'str', ['a\tb\nc', "it's", 'q"q'])))
case('df/str/unicode', df(('x', 'str', ['h\u00e9llo', '\u65e5\u672c'])))
case('df/str/empty', df(('x', 'str', ['', 'a'])))
case('df/object/strs', df(('o', 'object', ['a', None, 'ccc'])))
case('df/object/none', df(('o', 'object', [None])))
case('df/object/mixed', df(('o', 'object', [1.5, 2, 'x', None, NAN, {'$bytes': 'YWI='}, 0.1234567, 1e20, True])))
case('df/object/dicts', df(('m', 'object', [{'k': 1.5, 'l': [2.5, 'x']}, {'k': "it's"}])))
case('df/object/lists', df(('l', 'object', [[1.5, 'x', None, NAN], [0.1234567, 1e-9]])))
case('df/object/dates', df(('o', 'object', [{'$datetime': '2020-01-01T12:00:00'}, {'$timestamp': '2020-01-01T00:00:00'}, {'$datetime64': '2020-01-01'}, {'$nat': True}, {'$na': True}, {'$date': '2020-01-02'}])))
case('df/object/arrays', df(('o', 'object', [{'$ndarray': nd('int64', [2], [1, 2])}, {'$ndarray': nd('float64', [1, 2], [[1.5, 2]])}, {'$ndarray': nd('str', [2], ['a', 'b'])}, {'$tuple': [1]}, {'$tuple': [1, 2]}])))
case('df/object/deep', df(('o', 'object', [[[[[1]]]], {'a': {'b': {'c': {'d': 1}}}}, list(range(120))])))
case('df/object/keys', df(('o', 'object', [{'$dict': [[1, 'a'], [None, 2.5]]}, {}, []])))
case('df/object/numpy-scalars', df(('o', 'object', [{'$numpy': ['int32', 5]}, {'$numpy': ['float32', 0.1]}, {'$numpy': ['bool', True]}, {'$numpy': ['float64', 2.5]}])))
case('df/object/chat', df(('messages', 'object', [[{'role': 'user', 'content': 'hi'}]])))
case('df/object/ndarray-dicts', df(('messages', 'object', [{'$ndarray': nd('object', [1], [{'role': 'user', 'content': 'hi'}])}])))
case('df/bytes', df(('b', 'bytes', ['aGVsbG8=', 'AP8=', None])))
case('df/date', df(('dt', 'object', [{'$date': '2020-01-01'}])))
# --- datetimes
case('df/dt/dates', df(('d', 'datetime64[ns]', ['2020-01-01T00:00:00.000000000', None])))
case('df/dt/times', df(('d', 'datetime64[ns]', ['2020-01-01T12:00:00.000000000', '2020-01-02T00:00:00.000000000'])))
case('df/dt/ms', df(('d', 'datetime64[ns]', ['2020-01-01T12:00:00.500000000', '2020-01-02T00:00:00.000000000'])))
case('df/dt/us', df(('d', 'datetime64[us]', ['2020-01-01T12:00:00.000001', '2020-01-02T00:00:00.000000'])))
case('df/dt/ns', df(('d', 'datetime64[ns]', ['2020-01-01T12:00:00.000000001', '2020-01-02T00:00:00.000000000'])))
case('df/dt/s', df(('d', 'datetime64[s]', ['2020-01-01T10:00:00'])))
case('df/dt/all-nat', df(('d', 'datetime64[ns]', [None, None])))
case('df/dt/utc', df(('d', 'datetime64[ns, UTC]', ['2021-06-30T12:34:56Z', None])))
case('df/dt/utc-ms', df(('d', 'datetime64[ns, UTC]', ['2021-06-30T00:00:00.5Z', '2021-06-30T00:00:00Z'])))
case('df/dt/offset', df(('d', 'datetime64[ns, +02:00]', ['2021-06-30T12:34:56+02:00'])))
# --- labels
case('df/labels/ints', df((0, 'int64', [1500]), (1, 'int64', [3])))
case('df/labels/eleven', df(*[(i, 'int64', [1]) for i in range(11)]))
case('df/labels/mixed', df(('a', 'int64', [1]), (0, 'int64', [2])))
case('df/labels/long', df(('x' * 60, 'int64', [1])))
case('df/labels/escape', df(('a\tb', 'int64', [1])))
case('df/labels/duplicate', df(('sqft', 'int64', [1500]), ('bedrooms', 'int64', [3]), ('sqft', 'int64', [7])))
# --- shapes
case('df/empty/rows', df(('a', 'int64', [])))
case('df/empty/two', df(('a', 'int64', []), ('b', 'object', [])))
case('df/empty/none', {'type': 'dataframe', 'columns': []})
case('df/empty/rows-no-cols', {'type': 'dataframe', 'columns': [], 'index': [0, 1]})
case('df/long/100', df(('a', 'int64', [1] * 100)))
case('df/long/61', df(('a', 'int64', list(range(61))), ('s', 'str', ['x%d' % i for i in range(61)])))
case('df/long/60', df(('a', 'int64', list(range(60)))))
case('df/long/floats', df(('a', 'float64', [i / 7 for i in range(70)])))
case('df/rows/11', df(('a', 'int64', list(range(11)))))
case('df/wide/25', df(*[(i, 'int64', [1]) for i in range(25)]))
case('df/wide/90', df(*[('c%d' % i, 'float64', [1.5]) for i in range(90)]))
case('df/wide/long', df(*[('c%d' % i, 'int64', list(range(70))) for i in range(30)]))
case('df/wide/strings', df(*[('col%d' % i, 'str', ['x' * 12]) for i in range(8)]))
case('df/wide/types', df(('b', 'bool', [True]), ('i', 'int32', [7]), ('l', 'int64', [9007199254740993]), ('f', 'float32', [1.5]), ('d', 'float64', [2.25]), ('s', 'str', ['text']), ('bin', 'bytes', ['aGVsbG8=']), ('dt', 'datetime64[ns, +02:00]', ['2021-06-30T12:34:56+02:00'])))
case('df/wide/types-naive', df(('b', 'bool', [True]), ('i', 'int32', [7]), ('l', 'int64', [9007199254740993]), ('f', 'float32', [1.5]), ('d', 'float64', [2.25]), ('s', 'str', ['text']), ('bin', 'bytes', ['aGVsbG8=']), ('dt', 'datetime64[ns]', ['2021-06-30T12:34:56.000000000'])))
case('df/wide/95-cols-70-rows', df(*[('c%d' % i, 'int64', list(range(70))) for i in range(95)]))
# --- Series
case('series/named', ser('sqft', 'int64', [1500]))
case('series/float-nan', ser(None, 'float64', [1.5, None]))
case('series/str', ser(None, 'str', ['a', 'b']))
case('series/empty', ser('x', 'int64', []))
case('series/long', ser(None, 'int64', list(range(100))))
case('series/long-str', ser('x\ty', 'str', ['a'] * 70))
case('series/object', ser('o', 'object', [None, [1, 2], {'a': 1}]))
case('series/datetime', ser('d', 'datetime64[ns]', ['2020-01-01T00:00:00.000000000', None]))
case('series/bool', ser(0, 'bool', [True, False]))
case('series/Int64', ser('n', 'Int64', [1, None]))
case('series/float32', ser('p', 'float32', [0.5, 0.25]))
# --- ndarrays
case('nd/int/1d', nd('int64', [2], [1500, 2000]))
case('nd/int/2d', nd('int64', [2, 2], [[1500, 3], [2000, 4]]))
case('nd/int/row', nd('int64', [1, 2], [[1500, 3]]))
case('nd/int/neg', nd('int64', [2], [-1, 2]))
case('nd/int/int32', nd('int32', [2], [1, 2]))
case('nd/int/wrap', nd('int64', [30], list(range(30))))
case('nd/int/summary', nd('int64', [2000], list(range(2000))))
case('nd/int/3d', nd('int64', [2, 3, 4], [[[i * 12 + j * 4 + k for k in range(4)] for j in range(3)] for i in range(2)]))
case('nd/int/0d', nd('int64', [], 5))
case('nd/float/zeros', nd('float64', [2, 2], [[0.0, 0.0], [0.0, 0.0]]))
case('nd/float/1d', nd('float64', [3], [1.0, 2.0, 3.0]))
case('nd/float/frac', nd('float64', [2], [0.1, 0.25]))
case('nd/float/nonfinite', nd('float64', [4], [1.5, None, INF, NINF]))
case('nd/float/1e8', nd('float64', [2], [1e8, 1.0]))
case('nd/float/1e-5', nd('float64', [2], [1e-5, 1.0]))
case('nd/float/ratio', nd('float64', [2], [1e3, 0.5]))
case('nd/float/1001', nd('float64', [2], [1001, 1.0]))
case('nd/float/third', nd('float64', [1], [1 / 3]))
case('nd/float/neg', nd('float64', [2], [-1.5, 2]))
case('nd/float/nan-only', nd('float64', [1], [None]))
case('nd/float/inf-only', nd('float64', [2], [INF, NINF]))
case('nd/float/nan-big', nd('float64', [2], [None, 1e10]))
case('nd/float/signed-zero', nd('float64', [2], [-0.0, 0.0]))
case('nd/float/1e300', nd('float64', [2], [1e300, 1.0]))
case('nd/float/123456.789', nd('float64', [2], [123456.789, 1.0]))
case('nd/float/2d-nonfinite', nd('float64', [2, 2], [[1.5, None], [INF, 2]]))
case('nd/float/summary', nd('float64', [1000, 3], [[float(i * 3 + j) for j in range(3)] for i in range(1000)]))
case('nd/float/wrap', nd('float64', [30], [float(i) for i in range(30)]))
case('nd/float/0d', nd('float64', [], 1.0))
case('nd/float/empty', nd('float64', [0], []))
case('nd/float/empty-2d', nd('float64', [2, 0], [[], []]))
case('nd/float/empty-rows', nd('float32', [0, 3], []))
case('nd/float32/one', nd('float32', [1, 2], [[0.0, 0.0]]))
case('nd/float32/tenth', nd('float32', [1], [0.10000000149011612]))
case('nd/float32/third', nd('float32', [1], [0.3333333432674408]))
case('nd/float32/1e6', nd('float32', [2], [1e6, 1.0]))
case('nd/float32/1e5', nd('float32', [2], [1e5, 1.0]))
case('nd/float32/row', nd('float32', [1, 3], [[1.0, 2.0, 3.0]]))
case('nd/float32/nan', nd('float32', [1, 3], [[1.0, None, 3.0]]))
case('nd/float16/pad', nd('float16', [3], [0.5, 0.25, 0.125]))
case('nd/float16/1e3', nd('float16', [2], [1000.0, 1.0]))
case('nd/bool', nd('bool', [2], [True, False]))
case('nd/bool/wrap', nd('bool', [30], [True] * 30))
case('nd/bool/0d', nd('bool', [], True))
case('nd/str', nd('str', [2], ['a', 'bcd']))
case('nd/str/quote', nd('str', [2], ['a', "it's"]))
case('nd/str/long', nd('str', [2], ['a' * 40, 'b' * 40]))
case('nd/str/0d', nd('str', [], 'hello'))
case('nd/str/mixed', nd('str', [2], ['1', 'a']))
case('nd/bytes', nd('bytes', [2], ['YQ==', 'Yg==']))
case('nd/bytes/0d', nd('bytes', [], 'eA=='))
case('nd/dt/D', nd('datetime64[D]', [1], ['2020-01-01']))
case('nd/dt/ns', nd('datetime64[ns]', [1], ['2020-01-01T00:00:00.000000000']))
case('nd/dt/us', nd('datetime64[us]', [1], ['2020-01-01T00:00:00.000000']))
case('nd/dt/s-nat', nd('datetime64[s]', [2], ['2020-01-01T00:00:00', None]))
case('nd/object/mixed', nd('object', [5], [{'a': 1}, [1, 2], None, 'x', 1.5]))
case('nd/object/dicts', nd('object', [1], [{'a': {'$numpy': ['int64', 1]}, 'b': 'x'}]))
case('nd/object/2d', nd('object', [2, 1], [[1], [2]]))
case('nd/object/0d-dict', nd('object', [], {'b': [1]}))
case('nd/object/0d-none', nd('object', [], None))
case('nd/object/0d-str', nd('object', [], 'abc'))
case('nd/object/bytes', nd('object', [2], [{'$bytes': 'eA=='}, None]))
# --- dicts of arrays
case('td/float32', {'type': 'tensor_dict', 'arrays': {'x': nd('float32', [1, 2], [[0.0, 0.0]])}})
case('td/two', {'type': 'tensor_dict', 'arrays': {'a': nd('float64', [1, 2], [[1.0, 2.0]]), 'b': nd('int32', [1], [1])}})
case('td/str', {'type': 'tensor_dict', 'arrays': {'b': nd('str', [1], ['x'])}})
case('td/complex', {'type': 'tensor_dict', 'arrays': {'arr': nd('int64', [1, 2], [[1, 2]]), 'obj': nd('object', [1], [{'a': {'$numpy': ['int64', 1]}, 'b': 'x'}]), 'm': nd('object', [1], [{'k': {'$numpy': ['float64', 1.5]}}]), 'any': nd('str', [1], ['x'])}})
case('td/0d-object', {'type': 'tensor_dict', 'arrays': {'a': nd('object', [], {'b': [1]})}})
case('td/0d-object-str', {'type': 'tensor_dict', 'arrays': {'a': nd('object', [], 'abc')}})
case('td/bytes', {'type': 'tensor_dict', 'arrays': {'a': nd('bytes', [2], ['YQ==', 'Yg=='])}})
case('td/datetime', {'type': 'tensor_dict', 'arrays': {'a': nd('datetime64[D]', [1], ['2020-01-01']), 'b': nd('datetime64[ns]', [1], ['2020-01-01T00:00:00.000000001'])}})
# --- plain values
case('json/dict', js({'messages': [{'role': 'user', 'content': 'hi'}]}))
case('json/list', js(['a']))
case('json/ints', js([1500, 3]))
case('json/int', js(1500))
case('json/float', js(1.0))
case('json/str', js('answer'))
case('json/none', js(None))
case('json/nan', js([NAN, INF, NINF, 1e300, 1e-7, 1e16, 123.0]))
case('json/unicode', js('h\u00e9\U0001F600\n'))
case('json/bytes', js({'$bytes': 'YWI='}))
case('json/datetime', js({'$datetime': '2020-01-01T00:00:00'}))
case('json/datetime-us', js({'$datetime': '2020-01-01T00:00:00.5'}))
case('json/date', js({'$date': '2020-01-02'}))
case('json/timestamp', js({'$timestamp': '2020-01-01T00:00:00.000000001'}))
case('json/datetime64', js({'a': {'$datetime64': '2020-01-01'}, 'b': {'$datetime64': '2020-01-01T00:00:00.000000001'}, 'c': {'$datetime64': '2020-01-01T10:00'}}))
case('json/numpy', js({'a': {'$numpy': ['float32', 0.1]}, 'b': {'$numpy': ['int8', 1]}, 'c': {'$numpy': ['bool', True]}, 'd': {'$numpy': ['float64', 1.5]}, 'e': {'$numpy': ['float16', 0.1]}}))
case('json/keys', js({'$dict': [[1, 'a'], [2.5, 'b'], [None, 'd']]}))
case('json/tuple', js({'$tuple': [1, 'a']}))
case('json/nested-array', js({'x': {'$ndarray': nd('float32', [1, 2], [[0.0, 0.0]])}, 'y': {'$numpy': ['int64', 3]}}))
case('json/nat', js([{'$nat': True}]))
case('json/dict-predictions', js({'predictions': [1]}))
case('json/empty-list', js([]))
case('json/str-quotes', js(["it's", 'a"b', 'back\\slash']))

out = sys.stdout
for name, value in cases:
    obj = decode(value)
    rec = {'id': name, 'value': value, 'str': str(obj)}
    try:
        buf = io.StringIO(); predictions_to_json(obj, buf); rec['predictions'] = buf.getvalue()
    except Exception as e:
        rec['predictions_error'] = type(e).__name__
    try:
        buf = io.StringIO(); unwrapped_predictions_to_json(obj, buf); rec['unwrapped'] = buf.getvalue()
    except Exception:
        pass
    out.write(json.dumps(rec) + '\n')

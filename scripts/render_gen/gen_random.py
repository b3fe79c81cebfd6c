import random, sys, json, io
sys.argv = ['x']
src = open('/tmp/render_gen/gen.py').read().split("out = sys.stdout")[0]
exec(src)

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
seed = int(__import__('os').environ.get('SEED', '1'))
R = random.Random(seed)
N = int(__import__('os').environ.get('N', '300'))
MODE = __import__('os').environ.get('MODE', '')


def rfloat(bits=64):
    k = R.random()
    if k < 0.05: return None
    if k < 0.07: return INF if R.random() < 0.5 else NINF
    if k < 0.12: return 0.0
    if k < 0.35: return float(R.randint(-1000, 100000))
    mag = R.choice([1e-9, 1e-6, 1e-4, 0.01, 1, 10, 1000, 1e5, 1e6, 1e7, 1e9, 1e15, 1e17])
    v = R.uniform(-1, 1) * mag
    if R.random() < 0.3: v = round(v, R.randint(0, 4))
    if bits == 32: v = float(np.float32(v))
    if bits == 16: v = float(np.float16(v))
    if bits != 64 and not math.isfinite(v): return None
    return v


def rstr():
    alphabet = 'abcxyz ABC01_-.\'"\t\n\u00e9\u65e5'
    n = R.choice([0, 1, 2, 3, 5, 8, 12, 20, 55] + ([49, 50, 51, 120] if MODE == 'wide' else []))
    return ''.join(R.choice(alphabet[:16] if R.random() < 0.8 else alphabet) for _ in range(n))


def rdt(unit='ns'):
    if R.random() < 0.1: return None
    y = R.randint(1971, 2035)
    s = f'{y}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}'
    k = R.random()
    digits = {'ns': 9, 'us': 6, 'ms': 3, 's': 0}[unit]
    if k < 0.3 and digits:
        frac = '.' + '0' * digits
        return s + 'T00:00:00' + frac
    t = f'T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}'
    if digits:
        f = R.choice([0, 0, 500, 123, 1, 999999999])
        f = str(f).rjust(9, '0')[:digits]
        t += '.' + f
    return s + t


def relem(depth=0):
    k = R.random()
    if k < 0.1: return None
    if k < 0.2: return R.randint(-100, 10**6)
    if k < 0.3: v = rfloat(); return NAN if v is None else v
    if k < 0.45: return rstr()
    if k < 0.5: return R.random() < 0.5
    if k < 0.55: return {'$bytes': base64.b64encode(rstr().encode()).decode()}
    if k < 0.6: return {'$date': '2020-0%d-1%d' % (R.randint(1, 9), R.randint(0, 9))}
    if k < 0.63: return {'$na': True}
    if k < 0.66: return {'$nat': True}
    if k < 0.7:
        d = R.choice(['int32', 'float32', 'float64', 'bool'])
        return {'$numpy': [d, {'int32': R.choice([1, -7, 0]), 'bool': R.random() < 0.5}.get(d, R.choice([1.0, 0.5, 0.1]))]}
    if depth < 3 and k < 0.82: return [relem(depth + 1) for _ in range(R.randint(0, 4) if R.random() < 0.95 else R.choice([99, 100, 101, 150]))]
    if depth < 3 and k < 0.92: return {rstr() or 'k': relem(depth + 1) for _ in range(R.randint(0, 3))}
    if depth < 2: return {'$ndarray': nd('float64', [2], [rfloat() if R.random() < 0.9 else 1.0 for _ in range(2)])}
    return 1


DTYPES = ['int64', 'int32', 'uint8', 'float64', 'float64', 'float32', 'float16', 'bool', 'str', 'string',
          'object-str', 'object', 'bytes', 'datetime64[ns]', 'datetime64[us]', 'datetime64[s]', 'Int64', 'Float64', 'boolean',
          'datetime64[ns, UTC]']


def rcol(dtype, n):
    if dtype in ('int64', 'int32'):
        mag = R.choice([10, 1000, 10**6, 2**31 - 1])
        return dtype, [R.randint(-mag, mag) for _ in range(n)]
    if dtype == 'uint8': return dtype, [R.randint(0, 255) for _ in range(n)]
    if dtype.startswith('float'):
        bits = int(dtype[5:])
        scale = R.random()
        vals = [rfloat(bits) for _ in range(n)]
        return dtype, vals
    if dtype == 'bool': return dtype, [R.random() < 0.5 for _ in range(n)]
    if dtype in ('str', 'string'): return dtype, [None if R.random() < 0.1 else rstr() for _ in range(n)]
    if dtype == 'object-str': return 'object', [None if R.random() < 0.1 else rstr() for _ in range(n)]
    if dtype == 'object': return dtype, [relem() for _ in range(n)]
    if dtype == 'bytes': return dtype, [None if R.random() < 0.1 else base64.b64encode(rstr().encode()).decode() for _ in range(n)]
    if dtype.startswith('datetime64['):
        unit = dtype[11:].split(',')[0].rstrip(']')
        vals = [rdt(unit) for _ in range(n)]
        if 'UTC' in dtype:
            vals = [None if v is None else v + 'Z' for v in vals]
        return dtype, vals
    if dtype == 'Int64': return dtype, [None if R.random() < 0.2 else R.randint(-10**6, 10**6) for _ in range(n)]
    if dtype == 'Float64':
        return dtype, [None if R.random() < 0.2 else (v if (v := rfloat()) is not None and isinstance(v, float) else 1.5) for _ in range(n)]
    if dtype == 'boolean': return dtype, [None if R.random() < 0.2 else R.random() < 0.5 for _ in range(n)]
    raise ValueError(dtype)


def rlabel(i, ints):
    if ints: return i
    return R.choice(['a', 'sqft', 'bedrooms', 'price', 'x' * R.randint(1, 30), 'col_%d' % i, 'A b']) + ('' if R.random() < 0.5 else str(i))


cases = []
for k in range(N):
    kind = R.random()
    if kind < 0.55:
        ncols = R.choice([1, 1, 2, 3, 4, 6, 9, 14, 25]) if MODE != 'wide' else R.choice([5, 20, 79, 80, 81, 85, 100, 130])
        nrows = (R.choice([0, 1, 1, 2, 3, 5, 10, 61, 75]) if R.random() < 0.9 else 0) if MODE != 'wide' else R.choice([1, 2, 61])
        ints = R.random() < 0.2
        cols = []
        for i in range(ncols):
            d, vals = rcol(R.choice(DTYPES), nrows)
            cols.append((rlabel(i, ints), d, vals))
        names = [c[0] for c in cols]
        if len(set(names)) != len(names):
            cols = [(f'{c[0]}_{i}' if not ints else i, c[1], c[2]) for i, c in enumerate(cols)]
        v = df(*cols)
    elif kind < 0.7:
        n = R.choice([0, 1, 3, 8, 70])
        d, vals = rcol(R.choice(DTYPES), n)
        v = ser(R.choice([None, 'y', 0, 'name with space']), d, vals)
    else:
        dtype = R.choice(['int64', 'int32', 'float64', 'float32', 'float16', 'bool', 'str', 'object', 'datetime64[ns]', 'datetime64[D]', 'bytes'])
        shape = R.choice([[3], [1, 3], [2, 2], [7], [25], [2, 3, 2], [1], [], [40, 3], [1100]])
        size = 1
        for s in shape: size *= s
        def build(sh):
            if not sh:
                if dtype.startswith('int'): return R.randint(-10**R.randint(1, 9), 10**R.randint(1, 9))
                if dtype.startswith('float'):
                    f = rfloat(int(dtype[5:]))
                    return f
                if dtype == 'bool': return R.random() < 0.5
                if dtype == 'str': return rstr()
                if dtype == 'bytes': return base64.b64encode(rstr().encode()).decode()
                if dtype == 'object': return relem()
                if dtype == 'datetime64[ns]': return rdt('ns')
                if dtype == 'datetime64[D]': return None if R.random() < 0.1 else '2021-0%d-1%d' % (R.randint(1, 9), R.randint(0, 9))
            return [build(sh[1:]) for _ in range(sh[0])]
        v = nd(dtype, shape, build(shape))
        if R.random() < 0.2:
            v = {'type': 'tensor_dict', 'arrays': {'a': v, 'b': nd('int64', [1], [1])}}
    cases.append(('random/%d' % k, v))

for name, value in cases:
    try:
        obj = decode(value)
    except Exception as e:
        continue
    try:
        s = str(obj)
    except Exception:
        continue
    rec = {'id': name, 'value': value, 'str': s}
    try:
        buf = io.StringIO(); predictions_to_json(obj, buf); rec['predictions'] = buf.getvalue()
    except Exception as e:
        pass
    sys.stdout.write(json.dumps(rec) + '\n')

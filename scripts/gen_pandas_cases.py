#!/usr/bin/env python3
"""Regenerates tests/pandas/read_csv_cases.jsonl: CSV texts and what real pandas'
`pd.read_csv(path)` (default options: the C parser, as `signet infer`/`check` and MLflow users
call it) makes of them.

Usage: .venv-interop/bin/python scripts/gen_pandas_cases.py > tests/pandas/read_csv_cases.jsonl
(needs the pandas that comes with mlflow==3.17.2 in .venv-interop; the Rust tests only read the
generated file).

One JSON object per line (strict JSON), in the order below:

    {"id": "...", "csv": "<text>", "pandas": "<version>",
     "expect": {"columns": [label, ...], "dtypes": ["int64", ...],
                "values": [[...column 0...], [...column 1...], ...]}}
or  {"id": ..., "csv": ..., "pandas": ..., "expect": {"error": "<ExceptionClass>: <message>"}}

* The text is written UTF-8 to a file and read by path (so a BOM is seen as bytes, as a file on
  disk is). When `pd.read_csv(io.StringIO(text))` (how MLflow's scoring server reads a CSV
  body) gives a different answer, it is recorded as `"expect_text_io"` in the same form.
* `columns`: the labels pandas assigned (strings; de-duplicated, `Unnamed: i` for empty cells).
* `dtypes`: `str(df[c].dtype)` (`int64`, `uint64`, `float64`, `bool`, `str` = pandas 3's default
  string dtype, `object`, ...).
* `index` / `index_dtype` (only when the row index is not the default 0..n-1: pandas makes the
  first field of each row the index when data rows have one field more than the header).
* `values`: per column, each cell as JSON: `null` for NaN / None / NA; ints as integers (when
  they do not fit in i64/u64: `{"$int": "<digits>"}`); finite floats as numbers;
  `{"$float": "inf"}` / `{"$float": "-inf"}`; strings; bools. In an `object` column a Python
  `int` and a `float` stay distinguishable (an integral float is written with `.0`).
"""
import io
import json
import math
import os
import sys
import tempfile

import pandas as pd

# (id, csv text). Ids say what is tried, never what happens.
CASES = [
    # header labels
    ("header/dup/a-empty-a-a.1-a", "a,,a,a.1,a\n1,2,3,4,5\n"),
    ("header/dup/a-a-a", "a,a,a\n1,2,3\n"),
    ("header/dup/a-a.1-a", "a,a.1,a\n1,2,3\n"),
    ("header/dup/a-a-a.1", "a,a,a.1\n1,2,3\n"),
    ("header/dup/a.1-a-a", "a.1,a,a\n1,2,3\n"),
    ("header/dup/a-a-a.1-a.1", "a,a,a.1,a.1\n1,2,3,4\n"),
    ("header/dup/a-a.2-a-a", "a,a.2,a,a\n1,2,3,4\n"),
    ("header/dup/empty-empty", ",\n1,2\n"),
    ("header/dup/unnamed-literal", "Unnamed: 1,\n1,2\n"),
    ("header/dup/case-differs", "a,A,a\n1,2,3\n"),
    ("header/empty/first", ",b\n1,2\n"),
    ("header/empty/middle", "a,,c\n1,2,3\n"),
    ("header/empty/last", "a,b,\n1,2,3\n"),
    ("header/empty/all", ",,\n1,2,3\n"),
    ("header/spaces", " a , b\n1,2\n"),
    ("header/quoted", '"a,b","c""d"\n1,2\n'),
    ("header/numeric", "1,2.5,True\n1,2,3\n"),
    ("header/only", "a,b\n"),
    ("header/only-no-newline", "a,b"),
    ("header/more-data-fields", "a,b\n1,2,3\n"),
    ("header/fewer-data-fields", "a,b,c\n1,2\n"),
    ("header/ragged-later-row", "a,b\n1,2\n3,4,5\n"),
    ("header/ragged-short-later-row", "a,b,c\n1,2,3\n4,5\n"),
    ("header/more-data-fields-text", "a,b\nx,1,2\ny,3,4\n"),
    # integers: i64 / u64 edges, negatives, mixed with floats, missing
    ("int/small", "a\n1\n2\n"),
    ("int/negative", "a\n-1\n2\n"),
    ("int/plus-sign", "a\n+1\n2\n"),
    ("int/leading-zeros", "a\n007\n2\n"),
    ("int/i64-max", "a\n9223372036854775807\n"),
    ("int/i64-min", "a\n-9223372036854775808\n"),
    ("int/i64-max-plus-1", "a\n9223372036854775808\n"),
    ("int/i64-min-minus-1", "a\n-9223372036854775809\n"),
    ("int/u64-max", "a\n18446744073709551615\n"),
    ("int/u64-max-plus-1", "a\n18446744073709551616\n"),
    ("int/beyond-u64", "a\n123456789012345678901234567890\n"),
    ("int/beyond-u64-negative", "a\n-123456789012345678901234567890\n"),
    ("int/u64-with-negative", "a\n18446744073709551615\n-1\n"),
    ("int/beyond-i64-with-negative", "a\n9223372036854775808\n-1\n"),
    ("int/beyond-u64-with-small", "a\n18446744073709551616\n1\n"),
    ("int/beyond-u64-with-float", "a\n18446744073709551616\n1.5\n"),
    ("int/u64-with-float", "a\n18446744073709551615\n1.5\n"),
    ("int/i64-with-float", "a\n9223372036854775807\n1.5\n"),
    ("int/beyond-u64-with-missing", "a\n18446744073709551616\n\n"),
    ("int/beyond-u64-with-missing-cell", "a,b\n18446744073709551616,1\n,2\n"),
    ("int/u64-with-missing-cell", "a,b\n18446744073709551615,1\n,2\n"),
    ("int/u64-with-NA", "a,b\n18446744073709551615,1\nNA,2\n"),
    ("int/beyond-i64-with-NA", "a,b\n9223372036854775808,1\nNA,2\n"),
    ("int/beyond-u64-with-NA", "a,b\n18446744073709551616,1\nNA,2\n"),
    ("int/beyond-u64-with-text", "a\n18446744073709551616\nx\n"),
    ("int/beyond-u64-with-True", "a\n18446744073709551616\nTrue\n"),
    ("int/i64-with-NA", "a,b\n9223372036854775807,1\nNA,2\n"),
    ("int/with-missing-cell", "a,b\n1,1\n,2\n"),
    ("int/with-text", "a\n1\nx\n"),
    ("int/underscore", "a\n1_000\n"),
    ("int/thousands-comma-quoted", 'a\n"1,000"\n'),
    ("int/hex", "a\n0x1F\n"),
    ("int/spaces-around", "a,b\n 1 ,2\n"),
    ("int/leading-space", "a,b\n 1,2\n"),
    ("int/trailing-space", "a,b\n1 ,2\n"),
    ("int/tab-around", "a,b\n\t1\t,2\n"),
    # floats
    ("float/plain", "a\n1.5\n2\n"),
    ("float/exp", "a\n1e5\n"),
    ("float/exp-upper-signed", "a\n1E+05\n-2.5e-3\n"),
    ("float/leading-dot", "a\n.5\n"),
    ("float/trailing-dot", "a\n5.\n"),
    ("float/neg-leading-dot", "a\n-.5\n"),
    ("float/inf", "a\ninf\n1.5\n"),
    ("float/-inf", "a\n-inf\n1.5\n"),
    ("float/+inf", "a\n+inf\n1.5\n"),
    ("float/Inf", "a\nInf\n1.5\n"),
    ("float/INF", "a\nINF\n1.5\n"),
    ("float/Infinity", "a\nInfinity\n1.5\n"),
    ("float/-Infinity", "a\n-Infinity\n1.5\n"),
    ("float/inf-alone", "a\ninf\n"),
    ("float/many-digits", "a\n0.1000000000000000055511151231257827\n"),
    ("float/17-digits", "a\n1.2345678901234567\n"),
    ("float/huge-exp", "a\n1e400\n"),
    ("float/tiny-exp", "a\n1e-400\n"),
    ("float/comma-decimal", 'a\n"1,5"\n'),
    ("float/spaces-around", "a,b\n 1.5 ,2\n"),
    ("float/underscore", "a\n1_000.5\n"),
    ("float/d-exponent", "a\n1d5\n"),
    ("float/with-int-and-missing", "a,b\n1,x\n,y\n2.5,z\n"),
    # NA strings and near misses
] + [
    (f"na/{name}", f"a,b\n{tok},1\n2.5,2\n")
    for name, tok in [
        ("empty", ""), ("NaN", "NaN"), ("nan", "nan"), ("NAN", "NAN"), ("-NaN", "-NaN"),
        ("-nan", "-nan"), ("+nan", "+nan"), ("NA", "NA"), ("N/A", "N/A"), ("n/a", "n/a"),
        ("NULL", "NULL"), ("null", "null"), ("Null", "Null"), ("None", "None"),
        ("none", "none"), ("#N/A", "#N/A"), ("#N/A N/A", "#N/A N/A"), ("#NA", "#NA"),
        ("-1.#IND", "-1.#IND"), ("1.#QNAN", "1.#QNAN"), ("-1.#QNAN", "-1.#QNAN"),
        ("1.#IND", "1.#IND"), ("<NA>", "<NA>"), ("na", "na"), ("Na", "Na"), ("nA", "nA"),
        ("NaT", "NaT"), ("nat", "nat"), ("NAT", "NAT"),
        ("space-NA", " NA"), ("NA-space", "NA "), ("space-NaN-space", " NaN "),
        ("quoted-NA", '"NA"'), ("quoted-empty", '""'), ("space", " "), ("tab", "\t"),
        ("dash", "-"), ("question", "?"), ("NONE", "NONE"), ("nil", "nil"),
        ("undefined", "undefined"), ("NaN-lower-n", "naN"),
    ]
] + [
    (f"na/in-text-column/{name}", f"a\nx\n{tok}\n")
    for name, tok in [("NA", "NA"), ("None", "None"), ("null", "null"), ("empty", ""),
                      ("NaN", "NaN"), ("quoted-empty", '""'), ("space-NA", " NA")]
] + [
    # booleans
] + [
    (f"bool/{name}", f"a\n{t}\n{f}\n")
    for name, t, f in [
        ("True-False", "True", "False"), ("TRUE-FALSE", "TRUE", "FALSE"),
        ("true-false", "true", "false"), ("tRuE-fAlSe", "tRuE", "fAlSe"),
        ("T-F", "T", "F"), ("yes-no", "yes", "no"), ("1-0", "1", "0"),
        ("True-0", "True", "0"), ("True-1.5", "True", "1.5"), ("True-x", "True", "x"),
        ("True-empty", "True", ""), ("True-NA", "True", "NA"),
        ("space-True", " True", "False"), ("quoted-True", '"True"', "False"),
    ]
] + [
    # quoting
    ("quote/embedded-quote", 'a,b\n"x ""y"" z",1\n'),
    ("quote/embedded-newline", 'a,b\n"line1\nline2",1\n'),
    ("quote/embedded-crlf", 'a,b\r\n"line1\r\nline2",1\r\n'),
    ("quote/embedded-delimiter", 'a,b\n"x,y",1\n'),
    ("quote/quoted-number", 'a,b\n"1",2\n'),
    ("quote/quoted-float", 'a,b\n"1.5",2\n'),
    ("quote/quoted-True", 'a,b\n"True",2\n'),
    ("quote/quote-mid-field", 'a,b\nx"y,1\n'),
    ("quote/quote-then-text", 'a,b\n"x"y,1\n'),
    ("quote/space-before-quote", 'a,b\n "x",1\n'),
    ("quote/unterminated", 'sqft,bed\n1,"2\n'),
    ("quote/unterminated-no-newline", 'sqft,bed\n1,"2'),
    ("quote/unterminated-multiline", 'sqft,bed\n1,"2\n3,4\n'),
    ("quote/unterminated-in-header", '"sqft,bed\n1,2\n'),
    ("quote/empty-quoted-everywhere", 'a,b\n"",""\n'),
    # line structure
    ("lines/empty-input", ""),
    ("lines/only-newline", "\n"),
    ("lines/blank-lines-between", "a,b\n1,2\n\n3,4\n"),
    ("lines/blank-lines-before-header", "\n\na,b\n1,2\n"),
    ("lines/blank-lines-at-end", "a,b\n1,2\n\n\n"),
    ("lines/whitespace-only-line", "a,b\n1,2\n  \n3,4\n"),
    ("lines/comma-only-line", "a,b\n1,2\n,\n3,4\n"),
    ("lines/trailing-comma-data", "a,b\n1,2,\n3,4,\n"),
    ("lines/trailing-comma-all", "a,b,\n1,2,\n3,4,\n"),
    ("lines/trailing-comma-header-only", "a,b,\n1,2\n"),
    ("lines/crlf", "a,b\r\n1,2\r\n3,4\r\n"),
    ("lines/cr-only", "a,b\r1,2\r3,4\r"),
    ("lines/mixed-endings", "a,b\r\n1,2\n3,4\r\n"),
    ("lines/no-final-newline", "a,b\n1,2"),
    ("lines/bom", "\ufeffa,b\n1,2\n"),
    ("lines/bom-quoted-header", '\ufeff"a",b\n1,2\n'),
    ("lines/single-column", "a\n1\n\n2\n"),
    ("lines/single-column-empty-cells", "a\n1\n\"\"\n2\n"),
    ("lines/hash", "a,b\n#1,2\n3,4\n"),
    # mixed / other
    ("mixed/dates-stay-text", "d\n2024-01-01\n2024-01-02\n"),
    ("mixed/int-then-text", "a\n1\nabc\n"),
    ("mixed/non-ascii", "name\ncafé\nnaïve\n"),
    ("mixed/all-empty-column", "a,b\n,1\n,2\n"),
    ("mixed/all-na-strings-column", "a,b\nNA,1\nnull,2\n"),
]


def _random_headers(n=24, seed=20261206):
    """Headers mixing repeated names, `name.k` look-alikes and empty cells (de-dup order)."""
    import random

    rng = random.Random(seed)
    toks = ["a", "a.1", "a.2", "", "a.1.1", "Unnamed: 1", "b"]
    out = []
    for i in range(n):
        h = [rng.choice(toks) for _ in range(rng.randint(3, 7))]
        out.append((f"header/dup/random-{i:02}", ",".join(h) + "\n" + ",".join(["1"] * len(h)) + "\n"))
    return out


CASES += _random_headers()


def cell(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return v
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        if -(2**63) <= v < 2**64:
            return v
        return {"$int": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return {"$float": "inf" if v > 0 else "-inf"}
        return v
    if isinstance(v, str):
        return v
    return {"$repr": repr(v)}


def frame(df):
    out = {
        "columns": [str(c) if not isinstance(c, str) else c for c in df.columns],
        "dtypes": [str(df.iloc[:, i].dtype) for i in range(df.shape[1])],
        "values": [[cell(x) for x in df.iloc[:, i].tolist()] for i in range(df.shape[1])],
    }
    idx = df.index
    if not (isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1):
        # A row with one more field than the header: pandas makes the first field the index.
        out["index"] = [cell(x) for x in idx.tolist()]
        out["index_dtype"] = str(idx.dtype)
    return out


def run(read):
    try:
        return frame(read())
    except Exception as e:  # noqa: BLE001 - pandas' refusal is the expectation
        return {"error": f"{type(e).__name__}: {e}"}


def main():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    out = sys.stdout
    with tempfile.TemporaryDirectory() as tmp:
        for cid, text in CASES:
            path = os.path.join(tmp, "in.csv")
            with open(path, "wb") as f:
                f.write(text.encode("utf-8"))
            expect = run(lambda: pd.read_csv(path))
            line = {"id": cid, "csv": text, "pandas": pd.__version__, "expect": expect}
            via_text = run(lambda: pd.read_csv(io.StringIO(text)))
            if via_text != expect:
                line["expect_text_io"] = via_text
            out.write(json.dumps(line, ensure_ascii=False, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()

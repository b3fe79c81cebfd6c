#!/usr/bin/env python3
"""Regenerates crates/signet-model/tests/data/pyyaml_cases.jsonl: documents and the exact text
PyYAML's `yaml.safe_dump(doc, default_flow_style=False)` writes for them.

Usage: python3 scripts/gen_pyyaml_cases.py [N_RANDOM] > crates/signet-model/tests/data/pyyaml_cases.jsonl
(needs PyYAML 6; the Rust tests only read the generated file).
"""
import copy
import json
import os
import random
import sys

import yaml

N_RANDOM = int(sys.argv[1]) if len(sys.argv) > 1 else 200
rng = random.Random(20260517)

# Strings from docs/model-directory.md#yaml-bytes and PyYAML's resolver / analyzer corner cases.
EDGE = [
    "", "~", "null", "Null", "NULL", "nULL", "yes", "Yes", "YES", "yEs", "no", "on", "On", "off",
    "OFF", "true", "True", "TRUE", "tRue", "false", "y", "n", "Y", "1234", "012", "08", "0",
    "-0", "+1", "-1", "1_000", "0x1F", "0x", "0b101", "0b", "1:30", "1:60", "1:5", "01:30",
    "190:20:30", "1:30.5", ".5", "1.0", "1.", "-1.5e+3", "1.5e3", "1e3", "1e10", "12e4", "0o12",
    "nan", ".nan", ".NaN", ".inf", "-.inf", "+.Inf", ".Inf", "inf", "2020-01-01",
    "2020-1-1", "2020-01-01T10:00:00Z", "2020-01-01 10:00:00", "2020-1-1 1:00:00.5 +01:00",
    "2020-01-01t10:00:00", "2020-01-01  10:00:00 Z", "2020-01-01T10:00:00-5",
    "2026-11-26 04:05:09.547476", "2026-11-26 04:05:09", "20200101", "=", "<<", "<", "==",
    " x", "x ", " ", "  ", "[x", "{x", "]x", "}x", "'x", '"x', "&x", "*x", "!x", "|x", ">x",
    "%x", "@x", "`x", "#x", ",x", "-x", "- x", "-", "--", "---", "---x", "...", "...x", "?x",
    "? x", "?", ":x", ": x", ":", "x:", "x: y", "x:y", "x #y", "x#y", "a,b", "x]", "x}", "x?",
    "it's", "''", "'", "a'b'c", "tab\there", "caf\xe9", "\u2028", "\x85", "\ufeff", "\x7f",
    "\x00", "\x1b", "snow\u2603man", "emoji\U0001F600", "back\\slash", 'quo"te',
    "line\nbreak", "line\n\nbreaks", "\nleading", "trailing\n", "space \nbreak",
    "break\n space", "3.17.2", "3.11.7", "5b7ee3910e2d4630a7f0da4615b49ee0",
    "12345678901234567890123456789012", "m-83ebc4da36a349efaa6a6bb5b25c9f27",
    "python_model.pkl", "mlflow.pyfunc.model", "1e", "e1", "0.", "+.5", "-.5", "._",
    "1__0", "_1", "0_7", "09", "0b2", "0xg", "+", "-+1",
]

TRICKY = list("ab ::#-?'\"\t\n.,[]{}01_eéx") + [" ", " ", "  ", "a", "b", "c"]


def rand_str():
    n = rng.choice([1, 2, 3, 5, 8, 20, 60, 90, 130, 200])
    return "".join(rng.choice(TRICKY) for _ in range(n))


def rand_words():
    words = []
    for _ in range(rng.randint(5, 40)):
        w = "".join(rng.choice('abcdefgh"{}[],:') for _ in range(rng.randint(1, 12)))
        words.append(w)
    sep = rng.choice([" ", " ", " ", "  ", ", ", ": "])
    return sep.join(words)


def conformance_mlmodels():
    """The MLmodel files MLflow wrote in the conformance corpus (`mlmodel/saved/...`), loaded."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    cdir = os.environ.get("SIGNET_CONFORMANCE_DIR", "../shared/conformance")
    path = os.path.join(root, cdir, "mlmodel.jsonl")
    if not os.path.exists(path):
        return
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        if case["id"].startswith("mlmodel/saved/"):
            doc = yaml.safe_load(case["mlmodel"])
            # The corpus normalises model_uuid to 32 unquoted zeros, which YAML reads as 0.
            if doc.get("model_uuid") == 0:
                doc["model_uuid"] = "0" * 32
            yield doc


def cases():
    yield from conformance_mlmodels()
    for s in EDGE:
        yield {"k": s}
        yield [s]
        if s:
            yield {s: 1}
    for f in [1.5, 1e20, 1e-7, 1e16, 1e15, 0.0, -0.0, 123456789.123, -2.5e-300, 1.0,
              float("nan"), float("inf"), float("-inf"), 0.1]:
        yield {"f": f}
    for i in [0, -1, 2**63, -(2**100), 10**30]:
        yield {"i": i}
    yield {}
    yield []
    yield {"a": {}, "b": [], "c": [[], {}], "d": [{"x": []}], "e": None, "f": True, "g": False}
    yield [[1, [2, 3]], {"a": {"b": [{}]}}, [[[]]], [{"a": 1, "b": [1, 2]}]]
    yield {"z": 1, "a": 2, "B": 3, "\xe9": 4, "_": 5, "aa": 6, "a b": 7}
    yield {"k" * 122: 1, "j" * 123: [1, 2], "i" * 200: {"x": 1}}
    yield {"": 1, "a\nb": [1, {"x": []}], "c\nd": {"e": "f"}}
    yield {"providers": ["CUDAExecutionProvider", "CPUExecutionProvider"],
           "pairs": [["CUDAExecutionProvider", {"device_id": 0}], "CPUExecutionProvider"]}
    for indent in range(0, 6):
        doc = "x" * 10 + " " + rand_words()
        node = {"s": doc, "t": rand_words()}
        for _ in range(indent):
            node = {"k": node, "l": [copy.deepcopy(node)]}
        yield node
    for _ in range(N_RANDOM):
        kind = rng.random()
        if kind < 0.5:
            yield {"a": {"b": rand_str()}, "c": [rand_str(), [rand_str()]]}
        elif kind < 0.8:
            yield {"sig": {"inputs": rand_words(), "outputs": None}}
        else:
            yield {rand_str(): rand_str()}


seen = set()
for doc in cases():
    text = yaml.safe_dump(doc, default_flow_style=False)
    line = json.dumps({"doc": doc, "yaml": text})
    if line in seen:
        continue
    seen.add(line)
    print(line)

"""Helpers for tests that hold two routes into Rust to the same answers: a payload Rust reads
as it is, and the payload Python builds for the same data."""
import numpy as np
import pandas as pd

import signet
from signet import _convert, _signet


def outcome(fn):
    """`("ok", result)` or `("error", class name, message)` for a signet call."""
    try:
        return ("ok", fn())
    except signet.SignetError as e:
        return ("error", type(e).__name__, str(e))


def _same_data(got, expected):
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected)
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys()
        for k in got:
            _same_data(got[k], expected[k])
    else:
        assert type(got) is type(expected)
        assert np.array_equal(np.asarray(got), np.asarray(expected))


def assert_same_answers(fast, slow, sig, mode, like, params=None, where=None):
    """The two payloads `fast` and `slow` of the data `like` get the same violations and the
    same enforced data (or refusal), params and warnings against `sig` in `mode`."""
    assert outcome(lambda: _signet.validate(fast, sig, mode)) == outcome(
        lambda: _signet.validate(slow, sig, mode)), where
    got = outcome(lambda: _signet.enforce(fast, sig, params, mode, False))
    want = outcome(lambda: _signet.enforce(slow, sig, params, mode, False))
    assert got[0] == want[0], (where, got, want)
    if got[0] == "error":
        assert got == want, where
        return
    assert got[1][1:] == want[1][1:], where  # params, warnings
    _same_data(_convert.result(got[1][0], like=like), _convert.result(want[1][0], like=like))

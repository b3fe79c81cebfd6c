"""Shared fixtures: the conformance cases (SIGNET_CONFORMANCE_DIR, default ../shared/conformance,
then the project's conformance/cases) and the known-gaps list (`python:` entries of
conformance/known-gaps.tsv)."""
import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def conformance_dir():
    d = pathlib.Path(os.environ.get("SIGNET_CONFORMANCE_DIR", "../shared/conformance"))
    return d if d.is_absolute() else ROOT / d


def cases(kind):
    d = conformance_dir()
    public = d / f"{kind}.jsonl"
    if not public.is_file():
        raise FileNotFoundError(
            f"conformance file {public} not found: set SIGNET_CONFORMANCE_DIR to the recorded "
            "cases (CI provides ../shared/conformance)"
        )
    out = []
    for path in (public, ROOT / "conformance" / "cases" / f"{kind}.jsonl"):
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(json.loads(line))
    return out


def known_gaps():
    gaps = {}
    for line in (ROOT / "conformance" / "known-gaps.tsv").read_text().splitlines():
        if line.startswith("python:"):
            case_id, _, reason = line[len("python:"):].partition("\t")
            assert reason.strip(), f"known gap {case_id} has no reason"
            gaps[case_id.strip()] = reason.strip()
    return gaps


def same_message(want, have):
    """Equal, or equal modulo the order of items inside Python set renderings."""
    if want == have:
        return True
    cut = want.find("{")
    return cut >= 0 and want[:cut] == have[:cut] and sorted(want) == sorted(have)


@pytest.fixture(scope="session")
def gaps():
    return known_gaps()

"""The bad-input corpus (tests/bad_inputs/cases.yaml): every case is one clear line on stderr,
the expected exit code, no traceback, and nothing written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import copy_inputs, run_kb

ALL: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parents[1] / "bad_inputs" / "cases.yaml").read_text(encoding="utf-8")
)
CASES = [c for c in ALL if "params" not in c]
PARAMS = [c for c in ALL if "params" in c]


def test_corpus_is_large_and_ids_unique() -> None:
    """The corpus has at least 30 cases, each with a unique id, an exit code and a message."""
    ids = [c["id"] for c in ALL]
    assert len(ids) >= 30
    assert len(ids) == len(set(ids))
    assert all(c["exit"] in (1, 2) and c["message"] for c in CASES)
    assert all(c["message"] for c in PARAMS)


def _apply(edit: dict[str, Any], bib: Path, ws: Path) -> None:
    path = bib if edit["file"] == "references.bib" else ws / edit["file"]
    if "replace" in edit:
        old, new = edit["replace"]
        text = path.read_text(encoding="utf-8")
        assert old in text, f"case text not found in {path.name}: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    elif "write" in edit:
        path.write_text(edit["write"], encoding="utf-8")
    elif "write_hex" in edit:
        path.write_bytes(bytes.fromhex(edit["write_hex"]))
    elif edit.get("delete"):
        path.unlink()
    elif edit.get("mkdir"):
        path.unlink()
        path.mkdir()
    elif "symlink" in edit:
        path.unlink()
        path.symlink_to(edit["symlink"].replace("{bib}", str(bib)))
    elif edit.get("fifo"):
        path.unlink()
        os.mkfifo(path)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path) -> None:
    """One line naming what is wrong, the expected exit code, no traceback, nothing written."""
    inputs = copy_inputs(tmp_path)
    if "edit" in case:
        _apply(case["edit"], inputs.bib, inputs.ws)
    out = tmp_path / "out"
    out.mkdir()
    empty_rq = tmp_path / "empty.rq"
    empty_rq.write_text("", encoding="utf-8")
    subs = {
        "{out}": str(out),
        "{missing}": str(tmp_path / "missing"),
        "{bib}": str(inputs.bib),
        "{empty_rq}": str(empty_rq),
        "{ws}": str(inputs.ws),
    }
    args = [_sub(str(a), subs) for a in case["args"]]
    if "--data" not in args:
        args = ["--data", str(inputs.data), *args]
    if "--bib" not in args:
        args = ["--bib", str(inputs.bib), *args]
    before = _snapshot(tmp_path)
    result = run_kb(*args, env=case.get("env"))
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kb: error: ")
    for needle in case["message"]:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    assert list(out.iterdir()) == []
    assert _snapshot(tmp_path) == before, "a failing command changed files"


def _sub(arg: str, subs: dict[str, str]) -> str:
    for key, value in subs.items():
        arg = arg.replace(key, value)
    return arg


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".lock")
    }  # the bib writer's lock file (empty, kept beside the bib) is not data


@pytest.mark.parametrize("case", PARAMS, ids=[c["id"] for c in PARAMS])
def test_bad_query_parameter(case: dict[str, Any]) -> None:
    """A dashboard URL whose parameters name nothing shows a clear message, not a traceback."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).parents[2] / "app.py"), default_timeout=60)
    for name, value in case["params"].items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join(str(e.value) for e in [*at.error, *at.warning])
    for needle in case["message"]:
        assert needle in shown, f"{needle!r} not in {shown!r}"

"""What a read-only command loads: answered from the default store's cache, `kb skills` and
`kb evidence 7` import neither rdflib nor the record models (pydantic) nor the parsers of the
curated files. Their start-up time is measured by scripts/bench_startup, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("rdflib", "pydantic", "yaml", "bibtexparser", "networkx", "kb.records.models")
PROBE = f"""
import contextlib, io, json, sys
from kb.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def _probe(args: list[str], env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, env=env
    )
    return dict(json.loads(out.stdout))


@pytest.mark.parametrize("args", [["skills"], ["evidence", "7"]], ids=" ".join)
def test_a_cached_listing_loads_no_parser_and_no_rdflib(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "KB_CACHE_DIR": str(tmp_path), "KB_STORE_CACHE": "on"}
    first = _probe(args, env)  # builds from the files, and fills the cache
    assert first["code"] == 0
    assert "yaml" in first["loaded"]  # the probe sees what a build loads
    again = _probe(args, env)
    assert again == {"code": 0, "loaded": []}

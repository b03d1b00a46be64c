"""The benchmark scripts call the package as it is now: their dashboard work runs on a small
library (a removed function once broke `scripts/bench_push` after a 10,000x push)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

import kb
from kb.paths import REPO_ROOT


def _script(name: str) -> ModuleType:
    path = str(REPO_ROOT / "scripts" / name)
    loader = importlib.machinery.SourceFileLoader(f"bench_{name}", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_bench_dashboard_work_runs_on_a_small_library(synth3: Path) -> None:
    """Every per-interaction measurement of scripts/bench (which bench_push also runs through
    `sparql:`) runs and gives a time."""
    base = kb.load(bib=synth3 / "references.bib", data=synth3 / "data")
    out = _script("bench").end_to_end(base, 1, dashboard_only=True)
    assert "reference search in a worksheet" in out
    assert all(row["api"]["p50"] >= 0 for row in out.values())

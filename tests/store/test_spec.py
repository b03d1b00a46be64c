"""The store spec is parsed once, at the edge (the CLI's --store, the dashboard's KB_STORE),
and passed through; outside kb/store nothing asks which kind of store it holds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kb
from kb.paths import PACKAGE_DIR, REPO_ROOT
from kb.store import spec as spec_module
from kb.store.spec import MEMORY, StoreSpec, parse_spec

CONCRETE = ("kb.store.oxigraph", "kb.store.remote")


def _outside_store() -> list[Path]:
    return [
        p for p in PACKAGE_DIR.rglob("*.py") if "store" not in p.relative_to(PACKAGE_DIR).parts
    ] + [REPO_ROOT / "app.py"]


def test_a_parsed_spec_passes_through_load_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """kb.load given a StoreSpec never parses text again."""
    calls: list[object] = []
    original = spec_module.parse_spec

    def counting(spec: str | StoreSpec) -> StoreSpec:
        calls.append(spec)
        return original(spec)

    monkeypatch.setattr("kb.core.loader.parse_spec", counting)
    monkeypatch.setattr("kb.store.spec.parse_spec", counting)
    base = kb.load(store=MEMORY)
    assert base.store.spec == "memory"
    assert all(isinstance(c, StoreSpec) for c in calls)


def test_spec_text_round_trips(tmp_path: Path) -> None:
    """A spec prints as the user wrote it, and memory is one shared value."""
    assert parse_spec("memory") is MEMORY
    text = f"oxigraph:{tmp_path / 'store'}"
    assert str(parse_spec(text)) == text
    assert parse_spec(parse_spec(text)) == parse_spec(text)


def test_check_state_has_no_spec_parser_of_its_own() -> None:
    """kb.checking.state takes a StoreSpec: no text such as "oxigraph:" is taken apart there."""
    text = (PACKAGE_DIR / "checking" / "state.py").read_text(encoding="utf-8")
    assert '"oxigraph:' not in text


@pytest.mark.parametrize("path", _outside_store(), ids=lambda p: p.name)
def test_no_concrete_store_outside_kb_store(path: Path) -> None:
    """Code outside kb/store imports no concrete store (Oxigraph, remote): what a build or a
    reopened build needs is on the Store contract."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert sorted(found & set(CONCRETE)) == []
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "OxigraphStore" not in names

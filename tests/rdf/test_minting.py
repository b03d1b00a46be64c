"""IRIs are minted in kb/rdf/iris.py only: nowhere else does code index the id: namespace."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kb.paths import PACKAGE_DIR, REPO_ROOT

MINTER = PACKAGE_DIR / "rdf" / "iris.py"
FILES = [p for p in sorted(PACKAGE_DIR.rglob("*.py")) if p != MINTER] + [REPO_ROOT / "app.py"]


def minted_at(path: Path) -> list[int]:
    """The lines where ``ID[...]`` (the id: namespace, indexed) occurs in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ID"
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_iri_minted_outside_iris(path: Path) -> None:
    """No module but kb/rdf/iris.py builds an IRI from the id: namespace."""
    assert minted_at(path) == []


def test_the_check_sees_a_minted_iri(tmp_path: Path) -> None:
    """The check finds ``ID[f"..."]`` where it stands."""
    sample = tmp_path / "sample.py"
    sample.write_text('x = 1\nnode = ID[f"journal/{x}"]\n', encoding="utf-8")
    assert minted_at(sample) == [2]

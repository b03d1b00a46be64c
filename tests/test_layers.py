"""The package's layers: imports go one way (records -> rdf -> store -> the knowledge base ->
networks, exports, evidence -> curate -> browse -> cli, app.py), there is no import cycle, and
nothing under kb/ imports streamlit. Read from the source with ast, function-level imports
included."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from kb.paths import PACKAGE_DIR

# Lowest first. A module may import its own layer and the layers below, never one above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("kb.errors", "kb.paths", "kb.files", "kb.markup", "kb.queries", "kb.settings")),
    ("records", ("kb.records",)),
    ("rdf", ("kb.rdf",)),
    ("store", ("kb.store",)),
    ("core", ("kb", "kb.core")),
    ("checking", ("kb.checking",)),
    ("network", ("kb.network",)),
    ("export", ("kb.export",)),
    ("evidence", ("kb.evidence",)),
    ("curate", ("kb.curate",)),
    ("browse", ("kb.browse",)),
    ("cli", ("kb.cli", "kb.__main__")),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    _module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py")) if "__pycache__" not in p.parts
}


def layer_of(module: str) -> int:
    """The index of the layer a module belongs to (its longest matching prefix)."""
    best, length = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > length:
                best, length = i, len(prefix)
    return best


def imports_of(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The kb modules (and streamlit) a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & set(MODULES)
            found |= subs  # `from kb import queries` imports kb.queries, not kb's public API
            if len(subs) < len(node.names):
                found.add(node.module)
    return {m for m in found if m in MODULES or m == "kb" or m.startswith("streamlit")}


def test_every_module_has_a_layer() -> None:
    """Each module under kb/ belongs to one of the named layers."""
    assert [m for m in MODULES if layer_of(m) < 0] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_one_way(module: str) -> None:
    """A module imports only from its own layer or the layers below it."""
    mine = layer_of(module)
    upward = sorted(
        f"{m} ({LAYERS[layer_of(m)][0]})"
        for m in imports_of(MODULES[module])
        if m in MODULES and layer_of(m) > mine
    )
    assert upward == [], f"{module} ({LAYERS[mine][0]}) imports upward"


def test_nothing_in_kb_imports_streamlit() -> None:
    """The package never imports streamlit; only app.py does."""
    assert [
        m for m, p in MODULES.items() if any(i.startswith("streamlit") for i in imports_of(p))
    ] == []


def test_no_import_cycle() -> None:
    """Module-level imports form no cycle."""
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        for target in imports_of(path, top_level_only=True):
            if target in MODULES and target != module:
                graph.add_edge(module, target)
    assert list(nx.simple_cycles(graph)) == []

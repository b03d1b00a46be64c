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
    (
        "base",
        (
            "kb.errors",
            "kb.paths",
            "kb.files",
            "kb.markup",
            "kb.queries",
            "kb.settings",
            "kb.safe_yaml",
            "kb.iri",
        ),
    ),
    ("records", ("kb.records",)),
    ("rdf", ("kb.rdf",)),
    ("store", ("kb.store",)),
    ("core", ("kb", "kb.knowledge_base", "kb.loader", "kb.narrow")),
    ("network", ("kb.network",)),
    ("export", ("kb.export",)),
    ("evidence", ("kb.evidence",)),
    ("curate", ("kb.curate",)),
    ("browse", ("kb.browse",)),
    ("cli", ("kb.cli", "kb.__main__")),
    ("dashboard", ("kb.dashboard",)),
]
# The dashboard's pages reach the package through these layers only (and kb's public API).
DASHBOARD_MAY_IMPORT = ("kb.browse", "kb.evidence", "kb.export", "kb.network", "kb.dashboard")


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


def test_only_the_dashboard_imports_streamlit() -> None:
    """Under kb/, only the presentation package kb.dashboard imports streamlit."""
    assert [
        m
        for m, p in MODULES.items()
        if any(i.startswith("streamlit") for i in imports_of(p))
        and not m.startswith("kb.dashboard")
    ] == []


@pytest.mark.parametrize(
    "path",
    [PACKAGE_DIR.parent / "app.py", *sorted((PACKAGE_DIR / "dashboard").rglob("*.py"))],
    ids=lambda p: p.name if p.name == "app.py" else _module_name(p),
)
def test_the_dashboard_calls_browse_evidence_export_and_network_only(path: Path) -> None:
    """app.py and each dashboard module import kb only through kb.browse, kb.evidence, kb.export,
    kb.network, the dashboard itself and kb's public API."""
    outside = sorted(
        m
        for m in imports_of(path)
        if not m.startswith("streamlit")
        and m != "kb"
        and not any(m == p or m.startswith(p + ".") for p in DASHBOARD_MAY_IMPORT)
    )
    assert outside == []


def test_app_py_is_a_frame() -> None:
    """app.py holds the frame (navigation, URL state, router): at most 300 lines."""
    assert len((PACKAGE_DIR.parent / "app.py").read_text(encoding="utf-8").splitlines()) <= 300


def test_no_import_cycle() -> None:
    """Module-level imports form no cycle."""
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        for target in imports_of(path, top_level_only=True):
            if target in MODULES and target != module:
                graph.add_edge(module, target)
    assert list(nx.simple_cycles(graph)) == []

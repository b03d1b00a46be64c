"""The package's layers: every module under kb/ is placed in one, imports go one way (records ->
rdf -> store -> core -> checking -> networks, exports, evidence -> curate -> browse -> cli,
dashboard, app.py), there is no import cycle, and under kb/ only the dashboard imports streamlit,
reaching the package through browse, evidence, export and network only. Every import is read
from the source with ast: top-level, function-level and type-only (``if TYPE_CHECKING:``)."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx

from kb.paths import PACKAGE_DIR

Layers = Sequence[tuple[str, tuple[str, ...]]]

# Lowest first. A module may import its own layer and the layers below, never one above. An entry
# is a module, or a subpackage (a folder: the package and every module in it). Every module is
# placed: a top-level module must be named here; "kb" is the package's __init__ (the public API)
# and places nothing else.
LAYERS: Layers = [
    ("base", ("kb.errors", "kb.paths", "kb.files", "kb.markup", "kb.queries", "kb.settings",
              "kb.version", "kb.safe_yaml", "kb.iri")),
    ("records", ("kb.records",)),
    ("rdf", ("kb.rdf",)),
    ("store", ("kb.store",)),
    ("core", ("kb.core",)),
    ("api", ("kb",)),
    ("checking", ("kb.checking",)),
    ("network", ("kb.network",)),
    ("export", ("kb.export",)),
    ("evidence", ("kb.evidence",)),
    ("curate", ("kb.curate",)),
    ("browse", ("kb.browse",)),
    ("cli", ("kb.cli", "kb.__main__")),
    ("dashboard", ("kb.dashboard",)),
]  # fmt: skip
# The dashboard's pages reach the package through these layers only (and kb's public API).
DASHBOARD_MAY_IMPORT = ("kb.browse", "kb.evidence", "kb.export", "kb.network", "kb.dashboard")


def modules_in(package_dir: Path) -> dict[str, Path]:
    """Every module of a package, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = list(path.relative_to(package_dir.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer_of(module: str, modules: Mapping[str, Path], layers: Layers = LAYERS) -> int:
    """The index of the layer that places a module (-1: none). A package entry places the
    modules of its folder; a module entry only itself."""
    for i, (_, entries) in enumerate(layers):
        for entry in entries:
            if module == entry:
                return i
            path = modules.get(entry)
            folder = path is not None and path.name == "__init__.py" and "." in entry
            if folder and module.startswith(entry + "."):  # never the root: no catch-all
                return i
    return -1


def imports_of(path: Path, modules: Mapping[str, Path], root: str) -> set[str]:
    """The modules of the package (and streamlit) a file imports, wherever the import stands:
    top level, inside a function, or under ``if TYPE_CHECKING:``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & set(modules)
            found |= subs  # `from kb import queries` imports kb.queries, not kb's public API
            if len(subs) < len(node.names):
                found.add(node.module)
    return {m for m in found if m in modules or m == root or m.startswith("streamlit")}


def import_graph(modules: Mapping[str, Path], root: str) -> nx.DiGraph:
    """Module -> imported module, for every import of every module of the package."""
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for module, path in modules.items():
        for target in imports_of(path, modules, root):
            if target in modules and target != module:
                graph.add_edge(module, target)
    return graph


def problems(package_dir: Path, layers: Layers) -> dict[str, list[str]]:
    """What the layer rules find in a package: unplaced modules, upward imports, cycles."""
    modules = modules_in(package_dir)
    root = package_dir.name
    graph = import_graph(modules, root)
    upward = [
        f"{a} ({layers[layer_of(a, modules, layers)][0]}) -> {b} "
        f"({layers[layer_of(b, modules, layers)][0]})"
        for a, b in sorted(graph.edges)
        if layer_of(b, modules, layers) > layer_of(a, modules, layers) >= 0
    ]
    return {
        "unplaced": sorted(m for m in modules if layer_of(m, modules, layers) < 0),
        "upward": upward,
        "cycles": sorted(" -> ".join(_from_least(c)) for c in nx.simple_cycles(graph)),
    }


def _from_least(cycle: list[str]) -> list[str]:
    """A cycle told from its least module (networkx may start it anywhere)."""
    at = cycle.index(min(cycle))
    return cycle[at:] + cycle[:at]


MODULES = modules_in(PACKAGE_DIR)
FOUND = problems(PACKAGE_DIR, LAYERS)


def test_every_module_is_placed() -> None:
    """Each module under kb/ is placed in a layer by name or by its package's folder."""
    assert FOUND["unplaced"] == []


def test_imports_go_one_way() -> None:
    """A module imports only from its own layer or the layers below it (every import counted)."""
    assert FOUND["upward"] == []


def test_no_import_cycle() -> None:
    """No cycle, counting function-level and type-only imports."""
    assert FOUND["cycles"] == []


def test_only_the_dashboard_imports_streamlit() -> None:
    """Under kb/, only the presentation package kb.dashboard imports streamlit."""
    assert [
        m
        for m, p in MODULES.items()
        if any(i.startswith("streamlit") for i in imports_of(p, MODULES, "kb"))
        and not m.startswith("kb.dashboard")
    ] == []


DASHBOARD_FILES = [
    PACKAGE_DIR.parent / "app.py",
    *sorted((PACKAGE_DIR / "dashboard").rglob("*.py")),
]


def test_the_dashboard_calls_browse_evidence_export_and_network_only() -> None:
    """app.py and each dashboard module import kb only through kb.browse, kb.evidence, kb.export,
    kb.network, the dashboard itself and kb's public API."""
    outside = sorted(
        f"{path.name}: {m}"
        for path in DASHBOARD_FILES
        for m in imports_of(path, MODULES, "kb")
        if not m.startswith("streamlit")
        and m != "kb"
        and not any(m == p or m.startswith(p + ".") for p in DASHBOARD_MAY_IMPORT)
    )
    assert outside == []


def test_app_py_is_a_frame() -> None:
    """app.py holds the frame (navigation, URL state, router): at most 300 lines."""
    assert len((PACKAGE_DIR.parent / "app.py").read_text(encoding="utf-8").splitlines()) <= 300


def _synthetic(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


SYNTHETIC_LAYERS: Layers = [("low", ("pkg.low",)), ("high", ("pkg.high", "pkg"))]


def test_the_checker_catches_a_cycle_through_function_and_type_only_imports(
    tmp_path: Path,
) -> None:
    """A cycle closed by a function-level import and a type-only one is reported."""
    package = _synthetic(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/a.py": "def f():\n    from pkg.low import b\n",
            "low/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.low.a import f\n"
            ),
            "high.py": "from pkg.low import a\n",
        },
    )
    found = problems(package, SYNTHETIC_LAYERS)
    assert found["cycles"] == ["pkg.low.a -> pkg.low.b"]
    assert found["unplaced"] == found["upward"] == []


def test_the_checker_catches_an_unplaced_module_and_an_upward_import(tmp_path: Path) -> None:
    """A module outside the map, and a lower layer importing a higher one, are reported."""
    package = _synthetic(
        tmp_path,
        {
            "__init__.py": "",
            "low/__init__.py": "",
            "low/a.py": "def f():\n    import pkg.high\n",
            "high.py": "",
            "stray.py": "",
        },
    )
    found = problems(package, SYNTHETIC_LAYERS)
    assert found["unplaced"] == ["pkg.stray"]
    assert found["upward"] == ["pkg.low.a (low) -> pkg.high (high)"]
    assert found["cycles"] == []

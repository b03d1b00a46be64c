"""`kb export graphml|gexf|graph-svg|graph-png`: files Gephi and Cytoscape open, for a selection."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kb.export.graphs import GRAPH_FORMATS, view_graph
from kb.network.projections import VIEWS
from tests.helpers import run_kb, seed_kb

BASE = seed_kb()


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_reread_with_string_attributes(view: str, fmt: str, tmp_path: Path) -> None:
    """Each view exports to GraphML/GEXF that networkx reads back with the same nodes."""
    out = tmp_path / f"g.{fmt}"
    result = run_kb("export", fmt, "--view", view, "-o", out)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(graph.nodes) == set(VIEWS[view](BASE).nodes)
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str) for v in data.values())


def test_graphml_key_ids_are_unique(tmp_path: Path) -> None:
    """GraphML key ids are unique even when nodes and edges share an attribute name."""
    out = tmp_path / "co.graphml"
    assert run_kb("export", "graphml", "--view", "coauthor", "-o", out).returncode == 0
    import xml.etree.ElementTree as ET

    ns = "{http://graphml.graphdrawing.org/xmlns}"
    root = ET.parse(out).getroot()  # noqa: S314  (our own file, just written)
    ids = [k.get("id") for k in root.iter(f"{ns}key")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("fmt", "magic"), [("graph-svg", b"<svg"), ("graph-png", b"\x89PNG")])
def test_drawings(fmt: str, magic: bytes, tmp_path: Path) -> None:
    """SVG and PNG drawings of a view are written."""
    out = tmp_path / "g.out"
    assert run_kb("export", fmt, "--view", "coauthor", "-o", out).returncode == 0
    assert magic in out.read_bytes()[:400]


def test_selection_narrows_the_view() -> None:
    """With --skill, the skill-reference view keeps only the skill's references and neighbours."""
    sub = view_graph(BASE, "skill-reference", skills=["minimize-stressors"])
    refs = {d["label"] for _, d in sub.nodes(data=True) if d["type"] == "reference"}
    assert "Sbarra & Hazan (2008)" in refs
    assert "Hazan & Shaver (1987)" not in refs
    co = view_graph(BASE, "coauthor", authors=["Hazan"])
    assert {d["label"] for _, d in co.nodes(data=True)} >= {
        "Hazan, C.",
        "Shaver, P.",
        "Sbarra, D. A.",
    }


def test_unknown_view_is_one_line(tmp_path: Path) -> None:
    """An unknown view is one line, exit 2, no file."""
    out = tmp_path / "x.graphml"
    result = run_kb("export", "graphml", "--view", "galaxy", "-o", out)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_graph_formats_listed() -> None:
    """The four graph formats are offered by `kb export`."""
    assert set(GRAPH_FORMATS) == {"graphml", "gexf", "graph-svg", "graph-png"}
    assert "graph-png" in run_kb("export", "--help").stdout

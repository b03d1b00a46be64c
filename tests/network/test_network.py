"""NetworkX views of the RDF graph (issue #4): co-authors, skills, topics, metrics, exports."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable

import networkx as nx
import pytest

from kb.core.knowledge_base import KnowledgeBase
from kb.errors import KbError
from kb.network import pages
from kb.network import projections as network
from kb.paths import REPO_ROOT
from kb.rdf.iris import reference_iri, skill_iri
from tests.helpers import run_kb, seed_kb

BASE = seed_kb()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GRAPHML_KEY = "{http://graphml.graphdrawing.org/xmlns}key"


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    """The real knowledge base, loaded once."""
    return BASE


@pytest.fixture(scope="module")
def co(base: KnowledgeBase) -> nx.Graph:
    """The co-author network."""
    return network.coauthor(base)


def _node(g: nx.Graph, family: str) -> list[dict[str, object]]:
    return [d for _, d in g.nodes(data=True) if str(d["label"]).startswith(f"{family},")]


def test_hazan_is_one_node_with_three_references(co: nx.Graph) -> None:
    """Hazan, in three references, is merged into one node of the co-author network."""
    nodes = _node(co, "Hazan")
    assert len(nodes) == 1
    assert nodes[0]["n_references"] == 3
    assert nodes[0]["references"] == "hazan1987, sbarra2008, selcuk2010"


def test_fraley_is_one_node_with_two_references(co: nx.Graph) -> None:
    """Fraley, in two references, is one node with both."""
    nodes = _node(co, "Fraley")
    assert len(nodes) == 1
    assert nodes[0]["n_references"] == 2


def test_one_node_per_person(co: nx.Graph, base: KnowledgeBase) -> None:
    """The nodes are exactly the distinct normalised names over all references."""
    people = {a.person_id for r in base.references.values() for a in r.authors}
    assert {d["person_id"] for _, d in co.nodes(data=True)} == people
    labels = [d["label"] for _, d in co.nodes(data=True)]
    assert len(labels) == len(set(labels))


def test_coauthor_edges_join_authors_of_one_reference(co: nx.Graph, base: KnowledgeBase) -> None:
    """Every pair of authors of a reference is an edge; the edge weight counts shared references."""
    pairs = sum(len(r.authors) * (len(r.authors) - 1) // 2 for r in base.references.values())
    assert sum(d["weight"] for *_, d in co.edges(data=True)) == pairs
    hazan = next(n for n, d in co.nodes(data=True) if d["person_id"] == "hazan-c")
    assert {co.nodes[m]["label"] for m in co[hazan]} == {
        "Shaver, P.",
        "Sbarra, D. A.",
        "Selcuk, E.",
        "Zayas, V.",
    }


@pytest.mark.parametrize("view", sorted(network.VIEWS))
def test_every_view_has_string_label_and_type(view: str, base: KnowledgeBase) -> None:
    """Each view's nodes carry a string ``label`` and ``type``; ids are IRIs."""
    g = network.VIEWS[view](base)
    assert g.number_of_nodes() > 0
    for node, data in g.nodes(data=True):
        assert isinstance(data["label"], str)
        assert data["label"]
        assert isinstance(data["type"], str)
        assert node.startswith("https://example.org/kb/id/")


def test_skill_reference_edges_match_the_links(base: KnowledgeBase) -> None:
    """Skill-reference edges are exactly the (skill, reference) pairs of the curated links."""
    sections = {c.id: c.section for ws in base.worksheets for c in ws.claims}
    skills = {s.slug for s in base.skills}
    ws = base.worksheets[0].worksheet.id
    expected = {
        frozenset((str(skill_iri(ws, sections[x.claim])), str(reference_iri(x.reference))))
        for x in base.links
        if sections[x.claim] in skills
    }
    g = network.skill_reference(base)
    assert {frozenset(e) for e in g.edges()} == expected


def test_knowledge_graph_has_no_literal_nodes(base: KnowledgeBase) -> None:
    """The whole-graph view keeps resources only (no literals, no rdf:type edges)."""
    g = network.knowledge_graph(base)
    kinds = {d["type"] for _, d in g.nodes(data=True)}
    assert {"skill", "claim", "reference", "person", "topic", "worksheet"} <= kinds
    assert all(
        not str(d.get("relation", "")).startswith("rdf:type") for *_, d in g.edges(data=True)
    )
    claim = BASE.worksheets[0].claims[0]
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert any(claim.quote.startswith(label.rstrip("…")) for label in labels)  # by its words


def test_topic_cooccurrence_counts_shared_tags(base: KnowledgeBase) -> None:
    """Two topics are joined with weight = number of references and skills tagged with both."""
    g = network.topic_cooccurrence(base)
    ids = {d["label"]: n for n, d in g.nodes(data=True)}
    edge = g.edges[ids["Attachment styles"], ids["Conflict resolution"]]
    assert edge["weight"] == 3  # beeney2019, paquette2020, shi2003


def test_metrics_are_complete_and_deterministic(co: nx.Graph) -> None:
    """Degree, betweenness and Louvain communities cover every node, the same on every run."""
    first, second = network.metrics(co), network.metrics(co)
    assert first == second
    assert set(first["degree"]) == set(co.nodes)
    assert sorted(n for c in first["communities"] for n in c) == sorted(co.nodes)
    assert len(first["communities"]) >= nx.number_connected_components(co)


def test_bridges_reach_more_than_one_skill(base: KnowledgeBase) -> None:
    """Bridges are references and authors reaching >1 skill; Hazan and hazan1987 are among them."""
    rows = network.bridges(base)
    assert all(r["n_skills"] > 1 and len(r["skills"]) == r["n_skills"] for r in rows)
    by_id = {(r["type"], r["id"]): r for r in rows}
    assert by_id["reference", "hazan1987"]["n_skills"] == 3
    assert by_id["author", "hazan-c"]["n_skills"] == 7
    assert ("reference", "nielsen2017") not in by_id


def test_author_info_by_family_name(base: KnowledgeBase) -> None:
    """`hazan` finds Hazan, C.: three references, four co-authors, all seven skills reached."""
    info = pages.author_info(base, "hazan")
    assert info["author"] == "Hazan, C."
    assert [r["key"] for r in info["references"]] == ["hazan1987", "sbarra2008", "selcuk2010"]
    assert len(info["coauthors"]) == 4
    assert [s["order"] for s in info["skills"]] == [1, 2, 3, 4, 5, 6, 7]
    assert pages.author_info(base, "Hazan, C.")["id"] == "hazan-c"


@pytest.mark.parametrize(
    ("call", "arg"),
    [(pages.author_info, "Nobody"), (pages.topic_info, "no-such-topic")],
    ids=["author", "topic"],
)
def test_unknown_author_or_topic_is_an_error(
    call: Callable[[KnowledgeBase, str], object], arg: str, base: KnowledgeBase
) -> None:
    """An author or topic that names nothing is a usage error (exit 2) listing the choices."""
    with pytest.raises(KbError) as err:
        call(base, arg)
    assert err.value.exit_code == 2
    assert "choose one of" in str(err.value)
    assert arg in str(err.value)


def test_topic_info_by_label_or_id(base: KnowledgeBase) -> None:
    """A topic is found by id or label; it lists references, skills and co-occurring topics."""
    info = pages.topic_info(base, "Conflict resolution")
    assert info == pages.topic_info(base, "conflict-resolution")
    assert [r["key"] for r in info["references"]] == ["beeney2019", "paquette2020", "shi2003"]
    assert info["broader"] == "attachment"
    assert info["cooccurs"][0] == {"topic": "Attachment styles", "weight": 3}


def test_topics_tree_holds_every_topic_once(base: KnowledgeBase) -> None:
    """The tree has each topic exactly once, narrower topics under their broader one."""
    seen: list[str] = []

    def walk(nodes: list[dict[str, object]], parent: str | None) -> None:
        for node in nodes:
            seen.append(str(node["id"]))
            topic = next(t for ws in base.worksheets for t in ws.topics if t.id == node["id"])
            assert topic.broader == parent
            walk(node["children"], str(node["id"]))  # type: ignore[arg-type]

    walk(pages.topics_tree(base), None)
    assert sorted(seen) == sorted({t.id for ws in base.worksheets for t in ws.topics})


@pytest.mark.parametrize("view", sorted(network.VIEWS))
def test_graphml_round_trip_with_string_attributes(view: str, base: KnowledgeBase) -> None:
    """GraphML re-reads with networkx to the same nodes, edges and labels; all keys are strings."""
    g = network.VIEWS[view](base)
    text = network.to_graphml(g)
    keys = ET.fromstring(text).findall(GRAPHML_KEY)  # noqa: S314 - our own output
    assert keys
    assert {k.get("attr.type") for k in keys} == {"string"}
    back = nx.read_graphml(io.BytesIO(text.encode()))
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    assert all(back.nodes[n]["label"] == g.nodes[n]["label"] for n in g.nodes)


@pytest.mark.parametrize("view", sorted(network.VIEWS))
def test_gexf_round_trip_with_string_attributes(view: str, base: KnowledgeBase) -> None:
    """GEXF re-reads with networkx to the same nodes, edges and labels; attributes are strings."""
    g = network.VIEWS[view](base)
    text = network.to_gexf(g)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    attrs = ET.fromstring(text).findall(".//g:attributes/g:attribute", ns)  # noqa: S314 - our own output
    assert {a.get("type") for a in attrs} == {"string"}
    back = nx.read_gexf(io.BytesIO(text.encode()))
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    assert all(back.nodes[n]["label"] == g.nodes[n]["label"] for n in g.nodes)


def test_draw_png_and_svg(co: nx.Graph) -> None:
    """`draw` gives a PNG and a parseable SVG, the SVG byte-identical on a second run."""
    png = network.draw(co, "png", title="Co-authors")
    assert png.startswith(PNG_MAGIC)
    svg = network.draw(co, "svg")
    assert ET.fromstring(svg).tag.endswith("svg")  # noqa: S314 - our own output
    assert b"Hazan, C. (3 refs)" in svg
    assert network.draw(co, "svg") == svg


def test_drawings_and_exports_do_not_depend_on_the_hash_seed() -> None:
    """Processes with different PYTHONHASHSEED give the same drawing and GraphML (regression)."""
    code = (
        "import hashlib, kb; from kb.network import projections as n; b = kb.load(); "
        "print(hashlib.sha256(n.draw(n.coauthor(b), 'png') + "
        "n.to_graphml(n.knowledge_graph(b)).encode()).hexdigest())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def test_readme_picture_is_what_kb_export_draws() -> None:
    """docs/img/coauthors.png is exactly `kb export graph-png --view coauthor` with the README's
    title (the drawing is seeded: the same data gives the same picture)."""
    picture = (REPO_ROOT / "docs/img/coauthors.png").read_bytes()
    assert picture.startswith(PNG_MAGIC)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "graph-png --view coauthor" in line)
    title = command.split('--title "', 1)[1].split('"', 1)[0]
    out = subprocess.run(
        [sys.executable, "-m", "kb", "export", "graph-png", "--view", "coauthor", "--title", title],
        capture_output=True,
        check=True,
        cwd=REPO_ROOT,
    )
    assert out.stdout == picture


def test_cli_authors_and_topics() -> None:
    """`kb authors`, `kb authors hazan`, `kb topics` and `kb topics grief` print their answers."""
    table = run_kb("authors", "--format", "json")
    assert table.returncode == 0
    assert '"author": "Hazan, C."' in table.stdout
    one = run_kb("authors", "hazan")
    assert one.returncode == 0
    assert "references (3)" in one.stdout
    tree = run_kb("topics")
    assert "  Attachment [attachment]" in tree.stdout
    grief = run_kb("topics", "grief")
    assert "Sbarra & Hazan (2008)" in grief.stdout


@pytest.mark.parametrize(
    "args", [("authors", "Nobody"), ("topics", "nothing-here")], ids=["author", "topic"]
)
def test_cli_unknown_author_or_topic_is_one_line_exit_2(args: tuple[str, str]) -> None:
    """An unknown author or topic is one line on stderr naming the argument, and exit 2."""
    out = run_kb(*args)
    assert out.returncode == 2
    assert ("NAME: " if args[0] == "authors" else "TOPIC: ") in out.stderr
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith("kb: error:")


@pytest.mark.parametrize("name", ["Lonfeldt", "lønfeldt", "LØNFELDT", "Lonfeldt, N."])
def test_one_name_normaliser_finds_lonfeldt_everywhere(base: KnowledgeBase, name: str) -> None:
    """An author lookup folds case and letters like ø the same way in `kb authors` and in
    `kb export --author` (regression: the first answered "unknown author" for Lonfeldt)."""
    from kb.export import select_references

    assert pages.author_info(base, name)["id"] == "lonfeldt-n"
    assert [r.key for r in select_references(base, authors=[name.split(",", maxsplit=1)[0]])] == [
        "nielsen2017"
    ]


def test_authors_narrowed_to_references(base: KnowledgeBase) -> None:
    """`pages.authors(base, keys)` keeps exactly the authors of those references."""
    rows = pages.authors(base, {"hazan1987"})
    assert {r["id"] for r in rows} == {"hazan-c", "shaver-p"}
    assert len(pages.authors(base)) > len(rows)


def test_coauthors_most_shared_first(base: KnowledgeBase) -> None:
    """Hazan's co-authors, each with the number of references they share, most first."""
    rows = pages.coauthors(base, "hazan-c")
    assert {pid for pid, _, _ in rows} >= {"shaver-p", "sbarra-d", "selcuk-e", "zayas-v"}
    assert [n for _, _, n in rows] == sorted((n for _, _, n in rows), reverse=True)
    with pytest.raises(KbError):
        pages.coauthors(base, "nobody-x")

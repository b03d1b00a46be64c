"""kb.browse.views: what the dashboard shows, shaped without Streamlit."""

from __future__ import annotations

import networkx as nx
import pytest

import kb
from kb.browse import views
from kb.browse.search import LibraryIndex
from kb.network import projections as network


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The real knowledge base."""
    return kb.load()


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('"><img src=x onerror=alert(1)>', "<img"),
        ("<a href='javascript:alert(1)'>x</a>", "<a "),
    ],
)
def test_highlight_escapes_text_and_tooltips(text: str, bad: str) -> None:
    """Worksheet text and claim tooltips become inert HTML, whatever they contain."""
    out = views.highlight_html(text + " tail", 0, len(text) + 5, [views.Span(0, 4, "1", text)])
    assert bad not in out
    assert out.count("<mark") == 1


def test_highlight_marks_exactly_the_spans() -> None:
    """Each span is wrapped once, overlapping spans are clipped, paragraphs are kept."""
    text = "One two three.\n\nFour five."
    spans = [views.Span(4, 7, "1"), views.Span(5, 9, "2"), views.Span(16, 20, "3")]
    out = views.highlight_html(text, 0, len(text), spans)
    assert out == (
        '<p>One <mark class="kb-claim" title="">two<sup>1</sup></mark>'
        '<mark class="kb-claim" title=""> t<sup>2</sup></mark>hree.</p>'
        '<p><mark class="kb-claim" title="">Four<sup>3</sup></mark> five.</p>'
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"), ("**b** :red[x]", None)],
)
def test_md_escape_makes_markdown_inert(text: str, shown: str | None) -> None:
    """Links, emphasis and Streamlit directives in data are escaped for markdown."""
    out = views.md_escape(text)
    if shown is not None:
        assert out == shown
    assert "**" not in out
    assert ":red[" not in out


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://doi.org/10.1037/x", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ('https://x.org/"onmouseover="alert(1)', False),
        (None, False),
    ],
)
def test_safe_url_allows_only_http(url: str | None, ok: bool) -> None:
    """Only plain http(s) URLs ever become links."""
    assert (views.safe_url(url) is not None) is ok


def test_every_claim_of_a_skill_lies_in_its_passage(base: kb.KnowledgeBase) -> None:
    """The passage shown for a skill contains every claim anchored in that skill's section."""
    for sheet in base.worksheets:
        for skill in sheet.skills:
            start, end = views.skill_passage(sheet, skill.slug)
            for claim in sheet.claims:
                if claim.section == skill.slug:
                    assert start <= (claim.start or 0) < (claim.end or 0) <= end, claim.id


def test_group_evidence_keeps_unlinked_claims(base: kb.KnowledgeBase) -> None:
    """Claims with no reference still appear, with no links, in text order."""
    claims = views.group_evidence(base.evidence_for("examine-your-beliefs"))
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert any(not c.links for c in claims)
    assert any(c.links for c in claims)


def test_reference_rows_match_the_bibliography(base: kb.KnowledgeBase) -> None:
    """Every printed reference has one row, in printed order, with its type and year."""
    rows = views.reference_rows(base, None)
    assert [r.number for r in rows] == list(range(1, 17))
    for row in rows:
        ref = base.references[row.key]
        assert (row.type, row.year, row.title) == (ref.kind, ref.year, ref.title)


def test_filters_combine(base: kb.KnowledgeBase) -> None:
    """Filters of different kinds narrow each other; an empty filter keeps everything."""
    rows = views.reference_rows(base, None)
    assert views.filter_references(rows) == rows
    articles = views.filter_references(rows, types=["article"])
    recent = views.filter_references(rows, types=["article"], years=(2010, 2030))
    assert 0 < len(recent) < len(articles) < len(rows)
    assert all(r.year is not None and r.year >= 2010 for r in recent)


@pytest.mark.parametrize("text", ['") } #', "?q", "'; DROP", "https://x.org", "\\"])
def test_search_text_is_text_not_syntax(base: kb.KnowledgeBase, text: str) -> None:
    """Search text is matched as words, never run: quotes, braces and URLs find nothing."""
    assert LibraryIndex.of(base).search(text) == []


def test_search_matches_title_author_and_venue(base: kb.KnowledgeBase) -> None:
    """A search finds words in titles, author names and journal titles, in any case."""
    index = LibraryIndex.of(base)
    assert "davila1997" in {h.key for h in index.search("STYLE CHANGE")}
    assert [h.key for h in index.search("shaver")] == ["hazan1987"]
    assert "hazan1987" in {h.key for h in index.search("personality and social")}


def test_paginate_clamps_pages() -> None:
    """Pages are 1-based and clamped; an empty table still has one page."""
    rows = list(range(60))
    assert views.paginate(rows, 3, 25) == (rows[50:], 3)
    assert views.paginate(rows, 99, 25) == (rows[50:], 3)
    assert views.paginate([], 1, 25) == ([], 1)


def test_graph_view_is_deterministic_and_capped(base: kb.KnowledgeBase) -> None:
    """The same graph and filters give the same elements; the cap keeps the best-connected."""
    g = network.knowledge_graph(base)
    first, again = views.graph_view(g), views.graph_view(nx.DiGraph(g))
    assert first.elements == again.elements
    capped = views.graph_view(g, max_nodes=20)
    assert capped.shown == 20
    assert capped.capped
    kept = {capped.nodes[n["data"]["id"]] for n in capped.elements["nodes"]}
    degree = dict(g.to_undirected().degree())
    assert min(degree[n] for n in kept) >= max(degree[n] for n in set(g) - kept if degree[n])


def test_graph_elements_escape_what_the_details_panel_prints() -> None:
    """Every node field but the caption is escaped: the component's panel prints them as HTML."""
    g = nx.Graph()
    g.add_node("<b>a</b>", label="<img src=x onerror=alert(1)>", type="<i>t</i>", note="a & b")
    g.add_node("b", label="B", type="x")
    g.add_edge("<b>a</b>", "b", relation="<s>r</s>")
    view = views.graph_view(g)
    data = next(n["data"] for n in view.elements["nodes"] if n["data"]["label"] != "B")
    assert data == {
        "id": "&lt;img src=x onerror=alert(1)&gt;",  # the caption people read, escaped; no IRI
        "label": "<img src=x onerror=alert(1)>",  # shown as canvas text and innerText only
        "type": "&lt;i&gt;t&lt;/i&gt;",
        "note": "a &amp; b",
    }
    assert view.nodes[data["id"]] == "<b>a</b>"
    assert view.elements["edges"][0]["data"]["source"] == data["id"]


def test_graph_filters_are_subsets(base: kb.KnowledgeBase) -> None:
    """A skill's corner of the graph holds the skill, its claims and their references."""
    g = network.knowledge_graph(base)
    skill = base.skill("minimize-stressors")
    corner = views.skill_nodes(base, skill)
    assert corner <= set(g)
    assert skill.iri in corner
    assert "https://example.org/kb/id/reference/sbarra2008" in corner
    view = views.graph_view(g, within=[corner])
    assert {view.nodes[n["data"]["id"]] for n in view.elements["nodes"]} <= corner


def test_every_graph_node_with_a_page_is_linked(base: kb.KnowledgeBase) -> None:
    """Skills, references, authors and topics in the graph all map to a dashboard page."""
    g = network.knowledge_graph(base)
    pages = views.node_pages(base)
    for node, kind in g.nodes(data="type"):
        if kind in {"skill", "reference", "person", "organization", "topic"}:
            assert node in pages, node


def test_examples_all_run(base: kb.KnowledgeBase) -> None:
    """Every worked example of the console runs and answers something."""
    from kb.store.sparql_text import run_user_query

    for name, query in views.EXAMPLE_QUERIES.items():
        result = run_user_query(base.store, query, limit=100, timeout=None)
        assert result.rows or result.ntriples.strip() or result.kind == "ask", name

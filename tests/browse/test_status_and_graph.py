"""Issue 24: support statuses beyond colour, a readable graph, an Authors search that forgives."""

from __future__ import annotations

import itertools

import pytest

import kb
from kb.browse import graph as graphs
from kb.browse.graph_style import (
    SELECTION_COLOUR,
    STANCE_COLOURS,
    graph_styles,
    label_box,
    relation_words,
)
from kb.browse.people import author_search
from kb.browse.status import (
    OKABE_ITO,
    STATUS_STYLES,
    contrast_ratio,
    relative_luminance,
    status_badge,
)
from kb.browse.worksheet import STATUS_COLOURS, legend_html
from kb.evidence.support import STATUSES
from kb.network import pages
from kb.network import projections as network
from tests.helpers import seed_kb


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The seed knowledge base."""
    return seed_kb()


# --- statuses -------------------------------------------------------------------------------


def test_every_status_has_a_word_an_icon_and_a_fill() -> None:
    """Each support status, in legend order, has its own visible word, icon and fill."""
    assert tuple(STATUS_STYLES) == STATUSES
    styles = list(STATUS_STYLES.values())
    for attr in ("word", "icon", "fill"):
        assert len({getattr(s, attr) for s in styles}) == len(styles), attr
    assert status_badge("supported") == "✔ supported"
    assert {s: v.fill for s, v in STATUS_STYLES.items()} == STATUS_COLOURS


@pytest.mark.parametrize("status", STATUSES)
def test_status_text_on_its_fill_is_readable(status: str) -> None:
    """Text (and icon) on each status fill has a WCAG contrast of at least 4.5:1."""
    style = STATUS_STYLES[status]
    assert contrast_ratio(style.text, style.fill) >= 4.5


def test_status_fills_are_okabe_ito_tints() -> None:
    """Each fill is a tint of the Okabe–Ito colour it names (the hue scaled towards white)."""
    for style in STATUS_STYLES.values():
        hue = OKABE_ITO[style.hue]
        base = [int(hue[i : i + 2], 16) for i in (1, 3, 5)]
        fill = [int(style.fill[i : i + 2], 16) for i in (1, 3, 5)]
        shares = [(255 - f) / (255 - b) for f, b in zip(fill, base, strict=True) if b < 250]
        assert max(shares) - min(shares) < 0.08, style.status


@pytest.mark.parametrize(
    ("fg", "bg", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#767676", "#ffffff", 4.54)],
    ids=["black-white", "same", "aa-grey"],
)
def test_contrast_ratio_is_wcag(fg: str, bg: str, ratio: float) -> None:
    """The contrast ratio is WCAG 2's, from relative luminance (known reference values)."""
    assert contrast_ratio(fg, bg) == pytest.approx(ratio, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


def test_the_legend_shows_icon_and_words_with_counts() -> None:
    """The legend gives each status its icon and its words, never colour alone."""
    html = legend_html(dict.fromkeys(STATUSES, 2))
    for style in STATUS_STYLES.values():
        assert style.icon in html
        assert f"{style.label} (2)" in html


# --- the graph ------------------------------------------------------------------------------


def test_no_stance_uses_the_selection_colour() -> None:
    """The component's selection red is no stance's colour, nor near one."""
    sel = [int(SELECTION_COLOUR[i : i + 2], 16) for i in (1, 3, 5)]
    for stance, colour in STANCE_COLOURS.items():
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        distance = sum((a - b) ** 2 for a, b in zip(sel, rgb, strict=True)) ** 0.5
        assert distance > 120, stance


def test_graph_styles_put_no_caption_on_edges() -> None:
    """Edges carry no caption (stances are in the legend and the details); each stance has its
    own line style too."""
    rules = graph_styles({"reference"}, directed=True)
    edges = [r for r in rules if r["selector"].startswith("edge")]
    assert all("label" not in r["style"] for r in edges)
    styles = {r["style"].get("line-style") for r in edges if "stance=" in r["selector"]}
    assert {"solid", "dashed", "dotted"} <= styles


def test_graph_around_a_reference_has_people_facing_ids_and_claim_stances(
    base: kb.KnowledgeBase,
) -> None:
    """Around Hazan & Shaver (1987) no element id is internal ("n6"), every claim says its
    stance, and every edge's relation is in words."""
    g = network.knowledge_graph(base)
    view = graphs.narrowed_view(base, g, None, focus=("reference", "hazan1987"))
    ids = [n["data"]["id"] for n in view.elements["nodes"]]
    assert not any(i.startswith(("n", "http")) and i[1:].isdigit() for i in ids)
    assert "Hazan &amp; Shaver (1987)" in ids
    claims = [n["data"] for n in view.elements["nodes"] if n["data"]["type"] == "claim"]
    assert claims
    assert all(c["stance"] for c in claims)
    assert all(":" not in e["data"]["label"] for e in view.elements["edges"])
    node = graphs.focus_node(base, "reference", "hazan1987")
    near = dict(graphs.neighbours_by_type(g, node))
    assert all(label.endswith(")") for label in near["claim"])


@pytest.mark.parametrize(
    "focus", [None, ("reference", "hazan1987"), ("skill", "minimize-stressors")], ids=str
)
def test_no_two_captions_overlap(base: kb.KnowledgeBase, focus: tuple[str, str] | None) -> None:
    """At the positions given, no two nodes' caption boxes overlap (so none does at the default
    zoom, which scales the picture to fit)."""
    g = network.knowledge_graph(base)
    types = None if focus else ("worksheet", "skill", "reference", "topic")
    view = graphs.narrowed_view(base, g, None, focus=focus, types=types)
    boxes = []
    for n in view.elements["nodes"]:
        half, up, down = label_box(n["data"]["label"], n["data"]["type"])
        x, y = n["position"]["x"], n["position"]["y"]
        boxes.append((x - half, y - up, x + half, y + down))
    for a, b in itertools.combinations(boxes, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (a, b)


def test_relation_words_drop_prefixes() -> None:
    """A graph relation reads as words, not a prefixed IRI name."""
    assert relation_words("dcterms:creator kb:studyDesign") == "creator, study design"


# --- the Authors search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found", "near"),
    [
        ("hazan", ["Hazan, C."], []),
        ("HAZAN c", ["Hazan, C."], []),
        ("lonfeldt", ["Lønfeldt, N."], []),
        ("Hazen", [], ["Hazan"]),
    ],
    ids=["name", "words-any-case", "accents", "did-you-mean"],
)
def test_author_search_forgives(
    base: kb.KnowledgeBase, text: str, found: list[str], near: list[str]
) -> None:
    """Every word, any case, accents folded; a misspelling gets "did you mean"."""
    rows = pages.authors(base, None)
    result = author_search(rows, text)
    assert [r["author"] for r in result.rows] == found
    assert result.did_you_mean[: len(near)] == near
    if near:
        assert result.message == f"Did you mean “{near[0]}”?"


def test_blank_author_search_keeps_every_row(base: kb.KnowledgeBase) -> None:
    """An empty box lists every author."""
    rows = pages.authors(base, None)
    assert author_search(rows, "  ").rows == rows

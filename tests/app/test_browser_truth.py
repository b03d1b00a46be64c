"""Issue 24's "Done when", scripted in chromium: the dashboard tells the truth at a glance.

The title-only list in one click, a reference's findings with what was read and on whose page,
status words and icons on the worksheet, the current pill keeping its page, a row opened the way
the page says, a graph selection colour no stance uses, "Hazen" → Hazan on References and Authors,
Zhang (2012)'s "may not exist" wherever Zhang is shown, and figures whose labels are read whole
at 1280 × 800. (The clipboard's HTML with ``<i>`` and
a Chicago list are in test_browser_citations.py.)
"""

from __future__ import annotations

import re
from typing import Any

import kb
from kb.browse import views
from kb.browse.graph_style import SELECTION_COLOUR
from tests.app.test_browser import nav, open_tab, settle, visit
from tests.app.test_browser import pytestmark as browser_marks

pytestmark = browser_marks
MAY_NOT_EXIST = "nothing seen here confirms that this work exists as printed"


def rgb(colour: str) -> str:
    """``#009e73`` as cytoscape.js reports it: ``rgb(0,158,115)``."""
    value = colour.lstrip("#")
    return "rgb({},{},{})".format(*(int(value[i : i + 2], 16) for i in (0, 2, 4)))


def main_text(page: Any) -> str:
    return str(page.locator('[data-testid="stMain"]').inner_text())


def test_the_title_only_list_is_one_click_from_references(dashboard: str, page: Any) -> None:
    """ "judged from title only (6)" on References keeps exactly the six, and says so in the URL."""
    base = kb.load()
    expected = views.title_only_sources(base)
    assert len(expected) == 6
    visit(page, f"{dashboard}/?page=references")
    page.get_by_role("button", name="judged from title only (6)").click()
    settle(page)
    assert "basis=title" in page.url
    assert "6 of 16 references" in main_text(page)


def test_the_title_only_list_is_on_gaps_and_audit(dashboard: str, page: Any) -> None:
    """Gaps & Audit lists the six by name (Author (year)), each with its claims by number."""
    visit(page, f"{dashboard}/?page=gaps")
    body = main_text(page)
    assert "Judged from their title only (6)" in body
    for source in views.title_only_sources(kb.load()):
        assert source.name in body
        for link in source.links:
            assert link.text in body


def test_the_reference_page_says_what_the_source_reports(dashboard: str, page: Any) -> None:
    """Hazan & Shaver (1987): five finding blocks, each with the part read, how much of the
    source that is and whose page it was read on; the appraisal and where to read it."""
    ref = views.reference_page(kb.load(), "hazan1987")
    assert len(ref.findings) == 5
    visit(page, f"{dashboard}/?page=references&reference=hazan1987")
    body = main_text(page)
    assert "What the source reports (5)" in body
    assert body.count("What the source reports (") >= 5 + 1  # the heading and five blocks
    for block in ref.findings:
        assert block.statement in body
        assert block.page_owner_label in body
        assert block.site in body
        assert page.locator(f'a[href="{block.url}"]').count() >= 1
    assert "Our summary of its abstract" in body
    assert ref.design_label in body
    assert ref.level_label in body
    assert "Where to read it" in body
    for place in ref.where_to_read:
        assert place.label in body


def test_status_words_and_icons_show_on_the_worksheet(dashboard: str, page: Any) -> None:
    """Every status has its icon and words in the legend; each marked claim shows its status's
    icon before its number; an opened claim's badge reads "✔ supported" (not colour alone)."""
    visit(page, f"{dashboard}/?page=worksheet")
    legend = page.locator(".kb-legend").first.inner_text()
    for style in views.STATUS_STYLES.values():
        assert style.icon in legend
        assert style.label in legend
    for status, style in views.STATUS_STYLES.items():
        marks = page.locator(f"a.kb-c.kb-s-{status} sup")
        if marks.count() == 0:
            continue
        shown = marks.first.evaluate("e => getComputedStyle(e, '::before').content")
        assert style.icon in shown
    assert page.locator("h2", has_text="Creating Secure Attachment").count() == 1
    assert page.locator("h4", has_text="Minimize stressors").count() == 1
    page.locator("a.kb-c.kb-s-supported").first.click()
    settle(page)
    assert "✔ supported" in main_text(page)


def test_the_current_pill_keeps_its_page(dashboard: str, page: Any) -> None:
    """A click on the current page's pill, or Space on it, keeps that page (not the Overview)."""
    visit(page, f"{dashboard}/?page=references")
    nav(page, "References").click()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "References"
    assert "page=references" in page.url
    pill = nav(page, "References")
    pill.focus()
    page.keyboard.press("Space")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "References"
    outline = pill.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # the keyboard's place is visible


def test_a_row_opens_the_way_the_page_says(dashboard: str, page: Any) -> None:
    """References says to tick the box at a row's left; doing so opens that reference."""
    visit(page, f"{dashboard}/?page=references&q=hazan+1987")
    assert "tick the box at the left of a row" in main_text(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator("canvas").first.wait_for()
    for _ in range(3):
        page.wait_for_timeout(500)
        if "reference=" in page.url:
            break
        bounds = grid.bounding_box()
        page.mouse.click(bounds["x"] + 10, bounds["y"] + 35 + 17)
        settle(page)
    assert "reference=hazan1987" in page.url


def test_the_graph_selection_colour_is_no_stance_colour(dashboard: str, page: Any) -> None:
    """Edges are drawn in the stance colours (none of them the component's red); a clicked
    node's edges turn that red, which no stance uses."""
    stance = {rgb(c) for c in views.STANCE_COLOURS.values()}
    assert rgb(SELECTION_COLOUR) not in stance
    visit(page, f"{dashboard}/?page=graph&focus=reference:hazan1987")
    handle = page.locator('iframe[title*="st_link_analysis"]').element_handle()
    inner = handle.content_frame()
    inner.wait_for_function("() => document.getElementById('cy')?._cyreg?.cy?.nodes().length > 0")
    page.wait_for_timeout(800)
    before = inner.evaluate(
        "() => document.getElementById('cy')._cyreg.cy.edges()"
        ".filter(e => e.data('stance')).map(e => e.style('line-color'))"
    )
    assert before
    assert set(before) <= stance
    point = inner.evaluate(
        "(label) => { const cy = document.getElementById('cy')._cyreg.cy;"
        " const n = cy.nodes().filter(x => x.data('label') === label)[0];"
        " const p = n.renderedPosition(); return [p.x, p.y]; }",
        "Hazan & Shaver (1987)",
    )
    box = handle.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_timeout(800)
    inner = page.locator('iframe[title*="st_link_analysis"]').element_handle().content_frame()
    after = inner.evaluate(
        "(label) => { const cy = document.getElementById('cy')._cyreg.cy;"
        " const n = cy.nodes().filter(x => x.data('label') === label)[0];"
        " return n.connectedEdges().map(e => e.style('line-color')); }",
        "Hazan & Shaver (1987)",
    )
    assert after
    assert not set(after) & stance, after  # the selection is drawn in no stance's colour


def test_hazen_suggests_hazan_on_references_and_authors(dashboard: str, page: Any) -> None:
    """A misspelt name finds nothing and the page says "Did you mean “hazan”?", on both pages."""
    visit(page, f"{dashboard}/?page=references&q=Hazen")
    assert re.search(r"Did you mean “hazan”\?", main_text(page), re.IGNORECASE)
    visit(page, f"{dashboard}/?page=authors")
    box = page.get_by_role("textbox", name="Search authors")
    box.fill("Hazen")
    box.press("Enter")
    settle(page)
    assert re.search(r"Did you mean “hazan”\?", main_text(page), re.IGNORECASE)
    box.fill("Hazan")
    box.press("Enter")
    settle(page)
    assert "No author matches" not in main_text(page)


def test_zhangs_warning_wherever_zhang_is_shown(dashboard: str, page: Any) -> None:
    """Zhang (2012) may not exist: its page, the References list, Gaps & Audit and the Skills
    and Worksheet links to it all say so in a warning."""
    for query in (
        "page=references&reference=zhang2012",
        "page=references&q=zhang",
        "page=references",
        "page=gaps",
        "page=skills&skill=act-opposite-to-your-style",
        "page=skills&skill=seek-out-healthy-relationships",
        "page=worksheet&claim=opposite-hard-work",
    ):
        visit(page, f"{dashboard}/?{query}")
        alerts = page.locator('[data-testid="stAlertContainer"]').all_inner_texts()
        assert any(MAY_NOT_EXIST in a and "may not exist" in a.lower() for a in alerts), query
        assert "Zhang (2012" in main_text(page), query  # "Zhang (2012, may not exist)"


# Every metric label's elements whose text overflows them (Streamlit cuts a long one with "…").
CUT_LABELS = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"]')].map(label => [
  label.innerText,
  [label, ...label.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth
    || e.scrollHeight > e.clientHeight)])"""


def test_no_figure_label_is_cut_at_1280(dashboard: str, browser: Any) -> None:
    """At 1280 × 800 every figure's label reads whole (none cut with an ellipsis): Gaps & Audit's
    six, the Overview's, a skill's and an author's."""
    context, tab, elsewhere = open_tab(browser, 1280, 800)
    try:
        for query in ("gaps", "overview", "skills&skill=7", "authors&author=hazan-c"):
            visit(tab, f"{dashboard}/?page={query}")
            labels = tab.evaluate(CUT_LABELS)
            assert labels, query
            assert [text for text, cut in labels if cut] == [], query
    finally:
        context.close()
    assert elsewhere == []

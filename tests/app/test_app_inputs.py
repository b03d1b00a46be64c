"""The dashboard on other inputs (env KB_BIB, KB_DATA, KB_STORE): many worksheets, hostile text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kb
from kb.browse.search import LibraryIndex
from kb.evidence.profile import Gaps, gaps
from tests.app.test_app import APP, NODE_TYPES, PAGES, component_args, table, texts
from tests.helpers import WORKSHEET, copy_inputs, seed_kb

HOSTILE_TITLE = (
    "Romantic love <script>window.kbXss=1</script>"
    '<img src=x onerror="window.kbXss=2"> [click](javascript:window.kbXss=3) '
    '<a href="javascript:window.kbXss=4">link</a>'
)


def write_hostile_inputs(folder: Path) -> Path:
    """A copy of the real inputs in which hazan1987's title carries script and javascript: links."""
    inputs = copy_inputs(folder)
    text = inputs.bib.read_text(encoding="utf-8")
    old = "title = {Romantic love conceptualized as an attachment process}"
    assert old in text
    inputs.bib.write_text(text.replace(old, f"title = {{{HOSTILE_TITLE}}}"), encoding="utf-8")
    return inputs.bib


def load(inputs: Path) -> kb.KnowledgeBase:
    """The knowledge base of a folder holding references.bib and data/."""
    return kb.load(bib=inputs / "references.bib", data=inputs / "data")


def run(page: str, **params: str) -> AppTest:
    """The app run once on ``page`` with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"page": page, **params})
    return at.run()


def test_worksheet_selector_narrows_every_view(many: Path) -> None:
    """With several worksheets a selector appears, and choosing one narrows counts and lists."""
    at = run("overview")
    assert {m.label: m.value for m in at.metric}["Worksheets"] == "3"
    at.sidebar.selectbox(key="choose-worksheet").set_value("creating-secure-attachment").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Worksheets"] == "1"
    assert metrics["Skills"] == "7"
    assert at.query_params["worksheet"] == "creating-secure-attachment"
    at.pills(key="choose-page").set_value("skills").run()
    assert len(at.selectbox(key="choose-skill").options) == 7
    at.pills(key="choose-page").set_value("references").run()
    assert "16 of 16 references" in texts(at)


def test_reference_table_paginates(many: Path) -> None:
    """53 references come 25 to a page; the second page shows the next 25."""
    at = run("references")
    assert "53 of 53 references" in texts(at)
    first = list(table(at)["key"])
    assert len(first) == 25
    at.get("pagination")[0].set_value(2).run()
    second = list(table(at)["key"])
    assert len(second) == 25
    assert not set(first) & set(second)


def test_narrowing_past_the_last_page_goes_back_to_page_one(many: Path) -> None:
    """On page 3, a search that leaves two pages shows page 1 of them, not an error."""
    hits = LibraryIndex.of(load(many)).search("attachment")
    assert 25 < len(hits) <= 50  # two pages
    at = run("references")
    at.get("pagination")[0].set_value(3).run()
    at.text_input(key="q").input("attachment").run()
    assert not at.exception
    assert f"{len(hits)} of 53 references" in texts(at)
    assert len(table(at)) == 25
    assert at.get("pagination")[0].value == 1


def test_graph_is_capped_and_says_so(many: Path) -> None:
    """Over the node cap (every node type shown) the graph draws the best-connected nodes and
    says how many it left out."""
    at = run("graph")
    at.multiselect(key="gtypes").set_value(sorted(NODE_TYPES)).run()
    nodes = component_args(at, "graph")["elements"]["nodes"]
    assert len(nodes) == 250
    assert "Showing 250 of" in texts(at)


def test_store_comes_from_kb_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """KB_STORE chooses the store (here Oxigraph on disk) and the sidebar names it."""
    monkeypatch.setenv("KB_STORE", f"oxigraph:{tmp_path / 'store'}")
    at = run("query")
    assert not at.exception
    assert f"oxigraph:{tmp_path / 'store'}" in texts(at)
    assert len(table(at)) == 7


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_renders_from_a_reopened_store(
    page: str, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On a persistent store built before (KB_STORE=oxigraph:PATH, reopened read-only: records,
    rdflib graph and kept answers come from the store), every page renders what it does on
    the in-memory build."""
    store = tmp_path_factory.getbasetemp() / "reopened-store"
    kb.load(store=f"oxigraph:{store}")  # built once; each page's app reopens it
    memory = run(page)
    monkeypatch.setenv("KB_STORE", f"oxigraph:{store}")
    reopened = run(page)
    assert not reopened.exception
    assert texts(reopened).replace(f"oxigraph:{store}", "memory") == texts(memory)


def test_unreadable_store_is_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store spec that names nothing stops the app with one message, not a traceback."""
    monkeypatch.setenv("KB_STORE", "nonsense")
    at = run("overview")
    assert not at.exception
    assert "The knowledge base could not be loaded" in texts(at)


def test_knowledge_base_is_parsed_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Reruns, skill changes and page changes reuse the loaded knowledge base: one parse."""
    import kb
    import kb.records.bib

    inputs = copy_inputs(tmp_path)  # a source no other test has loaded
    monkeypatch.setenv("KB_BIB", str(inputs.bib))
    monkeypatch.setenv("KB_DATA", str(inputs.data))
    calls: list[object] = []
    real = kb.records.bib.load_bib
    monkeypatch.setattr(kb.records.bib, "load_bib", lambda path: calls.append(path) or real(path))
    at = run("skills")
    at.selectbox(key="choose-skill").set_value("minimize-stressors").run()
    at.pills(key="choose-page").set_value("graph").run()
    run("references")
    assert calls == [inputs.bib]


def test_hostile_title_is_escaped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A title with <script> and javascript: links reaches HTML escaped (the audit's diff, the
    skill's APA list), markdown inert (the title) and code blocks as plain text (citations)."""
    bib = write_hostile_inputs(tmp_path)
    monkeypatch.setenv("KB_BIB", str(bib))
    monkeypatch.setenv("KB_DATA", str(tmp_path / "data"))
    at = run("references", reference="hazan1987")
    assert not at.exception
    html = "\n".join(e.proto.body for e in at.get("html"))
    unmarked = re.sub(r"</?(ins|del)>", "", html)  # the audit marks the characters that differ
    assert "&lt;script&gt;window.kbXss=1&lt;/script&gt;" in unmarked  # the corrected title
    assert "<script>" not in html
    assert "<a href" not in html
    title = at.title[0].value
    assert "\\<script\\>" in title  # markdown: escaped, shown as text
    assert "\\[click\\]\\(javascript\\:" in title
    assert HOSTILE_TITLE in at.code[0].value  # the APA entry to copy: text, never HTML
    base = seed_kb()
    sheet = base.worksheet(WORKSHEET)
    cited = {link.claim for link in sheet.links if link.reference == "hazan1987"}
    slugs = {s.slug for s in base.skills}
    skill = next(c.section for c in sheet.claims if c.id in cited and c.section in slugs)
    at = run("skills", skill=skill)
    assert not at.exception
    html = "\n".join(e.proto.body for e in at.get("html"))
    assert "&lt;script&gt;window.kbXss=1&lt;/script&gt;" in html  # the skill's APA list
    assert "<script>" not in html
    assert "<a href" not in html


def test_search_ignores_accents_in_the_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A name with accents (Sháver) is found without them ("shaver 1987"), as "lonfeldt" finds
    Lønfeldt."""
    inputs = copy_inputs(tmp_path)
    text = inputs.bib.read_text(encoding="utf-8")
    old = "author = {Hazan, C. and Shaver, P.}"
    assert old in text
    inputs.bib.write_text(text.replace(old, "author = {Hazan, C. and Sháver, P.}"), "utf-8")
    monkeypatch.setenv("KB_BIB", str(inputs.bib))
    monkeypatch.setenv("KB_DATA", str(inputs.data))
    at = run("references", q="shaver 1987")
    assert not at.exception
    assert list(table(at)["key"]) == ["hazan1987"]
    assert list(table(at)["authors"]) == ["Hazan & Sháver"]  # the name keeps its accent


# --- the Worksheet and Gaps pages with several worksheets -----------------------------------------


def test_worksheet_page_asks_for_a_worksheet(many: Path) -> None:
    """With several worksheets and none chosen, the Worksheet page asks for one."""
    at = run("worksheet")
    assert not at.exception
    assert "Choose a worksheet in the sidebar to see its text." in [i.value for i in at.info]
    assert 'class="kb-c' not in texts(at)


def test_worksheet_page_counts_equal_kb_gaps_of_that_worksheet(many: Path) -> None:
    """The chosen worksheet's figures are `kb gaps --worksheet`'s."""
    base = load(many)
    ws = base.worksheets[-1].worksheet.id
    found = gaps(base.narrow(ws))
    at = run("worksheet", worksheet=ws)
    assert not at.exception
    unsupported, grey = len(found.unsupported_claims), len(found.grey_only_claims)
    assert f"{unsupported} claims with no supporting link and {grey} supported by grey" in texts(at)


def gaps_metrics(many: Path) -> tuple[dict[str, str], Gaps]:
    """The Gaps page's metrics for the last worksheet of the library, and `kb gaps
    --worksheet` for it."""
    base = load(many)
    ws = base.worksheets[-1].worksheet.id
    at = run("gaps", worksheet=ws)
    assert not at.exception
    return {m.label: m.value for m in at.metric}, gaps(base.narrow(ws))


def test_gaps_page_claims_and_skills_are_those_of_the_worksheet(many: Path) -> None:
    """With a worksheet chosen, the Gaps page counts its claims and skills as `kb gaps
    --worksheet` does."""
    shown, found = gaps_metrics(many)
    assert shown["Claims with no supporting link"] == str(len(found.unsupported_claims))
    assert shown["Supported by grey literature only"] == str(len(found.grey_only_claims))
    assert shown["Skills whose advice is rated very low"] == str(len(found.very_low_skills))


def test_gaps_page_unused_references_are_those_of_the_worksheet(many: Path) -> None:
    """With a worksheet chosen, "References supporting nothing" is `kb gaps --worksheet`'s."""
    shown, found = gaps_metrics(many)
    assert shown["References supporting nothing"] == str(len(found.unused_references))

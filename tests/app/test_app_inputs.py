"""The dashboard on other inputs (env KB_BIB, KB_DATA, KB_STORE): many worksheets, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_app import APP, component_args, table, texts
from tests.helpers import copy_inputs

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
    at.sidebar.radio(key="choose-page").set_value("skills").run()
    assert len(at.selectbox(key="choose-skill").options) == 7
    at.sidebar.radio(key="choose-page").set_value("references").run()
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
    at = run("references")
    at.get("pagination")[0].set_value(3).run()
    at.text_input(key="ref-search").input("attachment").run()  # 36 references: 2 pages
    assert not at.exception
    assert len(table(at)) == 25
    assert at.get("pagination")[0].value == 1


def test_graph_is_capped_and_says_so(many: Path) -> None:
    """Over the node cap the graph draws the best-connected nodes and says how many it left out."""
    at = run("graph")
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


def test_unreadable_store_is_one_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store spec that names nothing stops the app with one message, not a traceback."""
    monkeypatch.setenv("KB_STORE", "nonsense")
    at = run("overview")
    assert not at.exception
    assert "The knowledge base could not be loaded" in texts(at)


def test_knowledge_base_is_parsed_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Reruns, skill changes and page changes reuse the loaded knowledge base: one parse."""
    import kb
    import kb.loader

    inputs = copy_inputs(tmp_path)  # a source no other test has loaded
    monkeypatch.setenv("KB_BIB", str(inputs.bib))
    monkeypatch.setenv("KB_DATA", str(inputs.data))
    calls: list[object] = []
    real = kb.loader.load_bib
    monkeypatch.setattr(kb.loader, "load_bib", lambda path: calls.append(path) or real(path))
    at = run("skills")
    at.selectbox(key="choose-skill").set_value("minimize-stressors").run()
    at.sidebar.radio(key="choose-page").set_value("graph").run()
    run("references")
    assert calls == [inputs.bib]


def test_hostile_title_is_escaped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A title with <script> and javascript: links reaches HTML escaped and markdown inert."""
    bib = write_hostile_inputs(tmp_path)
    monkeypatch.setenv("KB_BIB", str(bib))
    monkeypatch.setenv("KB_DATA", str(tmp_path / "data"))
    at = run("references", reference="hazan1987")
    html = "\n".join(e.proto.body for e in at.get("html"))
    assert "&lt;script&gt;window.kbXss=1&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "<a href" not in html
    title = at.title[0].value
    assert "\\<script\\>" in title  # markdown: escaped, shown as text
    assert "\\[click\\]\\(javascript\\:" in title

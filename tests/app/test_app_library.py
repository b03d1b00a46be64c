"""The dashboard in library mode (kb.core.narrow.LIBRARY_SCOPE_FROM worksheets or more): one
worksheet at a time on every page, the library table on the Overview, the library-wide search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import kb
import kb.core.narrow
from kb.browse.search import LibraryIndex
from kb.core.resolve import cited_keys
from tests.app.test_app import APP, PAGES, select_row, texts

# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base(synth3: Path) -> kb.KnowledgeBase:
    """The corpus loaded here, to say what the app should show."""
    return kb.load(bib=synth3 / "references.bib", data=synth3 / "data")


@pytest.fixture
def library(many: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same corpus with the library threshold lowered to 2: the app is in library mode."""
    monkeypatch.setattr(kb.core.narrow, "LIBRARY_SCOPE_FROM", 2)
    return many


def run(page: str, **params: str) -> AppTest:
    """The app run once on ``page`` with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"page": page, **params})
    return at.run()


def ok(at: AppTest) -> None:
    """The run ended with no exception and no error message."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> dict[str, str]:
    """The page's metrics, label -> value."""
    return {m.label: m.value for m in at.metric}


def frame(at: AppTest, column: str) -> Any:
    """The one dataframe on the page that has ``column``."""
    (found,) = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def ids(base: kb.KnowledgeBase) -> list[str]:
    """Worksheet ids in folder order."""
    return [w.worksheet.id for w in base.worksheets]


def skill_labels(base: kb.KnowledgeBase, ws: str) -> list[str]:
    """How the skill selectbox labels a worksheet's skills."""
    return [f"{s.order}. {s.title}" for s in base.skills if s.worksheet == ws]


# --- below the threshold --------------------------------------------------------------------------


def test_below_the_threshold_all_worksheets_is_offered(many: Path, base: kb.KnowledgeBase) -> None:
    """With 3 worksheets and the default threshold, "All worksheets" is the default scope."""
    assert len(base.worksheets) < kb.core.narrow.LIBRARY_SCOPE_FROM
    at = run("overview")
    ok(at)
    chooser = at.sidebar.selectbox(key="choose-worksheet")
    assert chooser.value is None
    assert chooser.proto.placeholder == "All worksheets"
    assert metrics(at)["Worksheets"] == "3"
    assert metrics(at)["Skills"] == str(len(base.skills))
    assert not any("The library" in s.value for s in at.header)
    at.pills(key="choose-page").set_value("references").run()
    ok(at)
    assert not at.toggle  # no "Search the whole library": every worksheet is in scope


# --- library mode ---------------------------------------------------------------------------------


def test_threshold_is_read_at_each_run(library: Path) -> None:
    """app.py reads LIBRARY_SCOPE_FROM on every run: the patched value puts it in library mode."""
    at = run("overview")
    ok(at)
    assert "A library of 3 worksheets" in texts(at)


def test_library_defaults_to_the_first_worksheet(library: Path, base: kb.KnowledgeBase) -> None:
    """No "All worksheets" choice: the selectbox offers the worksheets and opens the first."""
    at = run("overview")
    ok(at)
    chooser = at.sidebar.selectbox(key="choose-worksheet")
    assert chooser.options == [w.worksheet.title for w in base.worksheets]
    assert None not in chooser.options
    assert "All worksheets" not in chooser.options
    assert chooser.proto.placeholder != "All worksheets"
    first = base.worksheets[0]
    assert chooser.value == first.worksheet.id
    shown = metrics(at)
    assert shown["Worksheets"] == "1"
    assert shown["Skills"] == str(len(first.skills))
    assert shown["Claims"] == str(len(first.claims))
    assert shown["References"] == str(len(first.references))
    rated = frame(at, "advice helps")  # the ratings table: the first worksheet's skills only
    assert list(rated["skill"]) == [s.title for s in first.skills]


def test_library_table_lists_every_worksheet(library: Path, base: kb.KnowledgeBase) -> None:
    """The Overview adds the library: a subheader with the count and a row per worksheet, by
    title (its id hidden)."""
    at = run("overview")
    ok(at)
    assert "The library: 3 worksheets" in [s.value for s in at.header]  # h2 under the h1
    rows = frame(at, "worksheet")
    assert list(rows["worksheet"]) == ids(base)  # kept in the data, not shown
    (table,) = [d for d in at.dataframe if "worksheet" in d.value.columns]
    assert json.loads(table.proto.columns)["worksheet"] == {"hidden": True}
    assert list(rows["title"]) == [w.worksheet.title for w in base.worksheets]
    assert list(rows["skills"]) == [len(w.skills) for w in base.worksheets]
    assert list(rows["links"]) == [len(w.links) for w in base.worksheets]


def test_worksheet_from_the_url(library: Path, base: kb.KnowledgeBase) -> None:
    """?worksheet= opens that worksheet in library mode."""
    last = base.worksheets[-1]
    at = run("overview", worksheet=last.worksheet.id)
    ok(at)
    assert at.sidebar.selectbox(key="choose-worksheet").value == last.worksheet.id
    assert metrics(at)["Worksheets"] == "1"
    assert metrics(at)["Skills"] == str(len(last.skills))


def test_switching_worksheet_changes_the_skills(library: Path, base: kb.KnowledgeBase) -> None:
    """Choosing another worksheet in the sidebar lists its skills, and writes it in the URL."""
    first, second = ids(base)[:2]
    assert skill_labels(base, first) != skill_labels(base, second)
    at = run("skills")
    ok(at)
    assert at.selectbox(key="choose-skill").options == skill_labels(base, first)
    at.sidebar.selectbox(key="choose-worksheet").set_value(second).run()
    ok(at)
    assert at.query_params["worksheet"] == second
    assert at.selectbox(key="choose-skill").options == skill_labels(base, second)
    assert skill_labels(base, second)[0] in [t.value for t in at.title]


def search_library(at: AppTest, text: str) -> AppTest:
    """Turn on "Search the whole library" and search for ``text``."""
    at.toggle(key="everywhere").set_value(True).run()
    return at.text_input(key="q").input(text).run()


def test_library_search_finds_other_worksheets_references(
    library: Path, base: kb.KnowledgeBase
) -> None:
    """From the first worksheet, the library search finds a reference only others cite, and
    its row names them."""
    first = ids(base)[0]
    mine = set(cited_keys(base.worksheet(first)))
    citing = {
        k: [w for w in ids(base) if k in cited_keys(base.worksheet(w))] for k in base.references
    }
    key = next(k for k in sorted(base.references) if k not in mine)
    ref = base.references[key]
    at = run("references")
    ok(at)
    toggle = at.toggle(key="everywhere")
    assert toggle.label == "Search the whole library"
    assert toggle.proto.query_param_key == "everywhere"
    assert key not in set(frame(at, "no.")["key"])  # the worksheet's own table lacks it
    search_library(at, ref.title)
    ok(at)
    hits = frame(at, "cited in")
    assert list(hits.columns) == ["key", "authors", "year", "title", "cited in"]
    (row,) = hits[hits["key"] == key].to_dict("records")
    assert row["title"] == ref.title
    assert row["cited in"] == ", ".join(citing[key])
    assert first not in row["cited in"]


def test_library_search_from_a_key_names_every_citing_worksheet(
    library: Path, base: kb.KnowledgeBase
) -> None:
    """A reference several worksheets cite is found by its key, with all of them; the count
    is the library index's."""
    cites = {w: set(cited_keys(base.worksheet(w))) for w in ids(base)}
    key = next(k for k in sorted(base.references) if sum(k in c for c in cites.values()) > 1)
    at = search_library(run("references"), key.upper())
    ok(at)
    hits = frame(at, "cited in")
    (row,) = hits[hits["key"] == key].to_dict("records")
    assert row["cited in"] == ", ".join(w for w in ids(base) if key in cites[w])
    found = LibraryIndex.of(base).search(key.upper())
    assert set(hits["key"]) == {h.key for h in found}
    assert f"{len(found)} reference{'' if len(found) == 1 else 's'} found" in texts(at)


def test_library_search_from_the_url(library: Path, base: kb.KnowledgeBase) -> None:
    """?everywhere=true&q=TEXT opens the library search with that text."""
    key = sorted(base.references)[-1]
    at = run("references", everywhere="true", q=key)
    ok(at)
    assert at.toggle(key="everywhere").value is True
    assert key in set(frame(at, "cited in")["key"])


def test_library_search_for_nothing_shows_no_table(library: Path) -> None:
    """Whitespace searches nothing and draws no hit table; a term that matches nothing says so."""
    at = search_library(run("references"), "   ")
    ok(at)
    assert not [d for d in at.dataframe if "cited in" in d.value.columns]
    at.text_input(key="q").input("qqzzxxjj-nothing").run()
    ok(at)
    assert not at.dataframe
    assert "No reference in the library matches “qqzzxxjj-nothing”." in texts(at)


def test_library_hit_in_scope_opens_its_reference(library: Path, base: kb.KnowledgeBase) -> None:
    """Clicking the row of a hit the worksheet cites opens its page (AppTest sets the row
    selection the browser would send)."""
    key = sorted(cited_keys(base.worksheet(ids(base)[0])))[0]
    at = select_row(search_library(run("references"), key), "lib-table", "key", key)
    ok(at)
    assert at.query_params["reference"] == key
    assert base.references[key].title in [t.value for t in at.title]


def other_worksheets_reference(base: kb.KnowledgeBase) -> str:
    """A reference the library cites but the first worksheet does not."""
    mine = set(cited_keys(base.worksheet(ids(base)[0])))
    every = set().union(*(cited_keys(base.worksheet(w)) for w in ids(base)))
    return sorted(every - mine)[0]


def test_library_hit_of_another_worksheet_opens_its_reference(
    library: Path, base: kb.KnowledgeBase
) -> None:
    """?reference=KEY, as a library hit opens it, shows a reference only other worksheets cite."""
    key = other_worksheets_reference(base)
    at = run("references", reference=key, everywhere="true", q=key)
    ok(at)
    assert base.references[key].title in [t.value.replace("\\", "") for t in at.title]


def test_clicking_a_library_hit_of_another_worksheet_ends(
    library: Path, base: kb.KnowledgeBase
) -> None:
    """Clicking a hit that only other worksheets cite ends its run (no endless reruns)."""
    key = other_worksheets_reference(base)
    at = AppTest.from_file(APP, default_timeout=10)
    at.query_params.update({"page": "references", "everywhere": "true", "q": key})
    at.run()
    select_row(at, "lib-table", "key", key)
    assert not at.exception
    assert at.query_params["reference"] == key


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_in_library_mode(
    library: Path, base: kb.KnowledgeBase, page: str
) -> None:
    """Each page runs to the end on the default (first) worksheet and on the last one."""
    at = run(page)
    ok(at)
    assert PAGES[page] in [t.value for t in at.title]  # the first worksheet is the seed's
    at = run(page, worksheet=ids(base)[-1])
    ok(at)
    assert at.title
    assert at.sidebar.selectbox(key="choose-worksheet").value == ids(base)[-1]

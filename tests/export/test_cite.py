"""kb.export.apa: CSL-JSON, APA 7 through citeproc-py, and our fixes of its defects (one test
each)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

import kb
from kb.errors import KbError
from kb.export.apa import cite_in_text, expand_page_range, render_apa, to_csl_json
from kb.records.bib import load_bib, parse_bib
from kb.records.models import Reference

FIXTURES = Path(__file__).parents[1] / "fixtures" / "export"
SCHEMA = json.loads((FIXTURES / "csl-data.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The real knowledge base, loaded once."""
    return kb.load()


@pytest.fixture(scope="module")
def synthetic() -> dict[str, Reference]:
    """Made-up references that provoke each citeproc-py defect."""
    return {r.key: r for r in load_bib(FIXTURES / "synthetic.bib")}


def _one(bib: str) -> Reference:
    return parse_bib(bib)[0]


def test_csl_json_of_all_references_validates_against_the_csl_data_schema(
    base: kb.KnowledgeBase,
) -> None:
    """All 16 references give CSL-JSON that the official CSL data schema accepts."""
    items = to_csl_json(base.references.values())
    jsonschema.validate(items, SCHEMA)
    assert [i["id"] for i in items] == list(base.references)


def test_schema_check_fails_on_an_invalid_record(base: kb.KnowledgeBase) -> None:
    """The schema check can fail: an unknown field or a bad type is refused."""
    items = to_csl_json(base.references.values())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**items[0], "jounral": "typo"}], SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**items[0], "type": "journal-article"}], SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**items[0], "author": [{"surname": "Hazan"}]}], SCHEMA)


def test_csl_json_keeps_names_dates_and_identifiers(base: kb.KnowledgeBase) -> None:
    """Organisations stay literal, n.d. has no date, full dates and full page ranges are kept."""
    items = {i["id"]: i for i in to_csl_json(base.references.values())}
    assert items["columbia2022"]["author"] == [
        {"literal": "Columbia University Department of Psychiatry"}
    ]
    assert items["columbia2022"]["issued"] == {"date-parts": [[2022, 2, 9]]}
    assert "issued" not in items["manson_nd"]
    assert items["jones1983"]["page"] == "235-244"
    assert items["hazan1987"]["DOI"] == "10.1037/0022-3514.52.3.511"
    assert items["hazan1987"]["type"] == "article-journal"
    assert items["manson_nd"]["type"] == "post-weblog"


def test_reference_list_of_the_worksheet_is_in_apa_order(base: kb.KnowledgeBase) -> None:
    """The dict is ordered as an APA 7 reference list: by first author's family name."""
    entries = render_apa(base.references.values())
    assert len(entries) == 16
    assert list(entries)[:3] == ["antonucci2004", "beeney2019", "columbia2022"]
    assert list(entries)[-1] == "zhang2012"


def test_hazan_and_shaver_renders_as_apa_7(base: kb.KnowledgeBase) -> None:
    """A journal article: authors, year, title, journal, volume(issue), en-dash pages, DOI URL."""
    assert render_apa([base.reference("hazan1987")])["hazan1987"] == (
        "Hazan, C., & Shaver, P. (1987). Romantic love conceptualized as an attachment process. "
        "Journal of Personality and Social Psychology, 52(3), 511–524. "
        "https://doi.org/10.1037/0022-3514.52.3.511"
    )


def test_regression_no_stop_after_a_title_ending_in_a_question_mark(
    base: kb.KnowledgeBase,
) -> None:
    """citeproc-py prints "change?." ; we print "change? Journal…" (and "love? Attachment…")."""
    entries = render_apa(base.references.values())
    assert "Why does attachment style change? Journal of Personality" in entries["davila1997"]
    assert not any("?." in e for e in entries.values())


@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
def test_regression_no_stop_after_an_exclamation_mark_in_italics(
    synthetic: dict[str, Reference], fmt: str
) -> None:
    """An italic web-page title ending in "!" gets no stop after the closing markup either."""
    entry = render_apa([synthetic["exclaim2001"]], fmt)["exclaim2001"]
    assert re.search(r"Stop!(</i>|\*)? https://", entry), entry


def test_regression_html_output_escapes_the_data(synthetic: dict[str, Reference]) -> None:
    """citeproc-py leaves data unescaped; a <script> title comes out as text, & as &amp;."""
    entry = render_apa([synthetic["markup2005"], synthetic["exclaim2001"]], "html")
    markup = entry["markup2005"]
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<i>Attachment &amp; Markup Review</i>" in markup
    assert "&amp;amp;" not in markup  # escaped once, not twice
    assert "https://example.org/stop?a=1&amp;b=2" in entry["exclaim2001"]


def test_html_of_the_worksheet_unescapes_to_the_text(base: kb.KnowledgeBase) -> None:
    """Stripping the <i> tags and unescaping the HTML gives exactly the plain-text entries."""
    text = render_apa(base.references.values(), "text")
    as_html = render_apa(base.references.values(), "html")
    assert list(as_html) == list(text)
    for key, entry in as_html.items():
        assert html.unescape(re.sub(r"</?i>", "", entry)) == text[key]


def test_markdown_escapes_its_specials_and_italicises(synthetic: dict[str, Reference]) -> None:
    """Markdown output escapes * _ [ ] < > in the data and uses *…* for italics."""
    entry = render_apa([synthetic["markup2005"]], "markdown")["markup2005"]
    assert r"\*bold\* \_under\_ & \[link\](x)" in entry
    assert "*Attachment & Markup Review*" in entry
    unescaped = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)\*", "", entry))
    assert unescaped == render_apa([synthetic["markup2005"]])["markup2005"]


def test_regression_abbreviated_page_ranges_are_expanded(synthetic: dict[str, Reference]) -> None:
    """citeproc-py does not expand "235-44"; our CSL-JSON carries the full range 235-244."""
    assert to_csl_json([synthetic["question1999"]])[0]["page"] == "235-244"
    assert "2(1), 235–244." in render_apa([synthetic["question1999"]])["question1999"]


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (("235", "44"), "235-244"),
        (("1999", "2"), "1999-2"),  # expanding would go backwards: left alone
        (("7", "7"), "7"),
        (("e101", "e109"), "e101-e109"),
        (None, None),
    ],
)
def test_expand_page_range(pages: tuple[str, str] | None, expected: str | None) -> None:
    """Abbreviated numeric ranges are expanded; anything else is kept as given."""
    assert expand_page_range(pages) == expected


def test_regression_same_author_same_year_gets_a_and_b(synthetic: dict[str, Reference]) -> None:
    """citeproc-py does not disambiguate; we add 2012a/2012b in title order, n.d.-a/n.d.-b too."""
    entries = render_apa(synthetic.values())
    assert entries["hazan2012a"].startswith("Hazan, C. (2012a). Alpha effects")
    assert entries["hazan2012z"].startswith("Hazan, C. (2012b). Zeta effects")
    assert entries["hazan_nd_a"].startswith("Hazan, C. (n.d.-a). Another undated page")
    assert entries["hazan_nd_b"].startswith("Hazan, C. (n.d.-b). Undated notes")
    assert list(entries)[:4] == ["hazan_nd_a", "hazan_nd_b", "hazan2012a", "hazan2012z"]


def test_no_suffix_without_a_clash(synthetic: dict[str, Reference]) -> None:
    """One Hazan 2012 alone in the list gets no suffix."""
    assert "(2012)." in render_apa([synthetic["hazan2012z"]])["hazan2012z"]


def test_regression_undated_web_page_has_no_dangling_retrieved(base: kb.KnowledgeBase) -> None:
    """Without an access date APA 7 gives just the URL; no "Retrieved" and no invented date."""
    entry = render_apa([base.reference("manson_nd")])["manson_nd"]
    assert entry == "Manson, M. (n.d.). Attachment theory. https://markmanson.net/attachment-theory"


def test_unknown_apa_format_is_refused(base: kb.KnowledgeBase) -> None:
    """A format other than text, html or markdown is a KbError, not a silent default."""
    with pytest.raises(KbError, match="unknown APA format"):
        render_apa([base.reference("hazan1987")], "latex")  # type: ignore[arg-type]


def test_mixed_case_key_survives_citeproc_lowercasing() -> None:
    """citeproc-py lower-cases ids; the returned dict still uses our key."""
    ref = _one("@article{Hazan1987X, author = {Hazan, C.}, title = {T}, year = {1987}}")
    assert list(render_apa([ref])) == ["Hazan1987X"]


def test_in_text_citation_parenthetical(base: kb.KnowledgeBase) -> None:
    """``cite_in_text`` gives "(Hazan & Shaver, 1987)"; et al. from three authors."""
    assert cite_in_text([base.reference("hazan1987")]) == "(Hazan & Shaver, 1987)"
    assert cite_in_text([base.reference("selcuk2010")]) == "(Selcuk et al., 2010)"
    assert cite_in_text([base.reference("manson_nd")]) == "(Manson, n.d.)"


def test_in_text_citation_narrative(base: kb.KnowledgeBase) -> None:
    """Narrative form writes "and", puts the year in parentheses, and joins several as prose."""
    assert cite_in_text([base.reference("hazan1987")], narrative=True) == "Hazan and Shaver (1987)"
    refs = [base.reference(k) for k in ("sbarra2008", "hazan1987", "antonucci2004")]
    assert cite_in_text(refs, narrative=True) == (
        "Antonucci et al. (2004), Hazan and Shaver (1987), and Sbarra and Hazan (2008)"
    )


def test_several_citations_in_reference_list_order(base: kb.KnowledgeBase) -> None:
    """Several works in one parenthesis are ordered as in the reference list, joined by "; "."""
    refs = [base.reference(k) for k in ("sbarra2008", "hazan1987")]
    assert cite_in_text(refs) == "(Hazan & Shaver, 1987; Sbarra & Hazan, 2008)"


def test_regression_same_author_citations_collapse(synthetic: dict[str, Reference]) -> None:
    """citeproc-py ignores collapse="year"; we give "(Hazan, 2012a, 2012b)" as APA 7 does."""
    refs = [synthetic["hazan2012z"], synthetic["hazan2012a"]]
    assert cite_in_text(refs) == "(Hazan, 2012a, 2012b)"
    assert cite_in_text(refs, narrative=True) == "Hazan (2012a, 2012b)"


def test_suffix_of_a_lone_citation_follows_the_whole_list(synthetic: dict[str, Reference]) -> None:
    """With ``context`` (the whole list) a single citation carries its suffix: (Hazan, 2012b)."""
    ref = synthetic["hazan2012z"]
    assert cite_in_text([ref], context=synthetic.values()) == "(Hazan, 2012b)"
    assert cite_in_text([ref]) == "(Hazan, 2012)"


def test_citing_nothing_is_an_error() -> None:
    """An empty citation is a usage error (exit 2)."""
    with pytest.raises(KbError) as caught:
        cite_in_text([])
    assert caught.value.exit_code == 2

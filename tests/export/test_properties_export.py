"""Property-based: generated references (Unicode names, braces, & % # ~, very long titles, many
authors) survive BibTeX, RIS and CSL-JSON export and re-import unchanged."""

from __future__ import annotations

import json

import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.export.apa import to_csl_json
from kb.export.bibtex import to_bibtex
from kb.export.ris import to_ris
from kb.records.bib import parse_bib
from kb.records.models import Author, Reference

WORD = (
    st.text(
        st.characters(
            codec="utf-8",
            categories=("L", "N", "P", "S", "Zs"),
            exclude_characters='{}\\"',
        ),
        min_size=1,
        max_size=12,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
SPECIALS = st.sampled_from(["&", "%", "#", "~", "_", "$", "Ø", "č", "ñ", "日本", "é"])
TITLE = st.lists(st.one_of(WORD, SPECIALS), min_size=1, max_size=60).map(" ".join)
NAME = WORD.filter(lambda s: s.lower() not in {"and", "others"} and "," not in s and s[0].isalpha())
SUFFIX = st.from_regex(r"[a-z0-9.]{1,20}", fullmatch=True)
AUTHOR = st.builds(lambda f, g: Author(family=f, given=f"{g[0]}."), NAME, NAME)


@st.composite
def references(draw: st.DrawFn) -> Reference:
    """A journal article with generated title, authors, year, pages and DOI."""
    start = draw(st.integers(1, 5000))
    return Reference(
        key=f"gen{draw(st.integers(0, 10**6))}",
        entry_type="article",
        authors=draw(st.lists(AUTHOR, min_size=1, max_size=25)),
        title=draw(TITLE),
        year=draw(st.integers(1900, 2030)),
        journal=draw(TITLE),
        volume=str(draw(st.integers(1, 300))),
        number=str(draw(st.integers(1, 12))),
        pages=f"{start}--{start + draw(st.integers(0, 80))}",
        doi=f"10.{draw(st.integers(1000, 99999))}/{draw(SUFFIX)}",
    )


def _same(a: Reference, b: Reference) -> None:
    assert b.title == a.title
    assert b.year == a.year
    assert b.doi == a.doi
    assert [(x.family, x.given) for x in b.authors] == [(x.family, x.given) for x in a.authors]


@settings(max_examples=60, deadline=None)
@given(references())
def test_bibtex_round_trip(ref: Reference) -> None:
    """BibLaTeX and BibTeX written by us are read back by our loader with nothing changed."""
    for dialect in ("biblatex", "bibtex"):
        [back] = parse_bib(to_bibtex([ref], dialect), "gen.bib")  # type: ignore[arg-type]
        _same(ref, back)
        assert back.journal == ref.journal
        assert back.page_range == ref.page_range


@settings(max_examples=60, deadline=None)
@given(references())
def test_ris_round_trip(ref: Reference) -> None:
    """RIS written through rispy is read back by rispy with the same title, year, authors, DOI."""
    [record] = rispy.loads(to_ris([ref]))
    assert record["title"] == ref.title
    assert str(ref.year) in str(record.get("year", record.get("publication_year", "")))
    assert record["doi"] == ref.doi
    assert record["authors"][0].startswith(ref.authors[0].family or "")
    assert len(record["authors"]) == len(ref.authors)


@settings(max_examples=60, deadline=None)
@given(references())
def test_csl_json_round_trip(ref: Reference) -> None:
    """CSL-JSON survives a JSON dump and load with the same title, year, authors and DOI."""
    [item] = json.loads(json.dumps(to_csl_json([ref]), ensure_ascii=False))
    assert item["title"] == ref.title
    assert item["issued"]["date-parts"][0][0] == ref.year
    assert item["DOI"] == ref.doi
    assert [a["family"] for a in item["author"]] == [a.family for a in ref.authors]

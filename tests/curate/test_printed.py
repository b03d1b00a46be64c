"""The APA 7 grammar of printed references (kb.records.printed), and matching them to the bib."""

from __future__ import annotations

import pytest

from kb.curate.body import read_page
from kb.curate.match import audit_matches, match_references
from kb.errors import KbError
from kb.evidence.audit import audit
from kb.records.printed import PrintedAuthor, parse_printed
from tests.curate.helpers import bib, curated, page_text
from tests.helpers import seed_kb


def _matches():  # type: ignore[no-untyped-def]
    lines = read_page(page_text()).references
    printed = [parse_printed(line, i) for i, line in enumerate(lines, 1)]
    found = match_references(printed, bib().values())
    audit_matches(found, bib())
    return found


def test_all_sixteen_parse_and_match_the_curated_keys() -> None:
    """16/16 printed references parse and link to the key the curators gave each number."""
    keys = {n.number: n.key for n in curated().references}
    found = _matches()
    assert len(found) == 16
    assert {m.printed.number: m.key for m in found} == keys
    assert all(m.draft is None for m in found)


def test_every_difference_is_an_audit_finding() -> None:
    """Each field where print and record differ is reported as an audit finding on that field."""
    for m in _matches():
        reported = {f.field for f in m.findings}
        assert [d for d in m.differences if d[0] not in reported] == [], m.key


def test_findings_match_kb_audit() -> None:
    """The findings equal `kb audit`'s on the seed, except what only a curator's notes can say
    (unconfirmed fields, the sources named in verification notes)."""

    def rows(findings):  # type: ignore[no-untyped-def]
        return {
            (f.key, f.field, f.printed, f.corrected, f.category)
            for f in findings
            if f.category != "unconfirmed"
        }

    mine = rows(f for m in _matches() for f in m.findings)
    assert mine == rows(audit(seed_kb()))


def test_fields_equal_the_bib_apart_from_reported_misprints() -> None:
    """Apart from the differences listed, each parsed field equals references.bib."""
    for m in _matches():
        ref = bib()[m.key]
        differing = {d[0] for d in m.differences}
        if "title" not in differing:
            assert m.printed.title == ref.title
        if "journal" not in differing:
            assert m.printed.container == ref.journal
        if "date" not in differing:
            assert (m.printed.year, m.printed.month, m.printed.day) == (
                ref.year,
                ref.month,
                ref.day,
            )
        if not any(d.startswith("author") for d in differing):
            assert [(a.family, a.given, a.literal) for a in m.printed.authors] == [
                (a.family, a.given, a.literal) for a in ref.authors
            ]


def test_grammar_reads_the_forms_of_apa_7() -> None:
    """An organisation, a full date, n.d., a site name, a DOI link and a URL."""
    org = parse_printed("Acme Institute. (2020, March 3). A page title. Acme News.", 1)
    assert org.authors == (PrintedAuthor(literal="Acme Institute"),)
    assert (org.year, org.month, org.day, org.site, org.kind) == (2020, 3, 3, "Acme News", "page")
    undated = parse_printed("Doe, J.-P. (n.d.). Why? An essay. https://example.org/x", 1)
    assert undated.year is None
    assert undated.url == "https://example.org/x"
    assert undated.authors[0].given == "J.-P."
    art = parse_printed(
        "7) Roe, A. B., & Poe, C. (1999). T. J, 3, 1–9. https://doi.org/10.1000/xyz", 2
    )
    assert (art.number, art.volume, art.issue, art.pages, art.doi) == (
        7,
        "3",
        None,
        "1–9",
        "10.1000/xyz",
    )


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("3. Smith J 2004 A title without a date in brackets.", "no 'Authors"),
        ("3. Smith, J. (Spring 2004). A title.", "date"),
        ("3. Smith, J., Jones (2004). A title.", "authors"),
    ],
    ids=["no-head", "bad-date", "bad-authors"],
)
def test_unreadable_reference_names_its_number(line: str, needle: str) -> None:
    """A string the grammar cannot read is one error naming the reference's number."""
    with pytest.raises(KbError, match=needle) as info:
        parse_printed(line, 1, "page.txt")
    assert info.value.record == "reference 3"


def test_unmatched_reference_becomes_a_draft() -> None:
    """A reference with no match in the bib is drafted from the printed fields, with a free key."""
    line = "Hazan, C. (1987). An essay nobody wrote. Journal of Nothing, 9(1), 1-2."
    found = match_references([parse_printed(line, 1)], bib().values())
    draft = found[0].draft
    assert draft is not None
    assert found[0].how == "draft"
    assert draft.key == "hazan1987a"  # hazan1987 is taken
    assert (draft.journal, draft.pages, draft.entry_type) == (
        "Journal of Nothing",
        "1--2",
        "article",
    )

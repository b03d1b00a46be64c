"""kb audit: every known misprint of the worksheet's references is found, with its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import kb
from kb.evidence.audit import CATEGORIES, AuditFinding, audit, parse_apa
from tests.helpers import WORKSHEET, copy_inputs, run_kb

ARTICLES_WITH_DOI = ["beeney2019", "hazan1987", "jones1983", "nielsen2017", "paquette2020",
                     "sbarra2008", "selcuk2010"]  # fmt: skip
WEB_PAGES = ["columbia2022", "fraley2018", "ha2021", "manson_nd"]
DOI_NOT_VERIFIED = ["antonucci2004", "davila1997", "shi2003", "umemura2018", "zhang2012"]
# (key, field, category): the differences listed in shared/facts/references.md
KNOWN = {
    ("beeney2019", "journal", "metadata correction"),
    ("beeney2019", "author 10", "metadata correction"),
    ("fraley2018", "title", "metadata correction"),
    ("fraley2018", "year", "unconfirmed"),
    ("manson_nd", "title", "metadata correction"),
    ("davila1997", "pages", "style: dash"),
    ("hazan1987", "pages", "style: dash"),
    ("paquette2020", "pages", "style: dash"),
    ("jones1983", "pages", "style: page range"),
    ("nielsen2017", "title", "style: capitalisation"),
    ("zhang2012", "title", "style: capitalisation"),
    *((key, "doi", "style: missing DOI") for key in ARTICLES_WITH_DOI),
    *((key, "url", "style: missing URL") for key in WEB_PAGES),
    *((key, "doi", "unconfirmed") for key in DOI_NOT_VERIFIED),
}
# Also a real difference, though not listed there: "anxiety - the" prints a hyphen for the dash.
ALSO_FOUND = {("nielsen2017", "title", "style: dash")}


@pytest.fixture(scope="module")
def findings() -> list[AuditFinding]:
    """The audit of the real knowledge base."""
    return audit(kb.load())


def _find(findings: list[AuditFinding], key: str, field: str, category: str) -> AuditFinding:
    hits = [f for f in findings if (f.key, f.field, f.category) == (key, field, category)]
    assert len(hits) == 1, (key, field, category)
    return hits[0]


@pytest.mark.parametrize(("key", "field", "category"), sorted(KNOWN | ALSO_FOUND))
def test_each_known_misprint_is_found(
    findings: list[AuditFinding], key: str, field: str, category: str
) -> None:
    """Every difference listed in the checked facts is reported once, with a source."""
    found = _find(findings, key, field, category)
    assert found.source
    assert found.number >= 1


def test_nothing_is_reported_beyond_the_known_list_and_the_unverified_fields(
    findings: list[AuditFinding],
) -> None:
    """Any other finding is an 'unconfirmed' field the curators marked unverified; no noise."""
    base = kb.load()
    unverified = {
        (note.key, field, "unconfirmed")
        for ws in base.worksheets
        for note in ws.references
        for field in note.unverified
    }
    extra = {(f.key, f.field, f.category) for f in findings} - KNOWN - ALSO_FOUND
    assert extra <= unverified
    assert all(f.category in CATEGORIES for f in findings)
    assert not [f for f in findings if f.category == "unparsed"]


def test_metadata_corrections_name_their_source(findings: list[AuditFinding]) -> None:
    """Journal and author of #2 cite the verification note; the author is from one source only."""
    journal = _find(findings, "beeney2019", "journal", "metadata correction")
    assert journal.printed == "Personality Disorders—Theory and Treatment"
    assert journal.corrected == "Personality Disorders: Theory, Research, and Treatment"
    assert journal.source == "references.yaml (beeney2019: verification note)"
    assert "public record" in journal.note
    author = _find(findings, "beeney2019", "author 10", "metadata correction")
    assert (author.printed, author.corrected) == ("Gebreselassie, S. H.", "Gebresalassie, S. H.")
    assert "author manuscript" in author.note
    assert "one source" in author.note


def test_web_page_titles_and_doubtful_year(findings: list[AuditFinding]) -> None:
    """#5 and #9 carry the real page titles; #5's year is reported as doubtful (2004, 2012)."""
    fraley = _find(findings, "fraley2018", "title", "metadata correction")
    assert fraley.corrected == "A brief overview of adult attachment theory and research"
    assert "A Brief Overview of Adult Attachment Theory and Research" in fraley.note
    manson = _find(findings, "manson_nd", "title", "metadata correction")
    assert (manson.printed, manson.corrected) == (
        "Attachment styles and how they affect your relationships",
        "Attachment theory",
    )
    year = _find(findings, "fraley2018", "year", "unconfirmed")
    assert "2004" in year.note
    assert "2012" in year.note


def test_page_ranges_and_capitalisation(findings: list[AuditFinding]) -> None:
    """Hyphen ranges become en dashes, 235–44 becomes 235–244, subtitles get a capital."""
    davila = _find(findings, "davila1997", "pages", "style: dash")
    assert (davila.printed, davila.corrected) == ("826-838", "826–838")
    jones = _find(findings, "jones1983", "pages", "style: page range")
    assert (jones.printed, jones.corrected) == ("235–44", "235–244")
    zhang = _find(findings, "zhang2012", "title", "style: capitalisation")
    assert zhang.corrected.endswith("relationships: The role of attachment styles")
    assert zhang.source.startswith("APA 7")


def test_missing_doi_is_given_as_a_doi_url(findings: list[AuditFinding]) -> None:
    """A DOI missing from the print is reported as APA 7 writes it."""
    doi = _find(findings, "hazan1987", "doi", "style: missing DOI")
    assert doi.corrected == "https://doi.org/10.1037/0022-3514.52.3.511"


@pytest.mark.parametrize(
    ("text", "title", "year", "first", "doi"),
    [
        (
            "Hazan, C., & Shaver, P. (1987). Romantic love. J, 52(3), 511–524. "
            "https://doi.org/10.1037/x",
            "Romantic love",
            "1987",
            "Hazan, C.",
            "10.1037/x",
        ),
        ("Org Name. (2022, February 9). A page? https://example.org/", "A page?", "2022",
         "Org Name", None),
        ("Manson, M. (n.d.). Attachment theory.", "Attachment theory", None, "Manson, M.", None),
        ("Paquette, V. (2020). Why? Then more. Motivation and Emotion, 44(4), 621-639.",
         "Why? Then more", "2020", "Paquette, V.", None),
    ],
)  # fmt: skip
def test_parse_apa_reads_the_fields(
    text: str, title: str, year: str | None, first: str, doi: str | None
) -> None:
    """The reader splits authors, date, title, source and DOI of an APA-style string."""
    parsed = parse_apa(text)
    assert parsed is not None
    assert (parsed.title, parsed.year, parsed.authors[0], parsed.doi) == (title, year, first, doi)


def test_parse_apa_refuses_what_is_not_a_reference() -> None:
    """A string without "Author (date). Title." is not read as a reference."""
    assert parse_apa("just some words") is None


def test_unexplained_difference_says_there_is_no_verification_note(tmp_path: Path) -> None:
    """A printed string that differs with no curator's note is flagged for checking."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "references.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    note = next(r for r in doc["references"] if r["key"] == "hazan1987")
    note["printed"] = note["printed"].replace("Hazan, C.,", "Hazen, C.,")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = audit(kb.load(bib=inputs.bib, data=inputs.data))
    hit = _find(found, "hazan1987", "author 1", "metadata correction")
    assert (hit.printed, hit.corrected) == ("Hazen, C.", "Hazan, C.")
    assert hit.source == "references.bib (no verification note: check the record)"


def test_cli_audit_text_and_json(findings: list[AuditFinding]) -> None:
    """``kb audit`` exits 0 with a summary line; ``--format json`` lists the same findings."""
    text = run_kb("audit")
    assert text.returncode == 0, text.stderr
    assert f"kb audit: {len(findings)} finding(s)" in text.stdout
    assert "#2 beeney2019" in text.stdout
    data = json.loads(run_kb("audit", "--format", "json").stdout)
    assert data["references"] == 16
    assert data["findings"] == [f.as_dict() for f in findings]


def test_cli_audit_unreadable_input_is_exit_2(tmp_path: Path) -> None:
    """An audit whose input cannot be read fails with one line and exit 2."""
    inputs = copy_inputs(tmp_path)
    (inputs.ws / "references.yaml").write_bytes(b"\xff\xfe not utf-8")
    result = run_kb("--bib", inputs.bib, "--data", inputs.data, "audit")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert WORKSHEET in result.stderr


def test_audit_and_kb_new_read_the_seeds_printed_references_alike() -> None:
    """The audit and `kb new` read each of the seed's 16 printed references by the one grammar
    (kb.records.printed) into the same fields: `kb new` from the page text, the audit from the
    curated strings."""
    from kb.curate.body import read_page
    from kb.evidence.audit import ParsedReference
    from kb.records.printed import parse_printed
    from tests.curate.helpers import curated, page_text

    lines = read_page(page_text()).references
    by_new = [parse_printed(line, i) for i, line in enumerate(lines, 1)]
    notes = sorted(curated().references, key=lambda n: n.number)
    assert len(by_new) == len(notes) == 16
    for new, note in zip(by_new, notes, strict=True):
        by_audit = parse_apa(note.printed)
        assert by_audit is not None, note.key
        assert new.number == note.number
        assert by_audit == ParsedReference(
            authors=tuple(a.literal or f"{a.family}, {a.given}" for a in new.authors),
            year=None if new.year is None else str(new.year),
            date=new.date,
            title=new.title,
            journal=new.container,
            volume=new.volume,
            number=new.issue,
            pages=new.pages,
            publisher=new.site,
            doi=new.doi,
            url=new.url,
        ), note.key

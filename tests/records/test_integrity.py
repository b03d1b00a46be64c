"""Data-integrity rules over the real curated files and references.bib, record by record."""

from __future__ import annotations

import pytest

import kb
from kb.evidence.profile import gaps as find_gaps
from kb.paths import DATA_DIR
from kb.records.canonical import lint
from tests.helpers import seed_kb

BASE = seed_kb()
WS = BASE.worksheet()
CLAIMS = {c.id: c for c in WS.claims}
NOTES = {n.key: n for n in WS.references}


@pytest.mark.parametrize("claim", WS.claims, ids=lambda c: c.id)
def test_quote_is_verbatim_at_its_offsets(claim: kb.records.models.Claim) -> None:
    """Every claim's quote stands in the worksheet text exactly at its start/end offsets."""
    assert claim.start is not None
    assert claim.end is not None
    assert WS.text[claim.start : claim.end] == claim.quote


@pytest.mark.parametrize("link", WS.links, ids=lambda x: x.id)
def test_link_resolves(link: kb.records.models.EvidenceLink) -> None:
    """Every evidence link names a known claim and a reference in references.bib."""
    assert link.claim in CLAIMS
    assert link.reference in BASE.references
    assert link.reference in NOTES


@pytest.mark.parametrize("link", WS.links, ids=lambda x: x.id)
def test_link_is_a_judgement_with_provenance(link: kb.records.models.EvidenceLink) -> None:
    """Every link has a one-sentence rationale, a basis, a curator and a date."""
    assert link.rationale.strip().endswith(".")
    assert link.basis in kb.records.models.BASIS_ORDER
    assert link.curator
    assert link.date.year >= 2026


def test_claim_count_in_expected_range() -> None:
    """The worksheet yields 20-45 claims, each with a kind and a section."""
    assert 20 <= len(WS.claims) <= 45


def test_a_skill_without_support_is_shown_not_hidden() -> None:
    """A skill may have no supporting link (regression: load used to demand one, which pushed
    curators to inflate stances); such skills are gaps that `kb gaps` lists."""
    supported = {x.claim for x in WS.links if x.stance == "supports"}
    bare = [
        s.slug
        for s in WS.skills
        if not any(c.section == s.slug and c.id in supported for c in WS.claims)
    ]
    assert bare, "every skill has support now: keep this test only while some skill lacks it"
    gaps = {c["claim"] for c in find_gaps(BASE).unsupported_claims}
    for slug in bare:
        assert {c.id for c in WS.claims if c.section == slug} <= gaps


@pytest.mark.parametrize("note", WS.references, ids=lambda n: n.key)
def test_each_reference_is_linked_or_background_only(note: kb.records.models.ReferenceNote) -> None:
    """Every printed reference is in at least one link or says why it is background only."""
    linked = {x.reference for x in WS.links}
    assert note.key in linked or note.background_only


def test_sixteen_references_numbered_as_printed() -> None:
    """The bib holds the 16 references and the worksheet's list numbers them 1-16."""
    assert len(BASE.references) == 16
    assert sorted(n.number for n in WS.references) == list(range(1, 17))
    assert set(NOTES) == set(BASE.references)


def test_seven_skills_in_order() -> None:
    """The worksheet's seven skills are numbered 1-7 and their titles are its summary bullets."""
    assert [s.order for s in BASE.skills] == list(range(1, 8))
    for s in WS.skills:
        assert f"  • {s.bullet}" in WS.text


def test_curated_files_are_canonical() -> None:
    """The curated YAML files are machine-formatted (fix: `kb lint --fix`)."""
    for folder in [p for p in DATA_DIR.iterdir() if p.is_dir()]:
        assert lint(folder, fix=False) == [], "run `kb lint --fix`"


def test_text_excludes_site_navigation_and_loading_animation() -> None:
    """The anchoring text starts at the title and has no navigation or 'loading animation'."""
    assert WS.text.startswith("Creating Secure Attachment\n")
    assert "loading animation" not in WS.text
    assert "Filter by Topic" not in WS.text


# --- bibliographic facts from ../shared/facts/references.md ---------------------------------


def test_unverified_dois_are_not_stored() -> None:
    """Only verified DOIs are stored; Antonucci, Davila, Shi, Umemura and Zhang have none."""
    for key in ("antonucci2004", "davila1997", "shi2003", "umemura2018", "zhang2012"):
        assert BASE.references[key].doi is None, key
    assert BASE.references["hazan1987"].doi == "10.1037/0022-3514.52.3.511"


def test_public_record_facts_not_worksheet_misprints() -> None:
    """Beeney's journal and tenth author follow the public record, not the worksheet."""
    beeney = BASE.references["beeney2019"]
    assert beeney.journal == "Personality Disorders: Theory, Research, and Treatment"
    assert beeney.authors[9].family == "Gebresalassie"
    assert "Gebreselassie" in NOTES["beeney2019"].printed


def test_names_keep_diacritics_as_utf8() -> None:
    """Lønfeldt, Lacinová and Kotrčová are stored as UTF-8, not LaTeX escapes."""
    names = {a.family for r in BASE.references.values() for a in r.authors}
    assert {"Lønfeldt", "Lacinová", "Kotrčová"} <= names


def test_manson_is_undated_and_web_sources_have_urls() -> None:
    """Manson has no year (n.d.); every web source has its verified URL."""
    assert BASE.references["manson_nd"].year is None
    for key in ("columbia2022", "fraley2018", "ha2021", "manson_nd"):
        assert BASE.references[key].url, key


def test_full_page_ranges() -> None:
    """Page ranges are stored in full (Jones 235-244, not 235-44)."""
    assert BASE.references["jones1983"].page_range == ("235", "244")
    for ref in BASE.references.values():
        if ref.page_range:
            start, end = ref.page_range
            assert len(end) >= len(start), ref.key

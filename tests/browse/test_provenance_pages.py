"""Issue 24: a reference's page says what the source reports; provenance as columns and filters;
gaps and audit that read right, by claim number and "Author (year)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kb
from kb.browse import gaps as gaps_data
from kb.browse.labels import MAY_NOT_EXIST, claim_names, reference_names
from kb.browse.reference_page import reference_page
from kb.browse.references import basis_counts, filter_references, reference_rows
from kb.browse.worksheet import annotated_worksheet
from kb.evidence.finding_block import finding_block
from kb.evidence.profile import profiles
from tests.helpers import seed_kb


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The seed knowledge base."""
    return seed_kb()


def title_only_keys(base: kb.KnowledgeBase) -> list[str]:
    """The references whose known_from is title, as references.yaml records them."""
    return sorted(n.key for ws in base.worksheets for n in ws.references if n.known_from == "title")


# --- the finding block ----------------------------------------------------------------------


def test_a_finding_block_reads_the_same_from_a_record_and_a_store_row(
    base: kb.KnowledgeBase,
) -> None:
    """A finding gives the same block from its curated record and from the store's row."""
    ws = base.worksheets[0]
    claim = next(x.claim for x in ws.links if x.findings)
    rows = base.evidence_for_claim(ws.worksheet.id, claim)
    row_finding = next(f for r in rows for f in r.findings)
    record = next(f for ws in base.worksheets for f in ws.findings if f.id == row_finding.id)
    assert finding_block(record) == finding_block(row_finding)


def test_a_finding_block_names_part_extent_owner_site_and_date(base: kb.KnowledgeBase) -> None:
    """Each block says what was read, how much of the source that is, on whose page and when."""
    for ws in base.worksheets:
        for f in ws.findings:
            block = finding_block(f)
            assert block.extent_label in {"abstract", "excerpt", "full text"}, f.id
            assert block.site, f.id
            assert block.site in block.url, f.id
            assert block.read == f.read.isoformat(), f.id
            assert block.text.endswith(f.statement), f.id
            assert block.page_owner_label, f.id


# --- the reference page ---------------------------------------------------------------------


def test_reference_page_shows_every_finding_of_the_source(base: kb.KnowledgeBase) -> None:
    """Hazan & Shaver (1987) shows all five recorded findings, not one link at a time."""
    page = reference_page(base, "hazan1987")
    recorded = [f.id for ws in base.worksheets for f in ws.findings if f.reference == "hazan1987"]
    assert sorted(b.id for b in page.findings) == sorted(recorded)
    assert len(page.findings) == 5
    assert page.name.shown == "Hazan & Shaver (1987)"


def test_reference_page_appraisal_is_the_curated_one(base: kb.KnowledgeBase) -> None:
    """Design, peer review, level and risk of bias (with reasons) are references.yaml's."""
    note = next(n for ws in base.worksheets for n in ws.references if n.key == "hazan1987")
    page = reference_page(base, "hazan1987")
    assert page.design == note.design
    assert page.peer_review == note.peer_reviewed
    assert page.level == note.level
    assert note.risk_of_bias is not None
    assert page.risk_of_bias == note.risk_of_bias.rating
    assert page.risk_of_bias_reasons == note.risk_of_bias.reasons
    assert page.basis_label == "abstract"


def test_where_to_read_is_the_doi_and_the_pages_read_never_an_invented_copy(
    base: kb.KnowledgeBase,
) -> None:
    """Where to read it: the DOI, then each page a finding was read on; no open-access copy is
    made up where none is recorded."""
    page = reference_page(base, "hazan1987")
    kinds = [p.kind for p in page.where_to_read]
    assert kinds[0] == "doi"
    assert "open-access" not in kinds
    assert {p.url for p in page.where_to_read if p.kind == "read-on"} == {
        b.url for b in page.findings
    }
    assert page.open_access_note == "No open-access copy is recorded."


def test_reference_page_lists_claims_by_number_with_stance_and_basis(
    base: kb.KnowledgeBase,
) -> None:
    """Every linked claim is named "Claim N" as the Worksheet page numbers it, with its stance
    and what the link was judged from."""
    page = reference_page(base, "hazan1987")
    ws = base.worksheets[0]
    linked = [x for x in ws.links if x.reference == "hazan1987"]
    assert len(page.claims) == len(linked)
    numbered = annotated_worksheet(base, ws.worksheet.id).claims
    for claim in page.claims:
        n = [c.claim for c in numbered].index(claim.claim_id) + 1
        assert claim.number == f"Claim {n}"
        assert claim.judged_from.startswith("judged from ")
        assert claim.stance in {"supports", "qualifies", "contradicts", "background"}


def test_claims_are_named_by_the_worksheet_pages_numbers(synth3: Path) -> None:
    """Every claim of every worksheet of a library is named by the number the Worksheet page
    marks it with, from the store (the name `kb gaps` and every page use): after its
    worksheet's id where the names cover several worksheets ("creating-secure-attachment,
    Claim 4"), by number alone within one worksheet."""
    library = kb.load(bib=synth3 / "references.bib", data=[synth3 / "data"])
    names = claim_names(library)
    assert len(names) == sum(len(ws.claims) for ws in library.worksheets)
    for ws in library.worksheets:
        wid = ws.worksheet.id
        marked = [c.claim for c in annotated_worksheet(library, wid).claims]
        assert marked
        alone = claim_names(library, wid)
        for n, claim in enumerate(marked, start=1):
            assert names[wid, claim].shown == f"{wid}, Claim {n}", (wid, claim)
            assert alone[wid, claim].shown == names[wid, claim].local == f"Claim {n}"
        assert set(alone) == {k for k in names if k[0] == wid}


def test_an_unconfirmed_reference_warns_that_it_may_not_exist(base: kb.KnowledgeBase) -> None:
    """Zhang (2012), whose existence no source confirms, carries the warning on its page."""
    page = reference_page(base, "zhang2012")
    assert page.warning is not None
    assert "May not exist" in page.warning
    assert page.name.shown == f"Zhang (2012, {MAY_NOT_EXIST})"
    assert page.peer_review == "unknown"
    assert reference_page(base, "hazan1987").warning is None


def test_the_reference_page_is_one_answer(base: kb.KnowledgeBase) -> None:
    """One function answers a reference's page (no second walk for its authors, link, topics
    and printed entries): they come with the findings, as references.yaml records them."""
    from kb.browse import views

    assert not hasattr(views, "reference_detail")
    page = reference_page(base, "hazan1987")
    ref = base.references["hazan1987"]
    notes = [(ws.worksheet.id, n) for ws in base.worksheets for n in ws.references
             if n.key == "hazan1987"]  # fmt: skip
    labels = {t.id: t.label for ws in base.worksheets for t in ws.topics}
    assert page.authors == list(ref.authors)
    assert page.url == f"https://doi.org/{ref.doi}"
    assert page.printed == notes
    topics = dict.fromkeys(t for _, n in notes for t in n.topics)
    assert page.topics == [(t, labels[t]) for t in topics]
    assert page.topics


# --- provenance as columns and filters ------------------------------------------------------


def test_reference_rows_carry_provenance_columns(base: kb.KnowledgeBase) -> None:
    """Each row says what it was judged from, its design, level, peer review and link stances."""
    rows = {r.key: r for r in reference_rows(base, None)}
    record = rows["zhang2012"].record()
    assert record["judged from"] == "title only"
    assert record["level"] == 4
    assert record["stances"] == "background"
    assert record["title"].endswith(f"({MAY_NOT_EXIST})")


def test_title_only_is_one_filter_with_its_count(base: kb.KnowledgeBase) -> None:
    """ "judged from title only (6)" is one choice, and that filter keeps exactly those six."""
    rows = reference_rows(base, None)
    choice = next(c for c in basis_counts(rows) if c.basis == "title")
    assert choice.label == "judged from title only (6)"
    kept = filter_references(rows, bases=[choice.basis])
    assert sorted(r.key for r in kept) == title_only_keys(base)


@pytest.mark.parametrize(
    ("filters", "rule"),
    [
        ({"stances": ["supports"]}, lambda r: "supports" in r.stances),
        ({"levels": [6]}, lambda r: r.level == 6),
        ({"designs": ["review"]}, lambda r: r.design == "review"),
    ],
    ids=["stance", "level", "design"],
)
def test_provenance_filters_keep_the_rows_they_name(
    base: kb.KnowledgeBase, filters: dict[str, list[object]], rule: object
) -> None:
    """Each provenance filter keeps exactly the rows whose column holds the value chosen."""
    rows = reference_rows(base, None)
    kept = filter_references(rows, **filters)  # type: ignore[arg-type]
    assert kept
    assert kept == [r for r in rows if rule(r)]  # type: ignore[operator]


# --- gaps and audit -------------------------------------------------------------------------


def test_title_only_sources_are_the_six_with_their_claims(base: kb.KnowledgeBase) -> None:
    """The gaps data lists every source judged from its title only, even those linked to no
    skill (Davila, Umemura), each with its links by claim number."""
    found = gaps_data.title_only_sources(base)
    assert sorted(t.key for t in found) == title_only_keys(base)
    for t in found:
        assert t.links, t.key
        assert all(re.fullmatch(r"Claim \d+", x.shown) for x in t.links), t.key
    zhang = next(t for t in found if t.key == "zhang2012")
    assert zhang.name.endswith(f", {MAY_NOT_EXIST})")


def test_gaps_headings_count_their_own_rows(base: kb.KnowledgeBase) -> None:
    """Every heading's number is the length of the list under it."""
    page = gaps_data.gaps_and_audit(base)
    for name, heading in page.headings.items():
        assert heading.endswith(f"({len(getattr(page, name))})"), name


def test_very_low_skills_are_exactly_those_whose_advice_is_very_low(
    base: kb.KnowledgeBase,
) -> None:
    """ "Skills whose advice is rated very low" lists each skill whose shown advice rating is
    very low, and no other."""
    page = gaps_data.gaps_and_audit(base)
    assert all(s.rating == "very low" for s in page.very_low_skills)
    expected = {p.slug for p in profiles(base) if p.advice and p.advice.rating == "very low"}
    assert {s.slug for s in page.very_low_skills} == expected
    assert "advice" in page.headings["very_low_skills"]


def test_gaps_name_claims_and_references_as_people_do(base: kb.KnowledgeBase) -> None:
    """Gaps rows name claims "Claim N" and references "Author (year)"; ids are extra fields."""
    page = gaps_data.gaps_and_audit(base)
    keys = set(base.references)
    for row in page.unsupported + page.grey_only:
        assert re.fullmatch(r"Claim \d+", row.claim), row.claim_id
        for link in row.links:
            assert link.shown not in keys
            assert re.search(r"\(\d{4}|\(n\.d\.\)", link.shown), link.shown
    for row in page.unused_references:
        assert row.reference not in keys


def test_an_unconfirmed_reference_is_flagged_wherever_listed(base: kb.KnowledgeBase) -> None:
    """Zhang (2012) says "may not exist" in every gaps and audit list that names it, and heads
    the list of references that may not exist (not a collapsed "nothing differs" table)."""
    page = gaps_data.gaps_and_audit(base)
    assert [t.key for t in page.may_not_exist] == ["zhang2012"]
    shown = [x.shown for r in page.unsupported for x in r.links if x.key == "zhang2012"]
    shown += [r.reference for r in page.unconfirmed_fields if r.key == "zhang2012"]
    shown += [r.reference for r in page.unused_references if r.key == "zhang2012"]
    assert shown
    assert all(s.endswith(f", {MAY_NOT_EXIST})") for s in shown)
    assert reference_names(base)["zhang2012"].unconfirmed


def test_a_replaced_title_is_kept_whole_with_a_word_diff(base: kb.KnowledgeBase) -> None:
    """A replaced title keeps the printed and corrected titles whole, old above new, and its
    diff is by words, never letters."""
    page = gaps_data.gaps_and_audit(base)
    titles = [r for r in page.corrections if r.field == "title"]
    assert {r.key for r in titles} >= {"fraley2018", "manson_nd"}
    for row in titles:
        assert row.stacked
        removed = "".join(t for op, t in row.words if op != "added")
        added = "".join(t for op, t in row.words if op != "removed")
        assert removed == row.printed
        assert added == row.corrected
        at = {"removed": 0, "added": 0}  # where each piece starts in its own string
        for op, text in row.words:
            for side, whole in (("removed", row.printed), ("added", row.corrected)):
                if op in ("same", side):
                    start = at[side]
                    assert start == 0 or whole[start - 1].isspace(), (row.key, text)  # a word
                    at[side] += len(text)


@pytest.mark.parametrize(
    ("old", "new", "pieces"),
    [
        ("Attachment styles and how", "Attachment theory", [
            ("same", "Attachment "), ("removed", "styles and how"), ("added", "theory")]),
        ("a b", "a b", [("same", "a b")]),
    ],
    ids=["replaced", "same"],
)  # fmt: skip
def test_word_diff_marks_whole_words(old: str, new: str, pieces: list[tuple[str, str]]) -> None:
    """The diff's pieces are whole words with their spaces."""
    assert gaps_data.word_diff(old, new) == pieces


def test_claim_names_number_every_claim_as_the_worksheet_marks_it(base: kb.KnowledgeBase) -> None:
    """Each anchored claim is "Claim N", N its mark's number on the annotated worksheet."""
    ws = base.worksheets[0].worksheet.id
    names = claim_names(base, ws)
    for i, c in enumerate(annotated_worksheet(base, ws).claims, start=1):
        assert names[ws, c.claim].shown == f"Claim {i}"

"""The page data behind the Worksheet, Gaps & Audit and Export pages (kb.browse.worksheet,
kb.browse.citations, kb.browse.skills figures), checked against the CLI's own computations."""

from __future__ import annotations

import re

import pytest

import kb
from kb.browse import citations, worksheet
from kb.browse.skills import figures_by_skill
from kb.browse.views import reference_keys_in
from kb.evidence.audit import audit
from kb.evidence.profile import gaps, profiles, reference_info
from kb.evidence.support import STATUSES
from kb.export.apa import cite_in_text
from tests.helpers import raw_ids, seed_kb


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    """The seed knowledge base."""
    return seed_kb()


def ws_id(base: kb.KnowledgeBase) -> str:
    """The seed's one worksheet."""
    return base.worksheets[0].worksheet.id


def test_annotated_worksheet_counts_are_kb_gaps(base: kb.KnowledgeBase) -> None:
    """Every claim is marked once; the unsupported and grey-only counts are `kb gaps`'s."""
    page = worksheet.annotated_worksheet(base, ws_id(base))
    found = gaps(base)
    assert len(page.claims) == len(base.worksheets[0].claims)
    assert page.counts["background-only"] + page.counts["none"] == len(found.unsupported_claims)
    assert page.counts["grey-only"] == len(found.grey_only_claims)
    assert sum(page.counts.values()) == len(page.claims)
    assert set(page.counts) == set(STATUSES)
    marks = re.findall(r'<a class="kb-c kb-s-([a-z-]+)"', page.html)
    assert marks == [c.status for c in page.claims]


def test_annotated_text_is_the_worksheet_text(base: kb.KnowledgeBase) -> None:
    """Stripped of its marks, the HTML holds every word of the worksheet, in order."""
    page = worksheet.annotated_worksheet(base, ws_id(base), open_claim="stress-worsens-attachment")
    text = re.sub(r"<sup>\d+</sup>", "", page.html.split("</style>", 1)[1])
    text = re.sub(r"</p>|<br>|</h[1-6]>", " ", text)  # the worksheet's headings are headings
    text = re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").replace("&quot;", '"')
    text = text.replace("&amp;", "&")
    assert text.split() == base.worksheets[0].text.split()
    assert page.html.split("</style>", 1)[1].count("kb-open") == 1  # the CSS names it too


def test_claim_evidence_equals_the_skill_query(base: kb.KnowledgeBase) -> None:
    """For every claim of every skill, the claim-bound query's rows equal the skill query's
    (so intro and summary claims are shown the same way as the skills')."""
    for skill in base.skills:
        rows = base.evidence_for(skill)
        for claim in {r.claim_id for r in rows}:
            want = sorted((r for r in rows if r.claim_id == claim and r.key), key=lambda r: r.key)
            assert worksheet.claim_evidence(base, skill.worksheet, claim) == want, claim


def test_claim_evidence_of_every_claim_follows_its_link_records(base: kb.KnowledgeBase) -> None:
    """Every claim, introduction and summary included: one row per link record on it, with the
    link's reference, stance and rationale and the findings it rests on, in key order."""
    for sheet in base.worksheets:
        for claim in sheet.claims:
            on = [x for x in sheet.links if x.claim == claim.id]
            links = sorted(on, key=lambda x: x.reference)
            rows = worksheet.claim_evidence(base, sheet.worksheet.id, claim.id)
            got = [(r.key, r.stance, r.rationale, tuple(f.id for f in r.findings)) for r in rows]
            want = [(x.reference, x.stance, x.rationale, tuple(sorted(x.findings))) for x in links]
            assert got == want, claim.id


def test_claim_evidence_of_an_unknown_claim(base: kb.KnowledgeBase) -> None:
    """An unknown claim is a KbError naming it."""
    with pytest.raises(kb.KbError, match="no-such-claim"):
        worksheet.claim_evidence(base, ws_id(base), "no-such-claim")


def test_audit_rows_keep_every_finding_once(base: kb.KnowledgeBase) -> None:
    """The Gaps & Audit page's corrections, style points and unconfirmed rows partition
    `kb audit`'s findings, in printed order."""
    from kb.browse.gaps import gaps_and_audit

    page = gaps_and_audit(base)
    every = audit(base)
    groups = (page.corrections, page.style, page.unconfirmed_fields)
    assert sorted((r.number, r.key, r.field) for g in groups for r in g) == sorted(
        (f.number, f.key, f.field) for f in every
    )
    assert sum(map(len, groups)) == len(every)
    assert all(r.category == "metadata correction" for r in page.corrections)
    assert all(r.category.startswith("style") for r in page.style)
    assert all(r.category == "unconfirmed" for r in page.unconfirmed_fields)


def test_the_gaps_page_has_one_implementation() -> None:
    """The Gaps & Audit page's data is ``kb.browse.gaps`` alone: the Worksheet page's module
    keeps no second (dead) copy."""
    for name in ("gaps_page", "GapsPage", "audit_groups", "AuditGroups"):
        assert not hasattr(worksheet, name), name


def test_differences_are_marked_word_by_word_in_one_place() -> None:
    """An audit difference is marked word by word (``kb.browse.gaps.word_diff``, what the Gaps
    & Audit page shows), never letter by letter: no second, character-level diff remains."""
    from kb.browse import gaps

    assert not hasattr(worksheet, "diff_html")
    assert gaps.word_diff("Adult attachment style", "Adult attachment styles") == [
        ("same", "Adult attachment "),
        ("removed", "style"),
        ("added", "styles"),
    ]


def test_figures_count_supporting_apart_from_linked(base: kb.KnowledgeBase) -> None:
    """Supporting references are a subset of the linked ones, peer-reviewed ones of those."""
    info = reference_info(base)
    figures = figures_by_skill(base)
    for p in profiles(base):
        n = figures[p.worksheet, p.slug]
        assert n.linked == len(set(p.references))
        assert n.supporting == len(set(p.supporting_references)) <= n.linked
        peer = [k for k in set(p.supporting_references) if info[k].peer_reviewed]
        assert n.supporting_peer_reviewed == len(peer)
    first = figures[ws_id(base), "learn-your-attachment-style"]
    assert first.peer_share_text == "0%"  # grey literature only, as its summary says


def test_citations_are_kb_cites(base: kb.KnowledgeBase) -> None:
    """The in-text citations are `kb cite`'s, with year suffixes from the whole list."""
    refs = [base.references["hazan1987"], base.references["sbarra2008"]]
    got = citations.citations(base, refs)
    context = list(base.references.values())
    assert got.parenthetical == cite_in_text(refs, context=context)
    assert got.narrative == cite_in_text(refs, narrative=True, context=context)
    assert len(got.entries) == 2
    assert got.entries[0].startswith("Hazan, C., & Shaver, P. (1987).")


def test_a_selection_says_what_it_leaves_out(base: kb.KnowledgeBase) -> None:
    """Every skill chosen selects 14 of 16: the two left out are linked to no skill's claim."""
    scope = sorted(reference_keys_in(base, None))
    skills = [s.slug for s in base.skills]
    out = citations.excluded_from_selection(base, scope, skills=skills)
    kept = kb.export.select_references(base, skills=skills)
    assert len(out) + len(kept) == len(scope) == 16
    assert {e.key for e in out} == set(scope) - {r.key for r in kept}
    assert all(e.reasons == ["linked to no claim of the chosen skills"] for e in out)
    assert citations.excluded_from_selection(base, scope) == []


def test_printable_html_names_references_and_claims(base: kb.KnowledgeBase) -> None:
    """The Worksheet page's printable download names each claim by its number ("Claim 1") and
    each reference as "Author (year)", escaped, never by bib key."""
    page = worksheet.annotated_worksheet(base, ws_id(base))
    html = worksheet.printable_html(page)
    assert raw_ids(base, html) & set(base.references) == set()
    listed = html[html.index("<h2>Claims, in order</h2>") :]
    assert [int(n) for n in re.findall(r"<strong>Claim (\d+)</strong>", listed)] == list(
        range(1, len(page.claims) + 1)
    )
    assert "Hazan &amp; Shaver (1987) (" in listed
    assert "Zhang (2012, may not exist) (background)" in listed
    assert "Hazan & Shaver" not in html  # escaped

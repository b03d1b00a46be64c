"""A reference's page as plain data: what the source reports, and how we know.

For one reference key: every recorded finding (one ``FindingBlock`` each), its appraisal (design,
peer review, level, risk of bias with its reasons), how much of it anyone here has read, where to
read it (its DOI or URL, the pages its findings were read on; an open-access copy only where one
is recorded, never guessed), the warning that it may not exist when its existence is
unconfirmed, every claim linked to it by number ("Claim 12") with stance, directness and what
the link was judged from, its authors and topics, and how each worksheet printed it. The
dashboard's reference page shows this and nothing else: one walk over the worksheets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.browse.labels import ReferenceName, claim_names, reference_names
from kb.browse.scope import _notes, topic_labels, worksheets_in
from kb.browse.text import safe_url
from kb.core.knowledge_base import KnowledgeBase
from kb.evidence.finding_block import FindingBlock, finding_block, finding_blocks
from kb.evidence.wording import judged_from, review_words
from kb.iri import doi_url
from kb.records.models import Author, ReferenceNote
from kb.records.vocab import (
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    PAGE_OWNER_LABELS,
    PEER_REVIEW_LABELS,
    RISK_OF_BIAS_LABELS,
)

__all__ = [
    "BASIS_LABELS",
    "LinkedClaim",
    "ReadingPlace",
    "ReferencePage",
    "reference_page",
]

# How much of a reference was read, as a column and a filter show it (the basis vocabulary).
BASIS_LABELS = {
    "title": "title only",
    "abstract": "abstract",
    "excerpt": "excerpt",
    "full-text": "full text",
}
NO_OPEN_ACCESS = "No open-access copy is recorded."


@dataclass(frozen=True)
class ReadingPlace:
    """Somewhere to read the work: ``kind`` is ``doi``, ``url`` (the work's own address),
    ``read-on`` (a page a finding was read on) or ``open-access`` (a recorded free copy)."""

    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class LinkedClaim:
    """A claim the reference is linked to, as people name it (``number``: "Claim 12"; ``place``:
    its skill, or "Introduction" / "Summary"), with the curators' judgement."""

    worksheet: str
    claim_id: str
    number: str
    quote: str
    section: str
    skill: str | None
    place: str
    stance: str
    directness: str
    basis: str
    basis_label: str
    judged_from: str
    rationale: str
    review: str
    findings: list[FindingBlock] = field(default_factory=list)


@dataclass(frozen=True)
class ReferencePage:
    """Everything a reference's page shows about what the source reports and how we know it:
    ``url`` opens the work (its DOI, else its URL), ``topics`` are (id, label), ``printed`` is
    each worksheet's printed entry (worksheet id, note)."""

    key: str
    name: ReferenceName
    title: str
    warning: str | None
    design: str | None
    design_label: str
    peer_review: str
    peer_review_label: str
    level: int | None
    level_label: str
    risk_of_bias: str | None
    risk_of_bias_label: str
    risk_of_bias_reasons: list[str]
    basis: str | None
    basis_label: str
    findings: list[FindingBlock]
    where_to_read: list[ReadingPlace]
    open_access_note: str | None
    claims: list[LinkedClaim]
    authors: list[Author]
    url: str | None
    topics: list[tuple[str, str]]
    printed: list[tuple[str, ReferenceNote]]
    design_rationale: str | None = None
    search_note: str | None = None


def reference_page(base: KnowledgeBase, key: str, ws: str | None = None) -> ReferencePage:
    """The page of reference ``key`` (resolved as ``base.reference`` does; unknown: KbError),
    its findings and links taken from the worksheets in scope."""
    ref = base.reference(key)
    key = ref.key
    name = reference_names(base)[key]
    printed = _notes(base, ws).get(key, [])
    note = printed[0][1] if printed else None
    sheets = worksheets_in(base, ws)
    findings = sorted(
        (f for sheet in sheets for f in sheet.findings if f.reference == key), key=lambda f: f.id
    )
    blocks = finding_blocks(findings)
    numbers = claim_names(base, ws)
    skills = {(s.worksheet, s.slug): s for s in base.skills}
    reviews = {(sheet.worksheet.id, r.link): r for sheet in sheets for r in sheet.reviews}
    claims = []
    for sheet in sheets:
        wid = sheet.worksheet.id
        by_id = {c.id: c for c in sheet.claims}
        found = {f.id: f for f in sheet.findings}
        for link in sheet.links:
            if link.reference != key or link.claim not in by_id:
                continue
            claim = by_id[link.claim]
            skill = skills.get((wid, claim.section))
            review = reviews.get((wid, link.id))
            rests_on = [found[f] for f in link.findings if f in found]
            claims.append(
                LinkedClaim(
                    worksheet=wid,
                    claim_id=claim.id,
                    number=numbers[wid, claim.id].shown,
                    quote=claim.quote,
                    section=claim.section,
                    skill=f"Skill {skill.order}. {skill.title}" if skill else None,
                    place=f"Skill {skill.order}. {skill.title}"
                    if skill
                    else claim.section.capitalize(),
                    stance=link.stance,
                    directness=link.directness,
                    basis=link.basis,
                    basis_label=BASIS_LABELS.get(link.basis, link.basis),
                    judged_from=judged_from(link.basis, rests_on),
                    rationale=link.rationale,
                    review=review_words(None if review is None else review.status),
                    findings=[finding_block(f) for f in rests_on],
                )
            )
    claims.sort(key=lambda c: (c.worksheet, numbers[c.worksheet, c.claim_id].number or 0))
    peer = (note.peer_reviewed if note else None) or "unknown"
    bias = note.risk_of_bias if note else None
    design = note.design if note else None
    level = note.level if note else None
    basis = note.known_from if note else None
    labels = topic_labels(base)
    topic_ids = dict.fromkeys(t for _, n in printed for t in n.topics)
    return ReferencePage(
        key=key,
        name=name,
        title=ref.title,
        warning=name.warning,
        design=design,
        design_label=DESIGN_LABELS.get(design or "", "design not recorded"),
        peer_review=peer,
        peer_review_label=PEER_REVIEW_LABELS[peer],
        level=level,
        level_label=f"Level {level}: {EVIDENCE_LEVELS[level]}" if level else "no level",
        risk_of_bias=bias.rating if bias else None,
        risk_of_bias_label=RISK_OF_BIAS_LABELS[bias.rating] if bias else "risk of bias not judged",
        risk_of_bias_reasons=list(bias.reasons) if bias else [],
        basis=basis,
        basis_label=BASIS_LABELS.get(basis or "", "not recorded"),
        findings=blocks,
        where_to_read=_where_to_read(ref.doi, ref.url, blocks),
        open_access_note=NO_OPEN_ACCESS,
        claims=claims,
        authors=list(ref.authors),
        url=safe_url(doi_url(ref.doi) if ref.doi else ref.url),
        topics=[(t, labels.get(t, t)) for t in topic_ids],
        printed=printed,
        design_rationale=note.design_rationale if note else None,
        search_note=note.search_note if note else None,
    )


def _where_to_read(
    doi: str | None, url: str | None, blocks: list[FindingBlock]
) -> list[ReadingPlace]:
    """The DOI link, the work's own URL, then each page a finding was read on (once each)."""
    places: list[ReadingPlace] = []
    if doi and (link := safe_url(doi_url(doi))):
        places.append(ReadingPlace("doi", f"DOI {doi}", link))
    if url and (link := safe_url(url)):
        places.append(ReadingPlace("url", "the work's own page", link))
    seen = {p.url for p in places}
    for block in blocks:
        link = safe_url(block.url)
        if link is None or link in seen:
            continue
        seen.add(link)
        owner = PAGE_OWNER_LABELS.get(block.page_owner, block.page_owner)
        places.append(
            ReadingPlace("read-on", f"{block.extent_label} read on {owner} ({block.site})", link)
        )
    return places

"""The References page: rows, filters, search, one reference's details, pages of rows."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kb.browse.scope import (
    _notes,
    reference_keys_in,
    topic_labels,
    worksheets_in,
)
from kb.browse.text import safe_url
from kb.core.knowledge_base import KnowledgeBase, SkillRef
from kb.records import names
from kb.records.models import DESIGN_LABELS, Author, Reference, ReferenceNote

PAGE_SIZE = 25

__all__ = [
    "PAGE_SIZE",
    "PEER_REVIEW",
    "ClaimLink",
    "ReferenceDetail",
    "ReferenceRow",
    "filter_references",
    "paginate",
    "reference_detail",
    "reference_rows",
    "short_authors",
]

# ---------------------------------------------------------------------------------------------
# References: the table, its filters, the search, one reference's page.

PEER_REVIEW = {True: "peer-reviewed", False: "not peer-reviewed", None: "unknown"}


@dataclass(frozen=True)
class ReferenceRow:
    """One line of the references table."""

    key: str
    number: int | None
    authors: str
    year: int | None
    title: str
    type: str
    venue: str
    peer_review: str
    design: str
    topic_ids: tuple[str, ...]
    topics: tuple[str, ...]
    claims: int
    skills: int
    link: str | None = None

    def record(self) -> dict[str, Any]:
        """The row as shown (topic ids left out): an undated source's year is "n.d." as APA
        writes it, a design in words, the DOI (or URL) as a link."""
        return {
            "key": self.key,
            "no.": self.number,
            "authors": self.authors,
            "year": str(self.year) if self.year else "n.d.",
            "title": self.title,
            "type": self.type,
            "venue": self.venue,
            "peer review": self.peer_review,
            "design": DESIGN_LABELS.get(self.design, self.design),
            "link": self.link,
            "topics": list(self.topics),
            "claims": self.claims,
            "skills": self.skills,
        }


def short_authors(authors: Sequence[Author]) -> str:
    """``Hazan & Shaver``, ``Beeney et al.`` or an organisation's name (kb.records.names)."""
    return names.short_authors([a.literal or a.family or "" for a in authors])


def reference_rows(base: KnowledgeBase, ws: str | None) -> list[ReferenceRow]:
    """The references in scope with what the table and its filters need."""
    notes = _notes(base, ws)
    labels = topic_labels(base)
    claims: dict[str, set[str]] = {}
    skills: dict[str, set[str]] = {}
    for sheet in worksheets_in(base, ws):
        section = {c.id: c.section for c in sheet.claims}
        slugs = {s.slug for s in sheet.skills}
        for link in sheet.links:
            claims.setdefault(link.reference, set()).add(f"{sheet.worksheet.id}/{link.claim}")
            if section.get(link.claim) in slugs:
                skill = f"{sheet.worksheet.id}/{section[link.claim]}"
                skills.setdefault(link.reference, set()).add(skill)
    rows = []
    for key in reference_keys_in(base, ws):
        ref = base.references.get(key)
        if ref is None or key not in notes:  # linked, not printed: no printed entry to show
            continue
        first = notes[key][0][1]
        topic_ids = tuple(dict.fromkeys(t for _, n in notes[key] for t in n.topics))
        rows.append(
            ReferenceRow(
                key=key,
                number=first.number if len(worksheets_in(base, ws)) == 1 else None,
                authors=short_authors(ref.authors),
                year=ref.year,
                title=ref.title,
                type=ref.kind,
                venue=ref.journal or ref.publisher or "",
                peer_review=PEER_REVIEW[first.peer_reviewed],
                design=first.design or "",
                topic_ids=topic_ids,
                topics=tuple(labels.get(t, t) for t in topic_ids),
                claims=len(claims.get(key, ())),
                skills=len(skills.get(key, ())),
                link=safe_url(f"https://doi.org/{ref.doi}" if ref.doi else ref.url),
            )
        )
    return rows


def filter_references(
    rows: Iterable[ReferenceRow],
    *,
    keys: Collection[str] | None = None,
    types: Collection[str] = (),
    years: tuple[int, int] | None = None,
    topics: Collection[str] = (),
    peer_review: Collection[str] = (),
) -> list[ReferenceRow]:
    """Rows kept by every filter given (an empty filter keeps everything)."""
    kept = []
    for row in rows:
        if keys is not None and row.key not in keys:
            continue
        if types and row.type not in types:
            continue
        if years and (row.year is None or not years[0] <= row.year <= years[1]):
            continue
        if topics and not set(topics) & set(row.topic_ids):
            continue
        if peer_review and row.peer_review not in peer_review:
            continue
        kept.append(row)
    return kept


@dataclass(frozen=True)
class ClaimLink:
    """A claim that cites a reference, with the curator's judgement."""

    worksheet: str
    claim_id: str
    quote: str
    section: str
    skill: SkillRef | None
    stance: str
    directness: str
    basis: str
    rationale: str
    curator: str
    date: str


@dataclass(frozen=True)
class ReferenceDetail:
    """Everything one reference's page shows."""

    reference: Reference
    notes: list[tuple[str, ReferenceNote]]
    claims: list[ClaimLink]
    topics: list[tuple[str, str]]

    @property
    def url(self) -> str | None:
        """A safe link to the work: its DOI, else its URL."""
        ref = self.reference
        return safe_url(f"https://doi.org/{ref.doi}" if ref.doi else ref.url)


def reference_detail(base: KnowledgeBase, key: str, ws: str | None) -> ReferenceDetail:
    """One reference, the claims in scope that cite it, its topics and the curators' notes."""
    ref = base.reference(key)
    notes = _notes(base, ws).get(key, [])
    by_slug = {(s.worksheet, s.slug): s for s in base.skills}
    claims = []
    for sheet in worksheets_in(base, ws):
        wid = sheet.worksheet.id
        by_id = {c.id: c for c in sheet.claims}
        for link in sheet.links:
            if link.reference != key or link.claim not in by_id:
                continue
            claim = by_id[link.claim]
            claims.append(
                ClaimLink(
                    worksheet=wid,
                    claim_id=claim.id,
                    quote=claim.quote,
                    section=claim.section,
                    skill=by_slug.get((wid, claim.section)),
                    stance=link.stance,
                    directness=link.directness,
                    basis=link.basis,
                    rationale=link.rationale,
                    curator=link.curator,
                    date=link.date.isoformat(),
                )
            )
    labels = topic_labels(base)
    topic_ids = dict.fromkeys(t for _, n in notes for t in n.topics)
    return ReferenceDetail(
        reference=ref,
        notes=notes,
        claims=sorted(claims, key=lambda c: (c.worksheet, c.skill.order if c.skill else 0)),
        topics=[(t, labels.get(t, t)) for t in topic_ids],
    )


def paginate(rows: Sequence[Any], page: int, size: int = PAGE_SIZE) -> tuple[list[Any], int]:
    """The rows of one page (1-based, clamped) and the number of pages (at least 1)."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * size : page * size]), pages

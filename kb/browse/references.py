"""The References page: rows, filters, search, pages of rows (one reference's page is
kb.browse.reference_page)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from kb.browse.labels import MAY_NOT_EXIST
from kb.browse.reference_page import BASIS_LABELS
from kb.browse.scope import (
    _notes,
    reference_keys_in,
    topic_labels,
    worksheets_in,
)
from kb.browse.text import safe_url
from kb.core.knowledge_base import KnowledgeBase
from kb.iri import doi_url
from kb.records import names
from kb.records.models import (
    BASIS_ORDER,
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    Author,
    Stance,
)

PAGE_SIZE = 25
STANCES: tuple[str, ...] = get_args(Stance)

__all__ = [
    "PAGE_SIZE",
    "PEER_REVIEW",
    "BasisChoice",
    "ReferenceRow",
    "basis_counts",
    "filter_references",
    "paginate",
    "provenance_options",
    "reference_rows",
    "short_authors",
]

# ---------------------------------------------------------------------------------------------
# References: the table, its filters, the search.

PEER_REVIEW = {"yes": "peer-reviewed", "no": "not peer-reviewed", "unknown": "unknown"}


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
    unconfirmed: bool = False
    basis: str = ""
    level: int | None = None
    stances: tuple[str, ...] = ()

    @property
    def basis_label(self) -> str:
        """How much of it anyone here has read: ``title only``, ``abstract``, ``excerpt``,
        ``full text`` (its ``known_from``)."""
        return BASIS_LABELS.get(self.basis, self.basis or "not recorded")

    def record(self) -> dict[str, Any]:
        """The row as shown (topic ids left out): an undated source's year is "n.d." as APA
        writes it, a design in words, the DOI (or URL) as a link, what it was judged from, its
        level and the stances of its links; one that may not exist says so in its title."""
        warning = f" ({MAY_NOT_EXIST})" if self.unconfirmed else ""
        return {
            "key": self.key,
            "no.": self.number,
            "authors": self.authors,
            "year": str(self.year) if self.year else "n.d.",
            "title": f"{self.title}{warning}",
            "type": self.type,
            "venue": self.venue,
            "judged from": self.basis_label,
            "design": DESIGN_LABELS.get(self.design, self.design),
            "level": self.level,
            "peer review": self.peer_review,
            "stances": ", ".join(self.stances),
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
    stances: dict[str, set[str]] = {}
    for sheet in worksheets_in(base, ws):
        section = {c.id: c.section for c in sheet.claims}
        slugs = {s.slug for s in sheet.skills}
        for link in sheet.links:
            claims.setdefault(link.reference, set()).add(f"{sheet.worksheet.id}/{link.claim}")
            stances.setdefault(link.reference, set()).add(link.stance)
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
                unconfirmed=first.unconfirmed,
                type=ref.kind,
                venue=ref.journal or ref.publisher or "",
                peer_review=PEER_REVIEW[first.peer_reviewed or "unknown"],
                design=first.design or "",
                topic_ids=topic_ids,
                topics=tuple(labels.get(t, t) for t in topic_ids),
                claims=len(claims.get(key, ())),
                skills=len(skills.get(key, ())),
                link=safe_url(doi_url(ref.doi) if ref.doi else ref.url),
                basis=first.known_from or "",
                level=first.level,
                stances=tuple(x for x in STANCES if x in stances.get(key, ())),
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
    bases: Collection[str] = (),
    designs: Collection[str] = (),
    levels: Collection[int] = (),
    stances: Collection[str] = (),
) -> list[ReferenceRow]:
    """Rows kept by every filter given (an empty filter keeps everything): ``bases`` are
    ``known_from`` values (``title`` keeps those judged from their title only), ``designs``
    design ids, ``levels`` evidence levels, ``stances`` keeps a row with a link of any of them."""
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
        if bases and row.basis not in bases:
            continue
        if designs and row.design not in designs:
            continue
        if levels and row.level not in levels:
            continue
        if stances and not set(stances) & set(row.stances):
            continue
        kept.append(row)
    return kept


@dataclass(frozen=True)
class BasisChoice:
    """One value of the "judged from" filter with how many rows have it: a one-click filter
    (``label``: ``judged from title only (6)``)."""

    basis: str
    words: str
    count: int

    @property
    def label(self) -> str:
        """The button's words: ``judged from title only (6)``."""
        return f"judged from {self.words} ({self.count})"


def basis_counts(rows: Iterable[ReferenceRow]) -> list[BasisChoice]:
    """Each basis value, from least read to most, with how many rows have it (zero included,
    so the buttons keep their places); the filter is ``filter_references(rows, bases=[basis])``."""
    found = Counter(row.basis for row in rows)
    return [BasisChoice(b, BASIS_LABELS[b], found.get(b, 0)) for b in BASIS_ORDER]


def provenance_options(rows: Iterable[ReferenceRow]) -> dict[str, list[tuple[Any, str]]]:
    """The choices of the provenance filters present in ``rows``, as (value, words): ``design``,
    ``level``, ``stance`` and ``basis``, each in its vocabulary's order."""
    rows = list(rows)
    designs = {r.design for r in rows if r.design}
    levels = {r.level for r in rows if r.level is not None}
    seen = {s for r in rows for s in r.stances}
    return {
        "basis": [(b, BASIS_LABELS[b]) for b in BASIS_ORDER if any(r.basis == b for r in rows)],
        "design": [(d, DESIGN_LABELS[d]) for d in DESIGN_LABELS if d in designs],
        "level": [(n, f"level {n}: {EVIDENCE_LEVELS[n]}") for n in sorted(levels)],
        "stance": [(s, s) for s in STANCES if s in seen],
    }


def paginate(rows: Sequence[Any], page: int, size: int = PAGE_SIZE) -> tuple[list[Any], int]:
    """The rows of one page (1-based, clamped) and the number of pages (at least 1)."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * size : page * size]), pages

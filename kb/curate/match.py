"""Printed references -> entries of ``references.bib``: linked, or drafted and marked unverified.

A printed reference is matched by its DOI first (exact, case-insensitive), then by its title:
rapidfuzz's ``token_sort_ratio`` over case- and punctuation-folded titles, at least
``TITLE_THRESHOLD``, and the same year or the same first author's family name; then by author and
year: the one record (and only when there is exactly one) of the same first author and year whose
title shares a word of four letters or more with the printed one, so a misprinted title still
matches, and the title's difference is reported. A reference that
matches nothing becomes a draft entry built from the printed fields only, for a curator to verify.

Every field where the printed string and the matched record differ is listed (``differences``),
and the same comparison ``kb audit`` makes is run on the pair (``findings``), so each difference is
reported as an audit finding with its category (metadata correction, style: dash, …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kb.evidence.audit import AuditFinding
from kb.records.models import Author, Reference, ReferenceNote
from kb.records.names import slug
from kb.records.printed import PrintedAuthor, PrintedReference

__all__ = [
    "MAX_KEY_CHARS",
    "TITLE_THRESHOLD",
    "ReferenceMatch",
    "audit_matches",
    "differences",
    "draft_reference",
    "match_references",
]

TITLE_THRESHOLD = 85.0
_DASH = re.compile(r"\s*[-‐‑‒–—]+\s*")


@dataclass
class ReferenceMatch:
    """One printed reference and what it was matched to: ``how`` is doi, title, author-year or
    draft."""

    printed: PrintedReference
    key: str
    how: str
    score: float
    differences: list[tuple[str, str, str]] = field(default_factory=list)
    findings: list[AuditFinding] = field(default_factory=list)
    draft: Reference | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the parsed fields, the match and every difference and finding."""
        return {
            "number": self.printed.number,
            "key": self.key,
            "matched_by": self.how,
            "score": round(self.score, 1),
            "parsed": self.printed.as_dict(),
            "differences": [
                {"field": f, "printed": p, "record": r} for f, p, r in self.differences
            ],
            "findings": [f.as_dict() for f in self.findings],
        }


def match_references(
    printed: Iterable[PrintedReference], bib: Iterable[Reference]
) -> list[ReferenceMatch]:
    """Each printed reference linked to a bib entry, or drafted; drafts get fresh keys."""
    from rapidfuzz import fuzz

    records = list(bib)
    by_doi = {r.doi.casefold(): r for r in records if r.doi}
    titles = {r.key: _fold(r.title) for r in records}
    taken = {r.key.casefold() for r in records}
    out: list[ReferenceMatch] = []
    for ref in printed:
        found = by_doi.get(ref.doi.casefold()) if ref.doi else None
        if found is not None:
            out.append(ReferenceMatch(ref, found.key, "doi", 100.0))
            continue
        scored = sorted(
            ((fuzz.token_sort_ratio(_fold(ref.title), titles[r.key]), r) for r in records),
            key=lambda pair: (-pair[0], pair[1].key),
        )
        best = next(
            ((score, r) for score, r in scored if score >= TITLE_THRESHOLD and _agrees(ref, r)),
            None,
        )
        if best is not None:
            out.append(ReferenceMatch(ref, best[1].key, "title", best[0]))
            continue
        same = [r for r in records if _same_author_year(ref, r) and _share_a_word(ref, r)]
        if len(same) == 1:  # the one record of this first author and year: a misprinted title
            score = fuzz.token_sort_ratio(_fold(ref.title), titles[same[0].key])
            out.append(ReferenceMatch(ref, same[0].key, "author-year", score))
            continue
        draft = draft_reference(ref, taken)
        taken.add(draft.key.casefold())
        out.append(ReferenceMatch(ref, draft.key, "draft", scored[0][0] if scored else 0.0))
        out[-1].draft = draft
    return out


def audit_matches(matches: list[ReferenceMatch], bib: dict[str, Reference]) -> None:
    """Fill in each linked match's differences and audit findings (``kb audit``'s comparison)."""
    from kb.evidence.audit import audit_reference
    from kb.export.apa import render_apa

    linked = [m for m in matches if m.draft is None]
    apa = render_apa(bib[m.key] for m in linked)
    for m in linked:
        ref = bib[m.key]
        m.differences = differences(m.printed, ref)
        note = ReferenceNote(
            key=m.key, number=m.printed.number, printed=m.printed.text, status="proposed"
        )
        m.findings = audit_reference(note, ref, apa[m.key])


def differences(printed: PrintedReference, ref: Reference) -> list[tuple[str, str, str]]:
    """(field, printed, record) for every field the two disagree on, named as ``kb audit`` does."""
    out: list[tuple[str, str, str]] = []
    mine = [_author_text(a) for a in printed.authors]
    theirs = [_author_text(_printed_author(a)) for a in ref.authors]
    if len(mine) != len(theirs):
        out.append(("author", "; ".join(mine), "; ".join(theirs)))
    else:
        for i, (was, now) in enumerate(zip(mine, theirs, strict=True), start=1):
            if was != now:
                out.append((f"author {i}" if len(mine) > 1 else "author", was, now))
    pairs: dict[str, tuple[str | None, str | None]] = {
        "date": (
            _date(printed.year, printed.month, printed.day),
            _date(ref.year, ref.month, ref.day),
        ),
        "title": (printed.title, ref.title),
        "journal": (printed.container, ref.journal),
        "volume": (printed.volume, ref.volume),
        "number": (printed.issue, ref.number),
        "pages": (printed.pages, ref.pages.replace("--", "–") if ref.pages else None),
        "publisher": (printed.site, ref.publisher),
        "doi": (printed.doi, ref.doi),
        "url": (printed.url, ref.url),
    }
    for name, (printed_value, record_value) in pairs.items():
        if (printed_value or "") != (record_value or ""):
            out.append((name, printed_value or "", record_value or ""))
    return out


MAX_KEY_CHARS = 64  # a bib key or an imported record's id used as one


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa: a key suffix that stays within the key alphabet."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def draft_reference(
    printed: PrintedReference, taken: set[str], counters: dict[str, int] | None = None
) -> Reference:
    """A bib entry built from the printed fields only (a curator verifies it), with a fresh key:
    first author's family name (at most 40 characters) and year (``nd`` when undated), then
    letters when taken (a ... z, aa, ab ...). ``counters`` remembers where each stem's letters
    got to, so that a long run of one stem stays linear."""
    first = printed.authors[0]
    stem = slug(first.family or first.literal or "ref").split("-")[0][:40] or "ref"
    if not stem[0].isalpha():
        stem = f"ref{stem}"
    base = f"{stem}{printed.year or 'nd'}"
    counters = {} if counters is None else counters
    key, n = base, counters.get(base, 0)
    if n:
        key = f"{base}{_letters(n - 1)}"
    while key.casefold() in taken:
        key = f"{base}{_letters(n)}"
        n += 1
    counters[base] = n
    article = printed.kind == "article"
    return Reference(
        key=key,
        entry_type="article" if article else "online",
        authors=[
            Author(family=a.family, given=a.given, literal=a.literal) for a in printed.authors
        ],
        title=printed.title,
        year=printed.year,
        month=printed.month,
        day=printed.day,
        journal=printed.container,
        volume=printed.volume,
        number=printed.issue,
        pages=_DASH.sub("--", printed.pages) if printed.pages else None,
        doi=printed.doi,
        url=printed.url,
        publisher=printed.site,
        kind="article" if article else "webpage",
    )


def _agrees(printed: PrintedReference, ref: Reference) -> bool:
    return printed.year == ref.year or _same_first_author(printed, ref)


def _same_first_author(printed: PrintedReference, ref: Reference) -> bool:
    family = printed.authors[0].family or printed.authors[0].literal or ""
    theirs = ref.authors[0].family or ref.authors[0].literal or ""
    return slug(family) == slug(theirs)


def _same_author_year(printed: PrintedReference, ref: Reference) -> bool:
    return printed.year == ref.year and _same_first_author(printed, ref)


def _share_a_word(printed: PrintedReference, ref: Reference) -> bool:
    """The titles have a word of four letters or more in common."""
    words = [{w for w in _fold(t).split() if len(w) >= 4} for t in (printed.title, ref.title)]
    return bool(words[0] & words[1])


def _fold(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def _printed_author(author: Author) -> PrintedAuthor:
    return PrintedAuthor(family=author.family, given=author.given, literal=author.literal)


def _author_text(author: PrintedAuthor) -> str:
    if author.literal:
        return author.literal
    return f"{author.family}, {author.given}" if author.given else str(author.family)


def _date(year: int | None, month: int | None, day: int | None) -> str:
    return "-".join(str(p) for p in (year, month, day) if p is not None)

"""The Gaps & Audit page as people read it: `kb gaps`'s lists (``kb.browse.gap_lists``, the
rows `kb gaps` prints), the sources judged from their title only or that may not exist, and
`kb audit`'s findings as rows.

Everything here names claims by their number on the annotated worksheet ("Claim 12"; among
several worksheets "creating-secure-attachment, Claim 12") and references as "Author (year)",
flagged "may not exist" where their existence is unconfirmed (``kb.browse.labels``); ids stay as
extra fields. Each list carries its own heading, counted from the very rows listed, so a heading
and its list cannot disagree. An audit row keeps the printed and corrected values whole (a
replaced title reads old above new), with at most a word-level diff beside them.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb.browse.gap_lists import ClaimGap, LinkName, RatedSkill, UnusedReference, gap_lists
from kb.browse.labels import ReferenceName, claim_names, reference_names
from kb.browse.scope import _notes, worksheets_in
from kb.core.knowledge_base import KnowledgeBase
from kb.core.numbering import claim_order
from kb.evidence.audit import AuditFinding, audit
from kb.evidence.profile import reference_info
from kb.records.models import ReferenceNote

__all__ = [
    "VERY_LOW",
    "AuditRow",
    "GapsAndAudit",
    "TitleOnlySource",
    "audit_rows",
    "gaps_and_audit",
    "title_only_sources",
    "word_diff",
]

VERY_LOW = "very low"


@dataclass(frozen=True)
class TitleOnlySource:
    """A reference (``name``: ``Zhang (2012, may not exist)`` where that applies) with every
    claim it is linked to, by number, and the stance of each link."""

    key: str
    name: str
    unconfirmed: bool
    warning: str | None
    links: list[LinkName]


@dataclass(frozen=True)
class AuditRow:
    """One audit difference for a page: the reference by name, the printed and corrected values
    whole (``stacked``: show old above new, as for a replaced title), and a word-level diff."""

    key: str
    reference: str
    may_not_exist: bool
    number: int
    field: str
    printed: str
    corrected: str
    category: str
    why: str
    source: str
    words: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def stacked(self) -> bool:
        """True where the values are sentences (a title, an author list): old above new."""
        return len(self.printed.split()) > 3 or len(self.corrected.split()) > 3


@dataclass(frozen=True)
class GapsAndAudit:
    """Every list of the Gaps & Audit page, each with a heading counted from its rows."""

    unsupported: list[ClaimGap]
    grey_only: list[ClaimGap]
    title_only: list[TitleOnlySource]
    very_low_skills: list[RatedSkill]
    unused_references: list[UnusedReference]
    may_not_exist: list[TitleOnlySource]
    corrections: list[AuditRow]
    style: list[AuditRow]
    unconfirmed_fields: list[AuditRow]

    @property
    def headings(self) -> dict[str, str]:
        """Each list's heading with the number of rows it lists."""
        return {
            "unsupported": f"Claims with no supporting link ({len(self.unsupported)})",
            "grey_only": f"Supported by grey literature only ({len(self.grey_only)})",
            "title_only": f"Judged from their title only ({len(self.title_only)})",
            "very_low_skills": (
                f"Skills whose advice is rated {VERY_LOW} ({len(self.very_low_skills)})"
            ),
            "unused_references": f"References supporting nothing ({len(self.unused_references)})",
            "may_not_exist": f"References that may not exist ({len(self.may_not_exist)})",
            "corrections": f"Printed-reference corrections ({len(self.corrections)})",
            "style": f"APA 7 style points ({len(self.style)})",
            "unconfirmed_fields": (
                f"Fields only as printed, not confirmed ({len(self.unconfirmed_fields)})"
            ),
        }


def title_only_sources(base: KnowledgeBase, ws: str | None = None) -> list[TitleOnlySource]:
    """The references in scope that nobody here has read beyond their title (``known_from:
    title``), in printed order, each with the claims it is linked to (by number) and stance."""
    return _sources(base, ws, lambda key, notes: any(n.known_from == "title" for n in notes))


def _sources(
    base: KnowledgeBase, ws: str | None, keep: Callable[[str, list[ReferenceNote]], bool]
) -> list[TitleOnlySource]:
    """The references in scope that ``keep`` keeps, with their links (by claim number)."""
    names = reference_names(base)
    claims = claim_names(base, ws)
    notes = _notes(base, ws)
    out = []
    ordered = sorted(notes, key=lambda k: (min(n.number for _, n in notes[k]), k))
    for key in ordered:
        if not keep(key, [n for _, n in notes[key]]):
            continue
        name = names.get(key) or ReferenceName(key, key)
        on = sorted(
            (
                (claims[wid, x.claim], x.stance)
                for sheet in worksheets_in(base, ws)
                for wid in [sheet.worksheet.id]
                for x in sheet.links
                if x.reference == key and (wid, x.claim) in claims
            ),
            key=lambda pair: claim_order(pair[0]),
        )
        links = [LinkName(claim.shown, stance, key, claim.claim) for claim, stance in on]
        out.append(TitleOnlySource(key, name.shown, name.unconfirmed, name.warning, links))
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Old and new compared word by word (never letter by letter): ``(op, text)`` pieces, op
    ``same``, ``removed`` or ``added``, spaces kept with their words."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            out.append(("removed", "".join(a[a1:a2])))
        if b2 > b1:
            out.append(("added", "".join(b[b1:b2])))
    return out


def audit_rows(base: KnowledgeBase, found: list[AuditFinding]) -> list[AuditRow]:
    """Audit findings as page rows: the reference by name (flagged if it may not exist), the
    values whole, a word-level diff, and why."""
    names = reference_names(base)
    rows = []
    for f in found:
        name = names.get(f.key) or ReferenceName(f.key, f.key)
        rows.append(
            AuditRow(
                key=f.key,
                reference=name.shown,
                may_not_exist=name.unconfirmed,
                number=f.number,
                field=f.field,
                printed=f.printed,
                corrected=f.corrected,
                category=f.category,
                why=f.note or f.category,
                source=f.source,
                words=word_diff(f.printed, f.corrected),
            )
        )
    return rows


def gaps_and_audit(base: KnowledgeBase, ws: str | None = None) -> GapsAndAudit:
    """`kb gaps` and `kb audit` for the worksheets in scope, as the page names things."""
    lists = gap_lists(base, ws)
    info = reference_info(base)
    doubts = _sources(base, ws, lambda key, _: key in info and info[key].unconfirmed)
    keys = None if ws is None else {n.key for n in base.worksheet(ws).references}
    every = [f for f in audit(base) if keys is None or f.key in keys]
    rows = audit_rows(base, every)
    return GapsAndAudit(
        unsupported=lists.unsupported,
        grey_only=lists.grey_only,
        title_only=title_only_sources(base, ws),
        very_low_skills=lists.very_low_skills,
        unused_references=lists.unused_references,
        may_not_exist=doubts,
        corrections=[r for r in rows if r.category == "metadata correction"],
        style=[r for r in rows if r.category.startswith("style")],
        unconfirmed_fields=[
            r
            for r in rows
            if r.category != "metadata correction" and not r.category.startswith("style")
        ],
    )

"""The Skills page: a skill's passage with its claims highlighted, and its evidence by claim."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kb.browse.text import escape
from kb.core.knowledge_base import EvidenceRow, KnowledgeBase
from kb.errors import KbError
from kb.records.models import WorksheetData

__all__ = [
    "ClaimEvidence",
    "Span",
    "group_evidence",
    "highlight_html",
    "skill_passage",
    "stance_counts",
]

# ---------------------------------------------------------------------------------------------
# A skill: its passage of the worksheet with claims highlighted, its evidence grouped by claim.


@dataclass(frozen=True, order=True)
class Span:
    """A highlighted stretch of text: [start, end) with a short label and a tooltip."""

    start: int
    end: int
    label: str = ""
    title: str = ""
    css: str = "claim"


def skill_passage(sheet: WorksheetData, slug: str) -> tuple[int, int]:
    """Where a skill's paragraphs stand in the worksheet text: [start, end)."""
    skill = next((s for s in sheet.skills if s.slug == slug), None)
    if skill is None:
        raise KbError(f"unknown skill '{slug}' in {sheet.worksheet.id}", record="skill")
    first = sheet.text.find(skill.paragraphs[0])
    last = sheet.text.find(skill.paragraphs[-1], max(first, 0))
    if first >= 0 and last >= 0:
        return first, last + len(skill.paragraphs[-1])
    spans = [(c.start or 0, c.end or 0) for c in sheet.claims if c.section == slug]
    if not spans:
        return 0, 0
    return min(s for s, _ in spans), max(e for _, e in spans)


def highlight_html(text: str, start: int, end: int, spans: Iterable[Span]) -> str:
    """``text[start:end]`` as escaped HTML paragraphs, each span wrapped in a ``<mark>``."""
    out: list[str] = []
    pos = start
    for span in sorted(spans):
        s, e = max(span.start, pos), min(span.end, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(
            f'<mark class="kb-{escape(span.css)}" title="{escape(span.title)}">'
            f"{escape(text[s:e])}<sup>{escape(span.label)}</sup></mark>"
        )
        pos = e
    out.append(escape(text[pos:end]))
    body = "".join(out).strip()
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", body) if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@dataclass
class ClaimEvidence:
    """One claim of a skill and the evidence links on it (empty when nothing is linked)."""

    claim_id: str
    kind: str
    quote: str
    start: int
    end: int
    links: list[EvidenceRow] = field(default_factory=list)


def group_evidence(rows: Iterable[EvidenceRow]) -> list[ClaimEvidence]:
    """Evidence rows grouped by claim, claims in text order."""
    claims: dict[str, ClaimEvidence] = {}
    for row in rows:
        claim = claims.setdefault(
            row.claim_id, ClaimEvidence(row.claim_id, row.kind, row.quote, row.start, row.end)
        )
        if row.key is not None:
            claim.links.append(row)
    return sorted(claims.values(), key=lambda c: (c.start, c.claim_id))


def stance_counts(claims: Iterable[ClaimEvidence]) -> Counter[str]:
    """How many links of each stance."""
    return Counter(link.stance or "" for c in claims for link in c.links)


# ---------------------------------------------------------------------------------------------
# The figures beside a skill, each saying what it counts.


@dataclass(frozen=True)
class SkillFigures:
    """A skill's reference counts: every reference linked to its claims (any stance), the ones
    that support a claim, and how many of those are peer reviewed."""

    linked: int
    supporting: int
    supporting_peer_reviewed: int

    @property
    def peer_share(self) -> float | None:
        """Peer-reviewed share of the supporting references (None when nothing supports)."""
        return self.supporting_peer_reviewed / self.supporting if self.supporting else None

    @property
    def peer_share_text(self) -> str:
        """``67%`` or ``no support``."""
        share = self.peer_share
        return "no support" if share is None else f"{share:.0%}"


FIGURE_HELP = {
    "linked": "References linked to any claim of the skill, whatever their stance (supporting, "
    "qualifying, or background only).",
    "supporting": "References that support at least one of its claims (stance 'supports').",
    "peer": "Share of the supporting references that are peer reviewed; the rest are grey "
    "literature (web articles, blogs).",
}


def skill_figures(
    references: Iterable[str], supporting: Iterable[str], peer: set[str]
) -> SkillFigures:
    """The figures of a skill from its profile's reference keys and the peer-reviewed keys."""
    support = set(supporting)
    return SkillFigures(len(set(references)), len(support), len(support & peer))


def figures_by_skill(base: KnowledgeBase) -> dict[tuple[str, str], SkillFigures]:
    """(worksheet, skill slug) -> the skill's linked, supporting and peer-reviewed supporting
    reference counts, from its evidence profile."""
    from kb.evidence.profile import profiles, reference_info

    info = reference_info(base)
    peer = {k for k, r in info.items() if r.peer_reviewed}
    return {
        (p.worksheet, p.slug): skill_figures(p.references, p.supporting_references, peer)
        for p in profiles(base)
    }


def skill_text_html(sheet: WorksheetData, slug: str, claims: list[ClaimEvidence],
                    statuses: Mapping[str, str]) -> str:  # fmt: skip
    """A skill's passage with its claims marked by support status (``statuses``: claim id ->
    kb.evidence.support status), numbered in text order."""
    from kb.evidence.support import STATUS_LABELS

    start, end = skill_passage(sheet, slug)
    spans = [
        Span(c.start, c.end, str(i), STATUS_LABELS[statuses.get(c.claim_id, "none")],
             f"s-{statuses.get(c.claim_id, 'none')}")
        for i, c in enumerate(claims, start=1)
    ]  # fmt: skip
    return f'<div class="kb-sheet">{highlight_html(sheet.text, start, end, spans)}</div>'

"""The Worksheet page and the Gaps & Audit page, as plain data.

The annotated worksheet is the whole text (introduction, skills, summary) with every claim marked
by its support status (``kb.evidence.support``, the classification `kb gaps` counts with), each
mark a link to that claim's evidence. The Gaps & Audit page gathers `kb gaps` and `kb audit`:
real corrections first, unconfirmed rows apart (its rows, with their word-by-word differences,
are ``kb.browse.gaps``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from kb.browse.status import STATUS_STYLES
from kb.browse.text import escape
from kb.core.knowledge_base import EvidenceRow, KnowledgeBase
from kb.evidence.audit import AuditFinding, audit
from kb.evidence.profile import gaps, reference_info
from kb.evidence.support import STATUS_LABELS, STATUSES, ClaimSupport, claim_support

__all__ = [
    "STATUS_COLOURS",
    "AnnotatedWorksheet",
    "AuditGroups",
    "ClaimSpan",
    "GapsPage",
    "annotated_worksheet",
    "audit_groups",
    "claim_evidence",
    "claim_numbers",
    "claim_stretches",
    "gaps_page",
    "legend_html",
    "printable_html",
]

# Colour-blind-safe fills for the four statuses, in the legend's order (kb.browse.status: each
# status also has an icon and a word, so colour is never the only sign)
STATUS_COLOURS = {s: style.fill for s, style in STATUS_STYLES.items()}
_CSS = (
    ".kb-sheet{line-height:1.75;font-size:1.02rem;max-width:48em}"
    ".kb-sheet a.kb-c,.kb-sheet a.kb-c-more{color:inherit;text-decoration:none;border-radius:3px;"
    "padding:0 2px;border-bottom:2px solid #0003}"
    ".kb-sheet a.kb-c:hover,.kb-sheet a.kb-c.kb-open{outline:2px solid #333}"
    ".kb-sheet sup{font-size:.7em;color:#333;margin-left:2px}"
    + "".join(
        f".kb-s-{s}{{background:{v.fill};color:{v.text}}}"
        f'.kb-sheet .kb-s-{s} sup::before{{content:"{v.icon}\\00a0"}}'
        for s, v in STATUS_STYLES.items()
    )
    + ".kb-legend>span{display:inline-block;padding:0 6px;margin:2px 4px 2px 0;border-radius:3px}"
    ".kb-sheet h2.kb-h{font-size:1.5rem;margin:.6em 0 .3em}"
    ".kb-sheet h3.kb-h{font-size:1.25rem;margin:.8em 0 .3em}"
    ".kb-sheet h4.kb-h{font-size:1.08rem;margin:.7em 0 .2em}"
    "@media print{.kb-sheet a.kb-c{border-bottom:none}}"
)


@dataclass(frozen=True)
class AnnotatedWorksheet:
    """A worksheet's text as HTML with its claims marked, the claims in text order (numbered as
    marked), and how many claims have each status."""

    worksheet: str
    title: str
    html: str
    claims: list[ClaimSupport]
    counts: dict[str, int]


@dataclass(frozen=True)
class ClaimSpan:
    """Where a claim's words are in its worksheet's text (character offsets, end exclusive)."""

    claim: str
    start: int
    end: int


def claim_stretches(spans: Iterable[ClaimSpan]) -> list[tuple[int, int, str, bool]]:
    """The stretches of text the claims mark, in text order: ``(start, end, claim id, first)``.

    A claim embedded in another (a sub-claim) is marked inside it: each stretch goes to the
    innermost claim covering it; ``first`` is true on a claim's first stretch (the one that
    carries its number), false where a claim interrupted by a sub-claim continues. Claims are
    numbered 1, 2, … in the order of their first stretches (``claim_numbers``)."""
    anchored = sorted(
        (s for s in spans if s.start < s.end), key=lambda s: (s.start, -s.end, s.claim)
    )
    cuts = sorted({p for s in anchored for p in (s.start, s.end)})
    seen: set[str] = set()
    out = []
    for start, end in itertools.pairwise(cuts):
        covering = [s for s in anchored if s.start <= start and end <= s.end]
        if not covering:
            continue
        claim = min(covering, key=lambda s: (s.end - s.start, s.claim)).claim
        out.append((start, end, claim, claim not in seen))
        seen.add(claim)
    return out


def claim_numbers(spans: Iterable[ClaimSpan]) -> dict[str, int]:
    """Claim id -> its number on the annotated worksheet (the ``<sup>`` it is marked with):
    the one numbering every page and command names a claim by (``kb.browse.labels``)."""
    firsts = (claim for _, _, claim, first in claim_stretches(spans) if first)
    return {claim: n for n, claim in enumerate(firsts, start=1)}


def annotated_worksheet(
    base: KnowledgeBase, ws: str, *, open_claim: str | None = None
) -> AnnotatedWorksheet:
    """The whole text of worksheet ``ws``, each claim a link (``?page=worksheet&claim=ID``) in
    its status colour with its number; ``open_claim`` is outlined."""
    sheet = base.worksheet(ws)
    status = {c.claim: c for c in claim_support(base, reference_info(base)) if c.worksheet == ws}
    spans = [
        ClaimSpan(c.id, c.start, c.end)
        for c in sheet.claims
        if c.start is not None and c.end is not None and c.id in status
    ]
    text, out, pos = sheet.text, [], 0
    numbered: list[ClaimSupport] = []
    for start, end, claim_id, first in claim_stretches(spans):
        support = status[claim_id]
        out.append(escape(text[pos:start]))
        pos = end
        href = "?" + urlencode({"page": "worksheet", "worksheet": ws, "claim": claim_id})
        if not first:
            out.append(
                f'<a class="kb-c-more kb-s-{support.status}" href="{escape(href)}" '
                f'target="_self">{escape(text[start:end])}</a>'
            )
            continue
        numbered.append(support)
        css = f"kb-c kb-s-{support.status}" + (" kb-open" if claim_id == open_claim else "")
        style = STATUS_STYLES[support.status]
        tip = f"{len(numbered)}. {style.shown}: {style.label} (click for its evidence)"
        out.append(
            f'<a class="{css}" id="claim-{escape(claim_id)}" href="{escape(href)}" '
            f'target="_self" title="{escape(tip)}">{escape(text[start:end])}'
            f"<sup>{len(numbered)}</sup></a>"
        )
    out.append(escape(text[pos:]))
    body = "".join(out).strip()
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", body) if p.strip()]
    skills = {escape(s.title) for s in sheet.skills}
    inner = "".join(_block(p, escape(sheet.worksheet.title), skills) for p in paragraphs)
    html = f'<style>{_CSS}</style><div class="kb-sheet">{inner}</div>'
    counts = Counter(c.status for c in numbered)
    return AnnotatedWorksheet(
        ws, sheet.worksheet.title, html, numbered, {s: counts.get(s, 0) for s in STATUSES}
    )


def _block(paragraph: str, title: str, skills: set[str]) -> str:
    """A paragraph of the text as HTML: the worksheet's title an ``h2`` (the page's own title is
    the ``h1``), a skill's title an ``h4``, any other short line without a full stop (a section's
    heading: "Key Skills for Secure Attachment") an ``h3``; the rest ``p``."""
    plain = re.sub(r"<[^>]+>", "", paragraph).strip()
    if plain == title:
        return f'<h2 class="kb-h">{paragraph}</h2>'
    if plain in skills:
        return f'<h4 class="kb-h">{paragraph}</h4>'
    if len(plain) <= 60 and "<br>" not in paragraph and not plain.endswith((".", ":", "?", "!")):
        return f'<h3 class="kb-h">{paragraph}</h3>'
    return f"<p>{paragraph}</p>"


def legend_html(counts: dict[str, int] | None = None) -> str:
    """The four statuses in their colours, each with its icon and its words (with counts when
    given), as HTML."""
    items = "".join(
        f'<span class="kb-s-{s}"><span aria-hidden="true">{STATUS_STYLES[s].icon}</span> '
        f"{escape(STATUS_LABELS[s])}{f' ({counts[s]})' if counts is not None else ''}</span>"
        for s in STATUSES
    )
    return f'<style>{_CSS}</style><div class="kb-legend">{items}</div>'


def printable_html(page: AnnotatedWorksheet) -> str:
    """The annotated worksheet as a standalone HTML file to print or share (no app needed)."""
    rows = "".join(
        f"<li>{escape(c.quote)} — <em>{escape(STATUS_STYLES[c.status].shown)}: "
        f"{escape(STATUS_LABELS[c.status])}</em>"
        f"{': ' + escape(', '.join(k for k, _ in c.links)) if c.links else ''}</li>"
        for c in page.claims
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}: claims and their support</title></head><body>"
        f"<h1>{escape(page.title)}</h1>{legend_html(page.counts)}{page.html}"
        f"<h2>Claims, in order</h2><ol>{rows}</ol></body></html>\n"
    )


# --- Gaps & Audit ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditGroups:
    """`kb audit`'s findings in three groups: real corrections of the printed metadata, style
    points (APA 7 form: DOIs, dashes, capitals), and fields only as printed (unconfirmed)."""

    corrections: list[AuditFinding]
    style: list[AuditFinding]
    unconfirmed: list[AuditFinding]


def audit_groups(base: KnowledgeBase, ws: str | None = None) -> AuditGroups:
    """The audit of the worksheets in scope, grouped; each group in printed order."""
    keys = None
    if ws is not None:
        keys = {n.key for n in base.worksheet(ws).references}
    found = [f for f in audit(base) if keys is None or f.key in keys]
    return AuditGroups(
        corrections=[f for f in found if f.category == "metadata correction"],
        style=[f for f in found if f.category.startswith("style")],
        unconfirmed=[
            f
            for f in found
            if f.category not in ("metadata correction",) and not f.category.startswith("style")
        ],
    )


@dataclass(frozen=True)
class GapsPage:
    """Everything the Gaps & Audit page shows (the numbers `kb gaps` prints)."""

    unsupported: list[dict[str, Any]]
    grey_only: list[dict[str, Any]]
    very_low_skills: list[dict[str, Any]]
    unused_references: list[dict[str, Any]]
    audit: AuditGroups


def gaps_page(base: KnowledgeBase, ws: str | None = None) -> GapsPage:
    """`kb gaps` and `kb audit` for the worksheets in scope."""
    found = gaps(base)

    def mine(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if ws is None or r.get("worksheet") == ws]

    return GapsPage(
        unsupported=mine(found.unsupported_claims),
        grey_only=mine(found.grey_only_claims),
        very_low_skills=mine(found.very_low_skills),
        unused_references=found.unused_references,
        audit=audit_groups(base, ws),
    )


def claim_evidence(base: KnowledgeBase, ws: str, claim_id: str) -> list[EvidenceRow]:
    """One claim of any section (introduction and summary included) with each link on it, as
    the Skills page shows links: stance, rationale, findings, provenance and review status
    (``KnowledgeBase.evidence_for_claim``, from the store). Raises KbError for a claim the
    worksheet does not have."""
    return [row for row in base.evidence_for_claim(ws, claim_id) if row.key is not None]

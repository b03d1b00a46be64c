"""The Worksheet page, as plain data.

The annotated worksheet is the whole text (introduction, skills, summary) with every claim marked
by its support status (``kb.evidence.support``, the classification `kb gaps` counts with) and
its number (``kb.core.numbering``), each mark a link to that claim's evidence. The Gaps & Audit
page's data is ``kb.browse.gaps``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from kb.browse.labels import reference_names
from kb.browse.status import STATUS_STYLES
from kb.browse.text import escape
from kb.core.knowledge_base import EvidenceRow, KnowledgeBase
from kb.core.numbering import ClaimName, ClaimSpan, claim_stretches
from kb.evidence.profile import reference_info
from kb.evidence.support import STATUS_LABELS, STATUSES, ClaimSupport, claim_support

__all__ = [
    "STATUS_COLOURS",
    "AnnotatedWorksheet",
    "annotated_worksheet",
    "claim_evidence",
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
    marked), how many claims have each status, and the people-facing name of every reference
    the claims link (key -> ``Hazan & Shaver (1987)``, ``kb.browse.labels``)."""

    worksheet: str
    title: str
    html: str
    claims: list[ClaimSupport]
    counts: dict[str, int]
    references: dict[str, str]


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
    names = reference_names(base)
    linked = {key for c in numbered for key, _ in c.links}
    return AnnotatedWorksheet(
        ws,
        sheet.worksheet.title,
        html,
        numbered,
        {s: counts.get(s, 0) for s in STATUSES},
        {key: names[key].shown if key in names else key for key in sorted(linked)},
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
    """The annotated worksheet as a standalone HTML file to print or share (no app needed): the
    marked text, then each claim by its number ("Claim 12", as it is marked) with its status and
    the references linked to it by name, with their stances ("Hazan & Shaver (1987) (supports)")."""
    rows = []
    for number, c in enumerate(page.claims, start=1):  # page.claims are in their marks' order
        name = ClaimName(page.worksheet, c.claim, number).local
        links = ", ".join(f"{page.references.get(k, k)} ({stance})" for k, stance in c.links)
        rows.append(
            f"<li><strong>{escape(name)}</strong>: {escape(c.quote)} — "
            f"<em>{escape(STATUS_STYLES[c.status].shown)}: {escape(STATUS_LABELS[c.status])}</em>"
            f"{': ' + escape(links) if links else ''}</li>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)}: claims and their support</title></head><body>"
        f"<h1>{escape(page.title)}</h1>{legend_html(page.counts)}{page.html}"
        f"<h2>Claims, in order</h2><ul>{''.join(rows)}</ul></body></html>\n"
    )


def claim_evidence(base: KnowledgeBase, ws: str, claim_id: str) -> list[EvidenceRow]:
    """One claim of any section (introduction and summary included) with each link on it, as
    the Skills page shows links: stance, rationale, findings, provenance and review status
    (``KnowledgeBase.evidence_for_claim``, from the store). Raises KbError for a claim the
    worksheet does not have."""
    return [row for row in base.evidence_for_claim(ws, claim_id) if row.key is not None]

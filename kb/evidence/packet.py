"""The packet a second reviewer sees, made the same way every time from the curated data.

Per link: the claim's exact words and kind, the reference as Author (year), title and venue, its
design as the curators read it, and every finding of that reference with the part read, how much
of the source that is and whose page it was. Never the first curator's stance, directness, basis,
rationale or choice of findings. The packet's SHA-256 ties the reviewers' returns to it, and
``kb review`` checks a stored packet by making it again from the data (``kb.evidence.rounds``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from kb.evidence.wording import CLAIM_KINDS, finding_where, read_words
from kb.records.link_rules import LINK_RULES
from kb.records.models import (
    DESIGN_LABELS,
    FINDING_KIND_LABELS,
    PEER_REVIEW_LABELS,
    Reference,
    ReferenceNote,
    WorksheetData,
)
from kb.records.names import short_label

__all__ = ["PACKET_VERSION", "make_packet", "packet_links", "sha256_text"]

PACKET_VERSION = 1
STANCE_WORDS = (
    "supports: a finding reports a result or a position on the claim's subject",
    "qualifies: it limits the claim (a condition, an exception, a smaller effect)",
    "contradicts: it reports the opposite",
    "background: related context that neither supports nor limits the claim",
)
DIRECTNESS_WORDS = (
    "direct: the finding's subject is the claim's own subject",
    "indirect: it bears on the claim through a related population, measure, setting or idea",
)
RETURN_FORMAT = """\
```yaml
reviewer: WHO (name; human or AI; relation to the project)
method: WHAT YOU WERE GIVEN AND HOW YOU JUDGED (one line)
date: YYYY-MM-DD
packet_sha256: THE SHA-256 OF THIS PACKET (in packet.sha256, given with it)
judgements:
- link: CLAIM--REFERENCE
  stance: supports | qualifies | contradicts | background
  directness: direct | indirect
  note: optional, one line
```"""


def sha256_text(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def packet_links(ws: WorksheetData) -> list[str]:
    """The ids of the links a packet asks about, in the packet's order (the worksheet's)."""
    return [link.id for link in ws.links]


def make_packet(ws: WorksheetData, references: Mapping[str, Reference]) -> str:
    """The packet of ``ws``'s accepted links, as Markdown (deterministic: same data, same bytes)."""
    claims = {c.id: c for c in ws.claims}
    notes = {n.key: n for n in ws.references}
    lines = [
        f"# Review packet: {ws.worksheet.title} ({ws.worksheet.id})",
        "",
        f"Packet format {PACKET_VERSION}. {len(ws.links)} links to judge. For each, judge how the "
        "reference bears on the claim from what is shown here (the claim's words, the reference "
        "and what has been read of it), under the rules below. You are not shown anyone's "
        "judgement of any link.",
        "",
        "## Stances",
        *(f"- {s}" for s in STANCE_WORDS),
        "",
        "## Directness",
        *(f"- {d}" for d in DIRECTNESS_WORDS),
        "",
        "## Rules",
        "",
        "```",
        LINK_RULES,
        "```",
        "",
        "## Return",
        "",
        "One YAML file, every link below judged once:",
        "",
        RETURN_FORMAT,
        "",
    ]
    for n, link in enumerate(ws.links, start=1):
        claim = claims[link.claim]
        note = notes[link.reference]
        lines += [
            f"## {n}. {link.id}",
            "",
            f"**Claim** ({claim.kind}: {CLAIM_KINDS.get(claim.kind, claim.kind)}; section "
            f"{claim.section}): “{claim.quote}”",
            "",
            f"**Reference**: {_reference(references.get(link.reference), note)}",
            "",
            *_findings(ws, note),
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _reference(ref: Reference | None, note: ReferenceNote) -> str:
    if ref is None:
        return f"{note.key} (not in the bibliography)"
    names = [a.family or a.literal or "" for a in ref.authors]
    label = short_label(names[:3], ref.year)
    venue = ref.journal or ref.publisher or (ref.url or "")
    design = DESIGN_LABELS.get(note.design or "", "design not recorded")
    peer = PEER_REVIEW_LABELS.get(note.peer_reviewed or "unknown", "peer review unknown")
    unconfirmed = (
        " Unconfirmed: nothing seen here confirms it exists as printed." * note.unconfirmed
    )
    return (
        f"{label}. {ref.title}. {venue}. Design as read: {design}; {peer}. "
        f"Known here from {read_words(note.known_from or 'title')}.{unconfirmed}"
    )


def _findings(ws: WorksheetData, note: ReferenceNote) -> list[str]:
    mine = sorted((f for f in ws.findings if f.reference == note.key), key=lambda f: f.id)
    if not mine:
        return ["Findings: none; nothing beyond the title has been read."]
    out = ["Findings of this reference (all of them, in the curators' words):"]
    for f in mine:
        out.append(
            f"- `{f.id}` ({FINDING_KIND_LABELS[f.kind]}; {f.part}; {finding_where(f)}, read "
            f"{f.read.isoformat()}): {f.statement}"
        )
    return out

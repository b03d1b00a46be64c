"""Claims by number: a claim's number on the annotated worksheet ("Claim 12"), the one name every
page, command and the evidence appendix give a claim (``kb.browse.labels`` re-exports it).

Claims are numbered 1, 2, … in the order their words first appear in their worksheet's text. Where
the claims named come from several worksheets, "Claim 4" alone is ambiguous: the name then starts
with the worksheet's id, as ``--worksheet`` takes it ("creating-secure-attachment, Claim 4").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from kb.core.knowledge_base import KnowledgeBase
from kb.queries import CLAIM_SPANS

__all__ = [
    "ClaimName",
    "ClaimSpan",
    "claim_names",
    "claim_numbers",
    "claim_order",
    "claim_stretches",
    "in_worksheet",
]


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
    """Claim id -> its number on the annotated worksheet (the ``<sup>`` it is marked with)."""
    firsts = (claim for _, _, claim, first in claim_stretches(spans) if first)
    return {claim: n for n, claim in enumerate(firsts, start=1)}


def in_worksheet(worksheet: str, name: str, *, several: bool) -> str:
    """A name ("Claim 4", "Skill 2. Examine your beliefs") as a listing of ``several``
    worksheets gives it: after its worksheet's id ("creating-secure-attachment, Claim 4")."""
    return f"{worksheet}, {name}" if several else name


@dataclass(frozen=True)
class ClaimName:
    """A claim as people name it: its number on the annotated worksheet (``Claim 12``), after
    its worksheet's id where the names in hand come from ``several`` worksheets."""

    worksheet: str
    claim: str
    number: int | None
    several: bool = False

    @property
    def local(self) -> str:
        """``Claim 12``, its name inside its own worksheet; a claim the text does not mark (no
        anchor) keeps its id."""
        return f"Claim {self.number}" if self.number is not None else f"claim {self.claim}"

    @property
    def shown(self) -> str:
        """``Claim 12``, or ``creating-secure-attachment, Claim 12`` among several worksheets."""
        return in_worksheet(self.worksheet, self.local, several=self.several)


def claim_names(base: KnowledgeBase, ws: str | None = None) -> dict[tuple[str, str], ClaimName]:
    """(worksheet, claim id) -> its name, numbered as the Worksheet page marks the claims
    (``claim_numbers``), for the worksheets in scope (worksheet ids named where that is more
    than one); from the store alone (a reopened store reads no input)."""
    ids: dict[str, list[str]] = {}
    spans: dict[str, list[ClaimSpan]] = {}
    for row in base.store.select(CLAIM_SPANS):
        wid, cid = str(row["worksheet"]), str(row["claimId"])
        if ws is not None and wid != ws:
            continue
        ids.setdefault(wid, []).append(cid)
        start, end = row["start"], row["end"]
        if isinstance(start, int) and isinstance(end, int):
            spans.setdefault(wid, []).append(ClaimSpan(cid, start, end))
    several = len(ids) > 1
    out: dict[tuple[str, str], ClaimName] = {}
    for wid, claims in ids.items():
        number = claim_numbers(spans.get(wid, []))
        for cid in claims:
            out[wid, cid] = ClaimName(wid, cid, number.get(cid), several)
    return out


def claim_order(claim: ClaimName) -> tuple[str, int, str]:
    """How listings sort claims: by worksheet id, then by number (an unnumbered claim first,
    by id)."""
    return (claim.worksheet, claim.number or 0, claim.claim)

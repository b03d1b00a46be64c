"""People-facing names, written once: a reference as "Author (year)" with the warning that it may
not exist, and a claim by its number on the annotated worksheet ("Claim 12").

Every listing that names a reference (the References table, a reference's page, Gaps & Audit,
the graph) asks ``reference_names`` and shows ``ReferenceName.shown``; every listing that names a
claim asks ``claim_names``. Ids (bib keys, claim slugs) stay in the data as extra fields, never
as what a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.browse.worksheet import ClaimSpan, claim_numbers
from kb.core.knowledge_base import KnowledgeBase
from kb.evidence.profile import reference_info
from kb.queries import CLAIM_SPANS
from kb.records.names import short_label

__all__ = [
    "MAY_NOT_EXIST",
    "MAY_NOT_EXIST_WHY",
    "ClaimName",
    "ReferenceName",
    "claim_names",
    "may_not_exist",
    "reference_names",
]

MAY_NOT_EXIST = "may not exist"
MAY_NOT_EXIST_WHY = (
    "May not exist: nothing seen here confirms that this work exists as printed in the worksheet."
)


def may_not_exist(unconfirmed: bool) -> str | None:
    """The one warning every listing shows for a reference whose existence is unconfirmed
    (``unverified: existence`` in references.yaml), None for any other."""
    return MAY_NOT_EXIST_WHY if unconfirmed else None


@dataclass(frozen=True)
class ReferenceName:
    """A reference as people name it: ``Zhang (2012)``, and whether it may not exist."""

    key: str
    label: str
    unconfirmed: bool = False

    @property
    def shown(self) -> str:
        """The label with the warning when it applies: ``Zhang (2012) — may not exist``."""
        return f"{self.label} — {MAY_NOT_EXIST}" if self.unconfirmed else self.label

    @property
    def warning(self) -> str | None:
        """The warning sentence (``may_not_exist``), or None."""
        return may_not_exist(self.unconfirmed)


def reference_names(base: KnowledgeBase) -> dict[str, ReferenceName]:
    """Every reference key -> its people-facing name (unconfirmed ones flagged)."""
    unconfirmed = {k for k, info in reference_info(base).items() if info.unconfirmed}
    out = {}
    for key, ref in base.references.items():
        names = [a.family or a.literal or "" for a in ref.authors]
        out[key] = ReferenceName(key, short_label(names, ref.year), key in unconfirmed)
    return out


@dataclass(frozen=True)
class ClaimName:
    """A claim as people name it: its number on the annotated worksheet (``Claim 12``)."""

    worksheet: str
    claim: str
    number: int | None

    @property
    def shown(self) -> str:
        """``Claim 12``; a claim the text does not mark (no anchor) keeps its id."""
        return f"Claim {self.number}" if self.number is not None else f"claim {self.claim}"


def claim_names(base: KnowledgeBase, ws: str | None = None) -> dict[tuple[str, str], ClaimName]:
    """(worksheet, claim id) -> its name, numbered as the Worksheet page marks the claims
    (``kb.browse.worksheet.claim_numbers``), for the worksheets in scope; from the store alone
    (a reopened store reads no input)."""
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
    out: dict[tuple[str, str], ClaimName] = {}
    for wid, claims in ids.items():
        number = claim_numbers(spans.get(wid, []))
        for cid in claims:
            out[wid, cid] = ClaimName(wid, cid, number.get(cid))
    return out

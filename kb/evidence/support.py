"""How well each claim of a worksheet is supported: the one classification behind `kb gaps`,
the annotated worksheet and the Gaps page, so their counts agree.

- ``supported``: at least one link *supports* it from a peer-reviewed reference;
- ``grey-only``: supported, but only by grey literature (web articles, blogs, unappraised);
- ``background-only``: references bear on it (background, qualifying, contradicting) but none
  supports it;
- ``none``: no reference is linked to it.

`kb gaps` calls the last two "claims with no supporting link" and the second "grey only".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kb.evidence import queries as q

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase
    from kb.evidence.rating import RefInfo

__all__ = ["STATUSES", "STATUS_LABELS", "ClaimSupport", "claim_support"]

Status = Literal["supported", "grey-only", "background-only", "none"]
STATUSES: tuple[Status, ...] = ("supported", "grey-only", "background-only", "none")
STATUS_LABELS: dict[str, str] = {
    "supported": "supported by peer-reviewed research",
    "grey-only": "supported by grey literature only",
    "background-only": "background or qualifying references only",
    "none": "no reference linked",
}


@dataclass(frozen=True)
class ClaimSupport:
    """One claim with its support status and the links that decide it, as (key, stance)."""

    worksheet: str
    claim: str
    section: str
    quote: str
    start: int
    status: Status
    links: tuple[tuple[str, str], ...]

    @property
    def supporting(self) -> list[str]:
        """Keys of the references that support it."""
        return [k for k, s in self.links if s == "supports"]


def claim_support(base: KnowledgeBase, refs: dict[str, RefInfo]) -> list[ClaimSupport]:
    """Every claim of every worksheet, in text order, with its support status (``refs``: the
    appraisals from ``kb.evidence.profile.reference_info``, which say what is grey)."""
    claims: dict[str, dict[str, object]] = {}
    links: dict[str, set[tuple[str, str]]] = {}
    for row in base.store.select(q.CLAIM_LINKS):
        iri = str(row["claim"])
        claims.setdefault(
            iri,
            {
                "worksheet": str(row["worksheet"]),
                "claim": str(row["claimId"]),
                "section": str(row["section"]),
                "quote": str(row["quote"]),
                "start": row["start"] if isinstance(row["start"], int) else 0,
            },
        )
        found = links.setdefault(iri, set())
        if row["key"] is not None:
            found.add((str(row["key"]), str(row["stance"])))
    out = []
    for iri, entry in claims.items():
        pairs = tuple(sorted(links[iri]))
        support = [k for k, s in pairs if s == "supports"]
        status: Status
        if support:
            grey = all(refs[k].grey for k in support if k in refs)
            status = "grey-only" if grey else "supported"
        else:
            status = "background-only" if pairs else "none"
        out.append(ClaimSupport(**entry, status=status, links=pairs))  # type: ignore[arg-type]
    return sorted(out, key=lambda c: (c.worksheet, c.start, c.claim))

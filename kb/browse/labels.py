"""People-facing names, written once: a reference as "Author (year)", or "Author (year, may not
exist)" where its existence is unconfirmed (``kb.records.names.reference_label``, the label the
ratings, `kb profile` and the report give it too), and a claim by its number on the annotated
worksheet ("Claim 12").

Every listing that names a reference (the References table, a reference's page, Gaps & Audit,
the graph) asks ``reference_names`` and shows ``ReferenceName.shown``; every listing that names a
claim asks ``claim_names`` (``kb.core.numbering``, here with the other names; the evidence
appendix asks it there): "Claim 12", or "creating-secure-attachment, Claim 12" where the claims
named come from several worksheets. Ids (bib keys, claim slugs) stay in the data as extra
fields, never as what a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.core.knowledge_base import KnowledgeBase
from kb.core.numbering import ClaimName, claim_names
from kb.evidence.profile import reference_info
from kb.records.names import MAY_NOT_EXIST, reference_label

__all__ = [
    "MAY_NOT_EXIST",
    "MAY_NOT_EXIST_WHY",
    "ClaimName",
    "ReferenceName",
    "claim_names",
    "may_not_exist",
    "reference_label",
    "reference_names",
]

MAY_NOT_EXIST_WHY = (
    "May not exist: nothing seen here confirms that this work exists as printed in the worksheet."
)


def may_not_exist(unconfirmed: bool) -> str | None:
    """The one warning every listing shows for a reference whose existence is unconfirmed
    (``unverified: existence`` in references.yaml), None for any other."""
    return MAY_NOT_EXIST_WHY if unconfirmed else None


@dataclass(frozen=True)
class ReferenceName:
    """A reference as people name it (``kb.records.names.reference_label``, the label every
    door gives it): ``Zhang (2012)``, or ``Zhang (2012, may not exist)`` when it may not exist."""

    key: str
    shown: str
    unconfirmed: bool = False

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
        flagged = key in unconfirmed
        out[key] = ReferenceName(
            key, reference_label(names, ref.year, unconfirmed=flagged), flagged
        )
    return out

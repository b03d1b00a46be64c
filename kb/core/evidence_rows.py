"""Evidence rows: a claim and one reference linked to it, with the findings the link rests on,
as the store's project queries give them (``KnowledgeBase.evidence_for`` and
``evidence_for_claim``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kb.rdf.terms import BASIS_TERMS, FINDING_KIND_TERMS, PAGE_OWNER_TERMS, kb_term
from kb.records.vocab import FINDING_KIND_LABELS, review_status

if TYPE_CHECKING:
    from kb.store.base import Store, Value

__all__ = ["EvidenceRow", "FindingRow", "evidence_rows"]

# A finding kind's term in the graph -> its curated name ("result", "theory", ...).
_FINDING_KINDS = {kb_term(term): name for name, term in FINDING_KIND_TERMS.items()}
_EXTENTS = {kb_term(term): name for name, term in BASIS_TERMS.items()}
_OWNERS = {kb_term(term): name for name, term in PAGE_OWNER_TERMS.items()}


@dataclass(frozen=True)
class FindingRow:
    """What a source reports (our words), where it was read and when."""

    id: str
    kind: str
    statement: str
    url: str
    part: str
    read: str
    extent: str
    page_owner: str

    @property
    def kind_label(self) -> str:
        """The kind of statement, in words (a study's result, a review's conclusion, ...)."""
        return FINDING_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class EvidenceRow:
    """One claim of a skill and one reference linked to it (reference fields None if unlinked)."""

    claim_id: str
    kind: str
    quote: str
    start: int
    end: int
    key: str | None
    stance: str | None
    directness: str | None
    basis: str | None
    rationale: str | None
    curator: str | None
    date: str | None
    findings: tuple[FindingRow, ...] = ()
    review: str | None = None

    @property
    def title_only(self) -> bool:
        """The link rests on the reference's title alone."""
        return self.basis == "title"


def evidence_rows(
    store: Store, evidence: str, findings: str, bound: Mapping[str, Value]
) -> list[EvidenceRow]:
    """Evidence rows from a project query and its findings twin, both bound by ``bound``
    (a skill or a claim): one row per claim and linked reference, findings attached."""
    rows = store.select(evidence, bound)
    found: dict[tuple[str, str], list[FindingRow]] = {}
    for f in store.select(findings, bound):
        found.setdefault((str(f["claimId"]), str(f["key"])), []).append(
            FindingRow(
                id=str(f["findingId"]),
                kind=_FINDING_KINDS.get(str(f["kindIri"]), str(f["kindIri"])),
                statement=str(f["statement"]),
                url=str(f["url"]),
                part=str(f["part"]),
                read=str(f["read"]),
                extent=_EXTENTS.get(str(f["extentIri"]), str(f["extentIri"])),
                page_owner=_OWNERS.get(str(f["ownerIri"]), str(f["ownerIri"])),
            )
        )
    return [
        EvidenceRow(
            claim_id=str(r["claimId"]),
            kind=_kind_slug(str(r["kind"])),
            quote=str(r["quote"]),
            start=int(r["start"] or 0),
            end=int(r["end"] or 0),
            key=_opt(r["key"]),
            stance=_opt(r["stance"]),
            directness=_opt(r["directness"]),
            basis=_opt(r["basis"]),
            rationale=_opt(r["rationale"]),
            curator=_opt(r["curator"]),
            date=_opt(r["date"]),
            findings=tuple(found.get((str(r["claimId"]), str(r["key"])), ())),
            review=_review_status(r["agreed"], r["resolution"], r["revision"]),
        )
        for r in rows
    ]


def _opt(value: Value) -> str | None:
    return None if value is None else str(value)


def _review_status(agreed: Value, resolution: Value, revision: Value) -> str | None:
    """The review status of a link from its graph values, by the records' own rule
    (``review_status``): a link not agreed with no resolution is "awaiting resolution" (its
    second judgement differs and no resolution activity influenced it: ``ontology/shapes.ttl``).
    None: no second review recorded. ``agreed`` in any lexical form of xsd:boolean."""
    if agreed is None:
        return None
    return review_status(str(agreed).lower() in ("true", "1"), _opt(resolution), _opt(revision))


def _kind_slug(kind: str) -> str:
    return {
        "EmpiricalAssertion": "empirical",
        "Recommendation": "recommendation",
        "BenefitClaim": "benefit",
        "Definition": "definition",
    }.get(kind, kind)

"""The links' second review: agreement between two independent judgements, and how each
disagreement was resolved (as systematic reviews report it: two judgements, agreement, resolution).

Read from the curated records (``reviews.yaml`` beside ``links.yaml``). ``blind_item`` is what
the second reviewer is shown of a link (the Curate page): the claim's words, the reference and
what it is recorded to report, never the first judgement; ``resolve_item`` is what the person
resolving a disagreement is shown: the same, with both judgements and their reasons. Cohen's
kappa is written out here (a dozen lines) rather than pulled in with scikit-learn or statsmodels
for one formula; ``tests/evidence/test_review.py`` checks it against a published worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

from kb.errors import KbError
from kb.records.checks import awaiting_resolution
from kb.records.models import Finding, LinkReview, Reference, Stance, WorksheetData
from kb.records.names import short_label

__all__ = [
    "STANCES",
    "BlindItem",
    "ResolveItem",
    "ReviewSummary",
    "awaiting",
    "blind_item",
    "cohen_kappa",
    "resolve_item",
    "review_summary",
    "unreviewed",
]

STANCES: tuple[str, ...] = get_args(Stance)  # the records' vocabulary, in its order


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels: (observed - chance agreement) / (1 - chance).

    None when there is nothing to rate, or when chance agreement is already total (both raters
    gave one and the same label to everything), where kappa is undefined.
    """
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(first[label] * second[label] for label in first) / (n * n)
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


@dataclass
class ReviewSummary:
    """Agreement over a worksheet's links, per stance and overall, and every disagreement."""

    worksheet: str
    reviewed: bool
    first_reviewer: str | None = None
    first_method: str | None = None
    first_date: str | None = None
    second_reviewer: str | None = None
    second_method: str | None = None
    second_date: str | None = None
    resolved_by: str | None = None
    resolution_date: str | None = None
    procedure: str | None = None
    links: int = 0
    agreed: int = 0
    stance_agreement: float | None = None
    directness_agreement: float | None = None
    percent_agreement: float | None = None
    kappa_stance: float | None = None
    kappa_directness: float | None = None
    per_stance: dict[str, dict[str, Any]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON)."""
        return asdict(self)


def review_summary(ws: WorksheetData) -> ReviewSummary:
    """Agreement of the two judgements of every link of one worksheet, and the resolutions."""
    rnd = ws.review_round
    if rnd is None:
        return ReviewSummary(worksheet=ws.worksheet.id, reviewed=False, links=len(ws.links))
    reviews = ws.reviews
    links = {link.id: link for link in ws.links}
    n = len(reviews)
    stance_pairs = [(r.first.stance, r.second.stance) for r in reviews]
    direct_pairs = [(r.first.directness, r.second.directness) for r in reviews]
    return ReviewSummary(
        worksheet=ws.worksheet.id,
        reviewed=True,
        first_reviewer=rnd.first_reviewer,
        first_method=rnd.first_method,
        first_date=rnd.first_date.isoformat(),
        second_reviewer=rnd.second_reviewer,
        second_method=rnd.second_method,
        second_date=rnd.second_date.isoformat(),
        resolved_by=rnd.resolved_by,
        resolution_date=rnd.resolution_date.isoformat(),
        procedure=rnd.procedure,
        links=n,
        agreed=sum(r.agreed for r in reviews),
        stance_agreement=_share(sum(a == b for a, b in stance_pairs), n),
        directness_agreement=_share(sum(a == b for a, b in direct_pairs), n),
        percent_agreement=_share(sum(r.agreed for r in reviews), n),
        kappa_stance=_round(cohen_kappa(stance_pairs)),
        kappa_directness=_round(cohen_kappa(direct_pairs)),
        per_stance=_per_stance(reviews),
        confusion={
            a: {b: sum(p == (a, b) for p in stance_pairs) for b in STANCES} for a in STANCES
        },
        disagreements=[
            {
                "link": r.link,
                "first": f"{r.first.stance}/{r.first.directness}",
                "second": f"{r.second.stance}/{r.second.directness}",
                "final": f"{links[r.link].stance}/{links[r.link].directness}",
                "resolution": r.resolution,
                "revised": r.revision is not None,
            }
            for r in reviews
            if not r.agreed
        ],
        revisions=[
            {
                "link": r.link,
                "reviewed": f"{r.first.stance}/{r.first.directness}"
                if r.agreed
                else f"{r.first.stance}/{r.first.directness} and "
                f"{r.second.stance}/{r.second.directness}",
                "final": f"{links[r.link].stance}/{links[r.link].directness}",
                "revision": r.revision,
            }
            for r in reviews
            if r.revision
        ],
        corrections=[{"link": r.link, "correction": r.correction} for r in reviews if r.correction],
    )


@dataclass(frozen=True)
class BlindItem:
    """What a second reviewer judges a link from: the claim (its words as the worksheet prints
    them, kind and section), the reference (short label and title) and the findings recorded
    for that reference (or none: title only). Nothing of the first judgement: no stance,
    directness, basis, rationale, chosen findings or curator."""

    link: str
    claim: str
    quote: str
    kind: str
    section: str
    reference: str
    label: str
    title: str
    findings: tuple[Finding, ...]


def unreviewed(ws: WorksheetData) -> list[str]:
    """The ids of the links without a second review, in the order of the links file."""
    reviewed = {r.link for r in ws.reviews}
    return [x.id for x in ws.links if x.id not in reviewed]


def blind_item(ws: WorksheetData, refs: Mapping[str, Reference], link_id: str) -> BlindItem:
    """The blind view of one link of a worksheet (``KbError`` when no such link)."""
    link = next((x for x in ws.links if x.id == link_id), None)
    if link is None:
        raise KbError("no such link", path=f"{ws.worksheet.id}/links.yaml", record=link_id)
    claim = next(c for c in ws.claims if c.id == link.claim)
    ref = refs.get(link.reference)
    names = [a.family or a.literal or "" for a in ref.authors] if ref else []
    return BlindItem(
        link=link.id,
        claim=claim.id,
        quote=claim.quote,
        kind=claim.kind,
        section=claim.section,
        reference=link.reference,
        label=short_label(names, ref.year) if ref else link.reference,
        title=ref.title if ref else "(not in the bib)",
        findings=tuple(f for f in ws.findings if f.reference == link.reference),
    )


def awaiting(ws: WorksheetData) -> list[str]:
    """The ids of the links awaiting resolution (two judgements that differ, no resolution)."""
    return awaiting_resolution(ws)


@dataclass(frozen=True)
class ResolveItem:
    """What the person resolving a disagreement is shown: the blind view of the link, and both
    judgements with who made them, when and why (the first curator's basis and rationale, the
    second reviewer's reasons)."""

    blind: BlindItem
    first: str
    curator: str
    curated: str
    basis: str
    rationale: str
    second: str
    reviewer: str | None
    reviewed: str | None
    reasons: str | None
    now: str  # the link's judgement as it stands (the first, unless edited since)


def resolve_item(ws: WorksheetData, refs: Mapping[str, Reference], link_id: str) -> ResolveItem:
    """Both judgements of one link awaiting resolution (``KbError`` when it is not)."""
    review = next((r for r in ws.reviews if r.link == link_id), None)
    if review is None or not review.awaiting:
        raise KbError(
            "not awaiting resolution", path=f"{ws.worksheet.id}/reviews.yaml", record=link_id
        )
    link = next(x for x in ws.links if x.id == link_id)
    return ResolveItem(
        blind=blind_item(ws, refs, link_id),
        first=f"{review.first.stance}/{review.first.directness}",
        curator=link.curator,
        curated=link.date.isoformat(),
        basis=link.basis,
        rationale=link.rationale,
        second=f"{review.second.stance}/{review.second.directness}",
        reviewer=review.reviewer,
        reviewed=review.reviewed.isoformat() if review.reviewed else None,
        reasons=review.reasons,
        now=f"{link.stance}/{link.directness}",
    )


def _per_stance(reviews: Sequence[LinkReview]) -> dict[str, dict[str, Any]]:
    """Per stance: how often each reviewer gave it, how often both did, and the specific
    (positive) agreement 2·both / (first + second)."""
    out: dict[str, dict[str, Any]] = {}
    for stance in STANCES:
        first = sum(r.first.stance == stance for r in reviews)
        second = sum(r.second.stance == stance for r in reviews)
        both = sum(r.first.stance == stance == r.second.stance for r in reviews)
        out[stance] = {
            "first": first,
            "second": second,
            "both": both,
            "agreement": _round(2 * both / (first + second)) if first + second else None,
        }
    return out


def _share(count: int, n: int) -> float | None:
    return round(count / n, 3) if n else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)

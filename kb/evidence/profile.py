"""Evidence profiles per skill, and the knowledge base's gaps, computed from the RDF graph.

Every number comes from SPARQL over ``base.store`` (``kb.evidence.queries``); the rating rules
are plain Python over those rows (``kb.evidence.rating``). A profile is a reading aid for
the worksheet's evidence, not a clinical verdict (``DISCLAIMER``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kb.evidence import queries as q
from kb.evidence.rating import (
    ASPECT_LABELS,
    ASPECTS,
    EVIDENCE_KINDS,
    LinkRow,
    Rating,
    RefInfo,
    rate,
)
from kb.evidence.support import claim_support
from kb.records.names import reference_label

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase, SkillRef

__all__ = [
    "Gaps",
    "SkillProfile",
    "gaps",
    "link_rows",
    "profile",
    "profiles",
    "reference_info",
]

# A risk-of-bias term's local name -> its curated value.
_BIAS = {
    "LowRiskOfBias": "low",
    "SomeConcernsOfBias": "some-concerns",
    "SeriousRiskOfBias": "serious",
    "RiskOfBiasNotAssessable": "not-assessable",
}


@dataclass
class SkillProfile:
    """A skill's evidence profile: counts, peer-review share, years, gaps and two ratings (its
    advice and its stated reasons); ``rating``, ``reasons`` and ``summary`` are the advice's."""

    worksheet: str
    slug: str
    title: str
    order: int
    n_references: int
    counts_by_design: dict[str, int]
    counts_by_level: dict[str, int]
    peer_reviewed_share: float
    oldest_year: int | None
    newest_year: int | None
    grey_only_claims: list[str]
    unsupported_claims: list[str]
    rating: str
    reasons: list[str]
    summary: str
    n_claims: int = 0
    references: list[str] = field(default_factory=list)
    supporting_references: list[str] = field(default_factory=list)
    advice: Rating | None = None
    premises: Rating | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for JSON), each rating with what it is about."""
        out = asdict(self)
        for name in ASPECTS:
            out[name]["about"] = ASPECT_LABELS[name]
        return out


@dataclass
class Gaps:
    """Where the evidence is thin: claims, references and skills to look at first."""

    unsupported_claims: list[dict[str, Any]]
    grey_only_claims: list[dict[str, Any]]
    unused_references: list[dict[str, Any]]
    very_low_skills: list[dict[str, Any]]

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Plain data (for JSON)."""
        return asdict(self)


def _names(row: Mapping[str, object]) -> list[str]:
    """The first three authors' names of a REFERENCES row (for the short label)."""
    names = [row.get(k) for k in ("firstAuthor", "secondAuthor", "thirdAuthor")]
    return [str(n) for n in names if n is not None]


def reference_info(base: KnowledgeBase, keys: Iterable[str] | None = None) -> dict[str, RefInfo]:
    """Design, level, peer review, year and label of every cited reference (or of ``keys``)."""
    out: dict[str, RefInfo] = {}
    if keys is None:
        rows = base.store.select(q.REFERENCES)
    else:  # one bound query per reference: a profile need not scan a large corpus
        rows = [
            row
            for key in sorted(set(keys))
            for row in base.store.select(q.REFERENCES, {"key": key})
        ]
    for row in rows:
        key = str(row["key"])
        year = row["year"] if isinstance(row["year"], int) else None
        level = str(row["level"]) if row["level"] is not None else ""
        unconfirmed = row.get("unconfirmed") is not None
        out[key] = RefInfo(
            key=key,
            label=reference_label(_names(row) or [key], year, unconfirmed=unconfirmed),
            design=_opt(row["design"]),
            level=int(level) if level.isdigit() else None,
            peer_reviewed=row["peer"] if isinstance(row["peer"], bool) else None,
            year=year,
            rationale=_opt(row["rationale"]),
            risk_of_bias=_BIAS.get(str(row.get("bias"))),
            unconfirmed=unconfirmed,
        )
    return dict(sorted(out.items()))


def profiles(base: KnowledgeBase) -> list[SkillProfile]:
    """The profile of every skill, worksheet by worksheet, in worksheet order."""
    return _profiles(base, base.store.select(q.SKILL_LINKS), reference_info(base))


def profile(base: KnowledgeBase, skill: str | int | SkillRef) -> SkillProfile:
    """One skill's profile (number, slug or SkillRef); an unknown skill raises KbError (exit 1)."""
    ref = base.skill(skill) if isinstance(skill, str | int) else skill
    rows = base.store.select(q.SKILL_LINKS, {"skill": ref.iri})
    keys = [str(r["key"]) for r in rows if r.get("key") is not None]
    return _profiles(base, rows, reference_info(base, keys))[0]


def _profiles(
    base: KnowledgeBase, rows: list[dict[str, Any]], refs: dict[str, RefInfo]
) -> list[SkillProfile]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(row["skill"]), []).append(row)
    out = [_profile(group, refs) for group in grouped.values()]
    return sorted(out, key=lambda p: (p.worksheet, p.order))


def link_rows(rows: list[dict[str, Any]]) -> list[LinkRow]:
    """One LinkRow per (claim, reference) of query rows that give one row per finding (a link
    resting only on theory or opinion findings is marked as such)."""
    kinds: dict[tuple[str, str | None], set[str]] = {}
    for r in rows:
        if r["claimId"] is not None:
            found = kinds.setdefault((str(r["claimId"]), _opt(r["key"])), set())
            if r.get("findingKind") is not None:
                found.add(str(r["findingKind"]))
    return [
        LinkRow(
            claim=str(r["claimId"]),
            kind=str(r["kind"]),
            key=_opt(r["key"]),
            stance=_opt(r["stance"]),
            directness=_opt(r["directness"]),
            # no finding recorded (a title-only link, or data from before findings): judged by
            # its reference's design alone
            empirical=not kinds[(str(r["claimId"]), _opt(r["key"]))]
            or bool(kinds[(str(r["claimId"]), _opt(r["key"]))] & EVIDENCE_KINDS),
        )
        for r in _first_rows(rows)
        if r["claimId"] is not None
    ]


def _profile(rows: list[dict[str, Any]], refs: dict[str, RefInfo]) -> SkillProfile:
    head = rows[0]
    links = link_rows(rows)
    claims = sorted({x.claim for x in links})
    keys = sorted({x.key for x in links if x.key})
    linked = [refs[k] for k in keys if k in refs]
    supported = {x.claim for x in links if x.stance == "supports"}
    grey_only = [
        c
        for c in claims
        if c in supported
        and all(
            refs[x.key].grey for x in links if x.claim == c and x.stance == "supports" and x.key
        )
    ]
    advice = rate(links, refs, "advice")
    premises = rate(links, refs, "premises")
    years = [r.year for r in linked if r.year is not None]
    return SkillProfile(
        worksheet=str(head["worksheet"]),
        slug=str(head["slug"]),
        title=str(head["title"]),
        order=int(head["order"]),
        n_references=len(linked),
        counts_by_design=_counts(r.design or "unknown" for r in linked),
        counts_by_level=_counts(str(r.level) if r.level else "unknown" for r in linked),
        peer_reviewed_share=round(sum(r.peer_reviewed is True for r in linked) / len(linked), 3)
        if linked
        else 0.0,
        oldest_year=min(years, default=None),
        newest_year=max(years, default=None),
        grey_only_claims=grey_only,
        unsupported_claims=[c for c in claims if c not in supported],
        rating=advice.rating,
        reasons=advice.reasons,
        summary=advice.summary,
        n_claims=len(claims),
        references=keys,
        supporting_references=sorted({x.key for x in links if x.key and x.stance == "supports"}),
        advice=advice,
        premises=premises,
    )


def gaps(base: KnowledgeBase) -> Gaps:
    """Claims with no support or only grey support, references supporting nothing, and
    skills whose advice is rated very low (each row's ``advice_rating``, the rating its list
    is chosen by, beside the rating of its stated reasons)."""
    refs = reference_info(base)
    unsupported, grey_only = [], []
    supporting: set[str] = set()
    for c in claim_support(base, refs):
        supporting.update(c.supporting)
        entry: dict[str, Any] = {
            "worksheet": c.worksheet,
            "claim": c.claim,
            "section": c.section,
            "quote": c.quote,
        }
        if c.status in ("background-only", "none"):
            unsupported.append(entry | {"other_links": [f"{k} ({s})" for k, s in c.links]})
        elif c.status == "grey-only":
            grey_only.append(entry | {"references": c.supporting})
    unused = [
        {"key": r.key, "label": r.label, "design": r.design, "level": r.level}
        for r in refs.values()
        if r.key not in supporting
    ]
    very_low = [
        {
            "worksheet": p.worksheet,
            "order": p.order,
            "skill": p.slug,
            "summary": p.summary,
            "advice_rating": p.rating,
            "reasons_rating": p.premises.rating if p.premises else None,
        }
        for p in profiles(base)
        if p.rating == "very low"
    ]
    return Gaps(unsupported, grey_only, unused, very_low)


def _first_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (claim, reference): the query gives one per finding the link rests on."""
    seen: set[tuple[object, object]] = set()
    out = []
    for r in rows:
        mark = (r["claimId"], r["key"])
        if mark not in seen:
            seen.add(mark)
            out.append(r)
    return out


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def _opt(value: object) -> str | None:
    return None if value is None else str(value)

"""`kb gaps`'s lists as the Gaps & Audit page names things (the page's data is
``kb.browse.gaps``, built on these rows), answered by the store alone: a reopened store reads no
input.

Claims go by their number on the annotated worksheet ("Claim 12"; among several worksheets
"creating-secure-attachment, Claim 12", ``kb.core.numbering``), skills as "Skill 2. Examine your
beliefs", references as "Author (year)", flagged "may not exist" where their existence is
unconfirmed (``kb.browse.labels``); ids stay as extra fields (``claim_id``, ``key``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.browse.labels import ClaimName, ReferenceName, claim_names, reference_names
from kb.core.knowledge_base import KnowledgeBase
from kb.core.numbering import claim_order, in_worksheet
from kb.evidence.profile import gaps
from kb.records.models import DESIGN_LABELS

__all__ = [
    "ClaimGap",
    "GapLists",
    "LinkName",
    "RatedSkill",
    "UnusedReference",
    "gap_lists",
    "title_only_listing",
]


@dataclass(frozen=True)
class LinkName:
    """One link as people read it: ``Claim 12`` or ``Zhang (2012, may not exist)``, with its
    stance; ``claim_id`` and ``key`` kept for pages that open it."""

    shown: str
    stance: str
    key: str
    claim_id: str

    @property
    def text(self) -> str:
        """``Zhang (2012, may not exist) (background)``."""
        return f"{self.shown} ({self.stance})"


@dataclass(frozen=True)
class ClaimGap:
    """A claim with no supporting link, or supported by grey literature only: ``claim`` its
    name, ``place`` its skill ("Skill 2. Examine your beliefs") or section, ``links`` the
    references linked to it by name."""

    worksheet: str
    claim_id: str
    claim: str
    section: str
    place: str
    quote: str
    links: list[LinkName]

    def record(self) -> dict[str, object]:
        """Plain data for JSON: the names, with the ids beside them."""
        return {
            "worksheet": self.worksheet,
            "claim": self.claim,
            "claim_id": self.claim_id,
            "section": self.section,
            "place": self.place,
            "quote": self.quote,
            "links": [{"reference": x.shown, "key": x.key, "stance": x.stance} for x in self.links],
        }


@dataclass(frozen=True)
class UnusedReference:
    """A reference that supports no claim, by name, with its design and level."""

    key: str
    reference: str
    may_not_exist: bool
    design: str | None
    design_label: str
    level: int | None

    def record(self) -> dict[str, object]:
        """Plain data for JSON: the name, the key, the design (its code) and the level."""
        return {
            "reference": self.reference,
            "key": self.key,
            "may_not_exist": self.may_not_exist,
            "design": self.design,
            "level": self.level,
        }


@dataclass(frozen=True)
class RatedSkill:
    """A skill in a list headed by a rating: ``rating`` is the rating the heading names;
    ``shown`` its name ("Skill 2. Examine your beliefs", after its worksheet's id among
    several)."""

    worksheet: str
    order: int
    slug: str
    title: str
    shown: str
    rating: str
    reasons_rating: str | None
    summary: str

    def record(self) -> dict[str, object]:
        """Plain data for JSON: ``skill`` its slug (as before), its title and ratings."""
        return {
            "worksheet": self.worksheet,
            "order": self.order,
            "skill": self.slug,
            "title": self.title,
            "summary": self.summary,
            "advice_rating": self.rating,
            "reasons_rating": self.reasons_rating,
        }


@dataclass(frozen=True)
class GapLists:
    """What `kb gaps` lists besides the title-only sources, as the Gaps & Audit page names it."""

    unsupported: list[ClaimGap]
    grey_only: list[ClaimGap]
    very_low_skills: list[RatedSkill]
    unused_references: list[UnusedReference]

    def record(self) -> dict[str, list[dict[str, object]]]:
        """Plain data for JSON, under the keys `kb gaps --format json` has always used."""
        return {
            "unsupported_claims": [r.record() for r in self.unsupported],
            "grey_only_claims": [r.record() for r in self.grey_only],
            "unused_references": [r.record() for r in self.unused_references],
            "very_low_skills": [r.record() for r in self.very_low_skills],
        }


def _skills(base: KnowledgeBase) -> dict[tuple[str, str], tuple[int, str]]:
    """(worksheet, skill slug) -> the skill's number and title, from the store."""
    return {
        (str(r["worksheet"]), str(r["slug"])): (int(str(r["order"])), str(r["title"]))
        for r in base.skills_table()
    }


def _skill_name(order: int, title: str) -> str:
    """``Skill 2. Examine your beliefs``, as the Skills page heads a skill."""
    return f"Skill {order}. {title}"


def gap_lists(base: KnowledgeBase, ws: str | None = None) -> GapLists:
    """`kb gaps`'s claims with no supporting link or only grey support, skills whose advice is
    rated very low, and references supporting nothing (``kb.evidence.profile.gaps``), named as
    the page names them, for the worksheets in scope; from the store alone."""
    found = gaps(base)
    names = reference_names(base)
    claims = claim_names(base, ws)
    skills = _skills(base)

    def link(key: str, stance: str, claim: str) -> LinkName:
        name = names.get(key) or ReferenceName(key, key)
        return LinkName(name.shown, stance, key, claim)

    def claim_gap(row: dict[str, object], links: list[LinkName]) -> ClaimGap:
        wid, cid, section = str(row["worksheet"]), str(row["claim"]), str(row["section"])
        skill = skills.get((wid, section))
        return ClaimGap(
            worksheet=wid,
            claim_id=cid,
            claim=(claims.get((wid, cid)) or ClaimName(wid, cid, None)).shown,
            section=section,
            place=_skill_name(*skill) if skill else section.capitalize(),
            quote=str(row["quote"]),
            links=links,
        )

    unsupported = [
        claim_gap(r, [link(k, s, str(r["claim"])) for k, s in _pairs(r["other_links"])])
        for r in found.unsupported_claims
        if ws is None or r["worksheet"] == ws
    ]
    grey = [
        claim_gap(r, [link(k, "supports", str(r["claim"])) for k in r["references"]])
        for r in found.grey_only_claims
        if ws is None or r["worksheet"] == ws
    ]
    several = len({w for w, _ in skills if ws is None or w == ws}) > 1
    very_low = []
    for r in found.very_low_skills:
        wid, slug = str(r["worksheet"]), str(r["skill"])
        if ws is not None and wid != ws:
            continue
        order, title = skills.get((wid, slug), (int(r["order"]), slug))
        very_low.append(
            RatedSkill(
                worksheet=wid,
                order=order,
                slug=slug,
                title=title,
                shown=in_worksheet(wid, _skill_name(order, title), several=several),
                rating=str(r["advice_rating"]),
                reasons_rating=r["reasons_rating"],
                summary=str(r["summary"]),
            )
        )
    unused = []
    for r in found.unused_references:
        key, design = str(r["key"]), r["design"]
        name = names.get(key) or ReferenceName(key, key)
        unused.append(
            UnusedReference(
                key=key,
                reference=name.shown,
                may_not_exist=name.unconfirmed,
                design=design,
                design_label=DESIGN_LABELS.get(str(design or ""), "design not recorded"),
                level=r["level"],
            )
        )
    return GapLists(unsupported, grey, very_low, unused)


def _pairs(texts: list[str]) -> list[tuple[str, str]]:
    """``["zhang2012 (background)"]`` (as ``kb.evidence.profile.gaps`` lists other links) ->
    ``[("zhang2012", "background")]``."""
    return [(m[1], m[2]) for t in texts if (m := re.fullmatch(r"(\S+) \((.+)\)", t))]


def title_only_listing(base: KnowledgeBase) -> list[dict[str, object]]:
    """What `kb gaps` lists of the sources known by their title only, answered by the store
    alone (a reopened store reads no input): each reference as "Author (year)", with every link
    to it by worksheet, claim (named as the dashboard names it, ``claim_names``: "Claim 12"; its
    id kept as ``claim_id``) and stance, references in key order, links in claim order
    (``claim_order``)."""
    from kb.evidence import queries as q

    names = reference_names(base)
    claims = claim_names(base)
    found: dict[str, dict[str, object]] = {}
    links: dict[str, list[tuple[ClaimName, dict[str, str]]]] = {}
    for row in base.store.select(q.TITLE_ONLY_LINKS):
        key = str(row["key"])
        name = names.get(key) or ReferenceName(key, key)
        found.setdefault(key, {"key": key, "name": name.shown, "unconfirmed": name.unconfirmed})
        mine = links.setdefault(key, [])
        if row.get("claimId") is not None:
            wid, cid = str(row["worksheet"]), str(row["claimId"])
            claim = claims.get((wid, cid)) or ClaimName(wid, cid, None)
            link = {"worksheet": wid, "claim": claim.shown, "claim_id": cid,
                    "stance": str(row["stance"])}  # fmt: skip
            mine.append((claim, link))
    for mine in links.values():
        mine.sort(key=lambda pair: claim_order(pair[0]))
    return [found[k] | {"links": [link for _, link in links[k]]} for k in sorted(found)]

"""Strict typed records for everything the knowledge base holds.

Curated files are validated against these models: unknown keys, bad enum values and
wrong types fail with the file, the record id and the field named (see ``curation.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kb.records.names import slug

__all__ = [
    "DESIGN_LABELS",
    "EVIDENCE_LEVELS",
    "FINDING_KIND_LABELS",
    "SECTIONS_FIXED",
    "Author",
    "Basis",
    "Claim",
    "ClaimKind",
    "Directness",
    "EvidenceLink",
    "Facet",
    "Finding",
    "FindingKind",
    "Judgement",
    "LinkReview",
    "Reference",
    "ReferenceNote",
    "ReviewRound",
    "Skill",
    "Stance",
    "Status",
    "StudyDesign",
    "TextRead",
    "Topic",
    "Worksheet",
    "WorksheetData",
    "review_status",
]

Stance = Literal["supports", "qualifies", "contradicts", "background"]
ClaimKind = Literal["empirical", "recommendation", "definition"]
Facet = Literal["thoughts", "emotions", "behaviors"]
# What a link rests on: the reference's title only, its abstract, or its full text (for a web
# page, the page itself). Abstract and full-text links name the findings they rest on.
Basis = Literal["title", "abstract", "full-text"]
# How much of a reference anyone here has read: the most a link to it can rest on.
TextRead = Literal["title", "abstract", "full-text"]
# What kind of statement a recorded finding is.
FindingKind = Literal["result", "conclusion", "theory", "opinion"]
FINDING_KIND_LABELS: dict[str, str] = {
    "result": "a study's result",
    "conclusion": "a review's conclusion",
    "theory": "a theoretical position",
    "opinion": "an opinion or popular account",
}
Directness = Literal["direct", "indirect"]
StudyDesign = Literal[
    "longitudinal",
    "cross-sectional",
    "experimental",
    "dyadic-observational",
    "review",
    "theory",
    "web-article",
    "blog",
    "empirical-unspecified",
]
DESIGN_LABELS: dict[str, str] = {
    "longitudinal": "longitudinal study",
    "cross-sectional": "cross-sectional study",
    "experimental": "experiment",
    "dyadic-observational": "dyadic observational study",
    "review": "review",
    "theory": "theory",
    "web-article": "web article",
    "blog": "blog post",
    "empirical-unspecified": "empirical study (design not stated)",
}
# The evidence scale every reference's ``level`` is on (README, "Evidence profiles"): a simple
# ordinal scale after the Oxford CEBM 2011 levels; 1 is the strongest design, 6 the weakest.
EVIDENCE_LEVELS: dict[int, str] = {
    1: "systematic review or meta-analysis",
    2: "experiment or controlled trial",
    3: "longitudinal observational study",
    4: "cross-sectional or other observational study, or an empirical design not stated",
    5: "review, theory or expert opinion in a scholarly journal",
    6: "grey literature: web article, news item or blog post",
}
SECTIONS_FIXED = ("introduction", "summary")
# A record a tool proposed (``kb new``, ``kb suggest``) is ``proposed`` until a curator accepts
# it: it is checked like any record but left out of the graph, profiles, gaps and ratings.
Status = Literal["accepted", "proposed"]

M = TypeVar("M", bound=BaseModel)
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY = r"^[A-Za-z][A-Za-z0-9_-]*$"


class Strict(BaseModel):
    """Base for every curated record: unknown keys fail, values are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Worksheet(Strict):
    """The worksheet itself; its skills and claims belong to it."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    publisher: str | None = None
    demographics: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    note: str | None = None


class Skill(Strict):
    """One of the worksheet's key skills."""

    order: int = Field(ge=1)
    slug: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    paragraphs: list[str] = Field(min_length=1)
    bullet: str = Field(min_length=1)
    facets: list[Facet] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    status: Status = "accepted"

    @model_validator(mode="after")
    def _judged_when_accepted(self) -> Skill:
        return _needs_when_accepted(self, "facets", "topics")


class Claim(Strict):
    """A statement of the worksheet that evidence could bear on, anchored to its exact words."""

    id: str = Field(pattern=SLUG)
    section: str = Field(pattern=SLUG)
    kind: ClaimKind
    quote: str = Field(min_length=1)
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    orphaned: bool = False
    status: Status = "accepted"


class EvidenceLink(Strict):
    """A curator's judgement that a reference bears on a claim, and how."""

    claim: str = Field(pattern=SLUG)
    reference: str = Field(pattern=KEY)
    stance: Stance
    directness: Directness
    basis: Basis
    findings: list[str] = Field(default_factory=list)
    rationale: str = Field(min_length=20)
    curator: str = Field(min_length=1)
    date: dt.date
    status: Status = "accepted"

    @property
    def id(self) -> str:
        """The link's id, minted from the claim and the reference."""
        return f"{self.claim}--{self.reference}"

    @field_validator("rationale")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("a rationale is one sentence on one line")
        return value


class ReferenceNote(Strict):
    """What the worksheet prints for a reference, and the curator's notes on it."""

    key: str = Field(pattern=KEY)
    number: int = Field(ge=1)
    printed: str = Field(min_length=1)
    topics: list[str] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list)
    verification_note: str | None = None
    background_only: str | None = None
    design: StudyDesign | None = None
    peer_reviewed: bool | None = None
    level: int | None = Field(default=None, ge=1, le=max(EVIDENCE_LEVELS))
    design_rationale: str | None = None
    known_from: TextRead | None = None
    search_note: str | None = None
    status: Status = "accepted"

    @model_validator(mode="after")
    def _judged_when_accepted(self) -> ReferenceNote:
        return _needs_when_accepted(self, "topics")

    @field_validator("design_rationale", "search_note")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and "\n" in value.strip():
            raise ValueError("one sentence on one line")
        return value


def _needs_when_accepted(record: M, *fields: str) -> M:
    """An accepted record names at least one of each of ``fields``; a proposed one may not yet."""
    if record.status == "accepted":  # type: ignore[attr-defined]
        for name in fields:
            if not getattr(record, name):
                raise ValueError(
                    f"'{name}' needs at least one value once accepted (status: proposed "
                    "records may leave it empty)"
                )
    return record


class Finding(Strict):
    """What a source reports, in our own words, with where and when it was read.

    A finding states only what the page it was read on says (an abstract, a named section, a web
    page's body); facts carry over, the source's wording does not.
    """

    id: str = Field(pattern=SLUG)
    reference: str = Field(pattern=KEY)
    kind: FindingKind
    statement: str = Field(min_length=20)
    url: str = Field(pattern=r"^https?://\S+$")
    part: str = Field(min_length=3)
    read: dt.date
    reader: str = Field(min_length=1)

    @field_validator("statement")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value.strip():
            raise ValueError("a finding is one or two sentences on one line")
        return value


class Judgement(Strict):
    """One reviewer's stance and directness for a link."""

    stance: Stance
    directness: Directness


class LinkReview(Strict):
    """Two independent judgements of one link and, where they differ, how that was resolved.

    The link in ``links.yaml`` holds the final judgement: the agreed one, or the resolution; a
    link changed after its review (say, on a later reviewer's report) says so in ``revision``.
    ``reviewer`` names who made the second judgement of this link, where it is recorded per link
    (the Curate page asks for it); the review round names the reviewers of the whole worksheet.
    """

    link: str = Field(pattern=r"^[a-z0-9-]+--[A-Za-z][A-Za-z0-9_-]*$")
    first: Judgement
    second: Judgement
    resolution: str | None = None
    revision: str | None = None
    reviewer: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[^\n]+$")

    @property
    def agreed(self) -> bool:
        """Both reviewers gave the same stance and directness."""
        return self.first == self.second

    @property
    def status(self) -> str:
        """This link's review status in words (``review_status``)."""
        return review_status(self.agreed, self.resolution, self.revision)


def review_status(agreed: bool, resolution: str | None, revision: str | None) -> str:
    """A reviewed link's status: "revised after review: WHY", "agreed" or "resolved: HOW"."""
    if revision:
        return f"revised after review: {revision}"
    if agreed:
        return "agreed"
    return f"resolved: {resolution}" if resolution else "resolved"


class ReviewRound(Strict):
    """Who made the two judgements of a worksheet's links, how, and when, and who resolved."""

    first_reviewer: str = Field(min_length=1)
    first_method: str = Field(min_length=10)
    first_date: dt.date
    second_reviewer: str = Field(min_length=1)
    second_method: str = Field(min_length=10)
    second_date: dt.date
    resolved_by: str = Field(min_length=1)
    resolution_date: dt.date


class Topic(Strict):
    """A SKOS concept: one of the site's topics or demographics, or a narrower attachment topic."""

    id: str = Field(pattern=SLUG)
    label: str = Field(min_length=1)
    scheme: Literal["site-topics", "demographics"]
    broader: str | None = Field(default=None, pattern=SLUG)
    definition: str | None = None


class Author(Strict):
    """A person (family and given names as printed) or an organisation (``literal``)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    @property
    def is_organization(self) -> bool:
        """True for a corporate author such as a university department."""
        return self.literal is not None

    @property
    def display(self) -> str:
        """``Family, G.`` or the organisation's name."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else str(self.family)

    @property
    def person_id(self) -> str:
        """A normalised id merging one person across references: family + first initial."""
        if self.literal:
            return slug(self.literal)
        initial = (self.given or "").strip()[:1]
        return slug(f"{self.family} {initial}")


class Reference(Strict):
    """One bibliographic record from ``references.bib``."""

    key: str = Field(pattern=KEY)
    entry_type: Literal["article", "online"]
    authors: list[Author] = Field(min_length=1)
    title: str = Field(min_length=1)
    year: int | None = None
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    journal: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    publisher: str | None = None
    kind: Literal["news", "blog", "webpage", "article"] = "article"
    line: int = 0

    @property
    def first_author(self) -> Author:
        """The first author as printed."""
        return self.authors[0]

    @property
    def page_range(self) -> tuple[str, str] | None:
        """Start and end page (full range), or None."""
        if not self.pages:
            return None
        parts = re.split(r"-+|–", self.pages)
        if len(parts) == 1:
            return parts[0], parts[0]
        return parts[0].strip(), parts[-1].strip()


class WorksheetData(BaseModel):
    """Everything curated for one worksheet, validated and cross-checked."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    worksheet: Worksheet
    text: str
    skills: list[Skill]
    claims: list[Claim]
    links: list[EvidenceLink]
    references: list[ReferenceNote]
    topics: list[Topic]
    findings: list[Finding] = Field(default_factory=list)
    review_round: ReviewRound | None = None
    reviews: list[LinkReview] = Field(default_factory=list)

    def accepted(self) -> WorksheetData:
        """The worksheet as curators accepted it: proposed skills, claims, links and reference
        notes left out (what the graph, profiles, gaps and ratings are built from)."""
        return self.model_copy(
            update={
                name: [r for r in getattr(self, name) if r.status == "accepted"]
                for name in ("skills", "claims", "links", "references")
            }
        )

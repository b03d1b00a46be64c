"""Strict typed records for everything the knowledge base holds.

Curated files are validated against these models: unknown keys, bad enum values and
wrong types fail with the file, the record id and the field named (see ``curation.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kb.iri import doi_problem, iri_problem
from kb.records.names import slug
from kb.records.vocab import (
    AWAITING_RESOLUTION,
    BASIS_ORDER,
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    FINDING_KIND_LABELS,
    PAGE_OWNER_LABELS,
    PEER_REVIEW_LABELS,
    RISK_OF_BIAS_LABELS,
    Basis,
    BiasRating,
    ClaimKind,
    Directness,
    Facet,
    FindingKind,
    PageOwner,
    PeerReview,
    ReadExtent,
    Stance,
    StudyDesign,
    TextRead,
    review_status,
)

__all__ = [
    "AWAITING_RESOLUTION",
    "BASIS_ORDER",
    "DESIGN_LABELS",
    "EVIDENCE_LEVELS",
    "FINDING_KIND_LABELS",
    "PAGE_OWNER_LABELS",
    "PEER_REVIEW_LABELS",
    "RISK_OF_BIAS_LABELS",
    "SECTIONS_FIXED",
    "Author",
    "Basis",
    "BiasRating",
    "Claim",
    "ClaimKind",
    "Directness",
    "EvidenceLink",
    "Facet",
    "Finding",
    "FindingKind",
    "Judgement",
    "LinkReview",
    "PageOwner",
    "PeerReview",
    "ReadExtent",
    "Reference",
    "ReferenceNote",
    "ReviewRound",
    "RiskOfBias",
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


class RiskOfBias(Strict):
    """A reference's risk of bias, judged from what was read of it, with one reason per domain
    looked at (``sampling: ...``, ``design: ...``, ``self-report: ...``, ``attrition: ...``)."""

    rating: BiasRating
    reasons: list[str] = Field(min_length=1)

    @field_validator("reasons")
    @classmethod
    def _one_line_each(cls, value: list[str]) -> list[str]:
        for reason in value:
            if "\n" in reason.strip() or len(reason.strip()) < 10:
                raise ValueError("each reason is one line of at least 10 characters")
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
    peer_reviewed: PeerReview | None = None
    level: int | None = Field(default=None, ge=1, le=max(EVIDENCE_LEVELS))
    design_rationale: str | None = None
    known_from: TextRead | None = None
    search_note: str | None = None
    risk_of_bias: RiskOfBias | None = None
    status: Status = "accepted"

    @property
    def unconfirmed(self) -> bool:
        """Nothing seen here confirms the work exists as printed (``unverified: existence``)."""
        return "existence" in self.unverified

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
    page's body), at the source's own certainty ("suggest" stays "suggest"); facts carry over, the
    source's wording does not, and the curators' appraisal belongs in a link's rationale.
    ``part`` says precisely what was read, ``extent`` how much of the source that is (abstract,
    excerpt or full text) and ``page_owner`` whose page it was read on.
    """

    id: str = Field(pattern=SLUG)
    reference: str = Field(pattern=KEY)
    kind: FindingKind
    statement: str = Field(min_length=20)
    url: str

    @field_validator("url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        return _checked_url(value)

    part: str = Field(min_length=3)
    extent: ReadExtent
    page_owner: PageOwner
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

    The second judgement is recorded blind (the Curate page's second review): the reviewer's own
    stance and directness, with who made it (``reviewer``), when (``reviewed``) and why
    (``reasons``), whatever it says. Where it differs from the first, the link is *awaiting
    resolution* until someone who sees both judgements records ``resolution`` (how it was
    resolved), with who (``resolver``) and when (``resolved``); the Curate page's "Resolve
    disagreements" and ``kb review resolve`` do that, and set the link to the final judgement.

    The link in ``links.yaml`` holds the final judgement: the agreed one, or the resolution; a
    link changed after its review (say, on a later reviewer's report) says so in ``revision``.
    ``reviewer`` names who made the second judgement of this link, where it is recorded per link;
    the review round names the reviewers of the whole worksheet.
    """

    link: str = Field(pattern=r"^[a-z0-9-]+--[A-Za-z][A-Za-z0-9_-]*$")
    first: Judgement
    second: Judgement
    resolution: str | None = None
    resolver: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[^\n]+$")
    resolved: dt.date | None = None
    revision: str | None = None
    reviewer: str | None = Field(default=None, min_length=1, max_length=200, pattern=r"^[^\n]+$")
    reviewed: dt.date | None = None
    reasons: str | None = Field(default=None, min_length=1, pattern=r"^[^\n]+$")
    # A later, dated note that corrects what this record says (the record itself is kept as made).
    correction: str | None = None

    @model_validator(mode="after")
    def _resolver_with_resolution(self) -> LinkReview:
        if (self.resolver is not None or self.resolved is not None) and not self.resolution:
            raise ValueError(
                "'resolver' and 'resolved' go with a 'resolution' (how it was resolved)"
            )
        return self

    @property
    def agreed(self) -> bool:
        """Both reviewers gave the same stance and directness."""
        return self.first == self.second

    @property
    def awaiting(self) -> bool:
        """The two judgements differ and no resolution is recorded yet."""
        return not self.agreed and not self.resolution

    @property
    def status(self) -> str:
        """This link's review status in words (``review_status``)."""
        return review_status(self.agreed, self.resolution, self.revision)


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
    # What can be checked of this round's procedure (for a round made before packets were kept,
    # that its blindness cannot be verified).
    procedure: str | None = None


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
    doi: str | None = None
    url: str | None = None
    publisher: str | None = None
    kind: Literal["news", "blog", "webpage", "article"] = "article"
    line: int = 0

    @field_validator("url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        return None if value is None else _checked_url(value)

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        problem = None if value is None else doi_problem(value)
        if problem is not None:
            raise ValueError(
                f"DOI {value!r} is {problem}" if problem.startswith("not") else problem
            )
        return value

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
        notes left out (what the graph, profiles, gaps and ratings are built from), and with
        them the reviews of links left out."""
        kept: dict[str, list[object]] = {
            name: [r for r in getattr(self, name) if r.status == "accepted"]
            for name in ("skills", "claims", "links", "references")
        }
        links = {x.id for x in self.links if x.status == "accepted"}
        kept["reviews"] = [r for r in self.reviews if r.link in links]
        return self.model_copy(update=kept)


def _checked_url(value: str) -> str:
    """A web URL as the one validator accepts it (http or https, nothing N-Triples forbids)."""
    problem = iri_problem(value, schemes=("http", "https"))
    if problem is not None:
        raise ValueError(f"URL {value[:80]!r} {problem}")
    return value

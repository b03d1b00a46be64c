"""The curated vocabularies: the values a record's fields take, and their labels in words."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "AWAITING_RESOLUTION",
    "BASIS_ORDER",
    "DESIGN_LABELS",
    "EVIDENCE_LEVELS",
    "FINDING_KIND_LABELS",
    "PAGE_OWNER_LABELS",
    "PEER_REVIEW_LABELS",
    "RISK_OF_BIAS_LABELS",
    "Basis",
    "BiasRating",
    "ClaimKind",
    "Directness",
    "Facet",
    "FindingKind",
    "PageOwner",
    "PeerReview",
    "ReadExtent",
    "Stance",
    "StudyDesign",
    "TextRead",
    "review_status",
]

Stance = Literal["supports", "qualifies", "contradicts", "background"]
# What a claim is, and so how it is rated: a ``benefit`` claim says that following the advice
# brings a benefit ("... can help you ..."), a causal promise rated on the advice scale with the
# recommendations; ``empirical`` and ``definition`` claims are the stated reasons.
ClaimKind = Literal["empirical", "recommendation", "benefit", "definition"]
Facet = Literal["thoughts", "emotions", "behaviors"]
# What a link rests on, from least to most: the reference's title only; its abstract; an
# ``excerpt`` (any part short of the whole article, first- or second-hand: opening paragraphs, an
# introduction, a Summary section, excerpts reposted on another site); or the ``full-text``, the
# whole article (a web page: the whole page). A link's basis is the widest part its findings were
# read in; title-only links name no finding.
Basis = Literal["title", "abstract", "excerpt", "full-text"]
BASIS_ORDER: tuple[str, ...] = ("title", "abstract", "excerpt", "full-text")
# How much of a reference anyone here has read: the widest part any of its findings was read in.
TextRead = Literal["title", "abstract", "excerpt", "full-text"]
# How much of the source the part a finding was read in is (a finding is never read from a title).
ReadExtent = Literal["abstract", "excerpt", "full-text"]
# Whose page a finding was read on: the publisher's; an index or research portal's record (PubMed,
# a university's research portal, a paper database); the author's (or issuing body's) own site;
# or a third party's repost or copy (document-sharing sites, a mirror, a site quoting excerpts).
PageOwner = Literal["publisher", "index", "author", "repost"]
PAGE_OWNER_LABELS: dict[str, str] = {
    "publisher": "the publisher's page",
    "index": "an index record",
    "author": "the author's own site",
    "repost": "a third-party repost",
}
# Peer review as known here: ``unknown`` when it could not be checked (say, the article's
# existence is unconfirmed); never guessed.
PeerReview = Literal["yes", "no", "unknown"]
PEER_REVIEW_LABELS: dict[str, str] = {
    "yes": "peer reviewed",
    "no": "not peer reviewed",
    "unknown": "peer review unknown",
}
# Risk of bias of a reference, judged from what was read of it (sampling, design, self-report,
# attrition where reported); ``not-assessable`` where what was read cannot tell (a title, a page
# that describes no study).
BiasRating = Literal["low", "some-concerns", "serious", "not-assessable"]
RISK_OF_BIAS_LABELS: dict[str, str] = {
    "low": "low risk of bias",
    "some-concerns": "some concerns about bias",
    "serious": "serious risk of bias",
    "not-assessable": "risk of bias not assessable",
}
# What kind of statement a recorded finding is.
FindingKind = Literal["result", "conclusion", "theory", "opinion"]
FINDING_KIND_LABELS: dict[str, str] = {
    "result": "a study's result",
    "conclusion": "a review's conclusion",
    "theory": "a theoretical position",
    "opinion": "the author's view or advice, not a reported result",
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
    "review": "review article",
    "theory": "theory paper",
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


AWAITING_RESOLUTION = "awaiting resolution"


def review_status(agreed: bool, resolution: str | None, revision: str | None) -> str:
    """A reviewed link's status: "revised after review: WHY", "agreed", "resolved: HOW", or
    "awaiting resolution" (the two judgements differ and nobody has resolved them yet)."""
    if revision:
        return f"revised after review: {revision}"
    if agreed:
        return "agreed"
    return f"resolved: {resolution}" if resolution else AWAITING_RESOLUTION

"""The only place IRIs are minted, always from curated ids, and the maps from curated values to
our vocabulary's terms."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kb.rdf.namespaces import FABIO, ID, KB
from kb.records.models import Author, EvidenceLink

__all__ = [
    "BASIS",
    "DIRECTNESS",
    "FACET",
    "FINDING_KIND",
    "KIND",
    "PAGE_OWNER",
    "REF_CLASS",
    "RISK_OF_BIAS",
    "STANCE",
    "agent_iri",
    "claim_iri",
    "design_iri",
    "finding_iri",
    "level_iri",
    "link_iri",
    "lit",
    "nanopub_iri",
    "person_iri",
    "reference_iri",
    "scheme_iri",
    "skill_iri",
    "topic_iri",
    "worksheet_iri",
]

STANCE = {
    "supports": KB.Supports,
    "qualifies": KB.Qualifies,
    "contradicts": KB.Contradicts,
    "background": KB.Background,
}
KIND = {
    "empirical": KB.EmpiricalAssertion,
    "recommendation": KB.Recommendation,
    "benefit": KB.BenefitClaim,
    "definition": KB.Definition,
}
FACET = {"thoughts": KB.Thoughts, "emotions": KB.Emotions, "behaviors": KB.Behaviors}
BASIS = {
    "title": KB.TitleBasis,
    "abstract": KB.AbstractBasis,
    "excerpt": KB.ExcerptBasis,
    "full-text": KB.FullTextBasis,
}
PAGE_OWNER = {
    "publisher": KB.PublisherPage,
    "index": KB.IndexRecord,
    "author": KB.AuthorSite,
    "repost": KB.ThirdPartyRepost,
}
RISK_OF_BIAS = {
    "low": KB.LowRiskOfBias,
    "some-concerns": KB.SomeConcernsOfBias,
    "serious": KB.SeriousRiskOfBias,
    "not-assessable": KB.RiskOfBiasNotAssessable,
}
FINDING_KIND = {
    "result": KB.StudyResult,
    "conclusion": KB.ReviewConclusion,
    "theory": KB.TheoreticalPosition,
    "opinion": KB.Opinion,
}
DIRECTNESS = {"direct": KB.Direct, "indirect": KB.Indirect}
REF_CLASS = {
    "article": FABIO.JournalArticle,
    "webpage": FABIO.WebPage,
    "blog": FABIO.BlogPost,
    "news": FABIO.NewsItem,
}


def worksheet_iri(ws: str) -> URIRef:
    """The worksheet node."""
    return ID[f"worksheet/{ws}"]


def skill_iri(ws: str, slug: str) -> URIRef:
    """A skill of a worksheet."""
    return ID[f"worksheet/{ws}/skill/{slug}"]


def claim_iri(ws: str, cid: str) -> URIRef:
    """A claim of a worksheet."""
    return ID[f"worksheet/{ws}/claim/{cid}"]


def link_iri(ws: str, link: EvidenceLink) -> URIRef:
    """An evidence link claim -> reference."""
    return ID[f"worksheet/{ws}/link/{link.id}"]


def nanopub_iri(ws: str, link: EvidenceLink, part: str = "") -> URIRef:
    """The nanopublication of an evidence link, or one of its graphs (``part``: Head,
    assertion, provenance, pubinfo) as ``NP#part``: nanopub-sign 0.2 signs ``NP/part`` graphs
    but then refuses its own trusty hash."""
    base = f"nanopub/{ws}/link/{link.id}"
    return ID[f"{base}#{part}" if part else base]


def finding_iri(fid: str) -> URIRef:
    """A recorded finding (what a source reports), from its curated id."""
    return ID[f"finding/{fid}"]


def reference_iri(key: str) -> URIRef:
    """A bibliographic reference, from its citation key."""
    return ID[f"reference/{key}"]


def person_iri(author: Author) -> URIRef:
    """A person or organisation, merged across references by normalised name."""
    return agent_iri(author.person_id)


def agent_iri(person_id: str) -> URIRef:
    """A person or organisation by its id (``Author.person_id``)."""
    return ID[f"agent/{person_id}"]


def topic_iri(tid: str) -> URIRef:
    """A SKOS concept."""
    return ID[f"topic/{tid}"]


def scheme_iri(name: str) -> URIRef:
    """A SKOS concept scheme."""
    return ID[f"scheme/{name}"]


def design_iri(design: str) -> URIRef:
    """A study design (``kb:StudyDesign``), e.g. ``id:design/cross-sectional``."""
    return ID[f"design/{design}"]


def level_iri(level: int) -> URIRef:
    """A level of the evidence scale (``kb:EvidenceLevel``), e.g. ``id:evidence-level/4``."""
    return ID[f"evidence-level/{level}"]


def lit(value: str) -> Literal:
    """A plain string literal."""
    return Literal(value)

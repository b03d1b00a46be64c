"""The only place IRIs are minted, always from curated ids, and the maps from curated values to
our vocabulary's terms (their names are kept in ``kb.rdf.terms``; ``KB`` checks each one)."""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from kb.rdf import terms
from kb.rdf.namespaces import FABIO, ID, KB
from kb.records.models import Author, EvidenceLink
from kb.records.names import slug

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
    "anchor_iri",
    "author_list_iri",
    "build_iri",
    "claim_iri",
    "curation_iri",
    "curator_iri",
    "design_iri",
    "entry_iri",
    "finding_iri",
    "journal_iri",
    "judgement_iri",
    "level_iri",
    "link_iri",
    "lit",
    "nanopub_iri",
    "person_iri",
    "reading_iri",
    "reference_iri",
    "resolution_iri",
    "review_iri",
    "scheme_iri",
    "selector_iri",
    "skill_iri",
    "source_iri",
    "topic_iri",
    "worksheet_iri",
]

STANCE = {value: KB[name] for value, name in terms.STANCE_TERMS.items()}
KIND = {value: KB[name] for value, name in terms.KIND_TERMS.items()}
FACET = {value: KB[name] for value, name in terms.FACET_TERMS.items()}
BASIS = {value: KB[name] for value, name in terms.BASIS_TERMS.items()}
PAGE_OWNER = {value: KB[name] for value, name in terms.PAGE_OWNER_TERMS.items()}
RISK_OF_BIAS = {value: KB[name] for value, name in terms.RISK_OF_BIAS_TERMS.items()}
FINDING_KIND = {value: KB[name] for value, name in terms.FINDING_KIND_TERMS.items()}
DIRECTNESS = {value: KB[name] for value, name in terms.DIRECTNESS_TERMS.items()}
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


def anchor_iri(ws: str, cid: str) -> URIRef:
    """Where a claim sits in the worksheet text (``oa:SpecificResource``)."""
    return ID[f"worksheet/{ws}/claim/{cid}/anchor"]


def selector_iri(ws: str, cid: str, kind: str) -> URIRef:
    """A selector of a claim's anchor: ``quote`` or ``position``."""
    return ID[f"worksheet/{ws}/claim/{cid}/{kind}-selector"]


def author_list_iri(key: str) -> URIRef:
    """A reference's ordered author list (``rdf:Seq``)."""
    return ID[f"reference/{key}/authors"]


def journal_iri(title: str) -> URIRef:
    """A journal, by its title's slug (``kb.records.names.slug``)."""
    return ID[f"journal/{slug(title)}"]


def curator_iri(name: str) -> URIRef:
    """A curator, reader or reviewer, by the slug of their name."""
    return ID[f"curator/{slug(name)}"]


def curation_iri(ws: str) -> URIRef:
    """The curation of a worksheet's links (``kb:CurationActivity``)."""
    return ID[f"worksheet/{ws}/curation"]


def entry_iri(ws: str, key: str) -> URIRef:
    """A reference as the worksheet prints it (``kb:PrintedEntry``)."""
    return ID[f"worksheet/{ws}/entry/{key}"]


def reading_iri(fid: str) -> URIRef:
    """The reading that recorded a finding (``kb:ReadingActivity``)."""
    return ID[f"finding/{fid}/reading"]


def review_iri(ws: str, round_name: str, link_id: str | None = None) -> URIRef:
    """One review of a worksheet's links (``first`` or ``second``; ``kb:ReviewActivity``), or,
    with ``link_id``, the second review of one link recorded with its own reviewer or date."""
    if link_id is not None:
        return ID[f"worksheet/{ws}/link/{link_id}/review/{round_name}"]
    return ID[f"worksheet/{ws}/review/{round_name}"]


def resolution_iri(ws: str, link_id: str) -> URIRef:
    """The resolution of the two differing judgements of a link (``kb:ResolutionActivity``)."""
    return ID[f"worksheet/{ws}/link/{link_id}/resolution"]


def judgement_iri(ws: str, link_id: str, round_name: str) -> URIRef:
    """One reviewer's judgement of a link (``kb:Judgement``)."""
    return ID[f"worksheet/{ws}/link/{link_id}/judgement/{round_name}"]


def build_iri() -> URIRef:
    """The build (``kb:BuildActivity``) that made the graph."""
    return ID["build"]


def source_iri(name: str) -> URIRef:
    """An input file of the build, by its name (``kb.rdf.triples.source_name``)."""
    return ID[f"source/{re.sub(r'[^A-Za-z0-9._-]+', '-', name)}"]


def lit(value: str) -> Literal:
    """A plain string literal."""
    return Literal(value)

"""The vocabulary's IRIs as plain text: the base IRIs, the one prefix table, and the names of the
terms curated values map to. Nothing here imports rdflib, so a command that only reads a store
(``kb skills``, ``kb evidence``) names terms without loading it (70 ms).

``kb.rdf.namespaces`` builds rdflib's namespaces from these strings and ``kb.rdf.iris`` its term
maps from these names; a test holds the standard prefixes equal to rdflib's own.
"""

from __future__ import annotations

__all__ = [
    "ALL_PREFIXES",
    "BASIS_TERMS",
    "DIRECTNESS_TERMS",
    "FACET_TERMS",
    "FINDING_KIND_TERMS",
    "ID_BASE",
    "KB_BASE",
    "KIND_TERMS",
    "PAGE_OWNER_TERMS",
    "PREFIXES",
    "RISK_OF_BIAS_TERMS",
    "STANCE_TERMS",
    "STANDARD_PREFIXES",
    "XSD_BASE",
    "kb_term",
]

KB_BASE = "https://example.org/kb/ontology#"
ID_BASE = "https://example.org/kb/id/"
XSD_BASE = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "kb": KB_BASE,
    "id": ID_BASE,
    "cito": "http://purl.org/spar/cito/",
    "fabio": "http://purl.org/spar/fabio/",
    "prism": "http://prismstandard.org/namespaces/basic/2.0/",
    "oa": "http://www.w3.org/ns/oa#",
}
# The standard vocabularies' prefixes, as rdflib.namespace has them (tests/rdf keeps them equal).
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD_BASE,
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
# The one prefix table: every serialisation binds it, every project query declares it.
ALL_PREFIXES: dict[str, str] = {**STANDARD_PREFIXES, **PREFIXES}

# A curated value -> the name of its term in our vocabulary (``kb:`` + name).
STANCE_TERMS = {
    "supports": "Supports",
    "qualifies": "Qualifies",
    "contradicts": "Contradicts",
    "background": "Background",
}
KIND_TERMS = {
    "empirical": "EmpiricalAssertion",
    "recommendation": "Recommendation",
    "benefit": "BenefitClaim",
    "definition": "Definition",
}
FACET_TERMS = {"thoughts": "Thoughts", "emotions": "Emotions", "behaviors": "Behaviors"}
BASIS_TERMS = {
    "title": "TitleBasis",
    "abstract": "AbstractBasis",
    "excerpt": "ExcerptBasis",
    "full-text": "FullTextBasis",
}
PAGE_OWNER_TERMS = {
    "publisher": "PublisherPage",
    "index": "IndexRecord",
    "author": "AuthorSite",
    "repost": "ThirdPartyRepost",
}
RISK_OF_BIAS_TERMS = {
    "low": "LowRiskOfBias",
    "some-concerns": "SomeConcernsOfBias",
    "serious": "SeriousRiskOfBias",
    "not-assessable": "RiskOfBiasNotAssessable",
}
FINDING_KIND_TERMS = {
    "result": "StudyResult",
    "conclusion": "ReviewConclusion",
    "theory": "TheoreticalPosition",
    "opinion": "Opinion",
}
DIRECTNESS_TERMS = {"direct": "Direct", "indirect": "Indirect"}


def kb_term(name: str) -> str:
    """The IRI of a term of our vocabulary, as text (``kb.rdf.namespaces.KB`` checks the name
    against the ontology; this only joins it to the base)."""
    return KB_BASE + name

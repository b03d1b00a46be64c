"""Namespaces: our own vocabulary as a DefinedNamespace (typos fail), and the few
standard vocabularies rdflib does not ship (CiTO, FaBiO, PRISM, W3C Web Annotation, nanopub).

Every other W3C namespace (DCTERMS, FOAF, PROV, SKOS, SH, RDF, RDFS, OWL, XSD) comes from
``rdflib.namespace``. The base IRIs of our own vocabulary and data live here and only here.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "ALL_PREFIXES",
    "CITO",
    "FABIO",
    "ID",
    "KB",
    "NP",
    "OA",
    "PREFIXES",
    "PRISM",
    "STANDARD_PREFIXES",
]

KB_BASE = "https://example.org/kb/ontology#"
ID_BASE = "https://example.org/kb/id/"


class KB(DefinedNamespace):
    """Our own vocabulary, ``ontology/kb.ttl``; a test keeps the two in step."""

    _NS = Namespace(KB_BASE)
    _fail = True

    # classes
    Worksheet: URIRef
    Skill: URIRef
    Claim: URIRef
    EvidenceLink: URIRef
    Stance: URIRef
    ClaimKind: URIRef
    Facet: URIRef
    Basis: URIRef
    Directness: URIRef
    Section: URIRef
    StudyDesign: URIRef
    EvidenceLevel: URIRef
    CurationActivity: URIRef
    PrintedEntry: URIRef
    BuildActivity: URIRef
    # properties
    worksheet: URIRef
    skill: URIRef
    section: URIRef
    order: URIRef
    slug: URIRef
    paragraph: URIRef
    summaryBullet: URIRef
    worksOn: URIRef
    claim: URIRef
    reference: URIRef
    quote: URIRef
    anchor: URIRef
    claimKind: URIRef
    stance: URIRef
    rationale: URIRef
    basis: URIRef
    directness: URIRef
    curatorJudgement: URIRef
    printedAs: URIRef
    printedNumber: URIRef
    authorList: URIRef
    backgroundOnly: URIRef
    unverifiedField: URIRef
    studyDesign: URIRef
    evidenceLevel: URIRef
    peerReviewed: URIRef
    designRationale: URIRef
    sha256: URIRef
    orphaned: URIRef
    text: URIRef
    # Individuals. Stances:
    Supports: URIRef
    Qualifies: URIRef
    Contradicts: URIRef
    Background: URIRef
    # Claim kinds:
    EmpiricalAssertion: URIRef
    Recommendation: URIRef
    BenefitClaim: URIRef
    Definition: URIRef
    # Facets, bases, directness, sections:
    Thoughts: URIRef
    Emotions: URIRef
    Behaviors: URIRef
    TitleBasis: URIRef
    AbstractBasis: URIRef
    ExcerptBasis: URIRef
    FullTextBasis: URIRef
    PageOwner: URIRef
    PublisherPage: URIRef
    IndexRecord: URIRef
    AuthorSite: URIRef
    ThirdPartyRepost: URIRef
    RiskOfBias: URIRef
    LowRiskOfBias: URIRef
    SomeConcernsOfBias: URIRef
    SeriousRiskOfBias: URIRef
    RiskOfBiasNotAssessable: URIRef
    readExtent: URIRef
    pageOwner: URIRef
    riskOfBias: URIRef
    riskOfBiasReason: URIRef
    correction: URIRef
    Finding: URIRef
    FindingKind: URIRef
    ReadingActivity: URIRef
    ReviewActivity: URIRef
    Judgement: URIRef
    StudyResult: URIRef
    ReviewConclusion: URIRef
    TheoreticalPosition: URIRef
    Opinion: URIRef
    restsOn: URIRef
    findingOf: URIRef
    statement: URIRef
    findingKind: URIRef
    pagePart: URIRef
    knownFrom: URIRef
    searchNote: URIRef
    judgementOf: URIRef
    reviewAgreed: URIRef
    resolution: URIRef
    revision: URIRef
    Direct: URIRef
    Indirect: URIRef
    Introduction: URIRef
    Summary: URIRef


class CITO(DefinedNamespace):
    """The CiTO terms we use (citing work -> cited work)."""

    _NS = Namespace("http://purl.org/spar/cito/")
    _fail = True
    cites: URIRef
    citesAsEvidence: URIRef
    citesForInformation: URIRef
    obtainsBackgroundFrom: URIRef


class FABIO(DefinedNamespace):
    """The FaBiO classes and properties we use."""

    _NS = Namespace("http://purl.org/spar/fabio/")
    _fail = True
    JournalArticle: URIRef
    Journal: URIRef
    WebPage: URIRef
    BlogPost: URIRef
    NewsItem: URIRef
    Work: URIRef
    hasURL: URIRef
    hasPublicationYear: URIRef


class PRISM(DefinedNamespace):
    """PRISM basic terms FaBiO uses for volume, issue, pages and DOI."""

    _NS = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
    _fail = True
    volume: URIRef
    issueIdentifier: URIRef
    startingPage: URIRef
    endingPage: URIRef
    pageRange: URIRef
    doi: URIRef
    publicationDate: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation terms (rdflib does not ship this namespace)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef


class NP(DefinedNamespace):
    """The nanopublication schema: a head graph names the assertion, provenance and
    publication-info graphs (bound only by the nanopub export, not in the shared prefix table)."""

    _NS = Namespace("http://www.nanopub.org/nschema#")
    _fail = True
    Nanopublication: URIRef
    hasAssertion: URIRef
    hasProvenance: URIRef
    hasPublicationInfo: URIRef


ID = Namespace(ID_BASE)

PREFIXES: dict[str, str] = {
    "kb": KB_BASE,
    "id": ID_BASE,
    "cito": str(CITO),
    "fabio": str(FABIO),
    "prism": str(PRISM),
    "oa": str(OA),
}
# The standard vocabularies' prefixes, from rdflib (never hand-typed).
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "skos": str(SKOS),
}
# The one prefix table: every serialisation binds it, every project query declares it.
ALL_PREFIXES: dict[str, str] = {**STANDARD_PREFIXES, **PREFIXES}

"""Namespaces: our own vocabulary as a DefinedNamespace (typos fail), and the few
standard vocabularies rdflib does not ship (CiTO, FaBiO, PRISM, W3C Web Annotation, nanopub).

Every other W3C namespace (DCTERMS, FOAF, PROV, SKOS, SH, RDF, RDFS, OWL, XSD) comes from
``rdflib.namespace``. The base IRIs and the prefix table are plain text in ``kb.rdf.terms``
(what a read-only command uses without importing rdflib); the namespaces here are built from it.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kb.rdf import terms

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

KB_BASE = terms.KB_BASE
ID_BASE = terms.ID_BASE


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
    ResolutionActivity: URIRef
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

    _NS = Namespace(terms.PREFIXES["cito"])
    _fail = True
    cites: URIRef
    citesAsEvidence: URIRef
    citesForInformation: URIRef
    obtainsBackgroundFrom: URIRef


class FABIO(DefinedNamespace):
    """The FaBiO classes and properties we use."""

    _NS = Namespace(terms.PREFIXES["fabio"])
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

    _NS = Namespace(terms.PREFIXES["prism"])
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

    _NS = Namespace(terms.PREFIXES["oa"])
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

# The prefix tables live in kb.rdf.terms (plain text, no rdflib), written once.
PREFIXES = terms.PREFIXES
STANDARD_PREFIXES = terms.STANDARD_PREFIXES
ALL_PREFIXES = terms.ALL_PREFIXES

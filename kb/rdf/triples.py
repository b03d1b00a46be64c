"""Records -> RDF. The only place IRIs are minted, always from curated ids.

``iter_triples`` yields every triple of the knowledge base (so large corpora can stream straight
to N-Triples); ``build_graph`` collects them into an rdflib Graph. No blank nodes, no clock, no
random ids: two builds of the same inputs give the same triples and byte-identical Turtle.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kb.rdf.namespaces import CITO, FABIO, ID, KB, OA, PREFIXES, PRISM
from kb.records.models import (
    DESIGN_LABELS,
    EVIDENCE_LEVELS,
    Author,
    EvidenceLink,
    Reference,
    ReferenceNote,
    WorksheetData,
)
from kb.records.names import slug as _slugify

__all__ = [
    "Triple",
    "build_graph",
    "claim_iri",
    "design_iri",
    "finding_iri",
    "iter_triples",
    "level_iri",
    "person_iri",
    "reference_iri",
    "skill_iri",
    "topic_iri",
    "worksheet_iri",
]

Triple = tuple[URIRef, URIRef, URIRef | Literal]
CONTEXT_CHARS = 32

STANCE = {
    "supports": KB.Supports,
    "qualifies": KB.Qualifies,
    "contradicts": KB.Contradicts,
    "background": KB.Background,
}
KIND = {
    "empirical": KB.EmpiricalAssertion,
    "recommendation": KB.Recommendation,
    "definition": KB.Definition,
}
FACET = {"thoughts": KB.Thoughts, "emotions": KB.Emotions, "behaviors": KB.Behaviors}
BASIS = {"title": KB.TitleBasis, "abstract": KB.AbstractBasis, "full-text": KB.FullTextBasis}
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


def finding_iri(fid: str) -> URIRef:
    """A recorded finding (what a source reports), from its curated id."""
    return ID[f"finding/{fid}"]


def reference_iri(key: str) -> URIRef:
    """A bibliographic reference, from its citation key."""
    return ID[f"reference/{key}"]


def person_iri(author: Author) -> URIRef:
    """A person or organisation, merged across references by normalised name."""
    return ID[f"agent/{author.person_id}"]


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


def _lit(value: str) -> Literal:
    return Literal(value)


def iter_triples(
    references: Iterable[Reference],
    worksheets: Iterable[WorksheetData],
    sources: Iterable[Path] = (),
) -> Iterator[Triple]:
    """Every triple of the knowledge base, references first, then each worksheet."""
    for ref in references:
        yield from _reference_triples(ref)
    topics_done: set[str] = set()
    for data in worksheets:
        yield from _topic_triples(data, topics_done)
        yield from _worksheet_triples(data)
    yield from _build_triples(sources)


def build_graph(
    references: Iterable[Reference],
    worksheets: Iterable[WorksheetData],
    sources: Iterable[Path] = (),
) -> Graph:
    """An rdflib Graph of the knowledge base, with our prefixes bound."""
    graph = Graph()
    bind_prefixes(graph)
    for triple in iter_triples(references, worksheets, sources):
        graph.add(triple)
    return graph


def bind_prefixes(graph: Graph) -> None:
    """Bind the prefixes used in every serialisation."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for std_prefix, std_ns in (
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("prov", PROV),
        ("skos", SKOS),
    ):
        graph.bind(std_prefix, std_ns, override=True)


def _reference_triples(ref: Reference) -> Iterator[Triple]:
    node = reference_iri(ref.key)
    yield node, RDF.type, REF_CLASS[ref.kind]
    yield node, DCTERMS.identifier, _lit(ref.key)
    yield node, DCTERMS.title, _lit(ref.title)
    if ref.year is not None:
        yield node, FABIO.hasPublicationYear, Literal(f"{ref.year:04d}", datatype=XSD.gYear)
        if ref.month and ref.day:
            iso = f"{ref.year:04d}-{ref.month:02d}-{ref.day:02d}"
            yield node, DCTERMS.issued, Literal(iso, datatype=XSD.date)
    seq = ID[f"reference/{ref.key}/authors"]
    yield node, KB.authorList, seq
    yield seq, RDF.type, RDF.Seq
    for i, author in enumerate(ref.authors, start=1):
        agent = person_iri(author)
        yield node, DCTERMS.creator, agent
        yield seq, RDF[f"_{i}"], agent
        yield from _agent_triples(author)
    if ref.journal:
        journal = ID[f"journal/{_slugify(ref.journal)}"]
        yield node, DCTERMS.isPartOf, journal
        yield journal, RDF.type, FABIO.Journal
        yield journal, DCTERMS.title, _lit(ref.journal)
    if ref.volume:
        yield node, PRISM.volume, _lit(ref.volume)
    if ref.number:
        yield node, PRISM.issueIdentifier, _lit(ref.number)
    pages = ref.page_range
    if pages:
        yield node, PRISM.startingPage, _lit(pages[0])
        yield node, PRISM.endingPage, _lit(pages[1])
        yield node, PRISM.pageRange, _lit(f"{pages[0]}–{pages[1]}")
    if ref.doi:
        yield node, PRISM.doi, _lit(ref.doi)
    if ref.url:
        yield node, FABIO.hasURL, Literal(ref.url, datatype=XSD.anyURI)
    if ref.publisher:
        yield node, DCTERMS.publisher, _lit(ref.publisher)


def _agent_triples(author: Author) -> Iterator[Triple]:
    agent = person_iri(author)
    if author.is_organization:
        yield agent, RDF.type, FOAF.Organization
        yield agent, FOAF.name, _lit(author.display)
        return
    yield agent, RDF.type, FOAF.Person
    yield agent, FOAF.name, _lit(author.display)
    if author.family:
        yield agent, FOAF.familyName, _lit(author.family)
    if author.given:
        yield agent, FOAF.givenName, _lit(author.given)


def _topic_triples(data: WorksheetData, done: set[str]) -> Iterator[Triple]:
    labels = {"site-topics": "Topics", "demographics": "Demographics"}
    for topic in data.topics:
        if topic.id in done:
            continue
        done.add(topic.id)
        node, scheme = topic_iri(topic.id), scheme_iri(topic.scheme)
        yield scheme, RDF.type, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, Literal(labels[topic.scheme], lang="en")
        yield node, RDF.type, SKOS.Concept
        yield node, SKOS.prefLabel, Literal(topic.label, lang="en")
        yield node, SKOS.inScheme, scheme
        if topic.definition:
            yield node, SKOS.definition, Literal(topic.definition, lang="en")
        if topic.broader:
            yield node, SKOS.broader, topic_iri(topic.broader)
            yield topic_iri(topic.broader), SKOS.narrower, node
        else:
            yield node, SKOS.topConceptOf, scheme
            yield scheme, SKOS.hasTopConcept, node


def _worksheet_triples(data: WorksheetData) -> Iterator[Triple]:
    ws_id = data.worksheet.id
    ws = worksheet_iri(ws_id)
    yield ws, RDF.type, KB.Worksheet
    yield ws, DCTERMS.title, _lit(data.worksheet.title)
    yield ws, KB.slug, _lit(ws_id)
    yield ws, KB.text, _lit(data.text)
    if data.worksheet.publisher:
        yield ws, DCTERMS.publisher, _lit(data.worksheet.publisher)
    if data.worksheet.note:
        yield ws, RDFS.comment, _lit(data.worksheet.note)
    for tid in data.worksheet.topics:
        yield ws, DCTERMS.subject, topic_iri(tid)
    for tid in data.worksheet.demographics:
        yield ws, DCTERMS.audience, topic_iri(tid)

    for skill in data.skills:
        node = skill_iri(ws_id, skill.slug)
        yield node, RDF.type, KB.Skill
        yield node, KB.worksheet, ws
        yield node, DCTERMS.isPartOf, ws
        yield node, RDFS.label, _lit(skill.title)
        yield node, KB.slug, _lit(skill.slug)
        yield node, KB.order, Literal(skill.order)
        yield node, KB.paragraph, _lit("\n\n".join(skill.paragraphs))
        yield node, KB.summaryBullet, _lit(skill.bullet)
        for facet in skill.facets:
            yield node, KB.worksOn, FACET[facet]
        for tid in skill.topics:
            yield node, DCTERMS.subject, topic_iri(tid)

    skills = {s.slug for s in data.skills}
    for claim in data.claims:
        node = claim_iri(ws_id, claim.id)
        start, end = claim.start or 0, claim.end or 0
        yield node, RDF.type, KB.Claim
        yield node, KB.worksheet, ws
        yield node, DCTERMS.isPartOf, ws
        yield node, DCTERMS.identifier, _lit(claim.id)
        yield node, KB.quote, _lit(claim.quote)
        yield node, KB.claimKind, KIND[claim.kind]
        if claim.section in skills:
            yield node, KB.skill, skill_iri(ws_id, claim.section)
            yield node, KB.section, skill_iri(ws_id, claim.section)
        else:
            yield (
                node,
                KB.section,
                KB.Introduction if claim.section == "introduction" else KB.Summary,
            )
        anchor = ID[f"worksheet/{ws_id}/claim/{claim.id}/anchor"]
        quote_sel = ID[f"worksheet/{ws_id}/claim/{claim.id}/quote-selector"]
        pos_sel = ID[f"worksheet/{ws_id}/claim/{claim.id}/position-selector"]
        yield node, KB.anchor, anchor
        yield anchor, RDF.type, OA.SpecificResource
        yield anchor, OA.hasSource, ws
        yield anchor, OA.hasSelector, quote_sel
        if claim.orphaned:  # its words are gone from the text: no position to point at
            yield node, KB.orphaned, Literal(True)
        else:
            yield anchor, OA.hasSelector, pos_sel
        yield quote_sel, RDF.type, OA.TextQuoteSelector
        yield quote_sel, OA.exact, _lit(claim.quote)
        yield quote_sel, OA.prefix, _lit(data.text[max(0, start - CONTEXT_CHARS) : start])
        yield quote_sel, OA.suffix, _lit(data.text[end : end + CONTEXT_CHARS])
        if not claim.orphaned:
            yield pos_sel, RDF.type, OA.TextPositionSelector
            yield pos_sel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)
            yield pos_sel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)

    yield from _link_triples(data)


def _link_triples(data: WorksheetData) -> Iterator[Triple]:
    ws_id = data.worksheet.id
    ws = worksheet_iri(ws_id)
    activity = ID[f"worksheet/{ws_id}/curation"]
    yield activity, RDF.type, KB.CurationActivity
    yield activity, RDF.type, PROV.Activity
    yield activity, RDFS.label, _lit(f"Curation of claim-to-reference links for {ws_id}")
    stances: dict[str, set[str]] = {}
    for link in data.links:
        node = link_iri(ws_id, link)
        agent = ID[f"curator/{_slugify(link.curator)}"]
        stances.setdefault(link.reference, set()).add(link.stance)
        yield node, RDF.type, KB.EvidenceLink
        yield node, RDF.type, PROV.Entity
        yield node, KB.worksheet, ws
        yield node, KB.claim, claim_iri(ws_id, link.claim)
        yield node, KB.reference, reference_iri(link.reference)
        yield node, KB.stance, STANCE[link.stance]
        yield node, KB.directness, DIRECTNESS[link.directness]
        yield node, KB.basis, BASIS[link.basis]
        yield node, KB.rationale, _lit(link.rationale)
        yield node, KB.curatorJudgement, Literal(True)
        yield node, PROV.wasAttributedTo, agent
        yield node, PROV.wasGeneratedBy, activity
        yield node, DCTERMS.created, Literal(link.date.isoformat(), datatype=XSD.date)
        yield node, PROV.wasDerivedFrom, reference_iri(link.reference)
        for fid in link.findings:
            yield node, KB.restsOn, finding_iri(fid)
        yield activity, PROV.wasAssociatedWith, agent
        yield from _agent(agent, link.curator)
    yield from _finding_triples(data)
    yield from _review_triples(data)

    scale_done: set[URIRef] = set()
    for note in data.references:
        ref = reference_iri(note.key)
        entry = ID[f"worksheet/{ws_id}/entry/{note.key}"]
        yield ws, CITO.cites, ref
        kinds = stances.get(note.key, set())
        if kinds & {"supports", "qualifies", "contradicts"}:
            yield ws, CITO.citesAsEvidence, ref
        elif kinds:
            yield ws, CITO.obtainsBackgroundFrom, ref
        else:
            yield ws, CITO.citesForInformation, ref
        yield entry, RDF.type, KB.PrintedEntry
        yield entry, KB.worksheet, ws
        yield entry, KB.reference, ref
        yield entry, KB.printedAs, _lit(note.printed)
        yield entry, KB.printedNumber, Literal(note.number)
        for tid in note.topics:
            yield ref, DCTERMS.subject, topic_iri(tid)
        for field in note.unverified:
            yield ref, KB.unverifiedField, _lit(field)
        if note.verification_note:
            yield ref, SKOS.editorialNote, _lit(note.verification_note)
        if note.background_only:
            yield ref, KB.backgroundOnly, _lit(note.background_only)
        yield from _appraisal_triples(note, scale_done)


def _agent(agent: URIRef, name: str) -> Iterator[Triple]:
    yield agent, RDF.type, PROV.Agent
    yield agent, FOAF.name, _lit(name)


def _finding_triples(data: WorksheetData) -> Iterator[Triple]:
    """Each finding: our words, derived from the page it was read on, read by whom and when."""
    for finding in data.findings:
        node = finding_iri(finding.id)
        reading = ID[f"finding/{finding.id}/reading"]
        reader = ID[f"curator/{_slugify(finding.reader)}"]
        page = URIRef(finding.url)
        yield node, RDF.type, KB.Finding
        yield node, RDF.type, PROV.Entity
        yield node, DCTERMS.identifier, _lit(finding.id)
        yield node, KB.findingOf, reference_iri(finding.reference)
        yield node, KB.statement, _lit(finding.statement)
        yield node, KB.findingKind, FINDING_KIND[finding.kind]
        yield node, KB.pagePart, _lit(finding.part)
        yield node, PROV.wasDerivedFrom, page
        yield node, PROV.wasGeneratedBy, reading
        yield node, PROV.wasAttributedTo, reader
        yield node, DCTERMS.date, Literal(finding.read.isoformat(), datatype=XSD.date)
        yield page, RDF.type, PROV.Entity
        yield page, RDF.type, FOAF.Document
        yield reading, RDF.type, KB.ReadingActivity
        yield reading, RDF.type, PROV.Activity
        yield reading, PROV.used, page
        yield reading, PROV.wasAssociatedWith, reader
        yield reading, DCTERMS.date, Literal(finding.read.isoformat(), datatype=XSD.date)
        yield from _agent(reader, finding.reader)


def _review_triples(data: WorksheetData) -> Iterator[Triple]:
    """The two independent judgements of each link, as two PROV activities, and the outcome."""
    rnd = data.review_round
    if rnd is None:
        return
    ws_id = data.worksheet.id
    links = {link.id: link for link in data.links}
    rounds = {
        "first": (rnd.first_reviewer, rnd.first_method, rnd.first_date),
        "second": (rnd.second_reviewer, rnd.second_method, rnd.second_date),
    }
    for name, (who, how, when) in rounds.items():
        activity = ID[f"worksheet/{ws_id}/review/{name}"]
        agent = ID[f"curator/{_slugify(who)}"]
        yield activity, RDF.type, KB.ReviewActivity
        yield activity, RDF.type, PROV.Activity
        yield activity, RDFS.label, _lit(f"{name.capitalize()} review of the links of {ws_id}")
        yield activity, RDFS.comment, _lit(how)
        yield activity, PROV.wasAssociatedWith, agent
        yield activity, DCTERMS.date, Literal(when.isoformat(), datatype=XSD.date)
        yield from _agent(agent, who)
    for review in data.reviews:
        link = link_iri(ws_id, links[review.link])
        yield link, KB.reviewAgreed, Literal(review.agreed)
        if review.resolution:
            yield link, KB.resolution, _lit(review.resolution)
        if review.revision:
            yield link, KB.revision, _lit(review.revision)
        for name, judgement in (("first", review.first), ("second", review.second)):
            node = ID[f"worksheet/{ws_id}/link/{review.link}/judgement/{name}"]
            yield node, RDF.type, KB.Judgement
            yield node, RDF.type, PROV.Entity
            yield node, KB.judgementOf, link
            yield node, KB.stance, STANCE[judgement.stance]
            yield node, KB.directness, DIRECTNESS[judgement.directness]
            yield node, PROV.wasGeneratedBy, ID[f"worksheet/{ws_id}/review/{name}"]


def _appraisal_triples(note: ReferenceNote, done: set[URIRef]) -> Iterator[Triple]:
    """A reference's curated study design, peer review and evidence level (issue #4)."""
    ref = reference_iri(note.key)
    if note.design:
        design = design_iri(note.design)
        yield ref, KB.studyDesign, design
        if design not in done:
            done.add(design)
            yield design, RDF.type, KB.StudyDesign
            yield design, RDFS.label, _lit(DESIGN_LABELS[note.design])
    if note.peer_reviewed is not None:
        yield ref, KB.peerReviewed, Literal(note.peer_reviewed)
    if note.level is not None:
        level = level_iri(note.level)
        yield ref, KB.evidenceLevel, level
        if level not in done:
            done.add(level)
            yield level, RDF.type, KB.EvidenceLevel
            yield level, RDFS.label, _lit(f"level {note.level}: {EVIDENCE_LEVELS[note.level]}")
    if note.design_rationale:
        yield ref, KB.designRationale, _lit(note.design_rationale)
    if note.known_from:
        yield ref, KB.knownFrom, BASIS[note.known_from]
    if note.search_note:
        yield ref, KB.searchNote, _lit(note.search_note)


def _build_triples(sources: Iterable[Path]) -> Iterator[Triple]:
    build = ID["build"]
    yield build, RDF.type, KB.BuildActivity
    yield build, RDF.type, PROV.Activity
    yield build, RDFS.label, _lit("kb build: references.bib and curated data to RDF")
    for path in sorted(sources, key=lambda p: (p.parent.name, p.name)):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        name = f"{path.parent.name}/{path.name}"
        source = ID[f"source/{re.sub(r'[^A-Za-z0-9._-]+', '-', name)}"]
        yield build, PROV.used, source
        yield source, RDF.type, PROV.Entity
        yield source, DCTERMS.title, _lit(name)
        yield source, KB.sha256, _lit(digest)

"""Records -> RDF: every triple of the knowledge base (IRIs are minted in ``kb.rdf.iris``).

``iter_triples`` yields every triple of the knowledge base (so large corpora can stream straight
to N-Triples); ``build_graph`` collects them into an rdflib Graph. No blank nodes, no clock, no
random ids: two builds of the same inputs give the same triples and byte-identical Turtle.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kb.files import file_sha256
from kb.rdf.evidence_triples import link_triples
from kb.rdf.iris import (
    FACET,
    KIND,
    REF_CLASS,
    anchor_iri,
    author_list_iri,
    build_iri,
    claim_iri,
    journal_iri,
    lit,
    person_iri,
    reference_iri,
    scheme_iri,
    selector_iri,
    skill_iri,
    source_iri,
    topic_iri,
    worksheet_iri,
)
from kb.rdf.namespaces import ALL_PREFIXES, FABIO, KB, OA, PRISM
from kb.records.models import (
    Author,
    Reference,
    Topic,
    WorksheetData,
)
from kb.records.worksheet_files import source_name

__all__ = [
    "Triple",
    "bind_prefixes",
    "build_graph",
    "iter_triples",
    "reference_triples",
    "source_name",
    "topic_triples",
    "worksheet_triples",
]

Triple = tuple[URIRef, URIRef, URIRef | Literal]
_lit = lit
CONTEXT_CHARS = 32


def iter_triples(
    references: Iterable[Reference],
    worksheets: Iterable[WorksheetData],
    sources: Iterable[Path] = (),
) -> Iterator[Triple]:
    """Every triple of the knowledge base, references first, then each worksheet."""
    for ref in references:
        yield from reference_triples(ref)
    topics_done: set[str] = set()
    for data in worksheets:
        yield from _topic_triples(data, topics_done)
        yield from worksheet_triples(data)
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
    """Bind the one prefix table (``kb.rdf.namespaces.ALL_PREFIXES``) for every serialisation."""
    for prefix, ns in ALL_PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def reference_triples(ref: Reference) -> Iterator[Triple]:
    """One bib reference: its type, title, date, authors (as a sequence), journal, pages."""
    node = reference_iri(ref.key)
    yield node, RDF.type, REF_CLASS[ref.kind]
    yield node, DCTERMS.identifier, _lit(ref.key)
    yield node, DCTERMS.title, _lit(ref.title)
    if ref.year is not None:
        yield node, FABIO.hasPublicationYear, Literal(f"{ref.year:04d}", datatype=XSD.gYear)
        if ref.month and ref.day:
            iso = f"{ref.year:04d}-{ref.month:02d}-{ref.day:02d}"
            yield node, DCTERMS.issued, Literal(iso, datatype=XSD.date)
    seq = author_list_iri(ref.key)
    yield node, KB.authorList, seq
    yield seq, RDF.type, RDF.Seq
    for i, author in enumerate(ref.authors, start=1):
        agent = person_iri(author)
        yield node, DCTERMS.creator, agent
        yield seq, RDF[f"_{i}"], agent
        yield from _agent_triples(author)
    if ref.journal:
        journal = journal_iri(ref.journal)
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
    for topic in data.topics:
        if topic.id in done:
            continue
        done.add(topic.id)
        yield from topic_triples(topic)


_SCHEME_LABELS = {"site-topics": "Topics", "demographics": "Demographics"}


def topic_triples(topic: Topic) -> Iterator[Triple]:
    """One topic as a SKOS concept in its scheme (written once per topic id: the first
    worksheet to list it gives its label)."""
    node, scheme = topic_iri(topic.id), scheme_iri(topic.scheme)
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, SKOS.prefLabel, Literal(_SCHEME_LABELS[topic.scheme], lang="en")
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


def worksheet_triples(data: WorksheetData) -> Iterator[Triple]:
    """One worksheet, its skills, claims (anchored in its text) and evidence links; not its
    topics (``topic_triples``: once per id across worksheets)."""
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
        anchor = anchor_iri(ws_id, claim.id)
        quote_sel = selector_iri(ws_id, claim.id, "quote")
        pos_sel = selector_iri(ws_id, claim.id, "position")
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

    yield from link_triples(data)


def _build_triples(sources: Iterable[Path]) -> Iterator[Triple]:
    build = build_iri()
    yield build, RDF.type, KB.BuildActivity
    yield build, RDF.type, PROV.Activity
    yield build, RDFS.label, _lit("kb build: references.bib and curated data to RDF")
    for path in sorted(sources, key=source_name):
        digest = file_sha256(path) or "-"
        name = source_name(path)
        source = source_iri(name)
        yield build, PROV.used, source
        yield source, RDF.type, PROV.Entity
        yield source, DCTERMS.title, _lit(name)
        yield source, KB.sha256, _lit(digest)

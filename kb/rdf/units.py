"""The triples of a validation unit that the whole-graph build does not group that way
(``kb.checking``): what a worksheet's notes say about a reference, a set of topics, and every
author and journal of a set of references, each distinct spelling once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from rdflib.namespace import DCTERMS, RDF

from kb.rdf.evidence_triples import note_triples
from kb.rdf.iris import journal_iri, lit
from kb.rdf.namespaces import FABIO
from kb.rdf.triples import Triple, _agent_triples, _topic_triples
from kb.records.models import Reference, Topic, WorksheetData

__all__ = ["note_triples", "shared_triples", "topic_triples"]


def shared_triples(references: Iterable[Reference]) -> Iterator[Triple]:
    """Every author and journal of these references, each distinct spelling once: an IRI named
    two ways by two references shows here as it does in the whole graph."""
    authors = {a for r in references for a in r.authors}
    for author in sorted(authors, key=repr):
        yield from _agent_triples(author)
    for title in sorted({r.journal for r in references if r.journal}):
        journal = journal_iri(title)
        yield journal, RDF.type, FABIO.Journal
        yield journal, DCTERMS.title, lit(title)


def topic_triples(topics: list[Topic]) -> Iterator[Triple]:
    """These topics as SKOS concepts in their schemes (as ``iter_triples`` writes them)."""
    yield from _topic_triples(cast("WorksheetData", _Topics(topics)), set())


@dataclass(frozen=True)
class _Topics:
    """Stands in for a worksheet where only its topics are read (``_topic_triples``)."""

    topics: list[Topic]

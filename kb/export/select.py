"""Which references an export covers: all, or those behind chosen skills, topics or authors.

Values of one filter are alternatives (``--skill 1 --skill 2``: either skill); different filters
narrow each other (``--skill 3 --author Hazan``: Hazan's references behind skill 3).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kb import queries
from kb.core.knowledge_base import KnowledgeBase
from kb.core.resolve import resolve_author, resolve_skill, resolve_topic, topic_index, topics_under
from kb.rdf.iris import reference_iri, topic_iri
from kb.rdf.namespaces import KB
from kb.records.models import Reference

__all__ = ["reference_subgraph", "select_references"]


def select_references(
    base: KnowledgeBase,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
) -> list[Reference]:
    """The references behind ``skills``, ``topics`` and ``authors`` (all 16 without a filter).

    Sorted by key. A skill, topic or author that names nothing is a UsageError listing the
    choices (``kb.core.resolve``).
    """
    chosen = set(base.references)
    skills, topics, authors = list(skills), list(topics), list(authors)
    if skills:
        chosen &= _by_skills(base, skills)
    if topics:
        chosen &= _by_topics(base, topics)
    if authors:
        chosen &= _by_authors(base, authors)
    return [base.references[k] for k in sorted(chosen)]


def _by_skills(base: KnowledgeBase, skills: list[str | int]) -> set[str]:
    keys: set[str] = set()
    for name in skills:
        skill = resolve_skill(base, name)
        rows = base.store.select(queries.SKILL_REFERENCE_KEYS, {"skill": skill.iri})
        keys |= {str(r["key"]) for r in rows}
    return keys


def _by_topics(base: KnowledgeBase, topics: list[str]) -> set[str]:
    index = topic_index(base)
    keys: set[str] = set()
    for name in topics:
        topic = resolve_topic(base, name)
        for tid in sorted(topics_under(index, topic.id)):
            rows = base.store.select(queries.TOPIC_REFERENCE_KEYS, {"topic": str(topic_iri(tid))})
            keys |= {str(r["key"]) for r in rows}
    return keys


def _by_authors(base: KnowledgeBase, authors: list[str]) -> set[str]:
    wanted = {resolve_author(base, name).person_id for name in authors}
    return {
        ref.key
        for ref in base.references.values()
        if any(a.person_id in wanted for a in ref.authors)
    }


def reference_subgraph(graph: Graph, refs: Iterable[Reference]) -> Graph:
    """The triples about ``refs``: their own, their authors', journals' and topics', and the
    evidence links and printed entries that point at them (claims and skills by IRI only)."""
    from kb.rdf.triples import bind_prefixes

    out = Graph()
    bind_prefixes(out)
    for ref in refs:
        node = reference_iri(ref.key)
        for _, pred, obj in graph.triples((node, None, None)):
            out.add((node, pred, obj))
            if isinstance(obj, URIRef) and (obj, RDF.type, None) in graph:
                _describe(graph, obj, out)
        for subj, pred in graph.subject_predicates(node):
            out.add((subj, pred, node))
            if isinstance(subj, URIRef) and _is_link_or_entry(graph, subj):
                _describe(graph, subj, out)
    return out


def _is_link_or_entry(graph: Graph, node: URIRef) -> bool:
    return any((node, RDF.type, cls) in graph for cls in (KB.EvidenceLink, KB.PrintedEntry))


def _describe(graph: Graph, node: URIRef, out: Graph) -> None:
    """Copy the triples whose subject is ``node``, one level deep for an rdf:Seq of authors."""
    for _, pred, obj in graph.triples((node, None, None)):
        out.add((node, pred, obj))
        if (node, RDF.type, RDF.Seq) in graph and isinstance(obj, URIRef):
            for triple in graph.triples((obj, None, None)):
                out.add(triple)

"""An rdflib Graph read straight from an embedded Oxigraph store, without the ontology.

A reopened persistent store already holds the knowledge-base graph; re-reading the inputs to
build it again in rdflib took a minute and 3 GB at 1,000x (parsing the store's dump into rdflib,
55 s). Through oxrdflib (the Oxigraph project's rdflib store), every rdflib lookup the pages make
(``value``, ``objects``, ``subjects``) becomes an indexed Oxigraph lookup instead.

The store's default graph is the knowledge-base graph plus ``ontology/kb.ttl``; the view hides
the ontology's triples, so it holds exactly what ``build_graph`` makes (the two share no triple:
``tests/store/test_graph_view.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore as OxRdflibStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from kb.rdf.namespaces import OA

__all__ = ["DERIVED_INTEGERS", "store_graph"]

# Oxigraph 0.5 stores every integer type derived from xsd:integer as xsd:integer (the datatype is
# lost: docs/field-notes.md). The build types these objects so (kb.rdf.triples); restore them.
DERIVED_INTEGERS = {OA.start: XSD.nonNegativeInteger, OA.end: XSD.nonNegativeInteger}
_STRING = str(XSD.string)
_NO_CONTEXT: Iterator[Any] = iter(())  # rdflib's Graph.triples reads only the triple


class _WithoutOntology(OxRdflibStore):
    """oxrdflib's store, read-only, leaving out a fixed set of triples (the ontology's)."""

    def __init__(self, inner: ox.Store, hidden: frozenset[tuple[Any, Any, Any]]) -> None:
        super().__init__(store=inner)
        self._hidden = hidden
        self._hidden_subjects = frozenset(str(s) for s, _, _ in hidden)

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """The default graph's triples matching the pattern (oxrdflib's own ``triples`` made a
        Graph object per triple for its context: 60% of `kb authors` at 1,000x)."""
        del context  # the view is the default graph only
        hidden, hidden_subjects = self._hidden, self._hidden_subjects
        subject_at, predicate_at, _ = triple_pattern
        if isinstance(subject_at, Literal) or isinstance(predicate_at, Literal | BNode):
            return  # no triple has a literal subject (rdflib's JSON-LD writer asks for one)
        s, p, o = (None if t is None else _to_ox(t) for t in triple_pattern)
        for quad in self._inner.quads_for_pattern(s, p, o, ox.DefaultGraph()):
            subject: Any = quad.subject
            predicate = _iri(quad.predicate.value)
            triple = (_term(subject), predicate, _term(quad.object))
            if predicate in DERIVED_INTEGERS:
                triple = _restored(triple)
            if subject.value not in hidden_subjects or triple not in hidden:
                yield triple, _NO_CONTEXT

    def query(self, *_args: object, **_kwargs: object) -> Any:
        """Not answered by Oxigraph (which would see the hidden ontology triples, and refuses a
        binding of a variable it does not project): rdflib then evaluates the query over
        ``triples``, exactly as on a graph built from the records."""
        raise NotImplementedError

    def __len__(self, context: Any = None) -> int:
        return sum(1 for _ in self.triples((None, None, None), context))

    def add(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("a graph read from a store is read-only")

    addN = remove = add  # noqa: N815 -- rdflib's method names


@functools.lru_cache(maxsize=1 << 18)
def _iri(value: str) -> URIRef:
    return URIRef(value)


def _term(term: Any) -> Any:
    kind = type(term)
    if kind is ox.NamedNode:
        return _iri(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _STRING:  # rdflib's plain literal is not equal to one typed xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(datatype))
    return BNode(term.value)


def _restored(triple: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    s, p, o = triple
    if type(o) is Literal and o.datatype == XSD.integer:
        return s, p, Literal(str(o), datatype=DERIVED_INTEGERS[p])
    return triple


def _to_ox(term: Any) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        datatype = ox.NamedNode(term.datatype) if term.datatype else None
        return ox.Literal(term, language=term.language, datatype=datatype)
    raise TypeError(f"not an RDF term: {term!r}")


def store_graph(inner: ox.Store, hidden: Iterable[tuple[Any, Any, Any]]) -> Graph:
    """The default graph of ``inner`` minus the ``hidden`` triples (the ontology's, read by
    rdflib: they hold no blank node), as a read-only rdflib Graph."""
    return Graph(
        store=_WithoutOntology(inner, frozenset(hidden)), identifier=DATASET_DEFAULT_GRAPH_ID
    )

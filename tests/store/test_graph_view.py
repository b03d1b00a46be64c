"""The rdflib graph a reopened embedded store gives is the graph the records build."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import kb
from kb.rdf.namespaces import OA


def _reopened(bib: Path, data: Path, store: Path) -> kb.KnowledgeBase:
    kb.load(bib=bib, data=data, store=f"oxigraph:{store}")
    again = kb.load(bib=bib, data=data, store=f"oxigraph:{store}")
    assert again.from_store
    return again


def test_store_graph_equals_the_built_graph(synth3: Path, tmp_path: Path) -> None:
    """Same triples (the ontology left out, plain literals plain, oa:start typed
    xsd:nonNegativeInteger again), and the same count."""
    bib, data = synth3 / "references.bib", synth3 / "data"
    from_store = _reopened(bib, data, tmp_path / "store").graph
    built = kb.load(bib=bib, data=data, cache=False).graph
    assert not kb.load(bib=bib, data=data, cache=False).from_store
    assert set(from_store) == set(built)
    assert len(from_store) == len(built)
    starts = list(from_store.objects(None, OA.start))
    assert starts
    assert all(isinstance(o, Literal) and o.datatype.endswith("nonNegativeInteger") for o in starts)


def test_store_graph_is_read_only(synth3: Path, tmp_path: Path) -> None:
    """Adding to the store-backed graph fails instead of writing to the store."""
    graph = _reopened(synth3 / "references.bib", synth3 / "data", tmp_path / "store").graph
    with pytest.raises(TypeError, match="read-only"):
        graph.add((URIRef("urn:x"), URIRef("urn:y"), Literal("z")))


def test_store_graph_serialises_as_the_built_graph(synth3: Path, tmp_path: Path) -> None:
    """Every RDF export of a reopened store (and so of the cached default store) is the built
    graph's, byte for byte. Regression: rdflib's JSON-LD writer asks for the triples of a
    literal subject, which the store view passed to Oxigraph (a TypeError)."""
    from kb.rdf.serialize import graph_as

    bib, data = synth3 / "references.bib", synth3 / "data"
    from_store = _reopened(bib, data, tmp_path / "store").graph
    built = kb.load(bib=bib, data=data, cache=False).graph
    for fmt in ("turtle", "json-ld", "n-triples"):
        assert graph_as(from_store, fmt) == graph_as(built, fmt), fmt
    assert list(from_store.triples((Literal("x"), None, None))) == []


def test_store_graph_answers_queries_as_the_built_graph(synth3: Path, tmp_path: Path) -> None:
    """``graph.query`` on a reopened store's graph answers as on the built graph: rdflib's own
    engine over the view (the ontology hidden), with bindings of unprojected variables.
    Regression: oxrdflib passed the query to Oxigraph, which saw the ontology's triples and
    refused the binding."""
    bib, data = synth3 / "references.bib", synth3 / "data"
    from_store = _reopened(bib, data, tmp_path / "store").graph
    built = kb.load(bib=bib, data=data, cache=False).graph
    query = "SELECT ?s WHERE { ?s a ?type }"
    bindings = {"type": URIRef("https://example.org/kb/ontology#Skill")}
    answers = [sorted(g.query(query, initBindings=bindings)) for g in (from_store, built)]
    assert answers[0] == answers[1]
    assert answers[0]
    every_class = "SELECT (COUNT(*) AS ?n) WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }"
    assert [tuple(r) for r in from_store.query(every_class)] == [
        tuple(r) for r in built.query(every_class)
    ]

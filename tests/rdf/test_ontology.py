"""The vocabulary in ontology/kb.ttl: every term documented, and in step with the code."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL

import kb
from kb.paths import ONTOLOGY
from kb.rdf.namespaces import KB

ONTO = Graph().parse(ONTOLOGY)
NS = str(KB._NS)
DECLARED = sorted(
    {s for s in ONTO.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(NS)}
)


@pytest.mark.parametrize("term", DECLARED, ids=lambda t: t.removeprefix(NS))
def test_every_term_has_label_and_comment(term: URIRef) -> None:
    """Each kb: term has an rdfs:label and an rdfs:comment."""
    assert ONTO.value(term, RDFS.label) is not None
    assert ONTO.value(term, RDFS.comment) is not None


def test_ontology_header() -> None:
    """The ontology declares itself with a label and a comment."""
    onto = next(ONTO.subjects(RDF.type, OWL.Ontology))
    assert ONTO.value(onto, RDFS.label) is not None


def test_every_kb_term_used_in_the_graph_is_declared() -> None:
    """Every kb: IRI the build emits (as class, property or value) is declared in kb.ttl."""
    used = {
        t
        for triple in kb.load().graph
        for t in (triple[1], triple[2])
        if isinstance(t, URIRef) and str(t).startswith(NS)
    }
    used |= {o for o in kb.load().graph.objects(None, RDF.type) if str(o).startswith(NS)}
    missing = sorted(str(t) for t in used if t not in DECLARED)
    assert not missing


def test_namespace_class_and_ontology_agree() -> None:
    """Every term of the KB DefinedNamespace is declared in kb.ttl (typos cannot hide)."""
    names = [n for n in KB.__annotations__ if not n.startswith("_")]
    missing = [n for n in names if KB[n] not in DECLARED]
    assert not missing

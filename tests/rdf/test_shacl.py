"""SHACL: the real graph conforms, and each shape has a failing fixture."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH

from kb.rdf.namespaces import KB, OA
from kb.rdf.shacl import Engine, shapes_graph, validate
from tests.helpers import seed_kb

BASE = seed_kb()
SHAPES = shapes_graph()


def _copy() -> Graph:
    g = Graph()
    for t in BASE.graph:
        g.add(t)
    return g


def _targeted_shapes() -> list[URIRef]:
    targets = (SH.targetClass, SH.targetObjectsOf)
    return sorted({s for t in targets for s in SHAPES.subjects(t, None) if isinstance(s, URIRef)})


def _focus_nodes(g: Graph, shape: URIRef) -> list[URIRef]:
    nodes: set[URIRef] = set()
    for cls in SHAPES.objects(shape, SH.targetClass):
        nodes |= {s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    for prop in SHAPES.objects(shape, SH.targetObjectsOf):
        nodes |= {o for o in g.objects(None, prop) if isinstance(o, URIRef)}
    return sorted(nodes)


def test_real_graph_conforms() -> None:
    """The built knowledge graph conforms to every shape."""
    report = validate(BASE.graph)
    assert report.conforms, [v.one_line() for v in report.violations[:5]]


def test_every_shape_has_focus_nodes_in_the_real_graph() -> None:
    """Each targeted shape applies to at least one node (no dead shapes)."""
    for shape in _targeted_shapes():
        assert _focus_nodes(BASE.graph, shape), shape


@pytest.mark.parametrize("shape", _targeted_shapes(), ids=lambda s: s.rsplit("#", 1)[-1])
def test_shape_fails_when_a_required_property_is_removed(shape: URIRef) -> None:
    """Removing a required (minCount >= 1) property from one focus node violates that shape."""
    g = _copy()
    required = [
        SHAPES.value(ps, SH.path)
        for ps in SHAPES.objects(shape, SH.property)
        if int(SHAPES.value(ps, SH.minCount) or SHAPES.value(ps, SH.qualifiedMinCount) or 0) >= 1
    ]
    assert required, f"{shape} has no required property to break"
    focus = _focus_nodes(g, shape)[0]
    g.remove((focus, required[0], None))
    report = validate(g)
    assert not report.conforms
    assert any(
        v.shape == shape.rsplit("#", 1)[-1] and v.focus == str(focus) for v in report.violations
    )


def test_unknown_stance_value_fails() -> None:
    """A stance outside supports/qualifies/contradicts/background is a violation."""
    g = _copy()
    link = next(g.subjects(RDF.type, KB.EvidenceLink))
    g.set((link, KB.stance, URIRef("https://example.org/kb/ontology#Endorses")))
    assert any(v.shape == "EvidenceLinkShape" for v in validate(g).violations)


def test_quote_differing_from_anchor_fails() -> None:
    """A claim whose oa:exact differs from its quote fails the SPARQL constraint."""
    g = _copy()
    sel = next(g.subjects(RDF.type, OA.TextQuoteSelector))
    g.set((sel, OA.exact, Literal("words the worksheet never says")))
    assert any(v.shape == "ClaimShape" for v in validate(g).violations)


def test_position_start_after_end_fails() -> None:
    """A position selector whose start is not before its end is a violation."""
    g = _copy()
    sel = next(g.subjects(RDF.type, OA.TextPositionSelector))
    end = g.value(sel, OA.end)
    g.set((sel, OA.start, Literal(int(end) + 5, datatype=end.datatype)))
    assert any(v.shape == "TextPositionSelectorShape" for v in validate(g).violations)


def test_link_must_be_marked_curator_judgement() -> None:
    """An evidence link without kb:curatorJudgement true is a violation."""
    g = _copy()
    link = next(g.subjects(RDF.type, KB.EvidenceLink))
    g.set((link, KB.curatorJudgement, Literal(False)))
    assert any(v.shape == "EvidenceLinkShape" for v in validate(g).violations)


def _broken_graphs() -> list[tuple[str, Graph]]:
    """The seed graph broken once per targeted shape (a required property removed), and the four
    value-level breaks above: the fixtures both engines must judge alike."""
    cases: list[tuple[str, Graph]] = [("seed", BASE.graph)]
    for shape in _targeted_shapes():
        g = _copy()
        for ps in SHAPES.objects(shape, SH.property):
            if int(SHAPES.value(ps, SH.minCount) or 0) >= 1:
                g.remove((_focus_nodes(g, shape)[0], SHAPES.value(ps, SH.path), None))
                break
        cases.append((shape.rsplit("#", 1)[-1], g))
    g = _copy()
    link = next(g.subjects(RDF.type, KB.EvidenceLink))
    g.set((link, KB.stance, URIRef("https://example.org/kb/ontology#Endorses")))
    g.set((link, KB.curatorJudgement, Literal(False)))
    sel = next(g.subjects(RDF.type, OA.TextQuoteSelector))
    g.set((sel, OA.exact, Literal("words the worksheet never says")))
    cases.append(("values", g))
    return cases


@pytest.mark.parametrize(("name", "graph"), _broken_graphs(), ids=lambda c: str(c)[:40])
def test_engines_agree(name: str, graph: Graph) -> None:
    """pyshacl-turbo (the default engine) reports exactly the violations pySHACL reports:
    same focus node, path, shape and severity, on the seed and on every failing fixture."""
    del name

    def seen(engine: Engine) -> tuple[bool, list[tuple[str, str | None, str, str]]]:
        report = validate(graph, engine=engine)
        return report.conforms, [(v.focus, v.path, v.shape, v.severity) for v in report.violations]

    assert seen("turbo") == seen("pyshacl")

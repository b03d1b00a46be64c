"""The RDF graph as text: canonical Turtle, sorted N-Triples, JSON-LD."""

from __future__ import annotations

import json

from rdflib import Graph

from kb.errors import UsageError

__all__ = ["GRAPH_FORMATS", "graph_as"]

GRAPH_FORMATS = ("turtle", "n-triples", "json-ld")


def graph_as(graph: Graph, fmt: str) -> str:
    """Serialise deterministically: the same graph gives the same bytes."""
    if fmt == "turtle":
        return graph.serialize(format="longturtle")
    if fmt == "n-triples":
        lines = graph.serialize(format="nt").splitlines()
        return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
    if fmt == "json-ld":
        from kb.rdf.triples import bind_prefixes

        bind_prefixes(graph)
        context = {p: str(ns) for p, ns in graph.namespaces() if p}
        text = graph.serialize(format="json-ld", context=context, sort_keys=True, indent=2)
        data = json.loads(text)  # rdflib lists nodes in store order: sort them by @id
        if isinstance(data, dict) and isinstance(data.get("@graph"), list):
            data["@graph"].sort(key=lambda node: str(node.get("@id", "")))
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(GRAPH_FORMATS)}")

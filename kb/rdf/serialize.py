"""The RDF graph as text: canonical Turtle, sorted N-Triples, JSON-LD."""

from __future__ import annotations

import json
from typing import Any

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
        data = _sorted_sets(json.loads(text))  # rdflib writes nodes and values in store order
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(GRAPH_FORMATS)}")


def _sorted_sets(value: Any, key: str = "") -> Any:
    """JSON-LD with every unordered array sorted (the nodes of ``@graph``, a property's values,
    ``@type``): the same graph read from any store gives the same bytes. An ``@list`` keeps its
    order (an RDF list is ordered)."""
    if isinstance(value, dict):
        return {k: _sorted_sets(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_sets(v) for v in value]
        if key in ("@list", "@context"):
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value

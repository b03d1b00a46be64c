"""Graph files of the NetworkX views: GraphML, GEXF, SVG and PNG drawings, for a selection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import networkx as nx
from rdflib import DCTERMS, Graph
from rdflib import Literal as RdfLiteral

from kb.core.knowledge_base import KnowledgeBase
from kb.errors import UsageError
from kb.export.select import select_references
from kb.rdf.iris import reference_iri
from kb.settings import source_date

__all__ = ["DEFAULT_VIEW", "GRAPH_FORMATS", "data_date", "export_graph", "view_graph"]

from kb.export.formats import DEFAULT_VIEW, GRAPH_FORMATS


def view_graph(
    base: KnowledgeBase,
    view: str = DEFAULT_VIEW,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
) -> nx.Graph:
    """A view, narrowed to the selected references and their neighbours when a filter is given.

    Views without reference nodes (co-authors, topics) keep the people and topics that the
    selected references connect to in the whole knowledge graph.
    """
    from kb.network import projections as network

    if view not in network.VIEWS:
        raise UsageError(
            f"unknown view '{view}'; use one of {', '.join(network.VIEWS)}", record="view"
        )
    graph: nx.Graph = network.VIEWS[view](base)
    skills, topics, authors = list(skills), list(topics), list(authors)
    if not (skills or topics or authors):
        return graph
    refs = {
        str(reference_iri(r.key))
        for r in select_references(base, skills=skills, topics=topics, authors=authors)
    }
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    if refs & set(graph.nodes):
        keep = {n for r in refs & set(graph.nodes) for n in (r, *undirected.neighbors(r))}
    else:
        whole = network.knowledge_graph(base).to_undirected(as_view=True)
        keep = {n for r in refs if r in whole for n in whole.neighbors(r)} & set(graph.nodes)
    sub: nx.Graph = graph.__class__()  # nodes and edges in sorted order: byte-stable files
    sub.graph.update(graph.graph)
    sub.add_nodes_from((n, graph.nodes[n]) for n in sorted(keep))
    sub.add_edges_from(
        sorted(
            ((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep),
            key=lambda e: (str(e[0]), str(e[1])),
        )
    )
    sub.graph["selection"] = f"{len(refs)} references"
    return sub


def data_date(graph: Graph) -> dt.date | None:
    """The date a file made from ``graph`` carries: ``SOURCE_DATE_EPOCH``'s when it is set,
    else the latest date its provenance records (``dcterms:created``/``dcterms:date``), else
    None. Never the clock: the same data gives the same bytes on any day."""
    fixed = source_date()
    if fixed is not None:
        return fixed
    dates = [
        o.value
        for p in (DCTERMS.created, DCTERMS.date)
        for o in graph.objects(None, p)
        if isinstance(o, RdfLiteral) and isinstance(o.value, dt.date)
    ]
    return max((d.date() if isinstance(d, dt.datetime) else d for d in dates), default=None)


def export_graph(
    base: KnowledgeBase,
    fmt: str,
    view: str = DEFAULT_VIEW,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
    title: str | None = None,
) -> str | bytes:
    """GraphML or GEXF text, or an SVG/PNG drawing (titled ``title``, or by its view), of a view
    for the current selection."""
    from kb.network import projections as network

    graph = view_graph(base, view, skills=skills, topics=topics, authors=authors)
    if fmt == "graphml":
        return network.to_graphml(graph)
    if fmt == "gexf":
        return network.to_gexf(graph, data_date(base.graph))
    if fmt in ("graph-svg", "graph-png"):
        drawing: Literal["svg", "png"] = "svg" if fmt == "graph-svg" else "png"
        return network.draw(graph, drawing, title=title or f"{view} view")
    raise UsageError(f"unknown graph format '{fmt}'; use one of {', '.join(GRAPH_FORMATS)}")

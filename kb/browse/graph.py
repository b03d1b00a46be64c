"""The Graph page: views as cytoscape.js elements, filtered, capped and laid out once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kb.browse.scope import (
    reference_keys_in,
    skill_param,
    skills_in,
)
from kb.browse.text import escape
from kb.core.knowledge_base import KnowledgeBase, SkillRef
from kb.core.resolve import (
    resolve_author,
    resolve_reference,
    resolve_skill,
    resolve_topic,
    topic_index,
    topics_under,
)
from kb.errors import KbError
from kb.rdf.iris import (
    agent_iri,
    claim_iri,
    design_iri,
    journal_iri,
    level_iri,
    person_iri,
    reference_iri,
    topic_iri,
    worksheet_iri,
)

__all__ = [
    "FOCUS_KINDS",
    "MAX_GRAPH_NODES",
    "GraphView",
    "focus_node",
    "graph_view",
    "narrowed_view",
    "neighbourhood",
    "neighbours_by_type",
    "node_pages",
    "scope_nodes",
    "skill_nodes",
    "topic_nodes",
]

# ---------------------------------------------------------------------------------------------
# Graphs as cytoscape.js elements: filtered, capped, laid out once in Python (stable positions).

MAX_GRAPH_NODES = 250


@dataclass(frozen=True)
class GraphView:
    """Cytoscape elements for a filtered graph, and what the filters and the cap left out."""

    elements: dict[str, list[dict[str, Any]]]
    nodes: dict[str, str]
    total: int
    unconnected: int
    types: dict[str, int]
    stances: dict[str, int] = field(default_factory=dict)

    @property
    def shown(self) -> int:
        """Nodes drawn."""
        return len(self.elements["nodes"])

    @property
    def capped(self) -> bool:
        """True when the cap left some of the filtered, connected nodes out."""
        return self.shown < self.total


def neighbourhood(graph: nx.Graph, anchors: Iterable[str], radius: int) -> set[str]:
    """Nodes within ``radius`` steps of any anchor, edges taken in either direction."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    found: set[str] = set()
    for anchor in anchors:
        if anchor in undirected:
            found |= set(nx.single_source_shortest_path_length(undirected, anchor, radius))
    return found


def graph_view(
    graph: nx.Graph,
    *,
    types: Collection[str] | None = None,
    within: Iterable[Collection[str]] = (),
    max_nodes: int = MAX_GRAPH_NODES,
) -> GraphView:
    """The connected nodes of the given types that lie in every ``within`` set, at most
    ``max_nodes`` of them.

    Over the cap, the best-connected nodes are kept (ties by id): the picture stays readable
    and the page says how many were left out. Nodes with no edge among those kept are left
    out and counted. Positions come from a seeded spring layout, so the same filters always
    draw the same picture, across reruns and sessions.
    """
    keep = {n for n, t in graph.nodes(data="type") if types is None or t in types}
    for allowed in within:
        keep &= set(allowed)
    sub = graph.subgraph(keep)
    connected = {n for n in keep if any(m != n for m in nx.all_neighbors(sub, n))}
    if len(connected) > max_nodes:
        ranked = sorted(connected, key=lambda n: (-sub.degree(n), str(n)))
        keep = set(ranked[:max_nodes])
    else:
        keep = connected
    shown = nx.Graph()
    shown.add_nodes_from(sorted(keep, key=str))
    shown.add_edges_from(sorted((u, v) for u, v in graph.subgraph(keep).edges() if u != v))
    positions = _layout(shown)
    # element ids are short and stable, never IRIs: the component's details panel shows data
    # fields as links, and our IRIs are names, not pages (the page opens from show_node)
    element_id = {n: f"n{i}" for i, n in enumerate(shown)}
    nodes = []
    for node in shown:
        attrs = graph.nodes[node]
        data = {"id": element_id[node], "label": str(attrs.get("label", node))}
        data |= {
            k: escape(v)
            for k, v in sorted(attrs.items())
            if k != "label" and not str(v).startswith(("http://", "https://"))
        }
        x, y = positions[node]
        nodes.append({"data": data, "position": {"x": round(x, 1), "y": round(y, 1)}})
    edges = []
    for i, (u, v, attrs) in enumerate(sorted(graph.subgraph(keep).edges(data=True), key=_ek)):
        stance = str(attrs.get("stance") or "")
        data = {
            "id": f"e{i}",
            "source": element_id[u],
            "target": element_id[v],
            "label": stance or str(attrs.get("relation") or attrs.get("label") or ""),
            "stance": stance,
        }
        edges.append({"data": data})
    return GraphView(
        elements={"nodes": nodes, "edges": edges},
        nodes={v: k for k, v in element_id.items()},
        total=len(connected),
        unconnected=len(set(sub) - connected),
        types=dict(Counter(str(graph.nodes[n].get("type", "")) for n in shown)),
        stances=dict(Counter(e["data"]["stance"] for e in edges if e["data"]["stance"])),
    )


def _ek(edge: tuple[Any, Any, Any]) -> tuple[str, str]:
    return str(edge[0]), str(edge[1])


def _layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Seeded spring layout per connected component, components packed in rows, largest first."""
    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    width = 140.0 * len(graph) ** 0.5  # row length, in the same units as the positions
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in parts:
        size = 70.0 * len(part) ** 0.5
        if len(part) == 1:
            local = dict.fromkeys(part, (0.0, 0.0))
        else:
            sub = graph.subgraph(sorted(part, key=str))
            pos = nx.spring_layout(sub, seed=7, k=2.5 / len(part) ** 0.5, iterations=100)
            local = {n: (float(px) * size / 2, float(py) * size / 2) for n, (px, py) in pos.items()}
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height + 60.0, 0.0
        for node, (px, py) in local.items():
            out[node] = (x + size / 2 + px, y + size / 2 + py)
        x += size + 60.0
        row_height = max(row_height, size)
    return out


def node_pages(base: KnowledgeBase) -> dict[str, tuple[str, dict[str, str]]]:
    """Graph node IRI -> the dashboard page (and selection) that shows it."""
    pages: dict[str, tuple[str, dict[str, str]]] = {}
    for skill in base.skills:
        pages[skill.iri] = ("skills", {"skill": skill_param(base, skill)})
    for sheet in base.worksheets:
        wid = sheet.worksheet.id
        pages[str(worksheet_iri(wid))] = ("overview", {"worksheet": wid})
        skills = {s.slug: s for s in base.skills if s.worksheet == wid}
        for claim in sheet.claims:
            if claim.section in skills:
                target = ("skills", {"skill": skill_param(base, skills[claim.section])})
                pages[str(claim_iri(wid, claim.id))] = target
        for topic in sheet.topics:
            pages[str(topic_iri(topic.id))] = ("topics", {"topic": topic.id})
    for ref in base.references.values():
        pages[str(reference_iri(ref.key))] = ("references", {"reference": ref.key})
        for author in ref.authors:
            pages[str(person_iri(author))] = ("authors", {"author": author.person_id})
    return pages


def skill_nodes(base: KnowledgeBase, skill: SkillRef) -> set[str]:
    """A skill's corner of the graph: it, its claims and topics, their references, and the
    references' authors, topics, journals and designs (by IRI)."""
    sheet = base.worksheet(skill.worksheet)
    claims = [c for c in sheet.claims if c.section == skill.slug]
    ids = {c.id for c in claims}
    keys = {link.reference for link in sheet.links if link.claim in ids}
    nodes = {skill.iri} | {str(claim_iri(skill.worksheet, c.id)) for c in claims}
    nodes |= {str(topic_iri(t)) for t in skill.skill.topics}
    return nodes | _reference_corner(base, keys)


def topic_nodes(base: KnowledgeBase, topic: str) -> set[str]:
    """A topic's corner of the graph: it and its narrower topics, the skills and references
    tagged with them, and those references' authors, journals and designs (by IRI)."""
    wanted = topics_under(topic_index(base), resolve_topic(base, topic, given_as="topic").id)
    nodes = {str(topic_iri(t)) for t in wanted}
    nodes |= {s.iri for s in base.skills if wanted & set(s.skill.topics)}
    keys = {n.key for sheet in base.worksheets for n in sheet.references if wanted & set(n.topics)}
    return nodes | _reference_corner(base, keys)


def scope_nodes(base: KnowledgeBase, ws: str | None) -> set[str] | None:
    """Every node of a worksheet's part of the graph (None: no narrowing)."""
    if ws is None:
        return None
    sheet = base.worksheet(ws)
    nodes = {str(worksheet_iri(ws))} | {s.iri for s in skills_in(base, ws)}
    nodes |= {str(claim_iri(ws, c.id)) for c in sheet.claims}
    nodes |= {str(topic_iri(t.id)) for t in sheet.topics}
    return nodes | _reference_corner(base, set(reference_keys_in(base, ws)))


def _reference_corner(base: KnowledgeBase, keys: Iterable[str]) -> set[str]:
    nodes: set[str] = set()
    notes = {n.key: n for sheet in base.worksheets for n in sheet.references}
    for key in keys:
        ref = base.references.get(key)
        if ref is None:
            continue
        nodes.add(str(reference_iri(key)))
        nodes |= {str(person_iri(a)) for a in ref.authors}
        if ref.journal:
            nodes.add(str(journal_iri(ref.journal)))
        note = notes.get(key)
        if note is not None:
            nodes |= {str(topic_iri(t)) for t in note.topics}
            if note.design:
                nodes.add(str(design_iri(note.design)))
            if note.level:
                nodes.add(str(level_iri(note.level)))
    return nodes


FOCUS_KINDS = ("reference", "skill", "author", "topic")


def focus_node(base: KnowledgeBase, kind: str, value: str) -> str:
    """The graph node (IRI) a "Show in graph" link names: ``reference`` KEY, ``skill`` (its URL
    value), ``author`` (person id) or ``topic`` (id), as ``kb.core.resolve`` resolves them."""
    if kind == "reference":
        return str(reference_iri(resolve_reference(base, value).key))
    if kind == "skill":
        return resolve_skill(base, value).iri
    if kind == "author":
        return str(agent_iri(resolve_author(base, value).person_id))
    if kind == "topic":
        return str(topic_iri(resolve_topic(base, value).id))
    raise KbError(f"cannot centre the graph on a {kind}", record="focus")


def narrowed_view(
    base: KnowledgeBase,
    graph: nx.Graph,
    ws: str | None,
    *,
    skill: str | None = None,
    topic: str | None = None,
    types: Collection[str] | None = None,
    focus: tuple[str, str] | None = None,
    depth: int = 1,
) -> GraphView:
    """The Graph page's view: around a focus (kind, value) ``depth`` steps out, within the
    worksheet in scope, a skill's and a topic's corners, of the given node types."""
    within: list[Collection[str]] = []
    scope = scope_nodes(base, ws)
    if scope is not None:
        within.append(scope)
    if skill is not None:
        within.append(skill_nodes(base, base.skill(skill)))
    if topic is not None:
        within.append(topic_nodes(base, topic))
    if focus is not None:
        within.append(neighbourhood(graph, [focus_node(base, *focus)], depth))
    return graph_view(graph, types=types, within=within)


def neighbours_by_type(graph: nx.Graph, node: str) -> list[tuple[str, list[str]]]:
    """A node's neighbours (either direction) grouped by type: [(type, sorted labels)]."""
    near: dict[str, list[str]] = {}
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    for other in undirected[node]:
        near.setdefault(str(graph.nodes[other].get("type", "")), []).append(
            str(graph.nodes[other].get("label", other))
        )
    return [(kind, sorted(names)) for kind, names in sorted(near.items())]

"""The Graph page: views as cytoscape.js elements, filtered, capped and laid out once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kb.browse.graph_style import (
    LABELLED_TYPES,
    STANCE_COLOURS,
    relation_words,
    seeded_layout,
    spread_labels,
)
from kb.browse.labels import claim_names
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
    "node_names",
    "node_pages",
    "scope_nodes",
    "shown_name",
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
    labelled: Collection[str] = LABELLED_TYPES,
) -> GraphView:
    """The connected nodes of the given types that lie in every ``within`` set, at most
    ``max_nodes`` of them.

    Over the cap, the best-connected nodes are kept (ties by id): the picture stays readable
    and the page says how many were left out. Nodes with no edge among those kept are left
    out and counted. Positions come from a seeded spring layout, so the same filters always
    draw the same picture, across reruns and sessions, then are spread so that no two captions
    overlap (captions of the ``labelled`` types drawn large, as ``graph_styles`` draws them).
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
    labels = {n: str(graph.nodes[n].get("label", n)) for n in shown}
    kinds = {n: str(graph.nodes[n].get("type", "")) for n in shown}
    positions = spread_labels(seeded_layout(shown), labels, kinds, labelled=labelled)
    # element ids are the names people read (the component's details panel prints every field
    # but the caption, the id and an edge's ends included), escaped, never IRIs or "n6"
    element_id = _people_ids(shown, labels)
    stances_of: dict[Any, set[str]] = {}
    for u, v, attrs in graph.subgraph(keep).edges(data=True):
        if attrs.get("stance"):
            for end in (u, v):
                if kinds[end] == "claim":
                    stances_of.setdefault(end, set()).add(str(attrs["stance"]))
    nodes = []
    for node in shown:
        attrs = graph.nodes[node]
        data = {"id": element_id[node], "label": labels[node]}
        data |= {
            k: escape(v)
            for k, v in sorted(attrs.items())
            if k != "label" and not str(v).startswith(("http://", "https://"))
        }
        if node in stances_of:  # a claim says how the references drawn bear on it
            data["stance"] = ", ".join(s for s in STANCE_COLOURS if s in stances_of[node])
        x, y = positions[node]
        nodes.append({"data": data, "position": {"x": round(x, 1), "y": round(y, 1)}})
    edges = []
    seen: set[str] = set()
    for u, v, attrs in sorted(graph.subgraph(keep).edges(data=True), key=_ek):
        stance = str(attrs.get("stance") or "")
        relation = stance or relation_words(str(attrs.get("relation") or attrs.get("label") or ""))
        data = {
            "id": _unique(escape(f"{labels[u]} → {labels[v]}"), seen),
            "source": element_id[u],
            "target": element_id[v],
            "label": escape(relation),
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


def _unique(name: str, seen: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... when taken; recorded in ``seen``."""
    found, n = name, 1
    while found in seen:
        n += 1
        found = f"{name} ({n})"
    seen.add(found)
    return found


def _people_ids(shown: nx.Graph, labels: dict[Any, str]) -> dict[Any, str]:
    """Each node's element id: its label, escaped, made unique in node order."""
    seen: set[str] = set()
    return {n: _unique(escape(labels[n]), seen) for n in shown}


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
    labelled: Collection[str] = LABELLED_TYPES,
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
    return graph_view(graph, types=types, within=within, labelled=labelled)


def node_names(base: KnowledgeBase, ws: str | None) -> dict[str, str]:
    """Graph node IRI -> the name a node's details give it before its caption: a claim's number
    on the annotated worksheet (``Claim 12``, ``kb.browse.labels.claim_names``)."""
    return {
        str(claim_iri(wid, cid)): name.shown for (wid, cid), name in claim_names(base, ws).items()
    }


def shown_name(graph: nx.Graph, node: str, names: Mapping[str, str] | None = None) -> str:
    """A node as its details name it: its caption, after its name where ``names`` has one
    (``Claim 12: Views about relationships tend to get set early in life.``)."""
    label = str(graph.nodes[node].get("label", node))
    return f"{names[node]}: {label}" if names and node in names else label


def neighbours_by_type(
    graph: nx.Graph, node: str, names: Mapping[str, str] | None = None
) -> list[tuple[str, list[str]]]:
    """A node's neighbours (either direction) grouped by type: [(type, sorted labels)], each as
    ``shown_name`` names it; a neighbour joined by an evidence link carries its stance:
    ``Claim 38: Stress can worsen… (supports)``."""
    near: dict[str, list[tuple[tuple[int, str], str]]] = {}
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    for other in undirected[node]:
        label = shown_name(graph, other, names)
        stances = {
            str(attrs["stance"])
            for u, v in ((node, other), (other, node))
            if graph.has_edge(u, v) and (attrs := graph.edges[u, v]).get("stance")
        }
        if stances:
            label += f" ({', '.join(s for s in STANCE_COLOURS if s in stances)})"
        near.setdefault(str(graph.nodes[other].get("type", "")), []).append((_order(label), label))
    return [(kind, [x for _, x in sorted(found)]) for kind, found in sorted(near.items())]


def _order(label: str) -> tuple[int, str]:
    """Claims by number (Claim 2 before Claim 10), anything else by its words."""
    number = label.removeprefix("Claim ").partition(":")[0]
    return (int(number), label) if label.startswith("Claim ") and number.isdigit() else (0, label)

"""rdflib graph -> NetworkX views, metrics, exports and drawings.

Named ``network`` so it is never confused with ``rdflib.Graph``. Each view is projected from
``base.graph`` by hand (resource-to-resource edges, ``label`` and ``type`` node attributes):
rdflib's own NetworkX bridge would turn every literal and ``rdf:type`` into a node. Node ids
are IRIs. A person is one node across references because the RDF build mints a person's IRI
from the normalised name (family name + first initial): Hazan is one node with 3 references.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from kb.network.draw import COLOURS, SEED, draw, to_gexf, to_graphml
from kb.rdf.namespaces import FABIO, KB
from kb.records.names import short_label

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = [
    "COLOURS",
    "SEED",
    "VIEWS",
    "author_topic",
    "bridges",
    "coauthor",
    "draw",
    "knowledge_graph",
    "metrics",
    "skill_reference",
    "to_gexf",
    "to_graphml",
    "topic_cooccurrence",
]

TYPES = {
    KB.Worksheet: "worksheet",
    KB.Skill: "skill",
    KB.Claim: "claim",
    FABIO.JournalArticle: "reference",
    FABIO.WebPage: "reference",
    FABIO.BlogPost: "reference",
    FABIO.NewsItem: "reference",
    FOAF.Person: "person",
    FOAF.Organization: "organization",
    SKOS.Concept: "topic",
    FABIO.Journal: "journal",
    KB.StudyDesign: "design",
    KB.EvidenceLevel: "level",
}
SKIP = {RDF.type, SKOS.narrower, SKOS.inScheme, SKOS.topConceptOf}


def _types(graph: Graph) -> dict[URIRef, str]:
    return {
        s: TYPES[o]
        for s, o in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and isinstance(o, URIRef) and o in TYPES
    }


def _short(node: URIRef) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def _ref_label(graph: Graph, ref: URIRef) -> str:
    """``Hazan & Shaver (1987)``: the first three names of its author list are enough."""
    seq = graph.value(ref, KB.authorList)
    agents = [graph.value(seq, RDF[f"_{i}"]) for i in (1, 2, 3)] if seq is not None else []
    names = [
        str(graph.value(a, FOAF.familyName) or graph.value(a, FOAF.name))
        for a in agents
        if a is not None
    ]
    year = graph.value(ref, FABIO.hasPublicationYear)
    return short_label(names or [_short(ref)], None if year is None else str(year))


def _label(graph: Graph, node: URIRef, kind: str) -> str:
    if kind == "reference":
        return _ref_label(graph, node)
    if kind == "claim":  # by its words, shortened: "Stress can worsen attachment issues…"
        quote = graph.value(node, KB.quote)
        return _shorten(str(quote)) if quote else str(graph.value(node, DCTERMS.identifier))
    for prop in (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title):
        value = graph.value(node, prop)
        if value is not None:
            return str(value)
    return _short(node)


def _shorten(text: str, width: int = 60) -> str:
    """At most ``width`` characters, cut at a word, with an ellipsis when cut."""
    words = " ".join(text.split())
    if len(words) <= width:
        return words
    return words[: width - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _add_nodes(
    g: nx.Graph, graph: Graph, nodes: Iterable[URIRef], kinds: dict[URIRef, str]
) -> None:
    for node in nodes:
        g.add_node(str(node), label=_label(graph, node, kinds[node]), type=kinds[node])


def knowledge_graph(base: KnowledgeBase) -> nx.DiGraph:
    """The whole knowledge graph: every typed resource, and claim -> reference evidence edges."""
    graph, kinds = base.graph, _types(base.graph)
    g = nx.DiGraph(name="knowledge")
    _add_nodes(g, graph, sorted(kinds), kinds)
    triples = [(s, p, o) for s, p, o in graph if s in kinds and o in kinds and p not in SKIP]
    for s, p, o in sorted(triples, key=lambda t: tuple(map(str, t))):
        if isinstance(o, URIRef):
            rel = graph.namespace_manager.normalizeUri(str(p))
            old = g.edges[str(s), str(o)]["relation"] if g.has_edge(str(s), str(o)) else ""
            g.add_edge(str(s), str(o), relation=" ".join(sorted({*old.split(), rel})))
    for link in sorted(graph.subjects(RDF.type, KB.EvidenceLink), key=str):
        claim, ref = graph.value(link, KB.claim), graph.value(link, KB.reference)
        stance = str(graph.value(link, KB.stance)).rsplit("#", 1)[-1].lower()
        g.add_edge(str(claim), str(ref), relation=f"evidence link ({stance})", stance=stance)
    return g


def _skill_links(graph: Graph) -> dict[URIRef, dict[URIRef, list[tuple[str, str, str]]]]:
    """reference -> skill -> [(claim id, stance, directness)] from the evidence links."""
    out: dict[URIRef, dict[URIRef, list[tuple[str, str, str]]]] = defaultdict(dict)
    for link in graph.subjects(RDF.type, KB.EvidenceLink):
        claim, ref = graph.value(link, KB.claim), graph.value(link, KB.reference)
        skill = graph.value(claim, KB.skill)
        if not isinstance(ref, URIRef) or not isinstance(skill, URIRef):
            continue
        stance, direct = (
            str(graph.value(link, p)).rsplit("#", 1)[-1].lower() for p in (KB.stance, KB.directness)
        )
        claim_id = str(graph.value(claim, DCTERMS.identifier))
        out[ref].setdefault(skill, []).append((claim_id, stance, direct))
    return out


def skill_reference(base: KnowledgeBase) -> nx.Graph:
    """Skills and the references linked to their claims; edge weight = number of links."""
    graph, kinds = base.graph, _types(base.graph)
    g = nx.Graph(name="skill-reference")
    skills = [s for s, k in kinds.items() if k == "skill"]
    _add_nodes(g, graph, sorted(skills), kinds)
    for node in skills:
        g.nodes[str(node)]["slug"] = str(graph.value(node, KB.slug))
    for ref, per_skill in sorted(_skill_links(graph).items()):
        _add_nodes(g, graph, [ref], kinds)
        g.nodes[str(ref)]["key"] = str(graph.value(ref, DCTERMS.identifier))
        for skill, rows in sorted(per_skill.items()):
            g.add_edge(
                str(skill),
                str(ref),
                weight=len(rows),
                claims=", ".join(sorted({c for c, _, _ in rows})),
                stances=", ".join(sorted({s for _, s, _ in rows})),
                directness=", ".join(sorted({d for _, _, d in rows})),
            )
    return g


def _creators(graph: Graph) -> dict[URIRef, list[URIRef]]:
    refs = sorted(r for r, k in _types(graph).items() if k == "reference")
    return {
        r: sorted(a for a in graph.objects(r, DCTERMS.creator) if isinstance(a, URIRef))
        for r in refs
    }


def coauthor(base: KnowledgeBase) -> nx.Graph:
    """One node per person or organisation (merged by normalised name); edges join co-authors."""
    graph, kinds = base.graph, _types(base.graph)
    g = nx.Graph(name="coauthor")
    papers: dict[URIRef, list[str]] = defaultdict(list)
    for ref, agents in _creators(graph).items():
        key = str(graph.value(ref, DCTERMS.identifier))
        for agent in agents:
            papers[agent].append(key)
        for a, b in combinations(agents, 2):
            _bump(g, a, b, "references", key)
    for agent, keys in sorted(papers.items()):
        _add_nodes(g, graph, [agent], kinds)
        g.nodes[str(agent)].update(
            person_id=_short(agent), n_references=len(keys), references=", ".join(sorted(keys))
        )
    return g


def _bump(g: nx.Graph, a: URIRef, b: URIRef, attr: str, item: str) -> None:
    """Add one to the weight of edge a-b and append ``item`` to its ``attr`` list ("; ")."""
    data = g.get_edge_data(str(a), str(b), default={"weight": 0, attr: ""})
    items = [*filter(None, data[attr].split("; ")), item]
    g.add_edge(str(a), str(b), **{"weight": data["weight"] + 1, attr: "; ".join(items)})


def _subjects(graph: Graph, item: URIRef, kinds: dict[URIRef, str]) -> list[URIRef]:
    return sorted(
        t for t in graph.objects(item, DCTERMS.subject) if isinstance(t, URIRef) and t in kinds
    )


def author_topic(base: KnowledgeBase) -> nx.Graph:
    """Authors and the topics of their references; edge weight = number of such references."""
    graph, kinds = base.graph, _types(base.graph)
    g = nx.Graph(name="author-topic")
    for ref, agents in _creators(graph).items():
        topics = _subjects(graph, ref, kinds)
        _add_nodes(g, graph, [*agents, *topics], kinds)
        key = str(graph.value(ref, DCTERMS.identifier))
        for agent in agents:
            for topic in topics:
                _bump(g, agent, topic, "references", key)
    return g


def topic_cooccurrence(base: KnowledgeBase) -> nx.Graph:
    """Topics joined when one reference or skill is tagged with both; weight = how many."""
    graph, kinds = base.graph, _types(base.graph)
    g = nx.Graph(name="topic-cooccurrence")
    tagged = sorted(n for n, k in kinds.items() if k in {"reference", "skill"})
    for item in tagged:
        topics = _subjects(graph, item, kinds)
        _add_nodes(g, graph, topics, kinds)
        name = _label(graph, item, kinds[item])
        for a, b in combinations(topics, 2):
            _bump(g, a, b, "sources", name)
    return g


VIEWS: dict[str, Callable[[KnowledgeBase], nx.Graph]] = {
    "knowledge": knowledge_graph,
    "skill-reference": skill_reference,
    "coauthor": coauthor,
    "author-topic": author_topic,
    "topic-cooccurrence": topic_cooccurrence,
}


def metrics(g: nx.Graph) -> dict[str, Any]:
    """Degree and betweenness centrality, and Louvain communities (fixed seed), by node id."""
    u = g.to_undirected() if g.is_directed() else g
    communities = nx.community.louvain_communities(u, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c))
    return {
        "nodes": u.number_of_nodes(),
        "edges": u.number_of_edges(),
        "degree": nx.degree_centrality(u),
        "betweenness": nx.betweenness_centrality(u),
        "communities": ordered,
        "community_of": {n: i for i, c in enumerate(ordered) for n in c},
    }


def bridges(base: KnowledgeBase) -> list[dict[str, Any]]:
    """References and authors whose links reach more than one skill, widest reach first.

    ``betweenness`` is the node's betweenness centrality in the skill-reference view (for a
    reference) or in the author-skill graph its references imply (for an author).
    """
    graph, per_ref = base.graph, _skill_links(base.graph)
    reach: dict[tuple[str, URIRef], set[URIRef]] = {
        ("reference", r): set(s) for r, s in per_ref.items()
    }
    for ref, agents in _creators(graph).items():
        for agent in agents:
            reach.setdefault(("author", agent), set()).update(per_ref.get(ref, {}))
    between = nx.betweenness_centrality(skill_reference(base))
    between.update(
        nx.betweenness_centrality(
            nx.Graph(
                [(str(a), str(s)) for (k, a), ss in reach.items() if k == "author" for s in ss]
            )
        )
    )
    out = [
        {
            "type": kind,
            "id": _short(node) if kind == "author" else str(graph.value(node, DCTERMS.identifier)),
            "label": _label(graph, node, "reference" if kind == "reference" else "person"),
            "skills": sorted(str(graph.value(s, KB.slug)) for s in skills),
            "n_skills": len(skills),
            "betweenness": round(between.get(str(node), 0.0), 4),
        }
        for (kind, node), skills in reach.items()
        if len(skills) > 1
    ]
    return sorted(out, key=lambda r: (-r["n_skills"], r["type"] != "reference", r["label"]))

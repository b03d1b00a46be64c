"""The author and topic pages' data: every author, one author, the topic tree, one topic."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from kb.core.resolve import resolve_author, resolve_topic
from kb.rdf.iris import reference_iri, topic_iri
from kb.rdf.namespaces import KB

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

from kb.network.projections import (
    _creators,
    _label,
    _ref_label,
    _short,
    _skill_links,
    _types,
    coauthor,
    topic_cooccurrence,
)

__all__ = ["author_info", "authors", "coauthors", "topic_info", "topics_tree"]


def authors(base: KnowledgeBase, keys: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Every author (or every author of one of ``keys``): references, co-authors and skills
    reached; most references first."""
    g = coauthor(base)
    per_ref = _skill_links(base.graph)
    rows = []
    for node, data in g.nodes(data=True):
        keys_of = data["references"].split(", ")
        if keys is not None and not set(keys_of) & set(keys):
            continue
        skills = {s for k in keys_of for s in per_ref.get(reference_iri(k), {})}
        rows.append(
            {
                "author": data["label"],
                "id": data["person_id"],
                "type": data["type"],
                "references": len(keys_of),
                "keys": data["references"],
                "coauthors": g.degree(node),
                "skills": len(skills),
            }
        )
    return sorted(rows, key=lambda r: (-r["references"], r["author"].lower()))


def coauthors(base: KnowledgeBase, person: str) -> list[tuple[str, str, int]]:
    """(person id, name, shared references) of one author's co-authors, most shared first."""
    g = coauthor(base)
    wanted = resolve_author(base, person).person_id
    node = next(n for n, pid in g.nodes(data="person_id") if pid == wanted)
    rows = [
        (g.nodes[m]["person_id"], g.nodes[m]["label"], g.edges[node, m]["weight"]) for m in g[node]
    ]
    return sorted(rows, key=lambda r: (-r[2], r[1]))


def author_info(base: KnowledgeBase, name: str, *, given_as: str | None = None) -> dict[str, Any]:
    """One author's references, co-authors and skills reached (``kb.core.resolve.resolve_author``
    names them)."""
    g = coauthor(base)
    wanted = resolve_author(base, name, given_as=given_as).person_id
    node = next(n for n, pid in g.nodes(data="person_id") if pid == wanted)
    data = g.nodes[node]
    per_ref = _skill_links(base.graph)
    keys = data["references"].split(", ")
    skills = sorted({s for k in keys for s in per_ref.get(reference_iri(k), {})})
    coauthors = sorted(
        ({"author": g.nodes[m]["label"], "shared": g.edges[node, m]["weight"]} for m in g[node]),
        key=lambda r: (-r["shared"], r["author"]),
    )
    return {
        "author": data["label"],
        "id": data["person_id"],
        "type": data["type"],
        "references": [_ref_row(base.graph, reference_iri(k)) for k in keys],
        "coauthors": coauthors,
        "skills": _skill_rows(base.graph, skills),
    }


def _ref_row(graph: Graph, ref: URIRef) -> dict[str, Any]:
    return {
        "key": str(graph.value(ref, DCTERMS.identifier)),
        "label": _ref_label(graph, ref),
        "title": str(graph.value(ref, DCTERMS.title)),
    }


def _skill_rows(graph: Graph, skills: Iterable[URIRef]) -> list[dict[str, Any]]:
    rows = [
        {
            "order": int(str(graph.value(s, KB.order))),
            "skill": str(graph.value(s, KB.slug)),
            "title": str(graph.value(s, RDFS.label)),
        }
        for s in skills
    ]
    return sorted(rows, key=lambda r: r["order"])


def _topics(graph: Graph) -> dict[URIRef, dict[str, Any]]:
    """Every SKOS concept with its label, scheme, broader, definition and what it tags."""
    kinds = _types(graph)
    out: dict[URIRef, dict[str, Any]] = {}
    for node in sorted(n for n, k in kinds.items() if k == "topic"):
        broader = graph.value(node, SKOS.broader)
        definition = graph.value(node, SKOS.definition)
        out[node] = {
            "id": _short(node),
            "label": _label(graph, node, "topic"),
            "scheme": _short(URIRef(str(graph.value(node, SKOS.inScheme)))),
            "broader": _short(URIRef(str(broader))) if broader is not None else None,
            "definition": str(definition) if definition is not None else None,
            "references": _tagged(graph, node, kinds, "reference"),
            "skills": _tagged(graph, node, kinds, "skill"),
        }
    return out


def _tagged(graph: Graph, topic: URIRef, kinds: dict[URIRef, str], kind: str) -> list[URIRef]:
    items = graph.subjects(DCTERMS.subject, topic)
    return sorted(i for i in items if isinstance(i, URIRef) and kinds.get(i) == kind)


def topics_tree(base: KnowledgeBase) -> list[dict[str, Any]]:
    """The topics as a tree (SKOS broader/narrower), with counts of references and skills."""
    topics = _topics(base.graph)
    by_id = {t["id"]: t for t in topics.values()}

    def node(t: dict[str, Any], depth: int) -> dict[str, Any]:
        kids = sorted((c for c in by_id.values() if c["broader"] == t["id"]), key=_by_label)
        return {
            "id": t["id"],
            "label": t["label"],
            "scheme": t["scheme"],
            "depth": depth,
            "references": len(t["references"]),
            "skills": len(t["skills"]),
            "children": [node(c, depth + 1) for c in kids],
        }

    roots = [t for t in by_id.values() if t["broader"] not in by_id]
    return [node(t, 0) for t in sorted(roots, key=lambda t: (t["scheme"], t["label"].lower()))]


def _by_label(topic: dict[str, Any]) -> str:
    return str(topic["label"]).lower()


def topic_info(base: KnowledgeBase, topic: str, *, given_as: str | None = None) -> dict[str, Any]:
    """One topic (``kb.core.resolve.resolve_topic`` names it): its place in the tree, references,
    skills, authors and co-occurring topics."""
    graph = base.graph
    topics = _topics(graph)
    node = topic_iri(resolve_topic(base, topic, given_as=given_as).id)
    t, n = topics[node], str(node)
    co = topic_cooccurrence(base)
    co.add_node(n)
    authors_ = sorted(
        {str(graph.value(a, FOAF.name)) for r in t["references"] for a in _creators(graph)[r]}
    )
    return {
        "id": t["id"],
        "label": t["label"],
        "scheme": t["scheme"],
        "broader": t["broader"],
        "narrower": sorted(u["id"] for u in topics.values() if u["broader"] == t["id"]),
        "definition": t["definition"],
        "references": [_ref_row(graph, r) for r in t["references"]],
        "skills": _skill_rows(graph, t["skills"]),
        "authors": authors_,
        "cooccurs": sorted(
            ({"topic": co.nodes[m]["label"], "weight": d["weight"]} for m, d in co[n].items()),
            key=lambda r: (-r["weight"], r["topic"]),
        ),
    }

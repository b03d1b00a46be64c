"""What the dashboard shows, shaped without Streamlit: scopes, tables, highlighted text, graphs.

``app.py`` caches what these functions return and lays it out. Nothing here imports streamlit,
and every string that ends up inside HTML is escaped here, in one place (``escape``).
A *scope* is a worksheet id, or None for every worksheet: each view narrows to it.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kb.errors import KbError
from kb.knowledge_base import EvidenceRow, KnowledgeBase, SkillRef
from kb.rdf.iris import claim_iri, person_iri, reference_iri, topic_iri, worksheet_iri
from kb.rdf.namespaces import ID
from kb.records.models import Author, Reference, ReferenceNote, WorksheetData
from kb.records.names import slug as _slugify
from kb.store.base import Store, Value

__all__ = [
    "EXAMPLE_QUERIES",
    "MAX_GRAPH_NODES",
    "PAGE_SIZE",
    "ClaimEvidence",
    "ClaimLink",
    "GraphView",
    "ReferenceDetail",
    "ReferenceRow",
    "Span",
    "author_names",
    "counts",
    "csv_text",
    "escape",
    "filter_references",
    "graph_view",
    "group_evidence",
    "highlight_html",
    "md_escape",
    "neighbourhood",
    "node_pages",
    "paginate",
    "reference_detail",
    "reference_keys_in",
    "reference_rows",
    "safe_url",
    "scope_nodes",
    "search_reference_keys",
    "skill_nodes",
    "skill_param",
    "skill_passage",
    "skills_in",
    "stance_counts",
    "topic_counts",
    "topic_labels",
    "topic_nodes",
    "worksheets_in",
]

PAGE_SIZE = 25

# ---------------------------------------------------------------------------------------------
# Escaping: data from files is text, never markup.


def escape(text: object) -> str:
    """Text made safe inside HTML (element content and quoted attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def md_escape(text: object) -> str:
    """Text made inert inside Streamlit markdown: no links, emphasis, HTML or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (``javascript:`` and friends are never links)."""
    if url and re.fullmatch(r"https?://[^\s<>\"']+", url.strip()):
        return url.strip()
    return None


# ---------------------------------------------------------------------------------------------
# Scope: the worksheets, skills and references a view covers.


def worksheets_in(base: KnowledgeBase, ws: str | None) -> list[WorksheetData]:
    """The worksheets in scope (all of them for None)."""
    return [w for w in base.worksheets if ws is None or w.worksheet.id == ws]


def skills_in(base: KnowledgeBase, ws: str | None) -> list[SkillRef]:
    """The skills in scope, worksheet by worksheet, in worksheet order."""
    return [s for s in base.skills if ws is None or s.worksheet == ws]


def skill_param(base: KnowledgeBase, ref: SkillRef) -> str:
    """How a skill is written in a URL: its slug, or ``worksheet/slug`` where slugs repeat."""
    return ref.slug if base.slug_counts[ref.slug] == 1 else f"{ref.worksheet}/{ref.slug}"


def library_rows(base: KnowledgeBase) -> list[dict[str, Any]]:
    """One row per worksheet, in folder order: its id, title and counts."""
    return [
        {
            "worksheet": w.worksheet.id,
            "title": w.worksheet.title,
            "skills": len(w.skills),
            "claims": len(w.claims),
            "links": len(w.links),
            "references": len(w.references),
        }
        for w in base.worksheets
    ]


def _notes(base: KnowledgeBase, ws: str | None) -> dict[str, list[tuple[str, ReferenceNote]]]:
    notes: dict[str, list[tuple[str, ReferenceNote]]] = {}
    for sheet in worksheets_in(base, ws):
        for note in sheet.references:
            notes.setdefault(note.key, []).append((sheet.worksheet.id, note))
    return notes


def reference_keys_in(base: KnowledgeBase, ws: str | None) -> list[str]:
    """Keys of the references the worksheets in scope print, in printed order, then by key."""
    notes = _notes(base, ws)
    return sorted(notes, key=lambda k: (min(n.number for _, n in notes[k]), k))


def topic_labels(base: KnowledgeBase) -> dict[str, str]:
    """Every topic id with its label."""
    return {t.id: t.label for sheet in base.worksheets for t in sheet.topics}


def author_names(refs: Iterable[Reference]) -> dict[str, str]:
    """Person id -> display name, for the authors of these references."""
    return {a.person_id: a.display for ref in refs for a in ref.authors}


def counts(base: KnowledgeBase, ws: str | None) -> dict[str, int]:
    """How much the scope holds: worksheets, skills, claims, links, references, authors, topics."""
    sheets = worksheets_in(base, ws)
    keys = reference_keys_in(base, ws)
    refs = [base.references[k] for k in keys if k in base.references]
    topics = {t for s in sheets for sk in s.skills for t in sk.topics}
    topics |= {t for s in sheets for n in s.references for t in n.topics}
    return {
        "Worksheets": len(sheets),
        "Skills": sum(len(s.skills) for s in sheets),
        "Claims": sum(len(s.claims) for s in sheets),
        "Evidence links": sum(len(s.links) for s in sheets),
        "References": len(keys),
        "Authors": len(author_names(refs)),
        "Topics": len(topics),
    }


# ---------------------------------------------------------------------------------------------
# References: the table, its filters, the search, one reference's page.

PEER_REVIEW = {True: "peer-reviewed", False: "not peer-reviewed", None: "unknown"}


@dataclass(frozen=True)
class ReferenceRow:
    """One line of the references table."""

    key: str
    number: int | None
    authors: str
    year: int | None
    title: str
    type: str
    venue: str
    peer_review: str
    design: str
    topic_ids: tuple[str, ...]
    topics: tuple[str, ...]
    claims: int
    skills: int

    def record(self) -> dict[str, Any]:
        """The row as shown (topic ids left out)."""
        return {
            "key": self.key,
            "no.": self.number,
            "authors": self.authors,
            "year": self.year,
            "title": self.title,
            "type": self.type,
            "venue": self.venue,
            "peer review": self.peer_review,
            "design": self.design,
            "topics": list(self.topics),
            "claims": self.claims,
            "skills": self.skills,
        }


def short_authors(authors: Sequence[Author]) -> str:
    """``Hazan & Shaver``, ``Beeney et al.`` or an organisation's name."""
    names = [a.literal or a.family or "" for a in authors]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def reference_rows(base: KnowledgeBase, ws: str | None) -> list[ReferenceRow]:
    """The references in scope with what the table and its filters need."""
    notes = _notes(base, ws)
    labels = topic_labels(base)
    claims: dict[str, set[str]] = {}
    skills: dict[str, set[str]] = {}
    for sheet in worksheets_in(base, ws):
        section = {c.id: c.section for c in sheet.claims}
        slugs = {s.slug for s in sheet.skills}
        for link in sheet.links:
            claims.setdefault(link.reference, set()).add(f"{sheet.worksheet.id}/{link.claim}")
            if section.get(link.claim) in slugs:
                skill = f"{sheet.worksheet.id}/{section[link.claim]}"
                skills.setdefault(link.reference, set()).add(skill)
    rows = []
    for key in reference_keys_in(base, ws):
        ref = base.references.get(key)
        if ref is None:
            continue
        first = notes[key][0][1]
        topic_ids = tuple(dict.fromkeys(t for _, n in notes[key] for t in n.topics))
        rows.append(
            ReferenceRow(
                key=key,
                number=first.number if len(worksheets_in(base, ws)) == 1 else None,
                authors=short_authors(ref.authors),
                year=ref.year,
                title=ref.title,
                type=ref.kind,
                venue=ref.journal or ref.publisher or "",
                peer_review=PEER_REVIEW[first.peer_reviewed],
                design=first.design or "",
                topic_ids=topic_ids,
                topics=tuple(labels.get(t, t) for t in topic_ids),
                claims=len(claims.get(key, ())),
                skills=len(skills.get(key, ())),
            )
        )
    return rows


def filter_references(
    rows: Iterable[ReferenceRow],
    *,
    keys: Collection[str] | None = None,
    types: Collection[str] = (),
    years: tuple[int, int] | None = None,
    topics: Collection[str] = (),
    peer_review: Collection[str] = (),
) -> list[ReferenceRow]:
    """Rows kept by every filter given (an empty filter keeps everything)."""
    kept = []
    for row in rows:
        if keys is not None and row.key not in keys:
            continue
        if types and row.type not in types:
            continue
        if years and (row.year is None or not years[0] <= row.year <= years[1]):
            continue
        if topics and not set(topics) & set(row.topic_ids):
            continue
        if peer_review and row.peer_review not in peer_review:
            continue
        kept.append(row)
    return kept


# User text arrives as the bound variable ?q (projected: Oxigraph refuses unprojected bindings);
# STR() because the store binds text that looks like a URL as an IRI.
SEARCH_REFERENCES = """
SELECT DISTINCT ?key ?q WHERE {
  ?ref kb:authorList ?list ; dcterms:identifier ?key ; dcterms:title ?title .
  OPTIONAL { ?ref dcterms:creator ?agent . ?agent foaf:name ?who . }
  OPTIONAL { ?ref dcterms:isPartOf ?journal . ?journal dcterms:title ?venue . }
  OPTIONAL { ?ref dcterms:publisher ?publisher . }
  FILTER(CONTAINS(LCASE(CONCAT(?key, " ", ?title, " ", COALESCE(?who, ""), " ",
                               COALESCE(?venue, ""), " ", COALESCE(?publisher, ""))),
                  LCASE(STR(?q))))
}
"""


def search_reference_keys(store: Store, text: str) -> set[str]:
    """Keys of references whose key, title, authors or venue contain ``text`` (any case)."""
    rows = store.select(SEARCH_REFERENCES, {"q": text.strip()})
    return {str(r["key"]) for r in rows}


@dataclass(frozen=True)
class ClaimLink:
    """A claim that cites a reference, with the curator's judgement."""

    worksheet: str
    claim_id: str
    quote: str
    section: str
    skill: SkillRef | None
    stance: str
    directness: str
    basis: str
    rationale: str
    curator: str
    date: str


@dataclass(frozen=True)
class ReferenceDetail:
    """Everything one reference's page shows."""

    reference: Reference
    notes: list[tuple[str, ReferenceNote]]
    claims: list[ClaimLink]
    topics: list[tuple[str, str]]

    @property
    def url(self) -> str | None:
        """A safe link to the work: its DOI, else its URL."""
        ref = self.reference
        return safe_url(f"https://doi.org/{ref.doi}" if ref.doi else ref.url)


def reference_detail(base: KnowledgeBase, key: str, ws: str | None) -> ReferenceDetail:
    """One reference, the claims in scope that cite it, its topics and the curators' notes."""
    ref = base.reference(key)
    notes = _notes(base, ws).get(key, [])
    by_slug = {(s.worksheet, s.slug): s for s in base.skills}
    claims = []
    for sheet in worksheets_in(base, ws):
        wid = sheet.worksheet.id
        by_id = {c.id: c for c in sheet.claims}
        for link in sheet.links:
            if link.reference != key or link.claim not in by_id:
                continue
            claim = by_id[link.claim]
            claims.append(
                ClaimLink(
                    worksheet=wid,
                    claim_id=claim.id,
                    quote=claim.quote,
                    section=claim.section,
                    skill=by_slug.get((wid, claim.section)),
                    stance=link.stance,
                    directness=link.directness,
                    basis=link.basis,
                    rationale=link.rationale,
                    curator=link.curator,
                    date=link.date.isoformat(),
                )
            )
    labels = topic_labels(base)
    topic_ids = dict.fromkeys(t for _, n in notes for t in n.topics)
    return ReferenceDetail(
        reference=ref,
        notes=notes,
        claims=sorted(claims, key=lambda c: (c.worksheet, c.skill.order if c.skill else 0)),
        topics=[(t, labels.get(t, t)) for t in topic_ids],
    )


def paginate(rows: Sequence[Any], page: int, size: int = PAGE_SIZE) -> tuple[list[Any], int]:
    """The rows of one page (1-based, clamped) and the number of pages (at least 1)."""
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * size : page * size]), pages


# ---------------------------------------------------------------------------------------------
# A skill: its passage of the worksheet with claims highlighted, its evidence grouped by claim.


@dataclass(frozen=True, order=True)
class Span:
    """A highlighted stretch of text: [start, end) with a short label and a tooltip."""

    start: int
    end: int
    label: str = ""
    title: str = ""
    css: str = "claim"


def skill_passage(sheet: WorksheetData, slug: str) -> tuple[int, int]:
    """Where a skill's paragraphs stand in the worksheet text: [start, end)."""
    skill = next((s for s in sheet.skills if s.slug == slug), None)
    if skill is None:
        raise KbError(f"unknown skill '{slug}' in {sheet.worksheet.id}", record="skill")
    first = sheet.text.find(skill.paragraphs[0])
    last = sheet.text.find(skill.paragraphs[-1], max(first, 0))
    if first >= 0 and last >= 0:
        return first, last + len(skill.paragraphs[-1])
    spans = [(c.start or 0, c.end or 0) for c in sheet.claims if c.section == slug]
    if not spans:
        return 0, 0
    return min(s for s, _ in spans), max(e for _, e in spans)


def highlight_html(text: str, start: int, end: int, spans: Iterable[Span]) -> str:
    """``text[start:end]`` as escaped HTML paragraphs, each span wrapped in a ``<mark>``."""
    out: list[str] = []
    pos = start
    for span in sorted(spans):
        s, e = max(span.start, pos), min(span.end, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(
            f'<mark class="kb-{escape(span.css)}" title="{escape(span.title)}">'
            f"{escape(text[s:e])}<sup>{escape(span.label)}</sup></mark>"
        )
        pos = e
    out.append(escape(text[pos:end]))
    body = "".join(out).strip()
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n\s*\n", body) if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


@dataclass
class ClaimEvidence:
    """One claim of a skill and the evidence links on it (empty when nothing is linked)."""

    claim_id: str
    kind: str
    quote: str
    start: int
    end: int
    links: list[EvidenceRow] = field(default_factory=list)


def group_evidence(rows: Iterable[EvidenceRow]) -> list[ClaimEvidence]:
    """Evidence rows grouped by claim, claims in text order."""
    claims: dict[str, ClaimEvidence] = {}
    for row in rows:
        claim = claims.setdefault(
            row.claim_id, ClaimEvidence(row.claim_id, row.kind, row.quote, row.start, row.end)
        )
        if row.key is not None:
            claim.links.append(row)
    return sorted(claims.values(), key=lambda c: (c.start, c.claim_id))


def stance_counts(claims: Iterable[ClaimEvidence]) -> Counter[str]:
    """How many links of each stance."""
    return Counter(link.stance or "" for c in claims for link in c.links)


# ---------------------------------------------------------------------------------------------
# Query results as CSV.


def csv_text(variables: Sequence[str], rows: Iterable[Mapping[str, Value]]) -> str:
    """Rows as CSV text with a header line."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(variables), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The SPARQL console's worked examples.

EXAMPLE_QUERIES: dict[str, str] = {
    "Supporting references per skill": """\
SELECT ?order ?skill (COUNT(DISTINCT ?ref) AS ?supporting)
WHERE {
  ?s a kb:Skill ; kb:order ?order ; rdfs:label ?skill .
  OPTIONAL {
    ?claim kb:skill ?s .
    ?link kb:claim ?claim ; kb:stance kb:Supports ; kb:reference ?ref .
  }
}
GROUP BY ?order ?skill
ORDER BY ?order""",
    "Evidence links with stance and rationale": """\
SELECT ?claim ?key ?stance ?rationale
WHERE {
  ?link a kb:EvidenceLink ; kb:claim ?c ; kb:reference ?r ; kb:stance ?s ;
        kb:rationale ?rationale .
  ?c dcterms:identifier ?claim .
  ?r dcterms:identifier ?key .
  BIND(STRAFTER(STR(?s), "#") AS ?stance)
}
ORDER BY ?claim ?key""",
    "Claims no reference bears on": """\
SELECT ?claim ?section ?quote
WHERE {
  ?c a kb:Claim ; dcterms:identifier ?claim ; kb:quote ?quote ; kb:section ?sec .
  OPTIONAL { ?sec rdfs:label ?label }
  BIND(COALESCE(?label, STRAFTER(STR(?sec), "#")) AS ?section)
  FILTER NOT EXISTS { ?link kb:claim ?c }
}
ORDER BY ?claim""",
    "Peer-reviewed references by year": """\
SELECT ?year ?key ?title
WHERE {
  ?r kb:peerReviewed true ; dcterms:identifier ?key ; dcterms:title ?title .
  OPTIONAL { ?r fabio:hasPublicationYear ?year }
}
ORDER BY ?year ?key""",
    "Authors by number of references": """\
SELECT ?author (COUNT(DISTINCT ?r) AS ?references)
WHERE { ?r dcterms:creator ?a . ?a foaf:name ?author . }
GROUP BY ?author
ORDER BY DESC(?references) ?author""",
    "Topic tree (SKOS broader)": """\
SELECT ?topic ?broader
WHERE {
  ?t a skos:Concept ; skos:prefLabel ?topic .
  OPTIONAL { ?t skos:broader ?b . ?b skos:prefLabel ?broader }
}
ORDER BY ?broader ?topic""",
    "Does any link contradict a claim? (ASK)": "ASK { ?link kb:stance kb:Contradicts }",
    "One skill's evidence as triples (CONSTRUCT)": """\
CONSTRUCT { ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stance . }
WHERE {
  ?skill a kb:Skill ; kb:slug "minimize-stressors" .
  ?claim kb:skill ?skill .
  ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stance .
}""",
}


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
    element_id = {n: escape(n) for n in shown}
    nodes = []
    for node in shown:
        attrs = graph.nodes[node]
        data = {"id": element_id[node], "label": str(attrs.get("label", node))}
        data |= {k: escape(v) for k, v in sorted(attrs.items()) if k != "label"}
        x, y = positions[node]
        nodes.append({"data": data, "position": {"x": round(x, 1), "y": round(y, 1)}})
    edges = []
    for i, (u, v, attrs) in enumerate(sorted(graph.subgraph(keep).edges(data=True), key=_ek)):
        data = {
            "id": f"e{i}",
            "source": element_id[u],
            "target": element_id[v],
            "label": str(attrs.get("relation") or attrs.get("label") or ""),
        }
        edges.append({"data": data})
    return GraphView(
        elements={"nodes": nodes, "edges": edges},
        nodes={v: k for k, v in element_id.items()},
        total=len(connected),
        unconnected=len(set(sub) - connected),
        types=dict(Counter(str(graph.nodes[n].get("type", "")) for n in shown)),
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
    narrower: dict[str, set[str]] = {}
    for sheet in base.worksheets:
        for t in sheet.topics:
            if t.broader:
                narrower.setdefault(t.broader, set()).add(t.id)
    wanted, todo = set(), [topic]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo.extend(narrower.get(current, ()))
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
            nodes.add(str(ID[f"journal/{_slugify(ref.journal)}"]))
        note = notes.get(key)
        if note is not None:
            nodes |= {str(topic_iri(t)) for t in note.topics}
            if note.design:
                nodes.add(str(ID[f"design/{note.design}"]))
            if note.level:
                nodes.add(str(ID[f"evidence-level/{note.level}"]))
    return nodes


def topic_counts(base: KnowledgeBase, ws: str | None) -> dict[str, tuple[int, int]]:
    """Topic id -> (references, skills) in scope tagged with it directly."""
    refs: Counter[str] = Counter()
    for sheet in worksheets_in(base, ws):
        for note in sheet.references:
            refs.update(note.topics)
    skills = Counter(t for s in skills_in(base, ws) for t in s.skill.topics)
    return {t: (refs[t], skills[t]) for t in topic_labels(base)}

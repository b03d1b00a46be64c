"""What the pages show, loaded once and cached: thin cached wrappers over kb.browse, kb.evidence,
kb.export and kb.network (Streamlit's cache_data/cache_resource)."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

import kb
from kb.browse import citations as cites
from kb.browse import views
from kb.browse import worksheet as sheets
from kb.browse.people import ScopedItem, author_in_scope, topic_in_scope
from kb.browse.people import author_rows as author_rows_in
from kb.browse.query import QueryResult, run_user_query
from kb.browse.search import Hit, LibraryIndex
from kb.browse.skills import SkillFigures, figures_by_skill
from kb.dashboard.nav import Source
from kb.evidence import audit, profile
from kb.export import apa as cite
from kb.export.styles import DEFAULT_STYLE
from kb.network import pages
from kb.network import projections as network


def source() -> Source:
    """Where the knowledge base comes from: env KB_BIB, KB_DATA and KB_STORE (memory default)."""
    data = os.environ.get("KB_DATA")
    folders = tuple(p for p in data.split(os.pathsep) if p) if data else None
    store = kb.parse_spec(os.environ.get("KB_STORE") or "memory")  # parsed here, passed through
    return os.environ.get("KB_BIB") or None, folders, store


@st.cache_resource(show_spinner="Loading the knowledge base…")
def knowledge_base(src: Source) -> kb.KnowledgeBase:
    """The knowledge base: parsed, validated, built and loaded into its store once per process."""
    bib, data, store = src
    return kb.load(bib=bib, data=list(data) if data else None, store=store)


@st.cache_resource(show_spinner="Opening the worksheet…", max_entries=32)
def kb_of(src: Source, ws: str | None) -> kb.KnowledgeBase:
    """The knowledge base a page shows: the whole one, or one worksheet's (kb.core.narrow)."""
    base = knowledge_base(src)
    return base if ws is None else base.narrow(ws)


@st.cache_resource(show_spinner="Indexing the references…")
def library_index(src: Source) -> LibraryIndex:
    """Every reference of the library, for the search (kb.browse.search)."""
    return LibraryIndex.of(knowledge_base(src))


@st.cache_data(show_spinner=False)
def library_rows(src: Source) -> list[dict[str, Any]]:
    """One row per worksheet of the library, with its counts."""
    return views.library_rows(knowledge_base(src))


@st.cache_data(show_spinner=False)
def apa(src: Source, ws: str | None) -> dict[str, str]:
    """Every reference in scope in APA style, as escaped HTML."""
    return cite.render_apa(list(kb_of(src, ws).references.values()), fmt="html")


@st.cache_data(show_spinner=False)
def skill_profiles(src: Source, ws: str | None) -> list[profile.SkillProfile]:
    """Every skill's evidence profile, in scope."""
    return profile.profiles(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def figures(src: Source, ws: str | None) -> dict[tuple[str, str], SkillFigures]:
    """(worksheet, skill slug) -> linked, supporting and peer-reviewed supporting references."""
    return figures_by_skill(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def evidence(src: Source, ws: str | None, skill: str) -> list[views.ClaimEvidence]:
    """A skill's claims, each with its evidence links."""
    return views.group_evidence(kb_of(src, ws).evidence_for(skill))


@st.cache_data(show_spinner=False)
def annotated(src: Source, ws: str, claim: str | None) -> sheets.AnnotatedWorksheet:
    """A worksheet's whole text with its claims marked by support status."""
    return sheets.annotated_worksheet(knowledge_base(src), ws, open_claim=claim)


@st.cache_data(show_spinner=False)
def claim_rows(src: Source, ws: str, claim: str) -> list[kb.EvidenceRow]:
    """One claim's evidence links, whatever its section."""
    return sheets.claim_evidence(knowledge_base(src), ws, claim)


@st.cache_data(show_spinner=False)
def counts(src: Source, ws: str | None) -> dict[str, int]:
    """How many worksheets, skills, claims, links, references, authors and topics in scope."""
    return views.counts(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def skill_options(src: Source, ws: str | None) -> dict[str, str]:
    """The skills in scope: URL value -> "n. title"."""
    base = kb_of(src, ws)
    return {views.skill_param(base, s): f"{s.order}. {s.title}" for s in views.skills_in(base, ws)}


@st.cache_data(show_spinner=False)
def topic_labels(src: Source, ws: str | None) -> dict[str, str]:
    """Every topic id with its label."""
    return views.topic_labels(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def topic_counts(src: Source, ws: str | None) -> dict[str, tuple[int, int]]:
    """Topic id -> references and skills in scope tagged with it."""
    return views.topic_counts(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def scope_keys(src: Source, ws: str | None) -> frozenset[str]:
    """Keys of the references the worksheets in scope print."""
    return frozenset(views.reference_keys_in(kb_of(src, ws), ws))


@st.cache_data(show_spinner=False)
def reference_rows(src: Source, ws: str | None) -> list[views.ReferenceRow]:
    """The references table of a scope."""
    return views.reference_rows(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def search(src: Source, ws: str | None, text: str, everywhere: bool) -> list[Hit]:
    """References matching every word of a search, in scope (or the whole library)."""
    keys = None if everywhere else scope_keys(src, ws)
    return library_index(src).search(text, keys=keys)


@st.cache_data(show_spinner=False)
def did_you_mean(src: Source, ws: str | None, text: str, everywhere: bool) -> list[str]:
    """For a search that finds nothing, the nearest searches that find something (as
    `kb search` suggests them)."""
    keys = None if everywhere else scope_keys(src, ws)
    return library_index(src).suggest(text, keys=keys)


@st.cache_data(show_spinner=False)
def citations_of(
    src: Source, ws: str | None, keys: tuple[str, ...], style: str = DEFAULT_STYLE
) -> cites.Citations:
    """Reference-list entries and in-text citations of some references, in a style."""
    base = kb_of(src, ws)
    return cites.citations(base, [base.references[k] for k in keys], style)


@st.cache_data(show_spinner=False)
def audit_findings(src: Source, ws: str | None) -> list[audit.AuditFinding]:
    """The audit of printed references against the bibliography."""
    return audit.audit(kb_of(src, ws))


@st.cache_resource(show_spinner=False)
def graph(src: Source, ws: str | None, name: str) -> Any:
    """A networkx view of the knowledge base (knowledge graph, co-authors...), built once."""
    return network.VIEWS[name](kb_of(src, ws))


@st.cache_data(show_spinner="Laying out the graph…")
def network_view(
    src: Source,
    name: str,
    ws: str | None,
    *,
    skill: str | None = None,
    topic: str | None = None,
    types: tuple[str, ...] | None = None,
    focus: tuple[str, str] | None = None,
    depth: int = 1,
    labelled: frozenset[str] = frozenset({"worksheet", "skill", "reference"}),
) -> views.GraphView:
    """A graph's elements: around a focus node, narrowed to a worksheet, a skill and a topic,
    capped, laid out."""
    return views.narrowed_view(
        kb_of(src, ws), graph(src, ws, name), ws, skill=skill, topic=topic, types=types,
        focus=focus, depth=depth, labelled=labelled,
    )  # fmt: skip


@st.cache_data(show_spinner=False)
def node_names(src: Source, ws: str | None) -> dict[str, str]:
    """Graph node -> the name its details give it before its caption (a claim's number)."""
    return views.node_names(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def node_pages(src: Source, ws: str | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Graph node -> the page that shows it."""
    return views.node_pages(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def author_rows(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """Every author in scope with counts of references, co-authors and skills, and their works
    as people cite them."""
    return author_rows_in(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def author_info(src: Source, ws: str | None, person: str) -> ScopedItem:
    """One author's references and skills reached, in scope."""
    return author_in_scope(kb_of(src, ws), person, ws)


@st.cache_data(show_spinner=False)
def coauthors_of(src: Source, ws: str | None, person: str) -> list[tuple[str, str, int]]:
    """(person id, name, shared references) of an author's co-authors, most shared first."""
    return pages.coauthors(kb_of(src, ws), person)


@st.cache_data(show_spinner=False)
def topics_tree(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """The SKOS topic tree."""
    return pages.topics_tree(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def topic_info(src: Source, ws: str | None, topic: str) -> ScopedItem:
    """One topic's place in the tree, references and skills in scope, and authors."""
    return topic_in_scope(kb_of(src, ws), topic, ws)


@st.cache_data(show_spinner="Running the query…", max_entries=64)
def query(src: Source, text: str, limit: int, seconds: float) -> QueryResult:
    """A user's read-only query under a row cap and a time limit (refusals raise KbError)."""
    return run_user_query(knowledge_base(src).store, text, limit=limit, timeout=seconds)


@st.cache_data(show_spinner=False)
def reference_labels(src: Source) -> dict[str, str]:
    """Reference key -> its people-facing name: ``Hazan & Shaver (1987)``, ``Zhang (2012, may not
    exist)``."""
    return {k: n.shown for k, n in views.reference_names(knowledge_base(src)).items()}


@st.cache_data(show_spinner=False)
def reference_page(src: Source, key: str, ws: str | None) -> views.ReferencePage:
    """A reference's page: its findings, appraisal, where to read it and its claims."""
    return views.reference_page(kb_of(src, ws), key, ws)


@st.cache_data(show_spinner="Reading the gaps and the audit…")
def gaps_and_audit(src: Source, ws: str | None) -> views.GapsAndAudit:
    """Every list of the Gaps & Audit page, named as people read them."""
    return views.gaps_and_audit(kb_of(src, ws), ws)

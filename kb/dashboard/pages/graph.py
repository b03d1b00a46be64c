"""The Graph page."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import streamlit as st
from st_link_analysis import Event, st_link_analysis

import kb
from kb.browse import views
from kb.browse.graph import FOCUS_KINDS, focus_node
from kb.browse.graph_style import STANCE_LINES
from kb.dashboard.data import (
    graph,
    network_view,
    node_names,
    node_pages,
    skill_options,
    source,
    topic_labels,
)
from kb.dashboard.nav import PAGES
from kb.dashboard.style import STANCE_COLOURS
from kb.dashboard.widgets import link_button, unselect
from kb.network import projections as network


class CyStyle:
    """A cytoscape.js style rule for st-link-analysis (its own NodeStyle selects on ``label``,
    which we keep for the caption: the details panel prints every other field as HTML)."""

    def __init__(self, selector: str, **style: str) -> None:
        self.rule = {"selector": selector, "style": style}

    def dump(self) -> dict[str, Any]:
        """The rule as st-link-analysis sends it to cytoscape.js."""
        return self.rule


LABELLED_TYPES = frozenset({"worksheet", "skill", "reference"})


OVERVIEW_TYPES = ("worksheet", "skill", "reference", "topic")


NODE_TYPE_HELP = {
    "worksheet": "the worksheet",
    "skill": "one of its key skills",
    "claim": "a statement of the worksheet (shown by its words; its details give its number)",
    "reference": "a reference the worksheet prints",
    "person": "an author",
    "organization": "an author that is an organisation",
    "topic": "a topic of the site",
    "journal": "where a reference was published",
    "design": "a reference's study design (how it was made)",
    "level": "a reference's evidence level (1 strongest, 6 grey literature)",
}


def cy_styles(labelled: frozenset[str], *, directed: bool) -> list[CyStyle]:
    """The graph's style rules (``views.graph_styles``): colour and size by node type, captions
    readable for the ``labelled`` types, evidence links coloured and drawn by stance."""
    return [
        CyStyle(r["selector"], **r["style"])
        for r in views.graph_styles(labelled, directed=directed)
    ]


def hash_elements(view: views.GraphView) -> str:
    """A short digest of what is drawn: a new one re-fits the picture, the same one leaves it."""
    ids = ",".join(n["data"]["label"] for n in view.elements["nodes"])
    return hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()[:12]


def parse_focus(base: kb.KnowledgeBase, value: str | None) -> tuple[str, str] | None:
    """``?focus=reference:hazan1987`` as (kind, value); a focus that names nothing is a message."""
    if not value:
        return None
    kind, _, name = value.partition(":")
    try:
        if kind not in FOCUS_KINDS:
            raise kb.KbError(f"cannot centre the graph on “{kind}”")
        focus_node(base, kind, name)
    except kb.KbError as exc:
        st.error(f"{views.md_escape(exc.message)}: showing the whole graph instead.")
        return None
    return kind, name


def graph_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The knowledge graph around one reference, skill, author or topic (or an overview), edges
    coloured by stance, details on click."""
    st.title("Knowledge graph")
    focus = parse_focus(base, st.query_params.get("focus"))
    full = graph(source(), ws, "knowledge")
    kinds = sorted({str(t) for _, t in full.nodes(data="type")})
    if focus is not None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(
                f"Centred on **{views.md_escape(full.nodes[focus_node(base, *focus)]['label'])}**"
            )
            st.button("Show everything", on_click=unselect, args=("focus",), type="tertiary")
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    default = kinds if focus is not None else [k for k in OVERVIEW_TYPES if k in kinds]
    types = c1.multiselect("Node types", kinds, default=default, key="gtypes", bind="query-params")
    skills = skill_options(source(), ws)
    skill = c2.selectbox(
        "Skill", list(skills), None, skills.__getitem__, key="gskill", placeholder="All skills",
        bind="query-params",
    )  # fmt: skip
    labels = topic_labels(source(), ws)
    topic = c3.selectbox(
        "Topic", sorted(labels, key=labels.__getitem__), None, labels.__getitem__, key="gtopic",
        placeholder="All topics", bind="query-params",
    )  # fmt: skip
    depth = c4.segmented_control(
        "Steps from the centre", [1, 2], default=1, key="depth", bind="query-params",
        disabled=focus is None, help="How far from the centred node the picture reaches.",
    )  # fmt: skip
    view = network_view(
        source(), "knowledge", ws, skill=skill, topic=topic, types=tuple(types), focus=focus,
        depth=int(depth or 1), labelled=LABELLED_TYPES,
    )  # fmt: skip
    st.html(legend(view))
    with st.expander("How to read this"):
        st.markdown(
            "Coloured dots are the kinds of node listed above. Coloured lines run from a claim "
            "to a reference: green solid **supports** it, blue dashed **qualifies** it, purple "
            "dotted **contradicts** it, grey solid is **background** (the reference bears on the "
            "topic, not on the claim). A clicked node and its lines turn red: no stance is red. "
            "Thin grey lines are the other relations (a reference's author, topic, journal, "
            "design and evidence level; a claim's skill). Click a node for its details and a "
            "link to its page; scroll to zoom."
        )
        st.markdown("\n".join(f"- **{k}**: {NODE_TYPE_HELP.get(k, k)}" for k in sorted(view.types)))
    st.caption(
        f"{view.shown} nodes, {len(view.elements['edges'])} edges; {view.unconnected} nodes "
        "with no edge in this view are left out."
    )
    if focus is None:
        st.info(
            "Showing worksheet, skills, references and topics. Open a reference, skill, author "
            "or topic and choose “Show in graph” to centre the graph on it.",
            icon=":material/center_focus_strong:",
        )
    if view.capped:
        st.warning(
            f"Showing {view.shown} of {view.total} nodes (the best-connected; the cap is "
            f"{views.MAX_GRAPH_NODES}). Narrow the view with the filters to see the rest."
        )
    node = draw_graph(view, key="graph", height=520, labelled=LABELLED_TYPES, directed=True)
    if node is None:
        st.caption("Click a node to see its details.")
    else:
        show_node(full, node, ws, key="graph")


def legend(view: views.GraphView) -> str:
    """Node types and stances with their colours and counts, as HTML."""
    items = [
        f'<span style="color:{network.COLOURS.get(t, "#17becf")}">&#9679;</span> '
        f"{views.escape(t)} ({n})"
        for t, n in sorted(view.types.items())
    ]
    items += [
        f'<span style="display:inline-block;width:2em;vertical-align:middle;border-top:3px '
        f'{STANCE_LINES[s]} {STANCE_COLOURS[s]}"></span> {views.escape(s)} '
        f"({STANCE_LINES[s]} line, {n})"
        for s, n in sorted(view.stances.items())
        if s in STANCE_COLOURS
    ]
    return f'<div style="font-size:.85rem;color:#444">{" &nbsp; ".join(items)}</div>'


def draw_graph(
    view: views.GraphView, *, key: str, height: int, labelled: frozenset[str], directed: bool
) -> str | None:
    """The interactive graph; returns the node last clicked, if it is drawn."""
    layout = {"name": "preset", "fit": True, "padding": 24, "view": hash_elements(view)}
    event = st_link_analysis(
        view.elements,
        layout=layout,
        node_styles=cy_styles(labelled, directed=directed),
        edge_styles=[],
        height=height,
        key=key,
        events=[Event("select_node", "click tap", "node")],
    )
    target = (event or {}).get("data", {}).get("target_id") if isinstance(event, dict) else None
    return view.nodes.get(target) if target else None


def show_node(g: Any, node: str, ws: str | None, *, key: str) -> None:
    """A clicked node's details: type, label (a claim's after its number), neighbours by type,
    and links to its page and to the graph centred on it (our IRIs are names, not pages: they
    are never shown as links)."""
    names = node_names(source(), ws)
    with st.container(border=True):
        label = views.md_escape(views.shown_name(g, node, names))
        st.markdown(f"**{label}** · {views.md_escape(g.nodes[node].get('type', ''))}")
        for near, shown in views.neighbours_by_type(g, node, names):
            st.markdown(f"- {views.md_escape(near)}: {views.md_escape('; '.join(shown))}")
        target = node_pages(source(), ws).get(node)
        if target is not None:
            page, params = target
            with st.container(horizontal=True):
                link_button(f"Open on the {PAGES[page]} page", page, f"{key}-open", **params)
                focus = focus_of(page, params)
                if focus is not None:
                    link_button("Centre the graph here", "graph", f"{key}-centre", focus=focus)


def focus_of(page: str, params: Mapping[str, str]) -> str | None:
    """The ``focus`` value of a node's page, if the graph can centre on it."""
    kind = {"references": "reference", "skills": "skill", "authors": "author", "topics": "topic"}
    param = {"references": "reference", "skills": "skill", "authors": "author", "topics": "topic"}
    if page in kind and param[page] in params:
        return f"{kind[page]}:{params[param[page]]}"
    return None

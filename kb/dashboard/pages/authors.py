"""The Authors page."""

from __future__ import annotations

import streamlit as st

import kb
from kb.browse import views
from kb.dashboard.blocks import normalise
from kb.dashboard.data import (
    author_info,
    author_rows,
    coauthors_of,
    graph,
    network_view,
    source,
)
from kb.dashboard.pages.graph import draw_graph, show_node
from kb.dashboard.widgets import graph_button, link_button, open_selected_row, paged, unselect
from kb.network import projections as network


def authors_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The co-author network and a table of authors (a row opens one), or one author's page."""
    rows = author_rows(source(), ws)
    names = {r["id"]: r["author"] for r in rows}
    normalise(base, "author")
    chosen = st.query_params.get("author")
    if chosen is not None:
        if chosen in names:
            author_page(base, chosen, ws)
            return
        st.error(f"No author named “{views.md_escape(chosen)}” here: choose one below.")
    st.title("Authors")
    st.caption("Co-authors are joined by an edge; a person is one node across references.")
    view = network_view(source(), "coauthor", ws)
    node = draw_graph(
        view, key="coauthors", height=420, labelled=frozenset(network.COLOURS), directed=False
    )
    if node is not None:
        show_node(graph(source(), ws, "coauthor"), node, ws, key="coauthors")
    text = st.text_input(
        "Search authors", key="aq", bind="query-params", placeholder="A name, any order: hazan"
    )
    found = views.author_search(rows, text)
    if not found.rows:
        st.info(
            f"No author matches “{views.md_escape(text.strip())}”. "
            f"{views.md_escape(found.message or '')}"
        )
        return
    page_rows, n_pages = paged(found.rows, "authors-page")
    st.caption(
        f"{len(found.rows)} of {len(rows)} authors; tick the box at the left of a row to open "
        "that author."
    )
    event = st.dataframe(
        page_rows,
        hide_index=True,
        column_order=["author", "references", "coauthors", "skills", "works"],
        on_select="rerun",
        selection_mode="single-row",
        key="author-table",
    )
    open_selected_row(event, [r["id"] for r in page_rows], "authors", "author", "author-table")
    if n_pages > 1:
        st.pagination(n_pages, key="authors-page")


def author_page(base: kb.KnowledgeBase, person: str, ws: str | None) -> None:
    """One author: references, co-authors and the skills they reach."""
    item = author_info(source(), ws, person)
    info, refs, skills = item.info, item.references, item.skills
    st.button("← All authors", on_click=unselect, args=("author",), type="tertiary")
    st.title(views.md_escape(info["author"]))
    graph_button("author", person, "au-graph")
    coauthors = coauthors_of(source(), ws, person)
    cols = st.columns(3)
    cols[0].metric("References", len(refs))
    cols[1].metric("Co-authors", len(coauthors))
    cols[2].metric("Skills reached", len(skills))
    left, middle, right = st.columns(3)
    with left:
        st.header("References")
        for r in refs:
            link_button(
                f"{r['label']}: {r['title']}", "references", f"ar-{r['key']}", reference=r["key"]
            )
    with middle:
        st.header("Co-authors")
        with st.container(horizontal=True, gap="medium"):
            for pid, name, shared in coauthors:
                link_button(f"{name} ({shared})", "authors", f"ac-{pid}", author=pid)
    with right:
        st.header("Skills reached")
        for s in skills:
            link_button(
                f"{s.order}. {s.title}", "skills", f"as-{s.iri}", skill=views.skill_param(base, s)
            )

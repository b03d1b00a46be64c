"""The References page."""

from __future__ import annotations

from typing import Any

import streamlit as st

import kb
from kb.browse import views
from kb.browse.search import Hit
from kb.dashboard.blocks import normalise, show_audit_rows, show_finding, show_in_text, stance_badge
from kb.dashboard.data import (
    citations_of,
    gaps_and_audit,
    kb_of,
    knowledge_base,
    reference_labels,
    reference_rows,
    search,
    source,
    topic_labels,
)
from kb.dashboard.data import reference_page as reference_page_data
from kb.dashboard.widgets import (
    copy_button,
    graph_button,
    is_library,
    link_button,
    nearest_searches,
    open_selected_row,
    paged,
    plural,
    style_choice,
    unselect,
)
from kb.evidence.finding_block import title_only_line
from kb.export.styles import STYLES

WHY = (views.may_not_exist(True) or "").removeprefix("May not exist: ")


def references_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """A searchable, filterable table of references (a row opens it), or one reference's page."""
    rows = reference_rows(source(), ws)
    normalise(knowledge_base(source()), "reference")
    chosen = st.query_params.get("reference")
    if chosen is not None:
        if chosen in {r.key for r in rows}:
            reference_page(base, chosen, ws)
            return
        if chosen in knowledge_base(source()).references:  # a library hit of another worksheet
            st.caption("Cited by other worksheets of the library, not by the one chosen.")
            reference_page(kb_of(source(), None), chosen, None)
            return
        st.error(f"No reference named “{views.md_escape(chosen)}” here: choose one below.")
    st.title("References")
    library = is_library(knowledge_base(source()))
    text = st.text_input(
        "Search",
        key="q",
        bind="query-params",
        placeholder="Authors, title, venue or year, any order: hazan 1987",
    )
    everywhere = library and st.toggle(
        "Search the whole library", key="everywhere", bind="query-params"
    )
    if everywhere and text.strip():
        library_hits(text)
        return
    c1, c2, c3, c4 = st.columns(4)
    types = c1.multiselect("Type", sorted({r.type for r in rows}), key="type", bind="query-params")
    years = sorted(r.year for r in rows if r.year)
    span = (
        c2.slider(
            "Year", years[0], years[-1], (years[0], years[-1]), key="years", bind="query-params"
        )
        if years and years[0] < years[-1]
        else None
    )
    labels = topic_labels(source(), ws)
    topic_ids = sorted({t for r in rows for t in r.topic_ids}, key=lambda t: labels.get(t, t))
    topics = c3.multiselect(
        "Topic", topic_ids, format_func=lambda t: labels.get(t, t), key="rtopic",
        bind="query-params",
    )  # fmt: skip
    peer = c4.multiselect(
        "Peer review", list(views.PEER_REVIEW.values()), key="peer", bind="query-params"
    )
    names = reference_labels(source())
    bases, designs, levels, stances = provenance_filters(rows)
    found = {h.key for h in search(source(), ws, text, False)} if text.strip() else None
    full_range = span is None or span == (years[0], years[-1])
    kept = views.filter_references(
        rows, keys=found, types=types, years=None if full_range else span, topics=topics,
        peer_review=peer, bases=bases, designs=designs, levels=levels, stances=stances,
    )  # fmt: skip
    doubtful = [r for r in kept if r.unconfirmed]
    for r in doubtful:
        st.warning(
            f"**{views.md_escape(names.get(r.key, r.key))}**: {views.md_escape(WHY)}",
            icon=":material/help:",
        )
    if not kept:
        what = f"“{views.md_escape(text.strip())}”" if text.strip() else "these filters"
        near = nearest_searches(ws, text, False) if text.strip() and not found else ""
        st.info(f"No reference matches {what}.{near} Try fewer words or clear a filter.")
        return
    page_rows, n_pages = paged(kept, "ref-page")
    st.caption(
        f"{len(kept)} of {plural(len(rows), 'reference')}; tick the box at the left of a row to "
        "open that reference."
    )
    event = st.dataframe(
        [r.record() for r in page_rows],
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("DOI or URL"), "key": None},
        on_select="rerun",
        selection_mode="single-row",
        key="ref-table",
    )
    open_selected_row(event, [r.key for r in page_rows], "references", "reference", "ref-table")
    if n_pages > 1:
        st.pagination(n_pages, key="ref-page")


def provenance_filters(
    rows: list[views.ReferenceRow],
) -> tuple[list[str], list[str], list[int], list[str]]:
    """What each reference was judged from (one click for each basis, with its count), its
    design, level and the stances of its links: multiselects kept in the URL."""
    options = views.provenance_options(rows)
    with st.container(horizontal=True, gap="small"):
        for choice in views.basis_counts(rows):
            st.button(
                choice.label,
                key=f"basis-{choice.basis}",
                on_click=set_basis,
                args=(choice.basis,),
                disabled=choice.count == 0,
            )
    c1, c2, c3, c4 = st.columns(4)
    picked: list[list[Any]] = []
    for col, (param, label) in zip(
        (c1, c2, c3, c4),
        (("basis", "Judged from"), ("design", "Design"), ("level", "Level"), ("stance", "Stance")),
        strict=True,
    ):
        words = {str(value): text for value, text in options[param]}
        chosen = col.multiselect(
            label, list(words), format_func=words.__getitem__, key=param, bind="query-params"
        )
        picked.append(chosen)
    return picked[0], picked[1], [int(n) for n in picked[2]], picked[3]


def set_basis(basis: str) -> None:
    """The one-click "judged from …" filter: only that basis (a button callback)."""
    st.session_state["basis"] = [basis]


def library_hits(text: str) -> None:
    """The whole library's references matching a search, a page at a time."""
    hits = search(source(), None, text, True)
    if not hits:
        near = nearest_searches(None, text, True)
        st.info(f"No reference in the library matches “{views.md_escape(text.strip())}”.{near}")
        return
    st.caption(
        f"{plural(len(hits), 'reference')} found; tick the box at the left of a row to open it."
    )
    page_hits, n_pages = paged(hits, "lib-search-page")
    event = st.dataframe(
        [hit_row(h) for h in page_hits],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="lib-table",
    )
    open_selected_row(event, [h.key for h in page_hits], "references", "reference", "lib-table")
    if n_pages > 1:
        st.pagination(n_pages, key="lib-search-page")


def hit_row(hit: Hit) -> dict[str, Any]:
    """A library search hit as a table row (the first worksheets that cite it)."""
    more = len(hit.worksheets) - 3
    cited = ", ".join(hit.worksheets[:3]) + (f" and {more} more" if more > 0 else "")
    return {
        "key": hit.key,
        "authors": hit.authors,
        "year": str(hit.year) if hit.year else "n.d.",
        "title": hit.title,
        "cited in": cited,
    }


def reference_page(base: kb.KnowledgeBase, key: str, ws: str | None) -> None:
    """One reference: whether it may not exist, its appraisal, what the source reports (every
    finding), where to read it, citations to copy, authors, topics, the claims it bears on (with
    stance and basis), and what the audit found in the printed entry."""
    page = reference_page_data(source(), key, ws)
    st.button("← All references", on_click=unselect, args=("reference",), type="tertiary")
    if page.warning:
        st.warning(views.md_escape(page.warning), icon=":material/help:")
    st.title(views.md_escape(page.title))
    st.markdown(f"**{views.md_escape(page.name.shown)}**")
    with st.container(horizontal=True, gap="small"):
        if page.url:
            st.link_button("Open the work", page.url, icon=":material/open_in_new:")
        graph_button("reference", key, "ref-graph")
    st.header("Appraisal")
    with st.container(horizontal=True, gap="small"):
        for words in (page.design_label, page.peer_review_label, page.level_label):
            st.badge(views.md_escape(words), color="gray")
        st.badge(views.md_escape(page.risk_of_bias_label), color="gray")
    for reason in page.risk_of_bias_reasons:
        st.markdown(f"- {views.md_escape(reason)}")
    st.caption(f"Judged from {views.md_escape(page.basis_label)}.")
    if page.design_rationale:
        st.caption(views.md_escape(page.design_rationale))
    st.header(f"What the source reports ({len(page.findings)})")
    if not page.findings:
        st.markdown(views.md_escape(title_only_line()))
    for block in page.findings:
        show_finding(block)
    st.header("Where to read it")
    with st.container(horizontal=True, gap="small"):
        for place in page.where_to_read:
            st.link_button(place.label, place.url, icon=":material/open_in_new:")
    if page.open_access_note:
        st.caption(views.md_escape(page.open_access_note))
    st.header("Cite it")
    style = style_choice()
    c = citations_of(source(), ws, (key,), style)
    st.caption(
        "“Copy for a word processor” keeps the italics; the button at the right of each box "
        "copies plain text."
    )
    st.markdown(f"**Reference list entry ({STYLES[style].name})**")
    st.code(c.entries[0] if c.entries else key, language=None, wrap_lines=True)
    copy_button("Copy for a word processor", c.bibliography, c.bibliography_html)
    show_in_text(c)
    left, right = st.columns(2)
    with left:
        st.header("Authors")
        with st.container(horizontal=True, gap="medium"):
            for author in page.authors:
                pid = author.person_id
                link_button(author.display, "authors", key=f"ra-{pid}", author=pid)
    with right:
        st.header("Topics")
        with st.container(horizontal=True, gap="medium"):
            for tid, label in page.topics:
                link_button(label, "topics", key=f"rt-{tid}", topic=tid)
    st.header(f"Claims it bears on ({len(page.claims)})")
    skills = {(s.worksheet, s.slug): s for s in base.skills}
    for claim in page.claims:
        with st.container(border=True):
            st.markdown(f"**{views.md_escape(claim.number)}** · {views.md_escape(claim.place)}")
            stance_badge(claim.stance, claim.directness)
            st.markdown(f"“{views.md_escape(claim.quote)}”")
            st.markdown(views.md_escape(claim.rationale))
            st.caption(
                f"{claim.directness} evidence, {views.md_escape(claim.judged_from)}; "
                f"review: {views.md_escape(claim.review)}"
            )
            for block in claim.findings:
                show_finding(block)
            skill = skills.get((claim.worksheet, claim.section))
            if skill is not None:
                link_button(
                    "Open this skill",
                    "skills",
                    key=f"rs-{claim.worksheet}-{claim.claim_id}",
                    skill=views.skill_param(base, skill),
                )
    st.header("The printed entry")
    for wid, note in page.printed:
        st.markdown(f"Printed as no. {note.number} in *{views.md_escape(wid)}*:")
        st.text(note.printed)
        for text in (note.verification_note, note.background_only, note.search_note):
            if text:
                st.markdown(f"- {views.md_escape(text)}")
        if note.unverified:
            st.markdown(f"- Not verified: {views.md_escape(', '.join(note.unverified))}")
    audit = gaps_and_audit(source(), ws)
    show_audit_rows(
        [r for r in (*audit.corrections, *audit.style, *audit.unconfirmed_fields) if r.key == key]
    )

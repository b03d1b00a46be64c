"""The Overview page."""

from __future__ import annotations

import altair as alt
import streamlit as st

import kb
from kb.browse import worksheet as sheets
from kb.browse.skills import FIGURE_HELP
from kb.dashboard.data import (
    annotated,
    counts,
    figures,
    knowledge_base,
    library_rows,
    skill_profiles,
    source,
)
from kb.dashboard.style import RATING_COLOURS
from kb.dashboard.widgets import is_library, link_button, one_worksheet, paged, plural
from kb.evidence import profile
from kb.evidence import rating as ratings


def overview_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Counts, every skill's two ratings and what they rest on, and how the claims stand."""
    st.title("Creating Secure Attachment: the evidence")
    st.caption(
        "Every claim-to-reference link is a curator's judgement: the worksheet prints its "
        "references but no in-text citations."
    )
    columns = st.columns(4)
    for i, (label, n) in enumerate(counts(source(), ws).items()):
        columns[i % 4].metric(label, f"{n:,}")
    sheet = one_worksheet(base, ws) if len(base.worksheets) == 1 or ws else None
    if sheet is not None:
        page = annotated(source(), sheet, None)
        st.header("How the worksheet's claims stand")
        st.html(sheets.legend_html(page.counts))
        st.caption(
            "Each claim counted once, by its best link (the counts `kb gaps` gives). "
            "See them in the text on the Worksheet page."
        )
        link_button("Open the annotated worksheet", "worksheet", "ov-ws")
    st.header("Certainty of each skill's evidence")
    st.caption(
        "Two ratings per skill (GRADE rates certainty per outcome): does following the advice "
        "help, and are the worksheet's stated reasons for it true?"
    )
    rows = skill_profiles(source(), ws)
    st.altair_chart(rating_chart(rows), width="stretch")
    st.caption(ratings.DISCLAIMER)
    numbers = figures(source(), ws)
    st.dataframe(
        [
            {
                "#": p.order,
                "skill": p.title,
                "advice helps": p.advice.rating if p.advice else "n/a",
                "stated reasons": p.premises.rating if p.premises else "n/a",
                "supporting refs": numbers[p.worksheet, p.slug].supporting,
                "peer reviewed (of supporting)": numbers[p.worksheet, p.slug].peer_share_text,
                "linked refs": numbers[p.worksheet, p.slug].linked,
                "advice: summary": p.advice.summary if p.advice else "",
            }
            for p in rows
        ],
        hide_index=True,
        column_config={
            "supporting refs": st.column_config.NumberColumn(help=FIGURE_HELP["supporting"]),
            "peer reviewed (of supporting)": st.column_config.TextColumn(help=FIGURE_HELP["peer"]),
            "linked refs": st.column_config.NumberColumn(help=FIGURE_HELP["linked"]),
        },
    )
    st.caption(
        "Supporting refs: references that support at least one claim of the skill. "
        "Peer reviewed: the share of those that are peer reviewed (the rest are web articles "
        "or blogs). Linked refs: every reference linked to the skill, background ones included."
    )
    with st.expander("How ratings are made"):
        st.code(ratings.RATING_RULES, language=None)
    if is_library(knowledge_base(source())):
        library_table()


def library_table() -> None:
    """Every worksheet of a large library, a page at a time (choose one in the sidebar)."""
    rows = library_rows(source())
    st.header(f"The library: {plural(len(rows), 'worksheet')}")
    st.caption("Choose a worksheet in the sidebar to open it on every page.")
    page_rows, n_pages = paged(rows, "library-page")
    # people read the title; the id stays in the data
    st.dataframe(page_rows, hide_index=True, column_config={"worksheet": None})
    if n_pages > 1:
        st.pagination(n_pages, key="library-page")


def rating_chart(rows: list[profile.SkillProfile]) -> alt.Chart:
    """Per skill, two bars: the certainty that following its advice helps, and the certainty of
    its stated reasons, each from very low (1) to high (4)."""
    data = [
        {
            "skill": f"{p.order}. {p.title}",
            "order": p.order,
            "aspect": "advice helps" if rating.aspect == "advice" else "stated reasons",
            "rating": rating.rating,
            "score": ratings.RATINGS.index(rating.rating) + 1,
            "summary": rating.summary,
            "references": p.n_references,
        }
        for p in rows
        for rating in (p.advice, p.premises)
        if rating is not None
    ]
    labels = "['', 'very low', 'low', 'moderate', 'high'][datum.value]"
    chart: alt.Chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X(
                "score:Q",
                title="certainty rating",
                scale=alt.Scale(domain=[0, 4]),
                axis=alt.Axis(values=[1, 2, 3, 4], labelExpr=labels),
            ),
            y=alt.Y(
                "skill:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=160)
            ),
            yOffset=alt.YOffset("aspect:N", sort=["advice helps", "stated reasons"]),
            color=alt.Color(
                "rating:N",
                scale=alt.Scale(domain=list(RATING_COLOURS), range=list(RATING_COLOURS.values())),
                legend=alt.Legend(orient="bottom", title="rating"),
            ),
            opacity=alt.Opacity(
                "aspect:N",
                scale=alt.Scale(domain=["advice helps", "stated reasons"], range=[1.0, 0.55]),
                legend=alt.Legend(orient="bottom", title="upper bar / lower bar"),
            ),
            tooltip=["skill:N", "aspect:N", "rating:N", "references:Q", "summary:N"],
        )
        .properties(height=alt.Step(16))
    )
    return chart

"""The Gaps page."""

from __future__ import annotations

import json
from collections.abc import Sized
from functools import partial

import streamlit as st

import kb
from kb.browse import views
from kb.browse.gap_lists import ClaimGap
from kb.dashboard.blocks import show_audit_rows
from kb.dashboard.data import audit_findings, gaps_and_audit, source
from kb.dashboard.widgets import link_button
from kb.evidence import report


def gaps_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Unsupported and weakly supported claims, very-low skills, unused references, and the
    audit of the printed references, with the appendix and the audit to download."""
    st.title("Gaps & Audit")
    data = gaps_and_audit(source(), ws)
    show_doubts(data)
    figures: dict[str, Sized] = {
        "unsupported": data.unsupported,
        "grey_only": data.grey_only,
        "title_only": data.title_only,
        "very_low_skills": data.very_low_skills,
        "unused_references": data.unused_references,
        "corrections": data.corrections,
    }
    # three to a row: each label is its list's heading, whole (six in a row cut them at 1280 px)
    names = list(figures)
    for row in (names[:3], names[3:]):
        for col, name in zip(st.columns(3), row, strict=True):
            col.metric(data.headings[name].rsplit(" (", 1)[0], len(figures[name]))
    st.caption("The figures `kb gaps` and `kb audit` print, for every section of the worksheet.")
    downloads = st.columns(3)
    downloads[0].download_button(
        "Evidence appendix (HTML)",
        partial(report.render_report, base, "html"),
        "evidence-appendix.html",
        "text/html",
        on_click="ignore",
        icon=":material/download:",
        help="`kb report --format html`: every claim, its links, findings and ratings.",
    )
    downloads[1].download_button(
        "Evidence appendix (Markdown)",
        partial(report.render_report, base, "md"),
        "evidence-appendix.md",
        "text/markdown",
        on_click="ignore",
        icon=":material/download:",
    )
    downloads[2].download_button(
        "Audit of the printed references (JSON)",
        json.dumps(
            [f.as_dict() for f in audit_findings(source(), ws)], indent=2, ensure_ascii=False
        ),
        "audit.json",
        "application/json",
        on_click="ignore",
        icon=":material/download:",
        help="`kb audit --format json`.",
    )
    show_title_only(data)
    show_gaps(data.headings["unsupported"], data.unsupported, "gaps-unsupported")
    st.caption("No reference supports them: at most background or qualifying references.")
    show_gaps(data.headings["grey_only"], data.grey_only, "gaps-grey")
    left, right = st.columns(2)
    with left:
        st.header(data.headings["very_low_skills"])
        st.dataframe(
            [
                {"skill": r.shown, "stated reasons": r.reasons_rating or "n/a"}
                for r in data.very_low_skills
            ],
            hide_index=True,
        )
    with right:
        st.header(data.headings["unused_references"])
        st.dataframe(
            [{"reference": r.reference, "design": r.design_label} for r in data.unused_references],
            hide_index=True,
        )
    st.header(data.headings["corrections"])
    st.caption(
        "Where the worksheet's printed reference list differs from the checked record: a "
        "replaced title or author list whole, the printed one above the corrected one; a short "
        "value word by word, removed words struck through, added ones underlined."
    )
    show_audit_rows(data.corrections)
    with st.expander(data.headings["style"]):
        show_audit_rows(data.style)
    with st.expander(data.headings["unconfirmed_fields"]):
        st.caption("Fields no source could confirm: kept as the worksheet prints them.")
        show_audit_rows(data.unconfirmed_fields)


def show_doubts(data: views.GapsAndAudit) -> None:
    """The references that may not exist, first and open: a warning each, with its claims."""
    for source_ in data.may_not_exist:
        claims = ", ".join(x.text for x in source_.links) or "no claim"
        with st.container():
            st.warning(
                f"**{views.md_escape(source_.name)}**: "
                f"{views.md_escape((source_.warning or '').removeprefix('May not exist: '))} "
                f"Linked to {views.md_escape(claims)}.",
                icon=":material/help:",
            )
            link_button(
                f"Open {source_.name}", "references", f"gd-{source_.key}", reference=source_.key
            )


def show_title_only(data: views.GapsAndAudit) -> None:
    """The sources judged from their title only, each with the claims it is linked to."""
    st.header(data.headings["title_only"])
    st.caption("Nobody here has read more of them than their title.")
    for item in data.title_only:
        with st.container(horizontal=True, gap="small"):
            link_button(item.name, "references", f"gt-{item.key}", reference=item.key)
            st.markdown(views.md_escape(", ".join(x.text for x in item.links) or "no claim"))


def show_gaps(heading: str, rows: list[ClaimGap], key: str) -> None:
    """Claims by number, where they are, their words and their links by name."""
    st.header(heading)
    st.dataframe(
        [
            {
                "claim": r.claim,
                "where": r.place,
                "quote": r.quote,
                "links": ", ".join(x.text for x in r.links) or "none",
            }
            for r in rows
        ],
        hide_index=True,
        key=key,
    )

"""The Gaps page."""

from __future__ import annotations

import json
from functools import partial

import streamlit as st

import kb
from kb.browse.views import DESIGN_LABELS
from kb.dashboard.blocks import show_findings
from kb.dashboard.data import audit_findings, gaps_data, source
from kb.evidence import report


def gaps_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Unsupported and weakly supported claims, very-low skills, unused references, and the
    audit of the printed references, with the appendix and the audit to download."""
    st.title("Gaps & Audit")
    data = gaps_data(source(), ws)
    groups = data.audit
    cols = st.columns(5)
    cols[0].metric("Claims with no supporting link", len(data.unsupported))
    cols[1].metric("Supported by grey literature only", len(data.grey_only))
    cols[2].metric("Skills rated very low", len(data.very_low_skills))
    cols[3].metric("References supporting nothing", len(data.unused_references))
    cols[4].metric("Printed-reference corrections", len(groups.corrections))
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
    st.subheader(f"Claims with no supporting link ({len(data.unsupported)})")
    st.caption("No reference supports them: at most background or qualifying references.")
    st.dataframe(
        [
            {
                "section": r["section"],
                "claim": r["quote"],
                "other links": ", ".join(r["other_links"]) or "none",
            }
            for r in data.unsupported
        ],
        hide_index=True,
    )
    st.subheader(f"Supported by grey literature only ({len(data.grey_only)})")
    st.dataframe(
        [
            {"section": r["section"], "claim": r["quote"], "references": ", ".join(r["references"])}
            for r in data.grey_only
        ],
        hide_index=True,
    )
    left, right = st.columns(2)
    with left:
        st.subheader(f"Skills rated very low ({len(data.very_low_skills)})")
        st.dataframe(
            [
                {"#": r["order"], "skill": r["skill"], "stated reasons": r["reasons_rating"]}
                for r in data.very_low_skills
            ],
            hide_index=True,
        )
    with right:
        st.subheader(f"References supporting nothing ({len(data.unused_references)})")
        st.dataframe(
            [
                {"reference": r["label"], "design": DESIGN_LABELS.get(r["design"] or "", "—")}
                for r in data.unused_references
            ],
            hide_index=True,
        )
    st.subheader(f"Printed-reference corrections ({len(groups.corrections)})")
    st.caption(
        "Where the worksheet's printed reference list differs from the checked record: "
        "removed characters struck through, added ones underlined."
    )
    show_findings(groups.corrections)
    with st.expander(f"APA 7 style points ({len(groups.style)})"):
        show_findings(groups.style)
    with st.expander(f"Unconfirmed: only as printed, nothing differs ({len(groups.unconfirmed)})"):
        st.caption("Fields no source could confirm: kept as the worksheet prints them.")
        st.dataframe(
            [
                {"no.": f.number, "reference": f.key, "field": f.field, "note": f.note}
                for f in groups.unconfirmed
            ],
            hide_index=True,
        )

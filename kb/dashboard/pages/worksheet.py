"""The Worksheet page."""

from __future__ import annotations

import streamlit as st

import kb
from kb.browse import views
from kb.browse import worksheet as sheets
from kb.dashboard.blocks import show_link
from kb.dashboard.data import annotated, claim_rows, reference_labels, source
from kb.dashboard.widgets import one_worksheet, plural, unselect


def worksheet_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The whole worksheet with every claim marked by its support; a claim's evidence on click."""
    sheet = one_worksheet(base, ws)
    if sheet is None:
        st.title("The worksheet, annotated")
        return
    claim = st.query_params.get("claim")
    page = annotated(source(), sheet, claim)
    st.title("The worksheet, annotated")
    st.caption(
        "Every claim the curators found in the text, marked by how well the references support "
        "it. Click a marked claim to see its evidence here; the numbers are the claims' order."
    )
    st.html(sheets.legend_html(page.counts))
    unsupported = page.counts["background-only"] + page.counts["none"]
    st.caption(
        f"{plural(unsupported, 'claim')} with no supporting link and "
        f"{page.counts['grey-only']} supported by grey literature only, as `kb gaps` counts."
    )
    if claim is not None:
        show_claim(page, sheet, claim)
    st.html(page.html)
    st.download_button(
        "Download a printable copy (HTML)",
        sheets.printable_html(page),
        f"{sheet}-annotated.html",
        "text/html",
        on_click="ignore",
        icon=":material/print:",
        help="The text with its marks, the legend and the claims in order: open it and print.",
    )


def show_claim(page: sheets.AnnotatedWorksheet, ws: str, claim_id: str) -> None:
    """The evidence of the claim opened from the text."""
    found = next((c for c in page.claims if c.claim == claim_id), None)
    if found is None:
        st.error(f"No claim named “{views.md_escape(claim_id)}” here: click one in the text.")
        return
    number = page.claims.index(found) + 1
    with st.container(border=True):
        st.button(
            "Close", on_click=unselect, args=("claim",), type="tertiary", icon=":material/close:"
        )
        st.markdown(f"**Claim {number}.** “{views.md_escape(found.quote)}”")
        style = views.STATUS_STYLES[found.status]
        st.html(
            f'<span class="kb-status" style="background:{style.fill};color:{style.text};'
            f'padding:2px 8px;border-radius:4px">{views.escape(views.status_badge(found.status))}'
            f"</span> {views.escape(style.label)}"
        )
        rows = claim_rows(source(), ws, claim_id)
        if not rows:
            st.warning("No reference is linked to this claim.", icon=":material/link_off:")
        labels = reference_labels(source())
        for link in rows:
            show_link(link, labels, key=f"wc-{claim_id}-{link.key}")

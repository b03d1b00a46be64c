"""The Curate page: a frame of tabs over one worksheet's editor, and the undo button. The review
tabs (blind second review, resolving disagreements, review rounds) are in ``second_review``; the
presses (one write per press) in ``kb.dashboard.presses``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

import kb
from kb.browse import views
from kb.browse.curation import DEPTH, Editor, shown
from kb.dashboard.pages.second_review import resolve_tab, review_tab, rounds_tab
from kb.dashboard.presses import editor, fixed, form_token, save_once, show_messages, undo_once
from kb.dashboard.style import BASES, DIRECTNESS, STANCES
from kb.dashboard.widgets import plural


def curate_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Accept or reject claims and links, accept suggestions, edit a link, record the blind
    second review, resolve disagreements, start a review round, undo saves. Every save is
    checked as `kb check` checks."""
    st.title("Curate")
    folders = {p.name: p for p in base.data_dirs}
    name = ws if ws in folders else next(iter(folders))
    try:
        ed = editor(base, folders[name])
    except kb.KbError as exc:
        st.error(views.md_escape(shown(exc, folders[name], base.bib_path)))
        return
    st.caption(
        f"Editing {views.md_escape(name)}. Saves are validated by the same schema, rules and "
        "SHACL as `kb check` and refused when the files changed since this page read them."
    )
    show_messages()
    tab_suggest, tab_links, tab_claims, tab_review, tab_resolve, tab_rounds = st.tabs(
        [
            "Suggestions",
            "Links",
            "Claims",
            "Second review",
            "Resolve disagreements",
            "Review rounds",
        ]
    )
    with tab_suggest:
        suggestions_tab(ed)
    with tab_links:
        links_tab(ed)
    with tab_claims:
        claims_tab(ed)
    with tab_review:
        review_tab(ed)
    with tab_resolve:
        resolve_tab(ed)
    with tab_rounds:
        rounds_tab(ed)
    st.divider()
    steps = len(ed.history)
    token = form_token("undo")
    st.button(
        "Undo the last save",
        icon=":material/undo:",
        key=f"cu-undo-{token}",
        on_click=undo_once,
        args=(token, ed),
    )
    st.caption(
        f"{plural(steps, 'save')} can be undone, newest first, from any session "
        f"(kept in {views.md_escape(ed.history.shown)}, up to {DEPTH})."
    )


def suggestions_tab(ed: Editor) -> None:
    """Ranked suggestions for a claim; accepting one saves a proposed link."""
    labels = {c.id: f"{c.id}: {c.quote[:70]}" for c in ed.data.claims}
    claim = st.selectbox("Claim", list(labels), format_func=labels.__getitem__, key="cu-claim")
    rows = ed.suggestions([claim], top=3) if claim else []
    if not rows:
        st.info("No suggestion for this claim (every candidate is linked already).")
        return
    for row in rows:
        st.markdown(
            f"**{row.rank}. {views.md_escape(row.reference)}**: "
            f"{views.md_escape(row.title)}  \nmatching words: "
            f"{views.md_escape(', '.join(row.matching_words)) or 'none'} (proposed)"
        )
    t = form_token("accept")
    with st.form(f"cu-accept-{t}"):
        st.selectbox("Suggestion to accept", [r.reference for r in rows], key=f"cu-pick-{t}")
        c1, c2, c3 = st.columns(3)
        c1.selectbox("Stance", STANCES, index=3, key=f"cu-stance-{t}")
        c2.selectbox("Directness", DIRECTNESS, index=1, key=f"cu-direct-{t}")
        c3.selectbox("Basis", BASES, index=0, key=f"cu-basis-{t}")
        st.text_input("Rationale (one sentence)", key=f"cu-rationale-{t}")
        st.text_input("Curator", key=f"cu-curator-{t}")
        st.caption(
            "The link is saved as proposed: it counts in no profile until a second "
            "reviewer has judged it (the Second review tab)."
        )

        def accept(got: Mapping[str, Any]) -> None:
            ed.accept_suggestion(
                claim, got[f"cu-pick-{t}"], stance=got[f"cu-stance-{t}"],
                directness=got[f"cu-direct-{t}"], basis=got[f"cu-basis-{t}"],
                rationale=got[f"cu-rationale-{t}"], curator=got[f"cu-curator-{t}"],
                status="proposed",
            )  # fmt: skip

        st.form_submit_button(
            "Accept and save",
            type="primary",
            on_click=save_once,
            args=("accept", t, ed, accept, f"proposed a link from {claim}"),
        )


def links_tab(ed: Editor) -> None:
    """Edit, accept or reject one link."""
    claims = {c.id: c for c in ed.data.claims}
    links = {x.id: x for x in ed.data.links}
    chosen = st.selectbox("Link", list(links), key="cu-link")
    if not chosen:
        return
    link = links[chosen]
    st.caption(f"“{views.md_escape(claims[link.claim].quote)}” — {link.reference}")
    t = form_token("edit")
    with st.form(f"cu-edit-{t}"):
        c1, c2, c3 = st.columns(3)
        c1.selectbox("Stance", STANCES, index=STANCES.index(link.stance), key=f"cu-es-{t}")
        c2.selectbox(
            "Directness", DIRECTNESS, index=DIRECTNESS.index(link.directness), key=f"cu-ed-{t}"
        )
        c3.selectbox("Basis", BASES, index=BASES.index(link.basis), key=f"cu-eb-{t}")
        known = [f.id for f in ed.data.findings if f.reference == link.reference]
        st.multiselect("Findings it rests on", known, default=link.findings, key=f"cu-ef-{t}")
        st.text_input("Rationale", link.rationale, key=f"cu-er-{t}")

        def edit(got: Mapping[str, Any]) -> None:
            ed.edit_link(
                chosen, stance=got[f"cu-es-{t}"], directness=got[f"cu-ed-{t}"],
                basis=got[f"cu-eb-{t}"], findings=got[f"cu-ef-{t}"],
                rationale=got[f"cu-er-{t}"],
            )  # fmt: skip

        st.form_submit_button(
            "Save the link",
            type="primary",
            on_click=save_once,
            args=("edit", t, ed, edit, f"edited {chosen}"),
        )
    left, right = st.columns(2)
    tl = form_token("link")  # not ``t``: edit() reads the form's token when pressed
    left.button(
        "Accept this link",
        key=f"cu-link-accept-{tl}",
        on_click=save_once,
        args=("link", tl, ed, fixed(ed.accept_link, chosen), f"accepted {chosen}"),
    )
    right.button(
        "Reject (delete) this link",
        key=f"cu-link-reject-{tl}",
        on_click=save_once,
        args=("link", tl, ed, fixed(ed.reject_link, chosen), f"rejected {chosen}"),
    )


def claims_tab(ed: Editor) -> None:
    """Accept or reject the proposed claims."""
    proposed = [c for c in ed.data.claims if getattr(c, "status", "accepted") == "proposed"]
    st.caption(f"{plural(len(proposed), 'proposed claim')} (never counted until accepted).")
    t = form_token("claims")
    for c in proposed:
        with st.container(border=True):
            st.markdown(f"“{views.md_escape(c.quote)}” ({c.kind}, {c.section})")
            a, r = st.columns(2)
            a.button(
                "Accept",
                key=f"cu-ca-{c.id}-{t}",
                on_click=save_once,
                args=("claims", t, ed, fixed(ed.accept_claim, c.id), f"accepted {c.id}"),
            )
            r.button(
                "Reject",
                key=f"cu-cr-{c.id}-{t}",
                on_click=save_once,
                args=("claims", t, ed, fixed(ed.reject_claim, c.id), f"rejected {c.id}"),
            )

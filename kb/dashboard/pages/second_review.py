"""The Curate page's review tabs: the blind second review, resolving disagreements, and the
worksheet's verifiable review rounds.

The blind second review records the second reviewer's own judgement (stance, directness, reasons,
name, date), whatever it says: nothing it shows, asks or answers depends on the first judgement,
so it never tells the reviewer whether they agreed. Where the two differ, the link is awaiting
resolution until someone who made neither judgement resolves it in the next tab, which shows
both. The rounds tab starts a round as ``kb review packet --round N`` does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st

import kb
from kb.browse import views
from kb.browse.curation import Editor, Judgement
from kb.dashboard.blocks import show_finding
from kb.dashboard.presses import form_token, press_once, save_once
from kb.dashboard.style import DIRECTNESS, STANCES
from kb.dashboard.widgets import plural
from kb.evidence import review
from kb.evidence.finding_block import finding_blocks, title_only_line
from kb.evidence.wording import read_words

__all__ = ["record_second", "resolve_tab", "review_tab", "rounds_tab"]


def record_second(
    ed: Editor, link: str, second: Judgement, *, reviewer: str, reasons: str, date: dt.date
) -> None:
    """Record a second reviewer's own judgement of a link, with their name, reasons and date;
    a proposed link is then accepted (reviewed twice; where the two differ it is awaiting
    resolution, which this step neither checks nor says)."""
    if not reviewer.strip():
        raise kb.KbError(
            "not saved: give the reviewer's name (who made this second judgement)",
            path=f"{ed.folder.name}/reviews.yaml",
            record=link,
        )
    ed.record_review(link, second, reviewer=reviewer, reasons=reasons, date=date)
    if any(x.id == link and getattr(x, "status", "accepted") == "proposed" for x in ed.data.links):
        ed.accept_link(link)


def show_item(item: review.BlindItem) -> None:
    """A link as the blind reviewer sees it: the claim's words, the reference, its findings."""
    st.markdown(
        f"**Claim** ({views.md_escape(item.kind)}, section "
        f"{views.md_escape(item.section)}): “{views.md_escape(item.quote)}”"
    )
    st.markdown(f"**Reference**: {views.md_escape(item.label)}, *{views.md_escape(item.title)}*")
    if not item.findings:
        st.markdown(views.md_escape(title_only_line()))
    for block in finding_blocks(item.findings):
        show_finding(block)


def review_tab(ed: Editor) -> None:
    """The blind second review: the claim's words, the reference and its recorded findings,
    never the first judgement; the reviewer's own judgement, reasons, name and date are
    recorded, whatever they say."""
    todo = review.unreviewed(ed.data)
    st.caption(
        f"{plural(len(todo), 'link')} without a second review. The second reviewer judges "
        "from the claim and the source only: the first judgement is not shown here, and "
        "saving records your judgement as you give it."
    )
    if not todo:
        return
    refs = ed.references()
    items = {i: review.blind_item(ed.data, refs, i) for i in todo}
    target = st.selectbox(
        "Link to review",
        todo,
        format_func=lambda i: f"{items[i].claim} · {items[i].label}",
        key="cu-review-link",
    )
    item = items[target or todo[0]]
    with st.container(border=True):
        show_item(item)
    t = form_token("review")
    with st.form(f"cu-review-{t}"):
        c1, c2 = st.columns(2)
        c1.selectbox("Second reviewer's stance", STANCES, index=None, key=f"cu-rs-{t}")
        c2.selectbox("Second reviewer's directness", DIRECTNESS, index=None, key=f"cu-rd-{t}")
        st.text_input("Your reasons (one sentence)", key=f"cu-rw-{t}")
        c3, c4 = st.columns(2)
        c3.text_input("Reviewer (your name)", key=f"cu-rn-{t}")
        c4.date_input("Date of your judgement", key=f"cu-rt-{t}")

        def record(got: Mapping[str, Any]) -> None:
            if got[f"cu-rs-{t}"] is None or got[f"cu-rd-{t}"] is None:
                raise kb.KbError(
                    "not saved: choose the second reviewer's stance and directness",
                    path=f"{ed.folder.name}/reviews.yaml",
                    record=item.link,
                )
            second = Judgement(stance=got[f"cu-rs-{t}"], directness=got[f"cu-rd-{t}"])
            record_second(
                ed, item.link, second, reviewer=got[f"cu-rn-{t}"], reasons=got[f"cu-rw-{t}"],
                date=got.get(f"cu-rt-{t}") or dt.date.today(),
            )  # fmt: skip

        st.form_submit_button(
            "Record the review",
            type="primary",
            on_click=save_once,
            args=("review", t, ed, record, f"reviewed {item.link}"),
        )


def resolve_tab(ed: Editor) -> None:
    """Disagreements awaiting resolution: both judgements with who made them and why, for
    someone who made neither; the resolution sets the link to the final judgement."""
    todo = review.awaiting(ed.data)
    st.caption(
        f"{plural(len(todo), 'link')} awaiting resolution (the two judgements differ). This tab "
        "shows both judgements: it is for someone who made neither, never for a second reviewer "
        "who has links still to review."
    )
    if not todo:
        return
    refs = ed.references()
    items = {i: review.resolve_item(ed.data, refs, i) for i in todo}
    target = st.selectbox(
        "Disagreement to resolve",
        todo,
        format_func=lambda i: f"{items[i].blind.claim} · {items[i].blind.label}",
        key="cu-resolve-link",
    )
    item = items[target or todo[0]]
    link = item.blind.link
    with st.container(border=True):
        show_item(item.blind)
        first, second = st.columns(2)
        first.markdown(
            f"**First judgement**: {views.md_escape(item.first)}, by "
            f"{views.md_escape(item.curator)} on {item.curated}, judged from "
            f"{views.md_escape(read_words(item.basis))}  \n{views.md_escape(item.rationale)}"
        )
        second.markdown(
            f"**Second judgement**: {views.md_escape(item.second)}, by "
            f"{views.md_escape(item.reviewer or 'a reviewer not named')} "
            f"{'on ' + item.reviewed if item.reviewed else '(undated)'}  \n"
            f"{views.md_escape(item.reasons or 'No reasons given.')}"
        )
        if item.now != item.first:
            st.caption(f"The link now says {views.md_escape(item.now)} (edited since).")
    t = form_token("resolve")
    key = f"{t}-{link}"  # the rationale's default is this link's
    with st.form(f"cu-resolve-{key}"):
        c1, c2 = st.columns(2)
        c1.selectbox("Final stance", STANCES, index=None, key=f"cu-fs-{key}")
        c2.selectbox("Final directness", DIRECTNESS, index=None, key=f"cu-fd-{key}")
        st.text_input("How it was resolved, and why", key=f"cu-fr-{key}")
        st.text_input("The link's rationale (for the final judgement)", item.rationale,
                      key=f"cu-fa-{key}")  # fmt: skip
        st.text_input(
            "Resolver (your name: neither the curator nor the second reviewer)",
            key=f"cu-fn-{key}",
        )

        def resolve(got: Mapping[str, Any]) -> None:
            if got[f"cu-fs-{key}"] is None or got[f"cu-fd-{key}"] is None:
                raise kb.KbError(
                    "not saved: choose the final stance and directness",
                    path=f"{ed.folder.name}/reviews.yaml",
                    record=link,
                )
            final = Judgement(stance=got[f"cu-fs-{key}"], directness=got[f"cu-fd-{key}"])
            ed.resolve_review(
                link, final, resolution=got[f"cu-fr-{key}"], resolver=got[f"cu-fn-{key}"],
                rationale=got[f"cu-fa-{key}"],
            )  # fmt: skip

        st.form_submit_button(
            "Record the resolution",
            type="primary",
            on_click=save_once,
            args=("resolve", t, ed, resolve, f"resolved {link}"),
        )


def rounds_tab(ed: Editor) -> None:
    """The worksheet's verifiable review rounds, as `kb review` reports them, and a button that
    starts the next one: its packet, hash and frozen first judgements, written as
    `kb review packet --round N` writes them."""
    try:
        reports = ed.rounds()
    except kb.KbError as exc:
        st.error(views.md_escape(ed.shown(exc)))
        return
    if not reports:
        st.info("No review round yet: start one to give second reviewers a verifiable packet.")
    for r in reports:
        returns = ", ".join(x["reviewer"] for x in r.reviewers) or "no returns yet"
        st.markdown(
            f"**{views.md_escape(r.round)}**: {plural(r.links, 'link')}; packet sha256 "
            f"`{(r.packet_sha256 or 'none')[:12]}…`; blind: {views.md_escape(r.blind)}; "
            f"returns: {views.md_escape(returns)}; "
            + (f"resolved by {views.md_escape(r.resolver)}" if r.resolver else "not resolved yet")
        )
    number = ed.next_round()
    accepted = plural(len(ed.data.accepted().links), "accepted link")
    st.caption(
        f"Round {number}'s packet shows the {accepted} as a blind second reviewer sees them "
        "(never a first judgement); the first judgements are frozen beside it. Written to "
        f"{views.md_escape(ed.folder.name)}/review-rounds/round-{number}/, all at once; undo "
        "removes it until a return is added."
    )
    t = form_token("round")
    st.button(
        f"Start review round {number}",
        key=f"cu-round-{t}",
        on_click=start_once,
        args=(t, ed, number),
    )


def start_once(token: str, ed: Editor, number: int) -> None:
    """The Start button's on_click: one press starts one round (a repeated press, nothing)."""

    def act() -> str:
        files = ed.start_round(number, note=f"started review round {number}")
        return f"Started review round {number}: wrote " + ", ".join(
            f"{ed.folder.name}/{name}" for name in files
        )

    press_once(
        "round", token, ed, act,
        "Nothing written by that press: it repeated a press that had already started a round "
        "({last}).",
    )  # fmt: skip

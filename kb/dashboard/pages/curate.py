"""The Curate page."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

import kb
from kb.browse import views
from kb.browse.curation import DEPTH, Editor, Judgement, shown
from kb.dashboard.blocks import show_finding
from kb.dashboard.style import BASES, DIRECTNESS, STANCES
from kb.dashboard.widgets import plural
from kb.evidence import review
from kb.evidence.finding_block import finding_blocks, title_only_line


def editor(base: kb.KnowledgeBase, folder: Path) -> Editor:
    """This session's editor of a worksheet folder: opened once per browser session, so two
    sessions hold two editors and a stale save is refused (kb.curate.editor)."""
    editors: dict[str, Editor] = st.session_state.setdefault("editors", {})
    if str(folder) not in editors:
        editors[str(folder)] = Editor.open(folder, base.bib_path)
    return editors[str(folder)]


@dataclass
class Presses:
    """One session's save presses: the token of each form as shown, the outcomes waiting to be
    shown, the last outcome of each form, and a lock held while a press is handled.

    Made when the page is drawn and changed only in place: Streamlit runs the callback of a
    second press while the first one's save is still running (seen in chromium with a double
    click), so the second waits for the lock, then finds the token taken and the save done."""

    tokens: dict[str, str] = field(default_factory=dict)
    messages: list[tuple[str, str]] = field(default_factory=list)
    last: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def presses() -> Presses:
    """This session's presses (made on the first drawing of the page)."""
    found: Presses = st.session_state.setdefault("cu-presses", Presses())
    return found


def form_token(form: str) -> str:
    """The token of a save form (or button) as now shown: made when it is first shown, kept in
    the session, replaced once a press of it is taken. Widget keys carry it, so the form shown
    after a save is a new, empty one, never the last one's values on the next record."""
    return presses().tokens.setdefault(form, secrets.token_hex(8))


Edit = Callable[[Mapping[str, Any]], Any]  # an edit of the editor's data, given the form's values


def fixed(action: Callable[..., Any], *args: Any) -> Edit:
    """An edit that needs no form values (a button's accept or reject of one record)."""
    return lambda _values: action(*args)


def save_once(form: str, token: str, ed: Editor, edit: Edit, note: str) -> None:
    """A save button's on_click: a press saves only while ``token`` is the form's token, and
    takes it first; a repeated press (a double click, or a press sent while the save ran)
    carries the taken token, saves nothing and says so. A refused save gives the token back
    (the same form, still filled in, can be corrected and pressed again)."""
    values = st.session_state.to_dict()  # the form's values, read before the token is taken
    state = presses()
    with state.lock:
        if state.tokens.get(form) != token:
            state.messages.append((
                "warning",
                "Nothing saved by that press: it repeated a press that had already saved "
                f"({state.last.get(form, 'saved')}). The form is shown anew: fill it in again "
                "to save another change.",
            ))  # fmt: skip
            return
        state.tokens[form] = secrets.token_hex(8)
        try:
            edit(values)
            written = ed.save(note)
        except kb.KbError as exc:
            state.tokens[form] = token
            state.messages.append(("error", ed.shown(exc)))
            st.session_state.pop("editors", None)  # drop the unsaved edit: reopen from files
            return
        files = ", ".join(f"{ed.folder.name}/{name}" for name in written)
        state.last[form] = f"Saved {files} ({note})" if written else "nothing to save"
        state.messages.append(("success", state.last[form]))
    st.cache_data.clear()
    st.cache_resource.clear()  # the read-only pages reload the edited files


def undo_once(token: str, ed: Editor) -> None:
    """The undo button's on_click: one press undoes one save (a repeated press, nothing)."""
    state = presses()
    with state.lock:
        if state.tokens.get("undo") != token:
            state.messages.append((
                "warning",
                "Nothing undone by that press: it repeated a press that had already undone a "
                f"save ({state.last.get('undo', 'undone')}).",
            ))  # fmt: skip
            return
        state.tokens["undo"] = secrets.token_hex(8)
        try:
            undone = ed.undo()
        except kb.KbError as exc:
            state.tokens["undo"] = token
            state.messages.append(("error", ed.shown(exc)))
            return
        files = ", ".join(f"{ed.folder.name}/{n}" for n in undone.files) or "nothing to restore"
        state.last["undo"] = (
            f"Restored {files} (undid: {undone.note or 'a save'}); "
            f"{plural(undone.left, 'earlier save')} can still be undone."
        )
        state.messages.append(("success", state.last["undo"]))
    st.cache_data.clear()
    st.cache_resource.clear()


def review_and_accept(
    ed: Editor, link: str, second: Judgement, resolution: str, reviewer: str
) -> None:
    """Record the second judgement of a link and who made it; a proposed link is then accepted
    (reviewed twice: where the two differ, the resolution says how)."""
    if not reviewer.strip():
        raise kb.KbError(
            "not saved: give the reviewer's name (who made this second judgement)",
            path=f"{ed.folder.name}/reviews.yaml",
            record=link,
        )
    ed.record_review(link, second, resolution=resolution or None, reviewer=reviewer)
    if any(x.id == link and getattr(x, "status", "accepted") == "proposed" for x in ed.data.links):
        ed.accept_link(link)


def show_messages() -> None:
    """The outcomes of the presses since the page was last drawn (set by their callbacks: a
    save and the repeated press after it are both told), each shown once."""
    state = presses()
    with state.lock:  # a save still running is told on this drawing
        shown, state.messages[:] = list(state.messages), []
    for kind, text in shown:
        show = {"error": st.error, "warning": st.warning}.get(kind, st.success)
        show(views.md_escape(text))


def curate_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Accept or reject claims and links, accept suggestions, edit a link, record the blind
    second review, undo saves. Every save is checked as `kb check` checks."""
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
    tab_suggest, tab_links, tab_claims, tab_review = st.tabs(
        ["Suggestions", "Links", "Claims", "Second review"]
    )
    with tab_suggest:
        suggestions_tab(ed)
    with tab_links:
        links_tab(ed)
    with tab_claims:
        claims_tab(ed)
    with tab_review:
        review_tab(ed)
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


def review_tab(ed: Editor) -> None:
    """The blind second review: the claim's words, the reference and its recorded findings,
    never the first judgement; the reviewer's judgement and name are recorded."""
    todo = review.unreviewed(ed.data)
    st.caption(
        f"{plural(len(todo), 'link')} without a second review. The second reviewer judges "
        "from the claim and the source only: the first judgement is not shown here."
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
        st.markdown(
            f"**Claim** ({views.md_escape(item.kind)}, section "
            f"{views.md_escape(item.section)}): “{views.md_escape(item.quote)}”"
        )
        st.markdown(
            f"**Reference**: {views.md_escape(item.label)}, *{views.md_escape(item.title)}*"
        )
        if not item.findings:
            st.markdown(views.md_escape(title_only_line()))
        for block in finding_blocks(item.findings):
            show_finding(block)
    t = form_token("review")
    with st.form(f"cu-review-{t}"):
        c1, c2 = st.columns(2)
        c1.selectbox("Second reviewer's stance", STANCES, index=None, key=f"cu-rs-{t}")
        c2.selectbox("Second reviewer's directness", DIRECTNESS, index=None, key=f"cu-rd-{t}")
        st.text_input("Reviewer (your name)", key=f"cu-rn-{t}")
        st.text_input("Resolution, where the two differ", key=f"cu-rr-{t}")

        def record(got: Mapping[str, Any]) -> None:
            if got[f"cu-rs-{t}"] is None or got[f"cu-rd-{t}"] is None:
                raise kb.KbError(
                    "not saved: choose the second reviewer's stance and directness",
                    path=f"{ed.folder.name}/reviews.yaml",
                    record=item.link,
                )
            second = Judgement(stance=got[f"cu-rs-{t}"], directness=got[f"cu-rd-{t}"])
            review_and_accept(ed, item.link, second, got[f"cu-rr-{t}"], got[f"cu-rn-{t}"])

        st.form_submit_button(
            "Record the review",
            type="primary",
            on_click=save_once,
            args=("review", t, ed, record, f"reviewed {item.link}"),
        )

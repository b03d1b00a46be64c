"""The Curate page's presses: this session's editor, one write per press of a form or button
(a token per form, taken by its press), the outcomes told once, and undo. Shared by the Curate
page's tabs (``kb.dashboard.pages.curate``, ``kb.dashboard.pages.second_review``)."""

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
from kb.browse.curation import Editor
from kb.dashboard.widgets import plural

__all__ = [
    "Edit",
    "Presses",
    "editor",
    "fixed",
    "form_token",
    "press_once",
    "presses",
    "save_once",
    "show_messages",
    "undo_once",
]


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


def press_once(form: str, token: str, ed: Editor, act: Callable[[], str], repeat: str) -> None:
    """One press of a button that writes: it acts only while ``token`` is the form's token,
    and takes it first; a repeated press (a double click, or a press sent while the first one
    ran) carries the taken token, writes nothing and says so (``repeat``, its ``{last}`` the
    first press's outcome). ``act`` returns the outcome to tell; a refused one (``KbError``) gives
    the token back (the same form, still filled in, can be corrected and pressed again) and
    drops this session's editor, so the page reads the files again."""
    state = presses()
    with state.lock:
        if state.tokens.get(form) != token:
            state.messages.append(("warning", repeat.format(last=state.last.get(form, "done"))))
            return
        state.tokens[form] = secrets.token_hex(8)
        try:
            told = act()
        except kb.KbError as exc:
            state.tokens[form] = token
            state.messages.append(("error", ed.shown(exc)))
            st.session_state.pop("editors", None)  # drop any unsaved edit: reopen from files
            return
        state.last[form] = told
        state.messages.append(("success", told))
    st.cache_data.clear()
    st.cache_resource.clear()  # the read-only pages reload the edited files


def save_once(form: str, token: str, ed: Editor, edit: Edit, note: str) -> None:
    """A save button's on_click: the form's edit, then one save of the files it changed
    (``press_once``: one save per press)."""
    values = st.session_state.to_dict()  # the form's values, read before the token is taken

    def act() -> str:
        edit(values)
        written = ed.save(note)
        files = ", ".join(f"{ed.folder.name}/{name}" for name in written)
        return f"Saved {files} ({note})" if written else "nothing to save"

    press_once(
        form,
        token,
        ed,
        act,
        "Nothing saved by that press: it repeated a press that had already saved ({last}). The "
        "form is shown anew: fill it in again to save another change.",
    )


def undo_once(token: str, ed: Editor) -> None:
    """The undo button's on_click: one press undoes one save (a repeated press, nothing)."""

    def act() -> str:
        undone = ed.undo()
        files = ", ".join(f"{ed.folder.name}/{n}" for n in undone.files) or "nothing to restore"
        return (
            f"Restored {files} (undid: {undone.note or 'a save'}); "
            f"{plural(undone.left, 'earlier save')} can still be undone."
        )

    press_once(
        "undo", token, ed, act, "Nothing undone by that press: it repeated a press that had "
        "already undone a save ({last}).",
    )  # fmt: skip


def show_messages() -> None:
    """The outcomes of the presses since the page was last drawn (set by their callbacks: a
    save and the repeated press after it are both told), each shown once."""
    state = presses()
    with state.lock:  # a save still running is told on this drawing
        shown, state.messages[:] = list(state.messages), []
    for kind, text in shown:
        show = {"error": st.error, "warning": st.warning}.get(kind, st.success)
        show(views.md_escape(text))

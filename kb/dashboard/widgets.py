"""Widgets every page uses: URL-bound choices, paging, buttons that open a page, citation copy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

import kb
from kb.browse import citations as cites
from kb.browse import scope, views
from kb.dashboard.data import did_you_mean, source
from kb.export.styles import DEFAULT_STYLE, STYLES


def is_library(base: kb.KnowledgeBase) -> bool:
    """So many worksheets that pages are narrowed to one (no "All worksheets" scope)."""
    return scope.is_library(base)


def one_worksheet(base: kb.KnowledgeBase, ws: str | None) -> str | None:
    """The worksheet a page about one text shows: the one in scope, or the only one."""
    if ws is not None:
        return ws
    if len(base.worksheets) == 1:
        return base.worksheets[0].worksheet.id
    st.info("Choose a worksheet in the sidebar to see its text.", icon=":material/menu:")
    return None


def nearest_searches(ws: str | None, text: str, everywhere: bool) -> str:
    """ " Did you mean …?" for a search that finds nothing ("" when nothing is near)."""
    near = did_you_mean(source(), ws, text, everywhere)
    return f" Did you mean {' or '.join(f'“{views.md_escape(n)}”' for n in near)}?" if near else ""


def style_choice() -> str:
    """The citation style select box (kept in the URL as ``style``); APA 7 by default."""
    chosen = st.selectbox(
        "Citation style", list(STYLES), format_func=lambda k: STYLES[k].name, key="style",
        bind="query-params",
    )  # fmt: skip
    return chosen or DEFAULT_STYLE


def copy_button(label: str, text: str, html: str) -> None:
    """A button that copies ``html`` (italics kept) and ``text`` for a word processor."""
    st.iframe(cites.copy_button_html(label, text, html), height=44)


def plural(n: int, word: str) -> str:
    """``1 reference``, ``3 references``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def go(page: str, **params: str) -> None:
    """Open a page with a selection (a button callback); other selections are kept."""
    st.query_params.update({"page": page, **params})


def unselect(param: str) -> None:
    """Drop a selection from the URL (a button callback)."""
    st.query_params.pop(param, None)


def _from_widget(param: str, key: str, keep: bool = False) -> None:
    value = st.session_state.get(key)
    if value is None and keep:  # a second click on the current pill unselects it: keep the page
        st.session_state[key] = st.query_params.get(param) or st.session_state.get(f"{key}-last")
        return
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value
        st.session_state[f"{key}-last"] = value


def choose(
    param: str,
    label: str,
    options: Mapping[str, str],
    *,
    default: str | None = None,
    placeholder: str = "Choose…",
    pills: bool = False,
) -> str | None:
    """A selectbox (or pills) over ``options`` (value -> label) kept in ``?param=``.

    A value in the URL that names nothing gets a clear message, and the default instead.
    """
    key = f"choose-{param}"
    wanted = st.query_params.get(param)
    if wanted is not None and wanted not in options:
        st.error(f"No {param} named “{views.md_escape(wanted)}” here: choose one below.")
        wanted = None
    wanted = wanted if wanted is not None else default
    st.session_state[f"{key}-last"] = wanted
    if st.session_state.get(key) != wanted:
        st.session_state[key] = wanted
    common: dict[str, Any] = {
        "format_func": options.__getitem__,
        "key": key,
        "on_change": _from_widget,
        "args": (param, key, pills),
    }
    if pills:
        st.pills(label, list(options), label_visibility="collapsed", **common)
    else:
        st.selectbox(label, list(options), index=None, placeholder=placeholder, **common)
    return wanted


def paged(rows: Sequence[Any], key: str) -> tuple[list[Any], int]:
    """The rows of the page the pagination widget ``key`` shows (back to 1 if it is past the end),
    and the number of pages."""
    n_pages = views.paginate(rows, 1)[1]
    if st.session_state.get(key, 1) > n_pages:
        st.session_state.pop(key)
    return views.paginate(rows, st.session_state.get(key, 1))


def link_button(label: str, page: str, key: str, **params: str) -> None:
    """A button that opens a page with a selection (labels from files are escaped)."""
    st.button(
        views.md_escape(label), key=key, type="tertiary", on_click=go, args=(page,), kwargs=params
    )


def graph_button(kind: str, value: str, key: str) -> None:
    """ "Show in graph": the Graph page centred on this reference, skill, author or topic."""
    st.button(
        "Show in graph",
        key=key,
        icon=":material/hub:",
        on_click=go,
        args=("graph",),
        kwargs={"focus": f"{kind}:{value}"},
    )


def open_selected_row(event: Any, keys: Sequence[str], page: str, param: str, key: str) -> None:
    """Open the row a reader clicked in table ``key`` (single-row selection), once: a rerun with
    the same row still selected (say, the item was refused) does not open it again."""
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    marker = f"{key}-opened"
    if not rows or rows[0] >= len(keys):
        st.session_state.pop(marker, None)
        return
    if st.session_state.get(marker) == keys[rows[0]]:
        return
    st.session_state[marker] = keys[rows[0]]
    go(page, **{param: keys[rows[0]]})
    st.rerun()

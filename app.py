"""The dashboard: the evidence behind the worksheet "Creating Secure Attachment", page by page.

Run ``scripts/serve`` (``streamlit run app.py`` on 127.0.0.1:8501). Widgets only: every fact and
every table comes from ``kb`` (``kb.browse``, ``kb.evidence``, ``kb.export``). The page and every
selection, filter, search text and query text live in the URL, e.g.
``/?page=graph&focus=reference:hazan1987``, so a screen can be shared, reloaded and walked back
and forward: selections that other pages open are query parameters set by ``go``; the filters
are widgets bound to the URL (``bind="query-params"``, keyed by their parameter's name).
The inputs come from env KB_BIB, KB_DATA (folders separated by ``os.pathsep``) and KB_STORE.
Nothing is fetched from another host: the icon is a local file, Streamlit serves its own fonts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

import kb
from kb.browse import views
from kb.dashboard.data import kb_of, knowledge_base, source
from kb.dashboard.nav import pages
from kb.dashboard.pages.authors import authors_page
from kb.dashboard.pages.curate import curate_page
from kb.dashboard.pages.export import export_page
from kb.dashboard.pages.gaps import gaps_page
from kb.dashboard.pages.graph import graph_page
from kb.dashboard.pages.overview import overview_page
from kb.dashboard.pages.query import query_page
from kb.dashboard.pages.references import references_page
from kb.dashboard.pages.skills import skills_page
from kb.dashboard.pages.topics import topics_page
from kb.dashboard.pages.worksheet import worksheet_page
from kb.dashboard.widgets import choose, is_library, plural

ICON = Path(__file__).parent / "docs" / "img" / "icon.png"


# Small screens: no sideways scrolling, wide tables scroll inside their own box
CSS = (
    "<style>.block-container{max-width:100%}"
    "@media (max-width:640px){.block-container{padding-left:.6rem;padding-right:.6rem}"
    "h1{font-size:1.6rem!important}}"
    # sections are h2 under the page's h1 (heading order), drawn at a section's size
    '[data-testid="stHeading"] h2{font-size:1.45rem;padding-top:.6rem}'
    # every control shows where the keyboard is
    ":focus-visible{outline:2px solid #1558b0!important;outline-offset:2px}"
    ".kb-apa{overflow-wrap:anywhere}"
    # buttons that open a page read as links, not as plain text
    '[data-testid="stBaseButton-tertiary"]{color:#1558b0}'
    # text contrast of at least 4.5:1 (WCAG AA; axe-core checks every page): captions 7:1
    # instead of Streamlit's grey 3.88:1, the selected pill 7:1 instead of 4.47:1
    '[data-testid="stCaptionContainer"],[data-testid="stCaptionContainer"] *'
    "{color:#55555f;opacity:1}"
    '[data-testid="stButtonGroup"] button[data-selected="true"] p{color:#9e1f2f}'
    # a disabled widget's label stays readable (5.3:1, not 2.3:1); the control itself is greyed
    '[data-testid="stWidgetLabel"][disabled] p{color:#6b6b76}</style>'
)


def main() -> None:
    """Load the knowledge base once, then draw the navigation and the page the URL names."""
    st.set_page_config(
        page_title="Secure Attachment evidence",
        page_icon=str(ICON),
        layout="wide",
        initial_sidebar_state="collapsed",
    )
    st.html(CSS)
    try:
        base = knowledge_base(source())
    except kb.KbError as exc:
        st.error(f"The knowledge base could not be loaded: {views.md_escape(exc.one_line())}")
        return
    page = choose("page", "Page", pages(), default="overview", pills=True) or "overview"
    worksheets = {w.worksheet.id: w.worksheet.title for w in base.worksheets}
    library = is_library(base)
    with st.sidebar:
        st.markdown("**Secure Attachment evidence**")
        ws = choose_worksheet(worksheets, library=library)
        spec = views.md_escape(base.store.spec)
        st.caption(f"Store: {spec} · {plural(len(base.references), 'reference')}")
        if library:
            st.caption(
                f"A library of {len(worksheets):,} worksheets: every page shows the one chosen "
                "above; the Overview lists them all, References can search them all."
            )
    PAGE_VIEWS[page](kb_of(source(), ws), ws)


def choose_worksheet(worksheets: Mapping[str, str], *, library: bool) -> str | None:
    """The worksheet in scope: none to choose from one; "All worksheets" unless a library."""
    if len(worksheets) <= 1:
        return None
    if library:
        return choose("worksheet", "Worksheet", worksheets, default=next(iter(worksheets)))
    return choose("worksheet", "Worksheet", worksheets, placeholder="All worksheets")


PAGE_VIEWS: dict[str, Callable[[kb.KnowledgeBase, str | None], None]] = {
    "overview": overview_page,
    "worksheet": worksheet_page,
    "skills": skills_page,
    "gaps": gaps_page,
    "references": references_page,
    "authors": authors_page,
    "topics": topics_page,
    "graph": graph_page,
    "query": query_page,
    "export": export_page,
    "curate": curate_page,
}


main()

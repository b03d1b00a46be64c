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

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import streamlit as st
from st_link_analysis import Event, st_link_analysis

import kb
from kb import export
from kb.browse import citations as cites
from kb.browse import views
from kb.browse import worksheet as sheets
from kb.browse.graph import FOCUS_KINDS, focus_node
from kb.browse.people import ScopedItem, author_in_scope, topic_in_scope
from kb.browse.search import Hit, LibraryIndex
from kb.browse.skills import FIGURE_HELP, SkillFigures, figures_by_skill, skill_text_html
from kb.core.narrow import LIBRARY_SCOPE_FROM
from kb.curate.editor import Editor
from kb.evidence import audit, profile, report, wording
from kb.evidence import rating as ratings
from kb.evidence.support import STATUS_LABELS
from kb.export import apa as cite
from kb.export import formats
from kb.export.graphs import export_graph
from kb.network import pages
from kb.network import projections as network
from kb.records.models import DESIGN_LABELS, Judgement
from kb.store.base import QueryResult
from kb.store.sparql_text import run_user_query

Source = tuple[str | None, tuple[str, ...] | None, kb.StoreSpec]
ICON = Path(__file__).parent / "docs" / "img" / "icon.png"
PAGES = {
    "overview": "Overview",
    "worksheet": "Worksheet",
    "skills": "Skills",
    "gaps": "Gaps & Audit",
    "references": "References",
    "authors": "Authors",
    "topics": "Topics",
    "graph": "Graph",
    "query": "Query",
    "export": "Export",
}
CURATE = os.environ.get("KB_CURATE") == "1"  # the Curate page edits files: off by default
if CURATE:
    PAGES["curate"] = "Curate"
STANCES, DIRECTNESS, BASES = views.STANCES, views.DIRECTNESS, views.BASES
STANCE_COLOURS = {
    "supports": "#009e73",
    "qualifies": "#e69f00",
    "contradicts": "#d55e00",
    "background": "#999999",
}
STANCE_BADGE = {"supports": "green", "qualifies": "orange", "contradicts": "red"}
STATUS_BADGE = {"supported": "green", "grey-only": "yellow", "background-only": "orange"}
RATING_COLOURS = {"very low": "#d55e00", "low": "#e69f00", "moderate": "#56b4e9", "high": "#009e73"}
ROW_CAP = 1_000
TIME_LIMIT_S = 5.0
# Small screens: no sideways scrolling, wide tables scroll inside their own box
CSS = (
    "<style>.block-container{max-width:100%}"
    "@media (max-width:640px){.block-container{padding-left:.6rem;padding-right:.6rem}"
    "h1{font-size:1.6rem!important}}"
    ".kb-apa{overflow-wrap:anywhere}"
    # buttons that open a page read as links, not as plain text
    '[data-testid="stBaseButton-tertiary"]{color:#1558b0}</style>'
)


# --- the screen: navigation, the worksheet in scope, the page ------------------------------------


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
    page = choose("page", "Page", PAGES, default="overview", pills=True) or "overview"
    worksheets = {w.worksheet.id: w.worksheet.title for w in base.worksheets}
    library = is_library(base)
    with st.sidebar:
        st.markdown("### Secure Attachment evidence")
        ws = choose_worksheet(worksheets, library=library)
        spec = views.md_escape(base.store.spec)
        st.caption(f"Store: {spec} · {plural(len(base.references), 'reference')}")
        if library:
            st.caption(
                f"A library of {len(worksheets):,} worksheets: every page shows the one chosen "
                "above; the Overview lists them all, References can search them all."
            )
    PAGE_VIEWS[page](kb_of(source(), ws), ws)


def is_library(base: kb.KnowledgeBase) -> bool:
    """So many worksheets that pages are narrowed to one (no "All worksheets" scope)."""
    return len(base.worksheets) >= LIBRARY_SCOPE_FROM


def choose_worksheet(worksheets: Mapping[str, str], *, library: bool) -> str | None:
    """The worksheet in scope: none to choose from one; "All worksheets" unless a library."""
    if len(worksheets) <= 1:
        return None
    if library:
        return choose("worksheet", "Worksheet", worksheets, default=next(iter(worksheets)))
    return choose("worksheet", "Worksheet", worksheets, placeholder="All worksheets")


def one_worksheet(base: kb.KnowledgeBase, ws: str | None) -> str | None:
    """The worksheet a page about one text shows: the one in scope, or the only one."""
    if ws is not None:
        return ws
    if len(base.worksheets) == 1:
        return base.worksheets[0].worksheet.id
    st.info("Choose a worksheet in the sidebar to see its text.", icon=":material/menu:")
    return None


# --- the knowledge base, loaded once; derived tables cached -------------------------------------


def source() -> Source:
    """Where the knowledge base comes from: env KB_BIB, KB_DATA and KB_STORE (memory default)."""
    data = os.environ.get("KB_DATA")
    folders = tuple(p for p in data.split(os.pathsep) if p) if data else None
    store = kb.parse_spec(os.environ.get("KB_STORE") or "memory")  # parsed here, passed through
    return os.environ.get("KB_BIB") or None, folders, store


@st.cache_resource(show_spinner="Loading the knowledge base…")
def knowledge_base(src: Source) -> kb.KnowledgeBase:
    """The knowledge base: parsed, validated, built and loaded into its store once per process."""
    bib, data, store = src
    return kb.load(bib=bib, data=list(data) if data else None, store=store)


@st.cache_resource(show_spinner="Opening the worksheet…", max_entries=32)
def kb_of(src: Source, ws: str | None) -> kb.KnowledgeBase:
    """The knowledge base a page shows: the whole one, or one worksheet's (kb.core.narrow)."""
    base = knowledge_base(src)
    return base if ws is None else base.narrow(ws)


@st.cache_resource(show_spinner="Indexing the references…")
def library_index(src: Source) -> LibraryIndex:
    """Every reference of the library, for the search (kb.browse.search)."""
    return LibraryIndex.of(knowledge_base(src))


@st.cache_data(show_spinner=False)
def library_rows(src: Source) -> list[dict[str, Any]]:
    """One row per worksheet of the library, with its counts."""
    return views.library_rows(knowledge_base(src))


@st.cache_data(show_spinner=False)
def apa(src: Source, ws: str | None) -> dict[str, str]:
    """Every reference in scope in APA style, as escaped HTML."""
    return cite.render_apa(list(kb_of(src, ws).references.values()), fmt="html")


@st.cache_data(show_spinner=False)
def skill_profiles(src: Source, ws: str | None) -> list[profile.SkillProfile]:
    """Every skill's evidence profile, in scope."""
    return profile.profiles(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def figures(src: Source, ws: str | None) -> dict[tuple[str, str], SkillFigures]:
    """(worksheet, skill slug) -> linked, supporting and peer-reviewed supporting references."""
    return figures_by_skill(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def evidence(src: Source, ws: str | None, skill: str) -> list[views.ClaimEvidence]:
    """A skill's claims, each with its evidence links."""
    return views.group_evidence(kb_of(src, ws).evidence_for(skill))


@st.cache_data(show_spinner=False)
def annotated(src: Source, ws: str, claim: str | None) -> sheets.AnnotatedWorksheet:
    """A worksheet's whole text with its claims marked by support status."""
    return sheets.annotated_worksheet(knowledge_base(src), ws, open_claim=claim)


@st.cache_data(show_spinner=False)
def claim_rows(src: Source, ws: str, claim: str) -> list[kb.EvidenceRow]:
    """One claim's evidence links, whatever its section."""
    return sheets.claim_evidence(knowledge_base(src), ws, claim)


@st.cache_data(show_spinner="Reading the gaps and the audit…")
def gaps_data(src: Source, ws: str | None) -> sheets.GapsPage:
    """`kb gaps` and `kb audit` for the scope (one worksheet's knowledge base when chosen, so
    "supporting nothing" means nothing in that worksheet)."""
    return sheets.gaps_page(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def counts(src: Source, ws: str | None) -> dict[str, int]:
    """How many worksheets, skills, claims, links, references, authors and topics in scope."""
    return views.counts(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def skill_options(src: Source, ws: str | None) -> dict[str, str]:
    """The skills in scope: URL value -> "n. title"."""
    base = kb_of(src, ws)
    return {views.skill_param(base, s): f"{s.order}. {s.title}" for s in views.skills_in(base, ws)}


@st.cache_data(show_spinner=False)
def topic_labels(src: Source, ws: str | None) -> dict[str, str]:
    """Every topic id with its label."""
    return views.topic_labels(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def topic_counts(src: Source, ws: str | None) -> dict[str, tuple[int, int]]:
    """Topic id -> references and skills in scope tagged with it."""
    return views.topic_counts(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def scope_keys(src: Source, ws: str | None) -> frozenset[str]:
    """Keys of the references the worksheets in scope print."""
    return frozenset(views.reference_keys_in(kb_of(src, ws), ws))


@st.cache_data(show_spinner=False)
def reference_detail(src: Source, key: str, ws: str | None) -> views.ReferenceDetail:
    """One reference with the claims in scope that cite it."""
    return views.reference_detail(kb_of(src, ws), key, ws)


@st.cache_data(show_spinner=False)
def reference_rows(src: Source, ws: str | None) -> list[views.ReferenceRow]:
    """The references table of a scope."""
    return views.reference_rows(kb_of(src, ws), ws)


@st.cache_data(show_spinner=False)
def search(src: Source, ws: str | None, text: str, everywhere: bool) -> list[Hit]:
    """References matching every word of a search, in scope (or the whole library)."""
    keys = None if everywhere else scope_keys(src, ws)
    return library_index(src).search(text, keys=keys)


@st.cache_data(show_spinner=False)
def did_you_mean(src: Source, ws: str | None, text: str, everywhere: bool) -> list[str]:
    """For a search that finds nothing, the nearest searches that find something (as
    `kb search` suggests them)."""
    keys = None if everywhere else scope_keys(src, ws)
    return library_index(src).suggest(text, keys=keys)


def nearest_searches(ws: str | None, text: str, everywhere: bool) -> str:
    """ " Did you mean …?" for a search that finds nothing ("" when nothing is near)."""
    near = did_you_mean(source(), ws, text, everywhere)
    return f" Did you mean {' or '.join(f'“{views.md_escape(n)}”' for n in near)}?" if near else ""


@st.cache_data(show_spinner=False)
def citations_of(src: Source, ws: str | None, keys: tuple[str, ...]) -> cites.Citations:
    """APA entries and in-text citations of some references."""
    base = kb_of(src, ws)
    return cites.citations(base, [base.references[k] for k in keys])


@st.cache_data(show_spinner=False)
def audit_findings(src: Source, ws: str | None) -> list[audit.AuditFinding]:
    """The audit of printed references against the bibliography."""
    return audit.audit(kb_of(src, ws))


@st.cache_resource(show_spinner=False)
def graph(src: Source, ws: str | None, name: str) -> Any:
    """A networkx view of the knowledge base (knowledge graph, co-authors...), built once."""
    return network.VIEWS[name](kb_of(src, ws))


@st.cache_data(show_spinner="Laying out the graph…")
def network_view(
    src: Source,
    name: str,
    ws: str | None,
    *,
    skill: str | None = None,
    topic: str | None = None,
    types: tuple[str, ...] | None = None,
    focus: tuple[str, str] | None = None,
    depth: int = 1,
) -> views.GraphView:
    """A graph's elements: around a focus node, narrowed to a worksheet, a skill and a topic,
    capped, laid out."""
    return views.narrowed_view(
        kb_of(src, ws), graph(src, ws, name), ws, skill=skill, topic=topic, types=types,
        focus=focus, depth=depth,
    )  # fmt: skip


@st.cache_data(show_spinner=False)
def node_pages(src: Source, ws: str | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Graph node -> the page that shows it."""
    return views.node_pages(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def author_rows(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """Every author in scope with counts of references, co-authors and skills."""
    return pages.authors(kb_of(src, ws), scope_keys(src, ws))


@st.cache_data(show_spinner=False)
def author_info(src: Source, ws: str | None, person: str) -> ScopedItem:
    """One author's references and skills reached, in scope."""
    return author_in_scope(kb_of(src, ws), person, ws)


@st.cache_data(show_spinner=False)
def coauthors_of(src: Source, ws: str | None, person: str) -> list[tuple[str, str, int]]:
    """(person id, name, shared references) of an author's co-authors, most shared first."""
    return pages.coauthors(kb_of(src, ws), person)


@st.cache_data(show_spinner=False)
def topics_tree(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """The SKOS topic tree."""
    return pages.topics_tree(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def topic_info(src: Source, ws: str | None, topic: str) -> ScopedItem:
    """One topic's place in the tree, references and skills in scope, and authors."""
    return topic_in_scope(kb_of(src, ws), topic, ws)


@st.cache_data(show_spinner="Running the query…", max_entries=64)
def query(src: Source, text: str, limit: int, seconds: float) -> QueryResult:
    """A user's read-only query under a row cap and a time limit (refusals raise KbError)."""
    return run_user_query(knowledge_base(src).store, text, limit=limit, timeout=seconds)


def plural(n: int, word: str) -> str:
    """``1 reference``, ``3 references``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# --- URL state: the page and the selections other pages open are query parameters --------------


def go(page: str, **params: str) -> None:
    """Open a page with a selection (a button callback); other selections are kept."""
    st.query_params.update({"page": page, **params})


def unselect(param: str) -> None:
    """Drop a selection from the URL (a button callback)."""
    st.query_params.pop(param, None)


def _from_widget(param: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value


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
    if st.session_state.get(key) != wanted:
        st.session_state[key] = wanted
    common: dict[str, Any] = {
        "format_func": options.__getitem__,
        "key": key,
        "on_change": _from_widget,
        "args": (param, key),
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


# --- pages ---------------------------------------------------------------------------------------


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
        st.subheader("How the worksheet's claims stand")
        st.html(sheets.legend_html(page.counts))
        st.caption(
            "Each claim counted once, by its best link (the counts `kb gaps` gives). "
            "See them in the text on the Worksheet page."
        )
        link_button("Open the annotated worksheet", "worksheet", "ov-ws")
    st.subheader("Certainty of each skill's evidence")
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
    st.subheader(f"The library: {plural(len(rows), 'worksheet')}")
    st.caption("Choose a worksheet in the sidebar to open it on every page.")
    page_rows, n_pages = paged(rows, "library-page")
    st.dataframe(page_rows, hide_index=True)
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
    return (
        alt.Chart(alt.Data(values=data))
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
        st.markdown(f"**{number}.** “{views.md_escape(found.quote)}”")
        st.badge(STATUS_LABELS[found.status], color=STATUS_BADGE.get(found.status, "red"))
        rows = claim_rows(source(), ws, claim_id)
        if not rows:
            st.warning("No reference is linked to this claim.", icon=":material/link_off:")
        labels = reference_labels(source())
        for link in rows:
            show_link(link, labels, key=f"wc-{claim_id}-{link.key}")


@st.cache_data(show_spinner=False)
def reference_labels(src: Source) -> dict[str, str]:
    """Reference key -> ``Hazan & Shaver (1987)``."""
    return cites.labels(knowledge_base(src))


def skills_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """One skill: its ratings and figures, its text with claims marked, its evidence."""
    skills = skill_options(source(), ws)
    if not skills:
        st.info("This worksheet has no skills.")
        return
    normalise(base, "skill")
    chosen = choose("skill", "Skill", skills, default=next(iter(skills)))
    assert chosen is not None
    skill = base.skill(chosen)
    st.title(f"{skill.order}. {skill.title}")
    graph_button("skill", chosen, "sk-graph")
    prof = next(
        p
        for p in skill_profiles(source(), ws)
        if (p.worksheet, p.slug) == (skill.worksheet, skill.slug)
    )
    show_profile(prof, figures(source(), ws)[prof.worksheet, prof.slug])
    claims = evidence(source(), ws, chosen)
    page = annotated(source(), skill.worksheet, None)
    st.subheader("In the worksheet")
    st.html(sheets.legend_html())
    statuses = {c.claim: c.status for c in page.claims}
    st.html(skill_text_html(base.worksheet(skill.worksheet), skill.slug, claims, statuses))
    st.subheader("Claims and their references")
    labels = reference_labels(source())
    for i, claim in enumerate(claims, start=1):
        with st.container(border=True):
            kind = wording.CLAIM_KINDS.get(claim.kind, claim.kind)
            st.markdown(f"**{i}.** “{views.md_escape(claim.quote)}”")
            st.caption(f"{claim.kind}: {views.md_escape(kind)}")
            if not claim.links:
                st.warning("No reference is linked to this claim.", icon=":material/link_off:")
            for link in claim.links:
                show_link(link, labels, key=f"{claim.claim_id}-{link.key}")
    keys = sorted({link.key for c in claims for link in c.links if link.key})
    if keys:
        st.subheader("References of this skill (APA 7)")
        entries = apa(source(), ws)
        st.html("".join(f'<p class="kb-apa">{entries[k]}</p>' for k in keys if k in entries))


def normalise(base: kb.KnowledgeBase, param: str) -> None:
    """Accept in the URL any name the CLI accepts (a skill's number, a topic's label, an
    author's family name, ``kb.core.resolve``), rewritten as the page names it."""
    wanted = st.query_params.get(param)
    if wanted:
        with suppress(kb.KbError):  # the page says that it names nothing
            st.query_params[param] = views.url_value(base, param, wanted)


def show_profile(p: profile.SkillProfile, n: SkillFigures) -> None:
    """A skill's two ratings with their reasons, and its figures, each saying what it counts."""
    cols = st.columns(5)
    cols[0].metric(
        "Advice helps",
        p.advice.rating if p.advice else "n/a",
        help="Certainty that following the advice helps, from its recommendation claims.",
    )
    cols[1].metric(
        "Stated reasons",
        p.premises.rating if p.premises else "n/a",
        help="Certainty of the worksheet's reasons, from its empirical and definition claims.",
    )
    cols[2].metric("Supporting references", n.supporting, help=FIGURE_HELP["supporting"])
    cols[3].metric("Peer reviewed (of supporting)", n.peer_share_text, help=FIGURE_HELP["peer"])
    cols[4].metric("Linked references", n.linked, help=FIGURE_HELP["linked"])
    st.caption(
        f"{plural(n.supporting, 'reference')} support a claim of this skill, "
        f"{n.supporting_peer_reviewed} of them peer reviewed; {n.linked} are linked in all, "
        "background and qualifying ones included."
    )
    for rating in (p.advice, p.premises):
        if rating is None:
            continue
        with st.expander(f"Why “{rating.rating}”: {rating.label}"):
            st.markdown(views.md_escape(rating.summary))
            for reason in rating.reasons:
                st.markdown(f"- {views.md_escape(reason)}")
    with st.expander("By design and level"):
        st.caption(
            "Design: how the study behind a reference was made. Level: our evidence scale, "
            "1 (systematic review) to 6 (grey literature)."
        )
        left, right = st.columns(2)
        left.dataframe(
            [
                {"design": DESIGN_LABELS.get(k, k), "references": v}
                for k, v in p.counts_by_design.items()
            ],
            hide_index=True,
        )
        right.dataframe(
            [{"evidence level": k, "references": v} for k, v in p.counts_by_level.items()],
            hide_index=True,
        )


def show_link(link: kb.EvidenceRow, labels: Mapping[str, str], key: str) -> None:
    """One evidence link: the reference, stance, rationale, what the source reports (the
    finding the link rests on, with its URL) or "title only", provenance and review status."""
    assert link.key is not None
    stance = link.stance or ""
    st.badge(f"{stance}, {link.directness}", color=STANCE_BADGE.get(stance, "gray"))
    link_button(labels.get(link.key, link.key), "references", key=f"open-{key}", reference=link.key)
    st.markdown(views.md_escape(link.rationale or ""))
    if link.title_only:
        st.markdown(f"**{wording.REPORTS_HEADING}:** unknown. {wording.TITLE_ONLY}.")
    for finding in link.findings:
        url = views.safe_url(finding.url)
        where = f"[{views.md_escape(finding.url)}]({url})" if url else views.md_escape(finding.url)
        st.markdown(
            f"**{wording.REPORTS_HEADING}** ({views.md_escape(finding.kind_label)}; our summary "
            f"of {views.md_escape(wording.finding_source_part(finding.part))}, read at {where} "
            f"on {finding.read}): {views.md_escape(finding.statement)}"
        )
    web = is_web_page(link.key)
    st.caption(
        f"judged from {wording.basis_words(link.basis or '', web_page=web)}; curated by "
        f"{views.md_escape(link.curator)} on {link.date}; "
        f"review: {views.md_escape(wording.review_words(link.review))}"
    )


def is_web_page(key: str) -> bool:
    """A web page (it has no abstract: a full reading is of the whole page)."""
    ref = knowledge_base(source()).references.get(key)
    return ref is not None and ref.entry_type == "online"


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


def show_findings(findings: Sequence[audit.AuditFinding]) -> None:
    """Audit findings as a table with the differing characters marked."""
    if not findings:
        st.caption("None.")
        return
    rows = []
    for f in findings:
        was, now = sheets.diff_html(f.printed, f.corrected)
        rows.append(
            f"<tr><td>{f.number}</td><td>{views.escape(f.key)}</td>"
            f"<td>{views.escape(f.field)}</td><td>{was}</td><td>{now}</td>"
            f"<td>{views.escape(f.note or f.category)}</td></tr>"
        )
    st.html(
        '<div style="overflow-x:auto"><table class="kb-audit"><thead><tr><th>no.</th>'
        "<th>reference</th><th>field</th><th>printed</th><th>corrected</th><th>why</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table></div>"
        "<style>.kb-audit del{background:#f5c6cb}.kb-audit ins{background:#cdeccf;"
        "text-decoration:underline}.kb-audit td{vertical-align:top;padding:2px 6px}</style>"
    )


def references_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """A searchable, filterable table of references (a row opens it), or one reference's page."""
    rows = reference_rows(source(), ws)
    normalise(knowledge_base(source()), "reference")
    chosen = st.query_params.get("reference")
    if chosen is not None:
        if chosen in {r.key for r in rows}:
            reference_page(base, chosen, ws)
            return
        if chosen in knowledge_base(source()).references:  # a library hit of another worksheet
            st.caption("Cited by other worksheets of the library, not by the one chosen.")
            reference_page(kb_of(source(), None), chosen, None)
            return
        st.error(f"No reference named “{views.md_escape(chosen)}” here: choose one below.")
    st.title("References")
    library = is_library(knowledge_base(source()))
    text = st.text_input(
        "Search",
        key="q",
        bind="query-params",
        placeholder="Authors, title, venue or year, any order: hazan 1987",
    )
    everywhere = library and st.toggle(
        "Search the whole library", key="everywhere", bind="query-params"
    )
    if everywhere and text.strip():
        library_hits(text)
        return
    c1, c2, c3, c4 = st.columns(4)
    types = c1.multiselect("Type", sorted({r.type for r in rows}), key="type", bind="query-params")
    years = sorted(r.year for r in rows if r.year)
    span = (
        c2.slider(
            "Year", years[0], years[-1], (years[0], years[-1]), key="years", bind="query-params"
        )
        if years and years[0] < years[-1]
        else None
    )
    labels = topic_labels(source(), ws)
    topic_ids = sorted({t for r in rows for t in r.topic_ids}, key=lambda t: labels.get(t, t))
    topics = c3.multiselect(
        "Topic", topic_ids, format_func=lambda t: labels.get(t, t), key="rtopic",
        bind="query-params",
    )  # fmt: skip
    peer = c4.multiselect(
        "Peer review", list(views.PEER_REVIEW.values()), key="peer", bind="query-params"
    )
    found = {h.key for h in search(source(), ws, text, False)} if text.strip() else None
    full_range = span is None or span == (years[0], years[-1])
    kept = views.filter_references(
        rows, keys=found, types=types, years=None if full_range else span, topics=topics,
        peer_review=peer,
    )  # fmt: skip
    if not kept:
        what = f"“{views.md_escape(text.strip())}”" if text.strip() else "these filters"
        near = nearest_searches(ws, text, False) if text.strip() and not found else ""
        st.info(f"No reference matches {what}.{near} Try fewer words or clear a filter.")
        return
    page_rows, n_pages = paged(kept, "ref-page")
    st.caption(f"{len(kept)} of {plural(len(rows), 'reference')}; click a row to open it.")
    event = st.dataframe(
        [r.record() for r in page_rows],
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("DOI or URL")},
        on_select="rerun",
        selection_mode="single-row",
        key="ref-table",
    )
    open_selected_row(event, [r.key for r in page_rows], "references", "reference", "ref-table")
    if n_pages > 1:
        st.pagination(n_pages, key="ref-page")


def library_hits(text: str) -> None:
    """The whole library's references matching a search, a page at a time."""
    hits = search(source(), None, text, True)
    if not hits:
        near = nearest_searches(None, text, True)
        st.info(f"No reference in the library matches “{views.md_escape(text.strip())}”.{near}")
        return
    st.caption(f"{plural(len(hits), 'reference')} found; click a row to open it.")
    page_hits, n_pages = paged(hits, "lib-search-page")
    event = st.dataframe(
        [hit_row(h) for h in page_hits],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="lib-table",
    )
    open_selected_row(event, [h.key for h in page_hits], "references", "reference", "lib-table")
    if n_pages > 1:
        st.pagination(n_pages, key="lib-search-page")


def hit_row(hit: Hit) -> dict[str, Any]:
    """A library search hit as a table row (the first worksheets that cite it)."""
    more = len(hit.worksheets) - 3
    cited = ", ".join(hit.worksheets[:3]) + (f" and {more} more" if more > 0 else "")
    return {
        "key": hit.key,
        "authors": hit.authors,
        "year": str(hit.year) if hit.year else "n.d.",
        "title": hit.title,
        "cited in": cited,
    }


def reference_page(base: kb.KnowledgeBase, key: str, ws: str | None) -> None:
    """One reference: APA and in-text citations to copy, links, authors, topics, the claims it
    bears on, and the audit notes."""
    detail = reference_detail(source(), key, ws)
    ref = detail.reference
    st.button("← All references", on_click=unselect, args=("reference",), type="tertiary")
    st.title(views.md_escape(ref.title))
    with st.container(horizontal=True, gap="small"):
        if detail.url:
            st.link_button("Open the work", detail.url, icon=":material/open_in_new:")
        graph_button("reference", key, "ref-graph")
    c = citations_of(source(), ws, (key,))
    st.subheader("Cite it")
    st.caption("Copy with the button at the right of each box.")
    st.markdown("**Reference list entry (APA 7)**")
    st.code(c.entries[0] if c.entries else key, language=None, wrap_lines=True)
    left, right = st.columns(2)
    with left:
        st.markdown("**In-text, parenthetical**")
        st.code(c.parenthetical, language=None, wrap_lines=True)
    with right:
        st.markdown("**In-text, narrative**")
        st.code(c.narrative, language=None, wrap_lines=True)
    if ref.doi:
        st.markdown(f"DOI: [{views.md_escape(ref.doi)}](https://doi.org/{ref.doi})")
    elif detail.url:
        st.markdown(f"URL: [{views.md_escape(detail.url)}]({detail.url})")
    left, right = st.columns(2)
    with left:
        st.subheader("Authors")
        with st.container(horizontal=True, gap="medium"):
            for author in ref.authors:
                pid = author.person_id
                link_button(author.display, "authors", key=f"ra-{pid}", author=pid)
    with right:
        st.subheader("Topics")
        with st.container(horizontal=True, gap="medium"):
            for tid, label in detail.topics:
                link_button(label, "topics", key=f"rt-{tid}", topic=tid)
    st.subheader(f"Claims it bears on ({len(detail.claims)})")
    web = ref.entry_type == "online"
    for claim in detail.claims:
        with st.container(border=True):
            where = claim.skill.title if claim.skill else claim.section
            st.badge(claim.stance, color=STANCE_BADGE.get(claim.stance, "gray"))
            st.markdown(f"“{views.md_escape(claim.quote)}”  \n*{views.md_escape(where)}*")
            st.markdown(views.md_escape(claim.rationale))
            st.caption(
                f"{claim.directness} evidence, judged from "
                f"{wording.basis_words(claim.basis, web_page=web)}; curated by "
                f"{views.md_escape(claim.curator)} on {claim.date}"
            )
            if claim.skill:
                link_button(
                    "Open this skill",
                    "skills",
                    key=f"rs-{claim.claim_id}",
                    skill=views.skill_param(base, claim.skill),
                )
    st.subheader("Audit notes")
    for wid, note in detail.notes:
        st.markdown(f"Printed as no. {note.number} in *{views.md_escape(wid)}*:")
        st.text(note.printed)
        for text in (note.verification_note, note.background_only, note.design_rationale):
            if text:
                st.markdown(f"- {views.md_escape(text)}")
        if note.unverified:
            st.markdown(f"- Not verified: {views.md_escape(', '.join(note.unverified))}")
    show_findings([f for f in audit_findings(source(), ws) if f.key == key])


def authors_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The co-author network and a table of authors (a row opens one), or one author's page."""
    rows = author_rows(source(), ws)
    names = {r["id"]: r["author"] for r in rows}
    normalise(base, "author")
    chosen = st.query_params.get("author")
    if chosen is not None:
        if chosen in names:
            author_page(base, chosen, ws)
            return
        st.error(f"No author named “{views.md_escape(chosen)}” here: choose one below.")
    st.title("Authors")
    st.caption("Co-authors are joined by an edge; a person is one node across references.")
    view = network_view(source(), "coauthor", ws)
    node = draw_graph(
        view, key="coauthors", height=420, labelled=frozenset(network.COLOURS), directed=False
    )
    if node is not None:
        show_node(graph(source(), ws, "coauthor"), node, ws, key="coauthors")
    page_rows, n_pages = paged(rows, "authors-page")
    st.caption("Click a row to open the author.")
    event = st.dataframe(
        page_rows,
        hide_index=True,
        column_order=["author", "references", "coauthors", "skills", "keys"],
        on_select="rerun",
        selection_mode="single-row",
        key="author-table",
    )
    open_selected_row(event, [r["id"] for r in page_rows], "authors", "author", "author-table")
    if n_pages > 1:
        st.pagination(n_pages, key="authors-page")


def author_page(base: kb.KnowledgeBase, person: str, ws: str | None) -> None:
    """One author: references, co-authors and the skills they reach."""
    item = author_info(source(), ws, person)
    info, refs, skills = item.info, item.references, item.skills
    st.button("← All authors", on_click=unselect, args=("author",), type="tertiary")
    st.title(views.md_escape(info["author"]))
    graph_button("author", person, "au-graph")
    coauthors = coauthors_of(source(), ws, person)
    cols = st.columns(3)
    cols[0].metric("References", len(refs))
    cols[1].metric("Co-authors", len(coauthors))
    cols[2].metric("Skills reached", len(skills))
    left, middle, right = st.columns(3)
    with left:
        st.subheader("References")
        for r in refs:
            link_button(
                f"{r['label']}: {r['title']}", "references", f"ar-{r['key']}", reference=r["key"]
            )
    with middle:
        st.subheader("Co-authors")
        with st.container(horizontal=True, gap="medium"):
            for pid, name, shared in coauthors:
                link_button(f"{name} ({shared})", "authors", f"ac-{pid}", author=pid)
    with right:
        st.subheader("Skills reached")
        for s in skills:
            link_button(
                f"{s.order}. {s.title}", "skills", f"as-{s.iri}", skill=views.skill_param(base, s)
            )


def topics_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The SKOS topic tree with counts, or one topic's references and skills."""
    labels = topic_labels(source(), ws)
    normalise(base, "topic")
    chosen = choose("topic", "Open a topic", labels, placeholder="Choose a topic…")
    if chosen is not None:
        topic_page(base, chosen, ws)
        return
    st.title("Topics")
    st.caption("The site's topics and demographics as a SKOS tree; counts are direct tags.")
    n_by_topic = topic_counts(source(), ws)
    lines: list[str] = []
    for root in topics_tree(source(), ws):
        tree_lines(root, n_by_topic, lines)
    st.markdown("\n".join(lines))
    table = [
        {"topic": labels[t], "references": n_refs, "skills": n_skills}
        for t, (n_refs, n_skills) in n_by_topic.items()
    ]
    st.dataframe(sorted(table, key=lambda r: (-r["references"], r["topic"])), hide_index=True)


def tree_lines(
    node: Mapping[str, Any], n_by_topic: Mapping[str, tuple[int, int]], out: list[str]
) -> None:
    """A topic and its narrower topics as nested markdown list lines."""
    n_refs, n_skills = n_by_topic.get(node["id"], (0, 0))
    label = views.md_escape(node["label"])
    counted = f"{plural(n_refs, 'reference')}, {plural(n_skills, 'skill')}"
    out.append(f"{'    ' * node['depth']}- **{label}**: {counted}")
    for child in node["children"]:
        tree_lines(child, n_by_topic, out)


def topic_page(base: kb.KnowledgeBase, topic: str, ws: str | None) -> None:
    """One topic: its place in the tree, its references and skills."""
    item = topic_info(source(), ws, topic)
    info, refs, skills = item.info, item.references, item.skills
    labels = topic_labels(source(), ws)
    st.button("← All topics", on_click=unselect, args=("topic",), type="tertiary")
    st.title(views.md_escape(info["label"]))
    graph_button("topic", topic, "tp-graph")
    st.caption(f"SKOS concept in the scheme {views.md_escape(info['scheme'])}")
    if info["definition"]:
        st.markdown(views.md_escape(info["definition"]))
    with st.container(horizontal=True, gap="medium", vertical_alignment="center"):
        if info["broader"]:
            st.markdown("Broader:")
            broader = info["broader"]
            link_button(labels.get(broader, broader), "topics", "tb", topic=broader)
        if info["narrower"]:
            st.markdown("Narrower:")
        for tid in info["narrower"]:
            link_button(labels.get(tid, tid), "topics", f"tn-{tid}", topic=tid)
    left, right = st.columns(2)
    with left:
        st.subheader(f"References ({len(refs)})")
        for r in refs:
            label = f"{r['label']}: {r['title']}"
            link_button(label, "references", f"tr-{r['key']}", reference=r["key"])
    with right:
        st.subheader(f"Skills ({len(skills)})")
        for s in skills:
            label, param = f"{s.order}. {s.title}", views.skill_param(base, s)
            link_button(label, "skills", f"ts-{s.iri}", skill=param)
        if info["authors"]:
            st.subheader("Authors")
            st.markdown(views.md_escape("; ".join(info["authors"])))


# --- the graph ------------------------------------------------------------------------------------


class CyStyle:
    """A cytoscape.js style rule for st-link-analysis (its own NodeStyle selects on ``label``,
    which we keep for the caption: the details panel prints every other field as HTML)."""

    def __init__(self, selector: str, **style: str) -> None:
        self.rule = {"selector": selector, "style": style}

    def dump(self) -> dict[str, Any]:
        """The rule as st-link-analysis sends it to cytoscape.js."""
        return self.rule


LABELLED_TYPES = frozenset({"worksheet", "skill", "reference"})
NODE_SIZES = {"worksheet": "40", "skill": "32", "reference": "24", "topic": "20"}
OVERVIEW_TYPES = ("worksheet", "skill", "reference", "topic")
NODE_TYPE_HELP = {
    "worksheet": "the worksheet",
    "skill": "one of its key skills",
    "claim": "a statement of the worksheet (shown by its words)",
    "reference": "a reference the worksheet prints",
    "person": "an author",
    "organization": "an author that is an organisation",
    "topic": "a topic of the site",
    "journal": "where a reference was published",
    "design": "a reference's study design (how it was made)",
    "level": "a reference's evidence level (1 strongest, 6 grey literature)",
}


def node_styles(labelled: frozenset[str]) -> list[CyStyle]:
    """Colour and size by type; captions in a readable size for the ``labelled`` types only
    (the others show theirs when zoomed in, or when selected)."""
    return [
        CyStyle(
            f"node[type='{kind}']",
            **{"background-color": colour, "label": "data(label)"},
            **{"font-size": "12" if kind in labelled else "7"},
            width=NODE_SIZES.get(kind, "16"),
            height=NODE_SIZES.get(kind, "16"),
        )
        for kind, colour in network.COLOURS.items()
    ]


def edge_styles(directed: bool) -> list[CyStyle]:
    """Curved grey edges (arrows when directed); evidence links coloured and labelled by stance."""
    arrow = "triangle" if directed else "none"
    rules = [CyStyle("edge", **{"curve-style": "bezier", "target-arrow-shape": arrow})]
    for stance, colour in STANCE_COLOURS.items():
        rules.append(
            CyStyle(
                f"edge[stance='{stance}']",
                **{"line-color": colour, "target-arrow-color": colour, "label": "data(label)"},
                **{"font-size": "8", "color": colour, "width": "3"},
            )
        )
    return rules


def hash_elements(view: views.GraphView) -> str:
    """A short digest of what is drawn: a new one re-fits the picture, the same one leaves it."""
    ids = ",".join(n["data"]["label"] for n in view.elements["nodes"])
    return hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()[:12]


def parse_focus(base: kb.KnowledgeBase, value: str | None) -> tuple[str, str] | None:
    """``?focus=reference:hazan1987`` as (kind, value); a focus that names nothing is a message."""
    if not value:
        return None
    kind, _, name = value.partition(":")
    try:
        if kind not in FOCUS_KINDS:
            raise kb.KbError(f"cannot centre the graph on “{kind}”")
        focus_node(base, kind, name)
    except kb.KbError as exc:
        st.error(f"{views.md_escape(exc.message)}: showing the whole graph instead.")
        return None
    return kind, name


def graph_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The knowledge graph around one reference, skill, author or topic (or an overview), edges
    coloured by stance, details on click."""
    st.title("Knowledge graph")
    focus = parse_focus(base, st.query_params.get("focus"))
    full = graph(source(), ws, "knowledge")
    kinds = sorted({str(t) for _, t in full.nodes(data="type")})
    if focus is not None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(
                f"Centred on **{views.md_escape(full.nodes[focus_node(base, *focus)]['label'])}**"
            )
            st.button("Show everything", on_click=unselect, args=("focus",), type="tertiary")
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
    default = kinds if focus is not None else [k for k in OVERVIEW_TYPES if k in kinds]
    types = c1.multiselect("Node types", kinds, default=default, key="gtypes", bind="query-params")
    skills = skill_options(source(), ws)
    skill = c2.selectbox(
        "Skill", list(skills), None, skills.__getitem__, key="gskill", placeholder="All skills",
        bind="query-params",
    )  # fmt: skip
    labels = topic_labels(source(), ws)
    topic = c3.selectbox(
        "Topic", sorted(labels, key=labels.__getitem__), None, labels.__getitem__, key="gtopic",
        placeholder="All topics", bind="query-params",
    )  # fmt: skip
    depth = c4.segmented_control(
        "Steps from the centre", [1, 2], default=1, key="depth", bind="query-params",
        disabled=focus is None, help="How far from the centred node the picture reaches.",
    )  # fmt: skip
    view = network_view(
        source(), "knowledge", ws, skill=skill, topic=topic, types=tuple(types), focus=focus,
        depth=int(depth or 1),
    )  # fmt: skip
    st.html(legend(view))
    with st.expander("How to read this"):
        st.markdown(
            "Coloured dots are the kinds of node listed above. Coloured lines run from a claim "
            "to a reference: green **supports** it, orange **qualifies** it, red **contradicts** "
            "it, grey is **background** (the reference bears on the topic, not on the claim). "
            "Thin grey lines are the other relations (a reference's author, topic, journal, "
            "design and evidence level; a claim's skill). Click a node for its details and a "
            "link to its page; scroll to zoom."
        )
        st.markdown("\n".join(f"- **{k}**: {NODE_TYPE_HELP.get(k, k)}" for k in sorted(view.types)))
    st.caption(
        f"{view.shown} nodes, {len(view.elements['edges'])} edges; {view.unconnected} nodes "
        "with no edge in this view are left out."
    )
    if focus is None:
        st.info(
            "Showing worksheet, skills, references and topics. Open a reference, skill, author "
            "or topic and choose “Show in graph” to centre the graph on it.",
            icon=":material/center_focus_strong:",
        )
    if view.capped:
        st.warning(
            f"Showing {view.shown} of {view.total} nodes (the best-connected; the cap is "
            f"{views.MAX_GRAPH_NODES}). Narrow the view with the filters to see the rest."
        )
    node = draw_graph(view, key="graph", height=520, labelled=LABELLED_TYPES, directed=True)
    if node is None:
        st.caption("Click a node to see its details.")
    else:
        show_node(full, node, ws, key="graph")


def legend(view: views.GraphView) -> str:
    """Node types and stances with their colours and counts, as HTML."""
    items = [
        f'<span style="color:{network.COLOURS.get(t, "#17becf")}">&#9679;</span> '
        f"{views.escape(t)} ({n})"
        for t, n in sorted(view.types.items())
    ]
    items += [
        f'<span style="color:{STANCE_COLOURS[s]}">&#9473;&#9473;</span> {views.escape(s)} ({n})'
        for s, n in sorted(view.stances.items())
        if s in STANCE_COLOURS
    ]
    return f'<div style="font-size:.85rem;color:#444">{" &nbsp; ".join(items)}</div>'


def draw_graph(
    view: views.GraphView, *, key: str, height: int, labelled: frozenset[str], directed: bool
) -> str | None:
    """The interactive graph; returns the node last clicked, if it is drawn."""
    layout = {"name": "preset", "fit": True, "padding": 24, "view": hash_elements(view)}
    event = st_link_analysis(
        view.elements,
        layout=layout,
        node_styles=node_styles(labelled),
        edge_styles=edge_styles(directed),
        height=height,
        key=key,
        events=[Event("select_node", "click tap", "node")],
    )
    target = (event or {}).get("data", {}).get("target_id") if isinstance(event, dict) else None
    return view.nodes.get(target) if target else None


def show_node(g: Any, node: str, ws: str | None, *, key: str) -> None:
    """A clicked node's details: type, label, neighbours by type, and links to its page and to
    the graph centred on it (our IRIs are names, not pages: they are never shown as links)."""
    attrs = g.nodes[node]
    with st.container(border=True):
        label, kind = views.md_escape(attrs.get("label", node)), attrs.get("type", "")
        st.markdown(f"**{label}** · {views.md_escape(kind)}")
        for near, names in views.neighbours_by_type(g, node):
            st.markdown(f"- {views.md_escape(near)}: {views.md_escape('; '.join(names))}")
        target = node_pages(source(), ws).get(node)
        if target is not None:
            page, params = target
            with st.container(horizontal=True):
                link_button(f"Open on the {PAGES[page]} page", page, f"{key}-open", **params)
                focus = focus_of(page, params)
                if focus is not None:
                    link_button("Centre the graph here", "graph", f"{key}-centre", focus=focus)


def focus_of(page: str, params: Mapping[str, str]) -> str | None:
    """The ``focus`` value of a node's page, if the graph can centre on it."""
    kind = {"references": "reference", "skills": "skill", "authors": "author", "topics": "topic"}
    param = {"references": "reference", "skills": "skill", "authors": "author", "topics": "topic"}
    if page in kind and param[page] in params:
        return f"{kind[page]}:{params[param[page]]}"
    return None


def query_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """A read-only SPARQL console with worked examples; the query text is kept in the URL."""
    st.title("SPARQL query")
    st.caption(
        "Read-only: updates, LOAD, SERVICE and FROM are refused. Prefixes kb:, id:, cito:, "
        "fabio:, prism:, oa:, dcterms:, foaf:, prov:, skos:, rdfs:, xsd: are predeclared. "
        "Queries run on the whole knowledge base."
    )
    examples = list(views.EXAMPLE_QUERIES)
    example = st.selectbox("Worked examples", examples, key="example", bind="query-params")
    if st.session_state.get("q-loaded") != example:
        if st.session_state.get("q-loaded") is not None or not st.query_params.get("sparql"):
            st.session_state["sparql"] = views.EXAMPLE_QUERIES[example]
        st.session_state["q-loaded"] = example
    with st.form("q-form", border=False):
        text = st.text_area("Query", key="sparql", height=220, bind="query-params")
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        limit = c1.number_input("Row cap", 1, 10_000, ROW_CAP, step=100, key="q-limit")
        seconds = c2.number_input("Time limit (s)", 0.5, 30.0, TIME_LIMIT_S, 0.5, key="q-seconds")
        c3.form_submit_button("Run query", type="primary", key="q-run")
    try:
        result = query(source(), text, int(limit), float(seconds))
    except kb.KbError as exc:
        st.error(views.md_escape(exc.one_line()))
        return
    if result.kind == "ask":
        st.metric("Answer", str(result.boolean).lower())
    elif result.kind == "graph":
        st.code(result.ntriples, language=None)
        st.download_button(
            "Download N-Triples", result.ntriples, "query.nt", "application/n-triples",
            on_click="ignore",
        )  # fmt: skip
    else:
        st.caption(plural(len(result.rows), "row"))
        st.dataframe(result.rows, hide_index=True)
        csv = views.csv_text(result.variables, result.rows)
        st.download_button("Download CSV", csv, "query.csv", "text/csv", on_click="ignore")
    if result.truncated:
        st.warning(f"Cut at {int(limit):,} rows (the row cap).")


FORMAT_WORDS = {
    "bibtex": "BibTeX (.bib): Zotero, JabRef, LaTeX with natbib",
    "biblatex": "BibLaTeX (.bib): LaTeX with biblatex and biber",
    "ris": "RIS (.ris): EndNote, Mendeley, Zotero",
    "csl-json": "CSL-JSON (.json): Zotero, pandoc",
    "apa": "APA 7 reference list, plain text (.txt)",
    "apa-html": "APA 7 reference list as a web page (.html)",
    "apa-markdown": "APA 7 reference list in Markdown (.md)",
    "turtle": "The evidence graph as RDF Turtle (.ttl)",
    "json-ld": "The evidence graph as JSON-LD (.jsonld)",
    "n-triples": "The evidence graph as N-Triples (.nt)",
    "nanopub": "Each evidence link as a nanopublication, with its provenance (.trig)",
    "graphml": "Network file for Gephi, yEd, Cytoscape (.graphml)",
    "gexf": "Network file for Gephi (.gexf)",
    "graph-svg": "Network picture (.svg)",
    "graph-png": "Network picture (.png)",
}


def export_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The selection (kept in the URL), its citations to copy, and every format to download."""
    st.title("Export")
    st.caption(
        "Choose what to export; nothing chosen means every reference of the worksheet. "
        "Choices of one kind are alternatives (either skill); different kinds narrow each "
        "other (this author's references behind that skill)."
    )
    skills = skill_options(source(), ws)
    labels = topic_labels(source(), ws)
    people = {r["id"]: r["author"] for r in author_rows(source(), ws)}
    picked = {p: st.query_params.get(p) for p in ("skill", "topic", "author")}
    c1, c2, c3 = st.columns(3)
    chosen_skills = c1.multiselect(
        "Skills", list(skills), [v for v in [picked["skill"]] if v in skills],
        format_func=skills.__getitem__, key="xskill", bind="query-params",
    )  # fmt: skip
    chosen_topics = c2.multiselect(
        "Topics", sorted(labels, key=labels.__getitem__),
        [v for v in [picked["topic"]] if v in labels], format_func=labels.__getitem__,
        key="xtopic", bind="query-params",
    )  # fmt: skip
    chosen_authors = c3.multiselect(
        "Authors", list(people), [v for v in [picked["author"]] if v in people],
        format_func=people.__getitem__, key="xauthor", bind="query-params",
    )  # fmt: skip
    if ws is not None and not chosen_skills:
        chosen_skills = list(skills)
    selection = {
        "skills": tuple(chosen_skills),
        "topics": tuple(chosen_topics),
        "authors": tuple(chosen_authors),
    }
    refs = export.select_references(base, **selection)
    scope = sorted(scope_keys(source(), ws))
    st.markdown(f"**{plural(len(refs), 'reference')} selected** of {len(scope)}")
    left_out = cites.excluded_from_selection(base, scope, **selection)
    if left_out:
        verb = "is" if len(left_out) == 1 else "are"
        with st.expander(f"Why {plural(len(left_out), 'reference')} {verb} left out"):
            for item in left_out:
                st.markdown(
                    f"- {views.md_escape(item.label)}: {views.md_escape('; '.join(item.reasons))}"
                )
    if not refs:
        st.warning("Nothing is selected: widen the selection.")
        return
    c = citations_of(source(), ws, tuple(r.key for r in refs))
    st.subheader("Citations to copy")
    left, right = st.columns(2)
    with left:
        st.markdown("**In-text, parenthetical**")
        st.code(c.parenthetical, language=None, wrap_lines=True)
    with right:
        st.markdown("**In-text, narrative**")
        st.code(c.narrative, language=None, wrap_lines=True)
    st.markdown("**Reference list (APA 7)**: a preview of the files below")
    st.code(c.bibliography, language=None, wrap_lines=True, height=260)
    st.subheader("Download")
    for group, names in (
        ("For reference managers and documents", formats.EXPORT_FORMATS),
        ("The network of the selection", formats.GRAPH_FORMATS),
    ):
        st.markdown(f"**{group}**")
        columns = st.columns(3)
        for i, fmt in enumerate(names):
            spec = formats.FORMATS[fmt]
            render: Callable[[], Any] = (
                partial(export_graph, base, fmt, formats.DEFAULT_VIEW, **selection)
                if fmt in formats.GRAPH_FORMATS
                else partial(export.export, base, fmt, **selection)
            )
            columns[i % 3].download_button(
                FORMAT_WORDS.get(fmt, spec.description),
                render,
                spec.file_name,
                spec.mime,
                key=f"x-{fmt}",
                on_click="ignore",
                icon=":material/download:",
                help=f"{spec.description} (`kb export {fmt}` gives the same file).",
            )


# --- curation (KB_CURATE=1 only) ----------------------------------------------------------------


def editor(base: kb.KnowledgeBase, folder: Path) -> Editor:
    """This session's editor of a worksheet folder: opened once per browser session, so two
    sessions hold two editors and a stale save is refused (kb.curate.editor)."""
    editors: dict[str, Editor] = st.session_state.setdefault("editors", {})
    if str(folder) not in editors:
        editors[str(folder)] = Editor.open(folder, base.bib_path)
    return editors[str(folder)]


def saved(ed: Editor, action: Callable[[], Any]) -> None:
    """Apply an edit and save it (validated as `kb check` validates, written atomically in
    canonical form); a refusal is one message and the edit is dropped."""
    try:
        action()
        with st.spinner("Checking and saving…"):
            written = ed.save()
    except kb.KbError as exc:
        st.session_state.pop("editors", None)  # drop the unsaved edit: reopen from the files
        st.session_state["curate-message"] = ("error", exc.one_line())
        return
    st.session_state["curate-message"] = (
        "success",
        f"Saved: {', '.join(written) or 'nothing changed'}",
    )
    st.cache_data.clear()
    st.cache_resource.clear()  # the read-only pages reload the edited files


def review_and_accept(ed: Editor, link: str, second: Judgement, resolution: str) -> None:
    """Record the second judgement of a link; a proposed link is then accepted (reviewed twice:
    where the two differ, the resolution says how)."""
    ed.record_review(link, second, resolution=resolution or None)
    if any(x.id == link and getattr(x, "status", "accepted") == "proposed" for x in ed.data.links):
        ed.accept_link(link)


def curate_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Accept or reject claims and links, accept suggestions, edit a link, record the blind
    second review, undo the last save. Every save is checked as `kb check` checks."""
    st.title("Curate")
    folders = {p.name: p for p in base.data_dirs}
    name = ws if ws in folders else next(iter(folders))
    ed = editor(base, folders[name])
    st.caption(
        f"Editing {views.md_escape(name)} ({views.md_escape(folders[name])}). Saves are "
        "validated by the same schema, rules and SHACL as `kb check` and refused when the files "
        "changed since this page read them."
    )
    message = st.session_state.pop("curate-message", None)
    if message is not None:
        (st.error if message[0] == "error" else st.success)(views.md_escape(message[1]))
    claims = {c.id: c for c in ed.data.claims}
    labels = {c.id: f"{c.id}: {c.quote[:70]}" for c in ed.data.claims}
    tab_suggest, tab_links, tab_claims, tab_review = st.tabs(
        ["Suggestions", "Links", "Claims", "Second review"]
    )
    with tab_suggest:
        claim = st.selectbox("Claim", list(labels), format_func=labels.__getitem__, key="cu-claim")
        rows = ed.suggestions([claim], top=3) if claim else []
        if not rows:
            st.info("No suggestion for this claim (every candidate is linked already).")
        for row in rows:
            st.markdown(
                f"**{row.rank}. {views.md_escape(row.reference)}**: "
                f"{views.md_escape(row.title)}  \nmatching words: "
                f"{views.md_escape(', '.join(row.matching_words)) or 'none'} (proposed)"
            )
        if rows:
            with st.form("cu-accept"):
                pick = st.selectbox("Suggestion to accept", [r.reference for r in rows])
                c1, c2, c3 = st.columns(3)
                stance = c1.selectbox("Stance", STANCES, index=3)
                direct = c2.selectbox("Directness", DIRECTNESS, index=1)
                basis = c3.selectbox("Basis", BASES, index=0)
                rationale = st.text_input("Rationale (one sentence)", key="cu-rationale")
                curator = st.text_input("Curator", key="cu-curator")
                st.caption(
                    "The link is saved as proposed: it counts in no profile until a second "
                    "reviewer has judged it (the Second review tab)."
                )
                if st.form_submit_button("Accept and save", type="primary"):
                    saved(ed, partial(
                        ed.accept_suggestion, claim, pick, stance=stance, directness=direct,
                        basis=basis, rationale=rationale, curator=curator, status="proposed",
                    ))  # fmt: skip
                    st.rerun()
    with tab_links:
        links = {x.id: x for x in ed.data.links}
        chosen = st.selectbox("Link", list(links), key="cu-link")
        if chosen:
            link = links[chosen]
            st.caption(f"“{views.md_escape(claims[link.claim].quote)}” — {link.reference}")
            with st.form("cu-edit"):
                c1, c2, c3 = st.columns(3)
                stance = c1.selectbox("Stance", STANCES, index=STANCES.index(link.stance))
                direct = c2.selectbox(
                    "Directness", DIRECTNESS, index=DIRECTNESS.index(link.directness)
                )
                basis = c3.selectbox("Basis", BASES, index=BASES.index(link.basis))
                known = [f.id for f in ed.data.findings if f.reference == link.reference]
                findings = st.multiselect("Findings it rests on", known, default=link.findings)
                rationale = st.text_input("Rationale", link.rationale)
                if st.form_submit_button("Save the link", type="primary"):
                    saved(ed, partial(
                        ed.edit_link, chosen, stance=stance, directness=direct, basis=basis,
                        findings=findings, rationale=rationale,
                    ))  # fmt: skip
                    st.rerun()
            left, right = st.columns(2)
            if left.button("Accept this link", key="cu-link-accept"):
                saved(ed, partial(ed.accept_link, chosen))
                st.rerun()
            if right.button("Reject (delete) this link", key="cu-link-reject"):
                saved(ed, partial(ed.reject_link, chosen))
                st.rerun()
    with tab_claims:
        proposed = [c for c in ed.data.claims if getattr(c, "status", "accepted") == "proposed"]
        st.caption(f"{plural(len(proposed), 'proposed claim')} (never counted until accepted).")
        for c in proposed:
            with st.container(border=True):
                st.markdown(f"“{views.md_escape(c.quote)}” ({c.kind}, {c.section})")
                a, r = st.columns(2)
                if a.button("Accept", key=f"cu-ca-{c.id}"):
                    saved(ed, partial(ed.accept_claim, c.id))
                    st.rerun()
                if r.button("Reject", key=f"cu-cr-{c.id}"):
                    saved(ed, partial(ed.reject_claim, c.id))
                    st.rerun()
    with tab_review:
        reviewed = {r.link for r in ed.data.reviews}
        todo = [x.id for x in ed.data.links if x.id not in reviewed]
        st.caption(
            f"{plural(len(todo), 'link')} without a second review. The second reviewer judges "
            "from the claim and the source only: the first judgement is not shown here."
        )
        if todo:
            with st.form("cu-review"):
                target = st.selectbox("Link", todo)
                c1, c2 = st.columns(2)
                stance = c1.selectbox("Second reviewer's stance", STANCES)
                direct = c2.selectbox("Second reviewer's directness", DIRECTNESS)
                resolution = st.text_input("Resolution, where the two differ")
                if st.form_submit_button("Record the review", type="primary"):
                    second = Judgement(stance=stance, directness=direct)
                    saved(ed, partial(review_and_accept, ed, target, second, resolution))
                    st.rerun()
    st.divider()
    if st.button("Undo the last save", icon=":material/undo:", key="cu-undo"):
        try:
            restored = ed.undo()
        except kb.KbError as exc:
            st.session_state["curate-message"] = ("error", exc.one_line())
        else:
            st.session_state["curate-message"] = ("success", f"Restored: {', '.join(restored)}")
            st.cache_data.clear()
            st.cache_resource.clear()
        st.rerun()


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

"""The dashboard: the evidence behind the worksheet "Creating Secure Attachment", page by page.

Run ``scripts/serve`` (``streamlit run app.py`` on 127.0.0.1:8501). UI only: every fact comes
from ``kb``; shaping lives in ``kb.browse.views``. Navigation is a sidebar radio, and the page
and every
selection (worksheet, skill, reference, author, topic) live in the URL's query parameters, e.g.
``/?page=skills&skill=minimize-stressors``, so a screen can be shared and reopened.
The inputs come from env KB_BIB, KB_DATA (folders separated by ``os.pathsep``) and KB_STORE.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from functools import partial
from typing import Any

import altair as alt
import streamlit as st
from st_link_analysis import Event, st_link_analysis

import kb
from kb import export
from kb.browse import views
from kb.browse.search import Hit, LibraryIndex
from kb.evidence import audit, profile, wording
from kb.evidence import rating as ratings
from kb.export import apa as cite
from kb.export import formats
from kb.export.graphs import export_graph
from kb.narrow import LIBRARY_SCOPE_FROM
from kb.network import pages
from kb.network import projections as network
from kb.store.base import QueryResult
from kb.store.sparql_text import run_user_query

Source = tuple[str | None, tuple[str, ...] | None, str]
PAGES = {
    "overview": "Overview",
    "skills": "Skills",
    "references": "References",
    "authors": "Authors",
    "topics": "Topics",
    "graph": "Graph",
    "query": "Query",
    "export": "Export",
}
STANCE_BADGE = {"supports": "green", "qualifies": "orange", "contradicts": "red"}
RATING_COLOURS = {"very low": "#d55e00", "low": "#e69f00", "moderate": "#56b4e9", "high": "#009e73"}
ROW_CAP = 1_000
TIME_LIMIT_S = 5.0
TEXT_CSS = (
    "<style>.kb-text{line-height:1.7;font-size:1.02rem}"
    ".kb-text mark{background:#fff3b0;border-radius:3px;padding:0 2px}"
    ".kb-text mark.kb-none{background:#f3d6d6}"
    ".kb-text sup{font-size:.7em;color:#555;margin-left:2px}</style>"
)


# --- the screen: a sidebar to choose the page (and the worksheet), the page itself --------------


def main() -> None:
    """Load the knowledge base once, then draw the sidebar and the page the URL names."""
    st.set_page_config(
        page_title="Secure Attachment evidence", page_icon=":material/hub:", layout="wide"
    )
    try:
        base = knowledge_base(source())
    except kb.KbError as exc:
        st.error(f"The knowledge base could not be loaded: {views.md_escape(exc.one_line())}")
        return
    with st.sidebar:
        st.markdown("### Secure Attachment evidence")
        page = choose("page", "Page", PAGES, default="overview", radio=True) or "overview"
        worksheets = {w.worksheet.id: w.worksheet.title for w in base.worksheets}
        library = is_library(base)
        ws = choose_worksheet(worksheets, library=library)
        spec = views.md_escape(base.store.spec)
        st.caption(f"Store: {spec} · {plural(len(base.references), 'reference')}")
        if library:
            st.caption(
                f"A library of {len(worksheets):,} worksheets: every page shows the one chosen "
                "above; the Overview lists them all, References searches them all."
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


# --- the knowledge base, loaded once; derived tables cached -------------------------------------


def source() -> Source:
    """Where the knowledge base comes from: env KB_BIB, KB_DATA and KB_STORE (memory default)."""
    data = os.environ.get("KB_DATA")
    folders = tuple(p for p in data.split(os.pathsep) if p) if data else None
    return os.environ.get("KB_BIB") or None, folders, os.environ.get("KB_STORE") or "memory"


@st.cache_resource(show_spinner="Loading the knowledge base…")
def knowledge_base(src: Source) -> kb.KnowledgeBase:
    """The knowledge base: parsed, validated, built and loaded into its store once per process."""
    bib, data, store = src
    return kb.load(bib=bib, data=list(data) if data else None, store=store)


@st.cache_resource(show_spinner="Opening the worksheet…", max_entries=32)
def kb_of(src: Source, ws: str | None) -> kb.KnowledgeBase:
    """The knowledge base a page shows: the whole one, or one worksheet's (kb.narrow)."""
    base = knowledge_base(src)
    return base if ws is None else base.narrow(ws)


@st.cache_resource(show_spinner="Indexing the library…")
def library_index(src: Source) -> LibraryIndex:
    """Every reference of the library, for the library-wide search (kb.browse.search)."""
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
def evidence(src: Source, ws: str | None, skill: str) -> list[views.ClaimEvidence]:
    """A skill's claims, each with its evidence links."""
    return views.group_evidence(kb_of(src, ws).evidence_for(skill))


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
def search(src: Source, ws: str | None, text: str) -> set[str]:
    """Keys of the references in scope matching a search (every word, any order)."""
    keys = scope_keys(src, ws)
    return {h.key for h in library_index(src).search(text, keys=keys)}


@st.cache_data(show_spinner=False)
def audit_findings(src: Source, ws: str | None) -> list[audit.AuditFinding]:
    """The audit of printed references against the bibliography."""
    return audit.audit(kb_of(src, ws))


@st.cache_resource(show_spinner=False)
def graph(src: Source, ws: str | None, name: str) -> Any:
    """A networkx view of the knowledge base (knowledge graph, co-authors...), built once."""
    return network.VIEWS[name](kb_of(src, ws))


@st.cache_data(show_spinner=False)
def network_view(
    src: Source,
    name: str,
    ws: str | None,
    *,
    skill: str | None,
    topic: str | None,
    types: tuple[str, ...] | None,
) -> views.GraphView:
    """A graph's elements, narrowed to a worksheet, a skill and a topic, capped, laid out."""
    base = kb_of(src, ws)
    within = [views.scope_nodes(base, ws)] if ws is not None else []
    if skill is not None:
        within.append(views.skill_nodes(base, base.skill(skill)))
    if topic is not None:
        within.append(views.topic_nodes(base, topic))
    return views.graph_view(graph(src, ws, name), types=types, within=[w for w in within if w])


@st.cache_data(show_spinner=False)
def node_pages(src: Source, ws: str | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Graph node -> the page that shows it."""
    return views.node_pages(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def author_rows(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """Every author in scope with counts of references, co-authors and skills."""
    return pages.authors(kb_of(src, ws), scope_keys(src, ws))


@st.cache_data(show_spinner=False)
def author_info(src: Source, ws: str | None, person: str) -> dict[str, Any]:
    """One author's references, co-authors and skills reached."""
    return pages.author_info(kb_of(src, ws), person)


@st.cache_data(show_spinner=False)
def coauthors_of(src: Source, ws: str | None, person: str) -> list[tuple[str, str, int]]:
    """(person id, name, shared references) of an author's co-authors, most shared first."""
    return pages.coauthors(kb_of(src, ws), person)


@st.cache_data(show_spinner=False)
def topics_tree(src: Source, ws: str | None) -> list[dict[str, Any]]:
    """The SKOS topic tree."""
    return pages.topics_tree(kb_of(src, ws))


@st.cache_data(show_spinner=False)
def topic_info(src: Source, ws: str | None, topic: str) -> dict[str, Any]:
    """One topic's place in the tree, references, skills and authors."""
    return pages.topic_info(kb_of(src, ws), topic)


# --- the graph component's look ------------------------------------------------------------------


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


def node_styles(labelled: frozenset[str]) -> list[CyStyle]:
    """Colour and size by type; captions in a readable size for the ``labelled`` types only
    (the others show theirs when zoomed in, or when selected)."""
    return [
        CyStyle(
            f"node[type='{kind}']",
            **{"background-color": colour, "label": "data(label)"},
            **{"font-size": "14" if kind in labelled else "7"},
            width=NODE_SIZES.get(kind, "16"),
            height=NODE_SIZES.get(kind, "16"),
        )
        for kind, colour in network.COLOURS.items()
    ]


def edge_styles(directed: bool) -> list[CyStyle]:
    """Curved edges, with arrows when the graph is directed."""
    arrow = "triangle" if directed else "none"
    return [CyStyle("edge", **{"curve-style": "bezier", "target-arrow-shape": arrow})]


def hash_elements(view: views.GraphView) -> str:
    """A short digest of what is drawn: a new one re-fits the picture, the same one leaves it."""
    ids = ",".join(n["data"]["id"] for n in view.elements["nodes"])
    return hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()[:12]


@st.cache_data(show_spinner="Running the query…", max_entries=64)
def query(src: Source, text: str, limit: int, seconds: float) -> QueryResult:
    """A user's read-only query under a row cap and a time limit (refusals raise KbError)."""
    return run_user_query(knowledge_base(src).store, text, limit=limit, timeout=seconds)


def plural(n: int, word: str) -> str:
    """``1 reference``, ``3 references``."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


# --- URL state: the page and every selection are query parameters ------------------------------


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
    radio: bool = False,
) -> str | None:
    """A selectbox (or radio) over ``options`` (value -> label) kept in ``?param=``.

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
        "index": None,
        "format_func": options.__getitem__,
        "key": key,
        "on_change": _from_widget,
        "args": (param, key),
    }
    if radio:
        st.radio(label, list(options), **common)
    else:
        st.selectbox(label, list(options), placeholder=placeholder, **common)
    return wanted


def paged(rows: Sequence[Any], key: str) -> tuple[list[Any], int]:
    """The rows of the page the pagination widget ``key`` shows (back to 1 if it is past the end),
    and the number of pages."""
    pages = views.paginate(rows, 1)[1]
    if st.session_state.get(key, 1) > pages:
        st.session_state.pop(key)
    return views.paginate(rows, st.session_state.get(key, 1))


def link_button(label: str, page: str, key: str, **params: str) -> None:
    """A button that opens a page with a selection (labels from files are escaped)."""
    st.button(
        views.md_escape(label), key=key, type="tertiary", on_click=go, args=(page,), kwargs=params
    )


# --- pages ---------------------------------------------------------------------------------------


def overview_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Counts, and every skill's certainty rating at a glance."""
    st.title("Creating Secure Attachment: the evidence")
    st.caption(
        "Every claim-to-reference link is a curator's judgement: the worksheet prints its "
        "references but no in-text citations."
    )
    columns = st.columns(7)
    for column, (label, n) in zip(columns, counts(source(), ws).items(), strict=True):
        column.metric(label, f"{n:,}")
    st.subheader("Certainty of each skill's evidence")
    st.caption(
        "Two ratings per skill (GRADE rates certainty per outcome): does following the advice "
        "help, and are the worksheet's stated reasons for it true?"
    )
    rows = skill_profiles(source(), ws)
    st.altair_chart(rating_chart(rows), width="stretch")
    st.caption(ratings.DISCLAIMER)
    st.table(
        [
            {
                "#": p.order,
                "skill": views.md_escape(p.title),
                "advice helps": p.advice.rating if p.advice else "",
                "stated reasons": p.premises.rating if p.premises else "",
                "references": p.n_references,
                "peer reviewed": f"{p.peer_reviewed_share:.0%}",
                "advice: summary": views.md_escape(p.advice.summary if p.advice else ""),
            }
            for p in rows
        ],
        hide_index=True,
    )  # a static table: its cells are markdown, so data is escaped
    with st.expander("How ratings are made"):
        st.code(ratings.RATING_RULES, language=None)
    if is_library(knowledge_base(source())):
        library_table()


def library_table() -> None:
    """Every worksheet of a large library, a page at a time (choose one in the sidebar)."""
    rows = library_rows(source())
    st.subheader(f"The library: {plural(len(rows), 'worksheet')}")
    st.caption("Choose a worksheet in the sidebar to open it on every page.")
    page_rows, pages = paged(rows, "library-page")
    st.dataframe(page_rows, hide_index=True)
    if pages > 1:
        st.pagination(pages, key="library-page")


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
                "skill:N", sort=alt.SortField("order"), title=None, axis=alt.Axis(labelLimit=320)
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


def skills_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """One skill: its evidence profile, its text with claims highlighted, its evidence."""
    skills = skill_options(source(), ws)
    if not skills:
        st.info("This worksheet has no skills.")
        return
    normalise_skill(base)
    chosen = choose("skill", "Skill", skills, default=next(iter(skills)))
    assert chosen is not None
    skill = base.skill(chosen)
    st.title(f"{skill.order}. {skill.title}")
    show_profile(
        next(
            p
            for p in skill_profiles(source(), ws)
            if (p.worksheet, p.slug) == (skill.worksheet, skill.slug)
        )
    )
    claims = evidence(source(), ws, chosen)
    st.subheader("In the worksheet")
    sheet = base.worksheet(skill.worksheet)
    start, end = views.skill_passage(sheet, skill.slug)
    spans = [
        views.Span(c.start, c.end, str(i), f"claim {c.claim_id}", "claim" if c.links else "none")
        for i, c in enumerate(claims, start=1)
    ]
    st.html(
        TEXT_CSS
        + f'<div class="kb-text">{views.highlight_html(sheet.text, start, end, spans)}</div>'
    )
    st.caption("Highlighted: the claims; pink: no reference is linked to it.")
    st.subheader("Claims and their references")
    citations = apa(source(), ws)
    for i, claim in enumerate(claims, start=1):
        with st.container(border=True):
            st.markdown(f"**{i}.** “{views.md_escape(claim.quote)}”  \n*{claim.kind}*")
            if not claim.links:
                st.warning("No reference is linked to this claim.", icon=":material/link_off:")
            for link in claim.links:
                show_link(link, citations, key=f"{claim.claim_id}-{link.key}")


def normalise_skill(base: kb.KnowledgeBase) -> None:
    """Accept a skill's number or ``worksheet/slug`` in the URL, as the CLI does."""
    wanted = st.query_params.get("skill")
    if wanted:
        with suppress(kb.KbError):  # choose() says that it names nothing
            st.query_params["skill"] = views.skill_param(base, base.skill(wanted))


def show_profile(p: profile.SkillProfile) -> None:
    """A skill's evidence profile: its two ratings with their reasons, and what it rests on."""
    cols = st.columns(4)
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
    cols[2].metric(
        "References linked",
        p.n_references,
        help="Every reference linked to a claim of this skill, whatever its stance.",
    )
    years = f"{p.oldest_year}–{p.newest_year}" if p.oldest_year else "n.d."
    cols[3].metric("Years", years)
    for rating in (p.advice, p.premises):
        if rating is None:
            continue
        with st.expander(f"Why “{rating.rating}”: {rating.label}"):
            st.markdown(views.md_escape(rating.summary))
            for reason in rating.reasons:
                st.markdown(f"- {views.md_escape(reason)}")
    with st.expander("By design and level"):
        left, right = st.columns(2)
        left.dataframe(
            [{"design": k, "references": v} for k, v in p.counts_by_design.items()],
            hide_index=True,
        )
        right.dataframe(
            [{"evidence level": k, "references": v} for k, v in p.counts_by_level.items()],
            hide_index=True,
        )
        if p.unsupported_claims:
            st.markdown(
                f"Claims with no support: {views.md_escape(', '.join(p.unsupported_claims))}"
            )


def show_link(link: kb.EvidenceRow, citations: Mapping[str, str], key: str) -> None:
    """One evidence link: the reference in APA, stance, rationale, what the source reports (the
    finding the link rests on, with its URL) or "title only", provenance and review status."""
    assert link.key is not None
    stance = link.stance or ""
    st.badge(f"{stance}, {link.directness}", color=STANCE_BADGE.get(stance, "gray"))
    st.html(f'<div class="kb-apa">{citations.get(link.key, views.escape(link.key))}</div>')
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
    st.caption(
        f"basis: {link.basis}; curated by {views.md_escape(link.curator)} on {link.date}; "
        f"review: {views.md_escape(wording.review_words(link.review))}"
    )
    link_button("Open this reference", "references", key=f"open-{key}", reference=link.key)


def references_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """A searchable, filterable table of references, or one reference's page."""
    keys = {
        r.key: f"{r.authors} ({r.year or 'n.d.'}) {r.title}" for r in reference_rows(source(), ws)
    }
    chosen = choose("reference", "Open a reference", keys, placeholder="Search by author or title…")
    if chosen is not None:
        reference_page(base, chosen, ws)
        return
    st.title("References")
    if is_library(knowledge_base(source())):
        library_search()
    rows = reference_rows(source(), ws)
    text = st.text_input("Search titles, authors, venues", key="ref-search")
    found = search(source(), ws, text) if text.strip() else None
    c1, c2, c3, c4 = st.columns(4)
    types = c1.multiselect("Type", sorted({r.type for r in rows}), key="ref-types")
    years = sorted(r.year for r in rows if r.year)
    span = (
        c2.slider("Year", years[0], years[-1], (years[0], years[-1]), key="ref-years")
        if years
        else None
    )
    labels = topic_labels(source(), ws)
    topic_ids = sorted({t for r in rows for t in r.topic_ids}, key=lambda t: labels.get(t, t))
    topics = c3.multiselect(
        "Topic", topic_ids, format_func=lambda t: labels.get(t, t), key="ref-topics"
    )
    peer = c4.multiselect("Peer review", list(views.PEER_REVIEW.values()), key="ref-peer")
    full_range = span == (years[0], years[-1]) if years else True
    kept = views.filter_references(
        rows,
        keys=found,
        types=types,
        years=None if full_range else span,
        topics=topics,
        peer_review=peer,
    )
    page_rows, pages = paged(kept, "ref-page")
    st.caption(f"{len(kept)} of {len(rows)} references")
    st.dataframe([r.record() for r in page_rows], hide_index=True)
    if pages > 1:
        st.pagination(pages, key="ref-page")


def library_search() -> None:
    """Search every reference of the library (kb.browse.search: an index in memory, built on the
    first search, then kept)."""
    total = len(knowledge_base(source()).references)
    with st.expander(f"Search the whole library ({plural(total, 'reference')})"):
        text = st.text_input("Key, title, author, venue or publisher", key="lib-search")
        if not text.strip():
            return
        hits = library_index(source()).search(text)
        st.caption(f"{plural(len(hits), 'reference')} found")
        page_hits, pages = paged(hits, "lib-search-page")
        st.dataframe([hit_row(h) for h in page_hits], hide_index=True)
        if pages > 1:
            st.pagination(pages, key="lib-search-page")


def hit_row(hit: Hit) -> dict[str, Any]:
    """A library search hit as a table row (the first worksheets that cite it)."""
    more = len(hit.worksheets) - 3
    cited = ", ".join(hit.worksheets[:3]) + (f" and {more} more" if more > 0 else "")
    return {
        "key": hit.key,
        "authors": hit.authors,
        "year": hit.year,
        "title": hit.title,
        "cited in": cited,
    }


def reference_page(base: kb.KnowledgeBase, key: str, ws: str | None) -> None:
    """One reference: APA, authors, topics, the claims that cite it, and the audit notes."""
    detail = reference_detail(source(), key, ws)
    ref = detail.reference
    st.button("← All references", on_click=unselect, args=("reference",), type="tertiary")
    st.title(views.md_escape(ref.title))
    st.html(f'<div class="kb-apa">{apa(source(), ws).get(key, views.escape(key))}</div>')
    if detail.url:
        st.link_button("Open the work", detail.url)
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
    for claim in detail.claims:
        with st.container(border=True):
            where = claim.skill.title if claim.skill else claim.section
            st.badge(claim.stance, color=STANCE_BADGE.get(claim.stance, "gray"))
            st.markdown(f"“{views.md_escape(claim.quote)}”  \n*{views.md_escape(where)}*")
            st.markdown(views.md_escape(claim.rationale))
            st.caption(
                f"{claim.directness} evidence, judged from the {claim.basis}; curated by "
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
    findings = [f.__dict__ for f in audit_findings(source(), ws) if f.key == key]
    if findings:
        st.dataframe(findings, hide_index=True)


def authors_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """The co-author network and a table of authors, or one author's page."""
    rows = author_rows(source(), ws)
    names = {r["id"]: r["author"] for r in rows}
    chosen = choose("author", "Open an author", names, placeholder="Search authors…")
    if chosen is not None:
        author_page(base, chosen, ws)
        return
    st.title("Authors")
    st.caption("Co-authors are joined by an edge; a person is one node across references.")
    view = network_view(source(), "coauthor", ws, skill=None, topic=None, types=None)
    node = draw_graph(
        view, key="coauthors", height=460, labelled=frozenset(network.COLOURS), directed=False
    )
    if node is not None:
        show_node(graph(source(), ws, "coauthor"), node, ws, key="coauthors")
    page_rows, pages = paged(rows, "authors-page")
    st.dataframe(
        page_rows,
        hide_index=True,
        column_order=["author", "references", "coauthors", "skills", "keys"],
    )
    if pages > 1:
        st.pagination(pages, key="authors-page")


def author_page(base: kb.KnowledgeBase, person: str, ws: str | None) -> None:
    """One author: references, co-authors and the skills they reach."""
    info = author_info(source(), ws, person)
    scope = scope_keys(source(), ws)
    refs = [r for r in info["references"] if r["key"] in scope]
    st.button("← All authors", on_click=unselect, args=("author",), type="tertiary")
    st.title(views.md_escape(info["author"]))
    coauthors = coauthors_of(source(), ws, person)
    skills = [
        s for s in views.skills_in(base, ws) if s.slug in {r["skill"] for r in info["skills"]}
    ]
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
    chosen = choose("topic", "Open a topic", labels, placeholder="Search topics…")
    if chosen is not None:
        topic_page(base, chosen, ws)
        return
    st.title("Topics")
    st.caption("The site's topics and demographics as a SKOS tree; counts are direct tags.")
    counts = topic_counts(source(), ws)
    lines: list[str] = []
    for root in topics_tree(source(), ws):
        tree_lines(root, counts, lines)
    st.markdown("\n".join(lines))
    table = [
        {"topic": labels[t], "references": n_refs, "skills": n_skills}
        for t, (n_refs, n_skills) in counts.items()
    ]
    st.dataframe(sorted(table, key=lambda r: (-r["references"], r["topic"])), hide_index=True)


def tree_lines(
    node: Mapping[str, Any], counts: Mapping[str, tuple[int, int]], out: list[str]
) -> None:
    """A topic and its narrower topics as nested markdown list lines."""
    n_refs, n_skills = counts.get(node["id"], (0, 0))
    label = views.md_escape(node["label"])
    counted = f"{plural(n_refs, 'reference')}, {plural(n_skills, 'skill')}"
    out.append(f"{'    ' * node['depth']}- **{label}**: {counted}")
    for child in node["children"]:
        tree_lines(child, counts, out)


def topic_page(base: kb.KnowledgeBase, topic: str, ws: str | None) -> None:
    """One topic: its place in the tree, its references and skills."""
    info = topic_info(source(), ws, topic)
    labels = topic_labels(source(), ws)
    scope = scope_keys(source(), ws)
    st.button("← All topics", on_click=unselect, args=("topic",), type="tertiary")
    st.title(views.md_escape(info["label"]))
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
    refs = [r for r in info["references"] if r["key"] in scope]
    slugs = {r["skill"] for r in info["skills"]}
    skills = [s for s in views.skills_in(base, ws) if s.slug in slugs]
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


def graph_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """An interactive network of the knowledge graph: filters, a node cap, details on click."""
    st.title("Knowledge graph")
    full = graph(source(), ws, "knowledge")
    kinds = sorted({str(t) for _, t in full.nodes(data="type")})
    c1, c2, c3 = st.columns([2, 1, 1])
    types = c1.multiselect("Node types", kinds, default=kinds, key="g-types")
    skills = skill_options(source(), ws)
    skill = c2.selectbox(
        "Skill", list(skills), None, skills.__getitem__, key="g-skill", placeholder="All skills"
    )
    labels = topic_labels(source(), ws)
    topic = c3.selectbox(
        "Topic",
        sorted(labels, key=labels.__getitem__),
        None,
        labels.__getitem__,
        key="g-topic",
        placeholder="All topics",
    )
    view = network_view(source(), "knowledge", ws, skill=skill, topic=topic, types=tuple(types))
    st.html(legend(view))
    st.caption(
        f"{view.shown} nodes, {len(view.elements['edges'])} edges; {view.unconnected} nodes "
        "with no edge in this view are left out. Scroll to zoom; labels show when zoomed in."
    )
    if view.capped:
        st.warning(
            f"Showing {view.shown} of {view.total} nodes (the best-connected; the cap is "
            f"{views.MAX_GRAPH_NODES}). Narrow the view with the filters to see the rest."
        )
    node = draw_graph(view, key="graph", height=560, labelled=LABELLED_TYPES, directed=True)
    if node is None:
        st.info("Click a node to see its details.", icon=":material/touch_app:")
    else:
        show_node(full, node, ws, key="graph")


def legend(view: views.GraphView) -> str:
    """Node types with their colours and counts, as HTML."""
    items = (
        f'<span style="color:{network.COLOURS.get(t, "#17becf")}">&#9679;</span> '
        f"{views.escape(t)} ({n})"
        for t, n in sorted(view.types.items())
    )
    return f'<div style="font-size:.85rem;color:#555">{" &nbsp; ".join(items)}</div>'


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
    """A clicked node's details: type, label, neighbours by type, and a link to its page."""
    attrs = g.nodes[node]
    with st.container(border=True):
        label, kind = views.md_escape(attrs.get("label", node)), attrs.get("type", "")
        st.markdown(f"**{label}** · {views.md_escape(kind)}")
        st.caption(views.md_escape(node))
        for kind, names in views.neighbours_by_type(g, node):
            st.markdown(f"- {views.md_escape(kind)}: {views.md_escape('; '.join(names))}")
        target = node_pages(source(), ws).get(node)
        if target is not None:
            page, params = target
            link_button(f"Open on the {PAGES[page]} page", page, f"{key}-open", **params)


def query_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """A read-only SPARQL console with worked examples."""
    st.title("SPARQL query")
    st.caption(
        "Read-only: updates, LOAD, SERVICE and FROM are refused. Prefixes kb:, id:, cito:, "
        "fabio:, prism:, oa:, dcterms:, foaf:, prov:, skos:, rdfs:, xsd: are predeclared. "
        "Queries run on the whole knowledge base."
    )
    example = st.selectbox("Worked examples", list(views.EXAMPLE_QUERIES), key="q-example")
    if st.session_state.get("q-loaded") != example:
        st.session_state["q-loaded"] = example
        st.session_state["q-text"] = views.EXAMPLE_QUERIES[example]
    with st.form("q-form", border=False):
        text = st.text_area("Query", key="q-text", height=220)
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


def export_page(base: kb.KnowledgeBase, ws: str | None) -> None:
    """Download buttons for every citation and graph format, for the current selection."""
    st.title("Export")
    st.caption(
        "The selection starts from the skill, topic and author open on the other pages; "
        "filters of one kind are alternatives, different kinds narrow each other."
    )
    skills = skill_options(source(), ws)
    labels = topic_labels(source(), ws)
    people = {r["id"]: r["author"] for r in author_rows(source(), ws)}
    picked = {p: st.query_params.get(p) for p in ("skill", "topic", "author")}
    c1, c2, c3 = st.columns(3)
    chosen_skills = c1.multiselect(
        "Skills",
        list(skills),
        [v for v in [picked["skill"]] if v in skills],
        format_func=skills.__getitem__,
        key=f"x-skills-{picked['skill']}",
    )
    chosen_topics = c2.multiselect(
        "Topics",
        sorted(labels, key=labels.__getitem__),
        [v for v in [picked["topic"]] if v in labels],
        format_func=labels.__getitem__,
        key=f"x-topics-{picked['topic']}",
    )
    chosen_authors = c3.multiselect(
        "Authors",
        list(people),
        [v for v in [picked["author"]] if v in people],
        format_func=people.__getitem__,
        key=f"x-authors-{picked['author']}",
    )
    if ws is not None and not chosen_skills:
        chosen_skills = list(skills)
    selection = {
        "skills": tuple(chosen_skills),
        "topics": tuple(chosen_topics),
        "authors": tuple(chosen_authors),
    }
    refs = export.select_references(base, **selection)
    st.markdown(f"**{plural(len(refs), 'reference')} selected**")
    if not refs:
        st.warning("Nothing is selected: widen the selection.")
        return
    with st.expander("The selected references"):
        st.dataframe(
            [{"key": r.key, "year": r.year, "title": r.title} for r in refs], hide_index=True
        )
    st.subheader("Citations and RDF")
    columns = st.columns(5)
    for i, fmt in enumerate(formats.EXPORT_FORMATS):
        spec = formats.FORMATS[fmt]
        columns[i % 5].download_button(
            fmt,
            partial(export.export, base, fmt, **selection),
            spec.file_name,
            spec.mime,
            key=f"x-{fmt}",
            on_click="ignore",
            icon=":material/download:",
            help=spec.description,
        )
    st.subheader("Network of the selection")
    st.caption(
        "The knowledge graph around the selected references, the same file "
        "`kb export graphml|gexf|graph-svg|graph-png` gives for the same filters."
    )
    columns = st.columns(5)
    for i, fmt in enumerate(formats.GRAPH_FORMATS):
        spec = formats.FORMATS[fmt]
        columns[i].download_button(
            fmt,
            partial(export_graph, base, fmt, formats.DEFAULT_VIEW, **selection),
            spec.file_name,
            spec.mime,
            key=f"x-{fmt}",
            on_click="ignore",
            icon=":material/download:",
            help=spec.description,
        )


PAGE_VIEWS: dict[str, Callable[[kb.KnowledgeBase, str | None], None]] = {
    "overview": overview_page,
    "skills": skills_page,
    "references": references_page,
    "authors": authors_page,
    "topics": topics_page,
    "graph": graph_page,
    "query": query_page,
    "export": export_page,
}
main()

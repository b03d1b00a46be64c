"""The Query page."""

from __future__ import annotations

import streamlit as st

import kb
from kb.browse import views
from kb.dashboard.data import query, source
from kb.dashboard.style import ROW_CAP, TIME_LIMIT_S
from kb.dashboard.widgets import plural


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

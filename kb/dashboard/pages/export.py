"""The Export page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

import kb
from kb import export
from kb.browse import citations as cites
from kb.browse import views
from kb.dashboard.blocks import show_in_text
from kb.dashboard.data import (
    author_rows,
    citations_of,
    scope_keys,
    skill_options,
    source,
    topic_labels,
)
from kb.dashboard.widgets import copy_button, plural, style_choice
from kb.export import formats
from kb.export.graphs import export_graph
from kb.export.styles import STYLES

FORMAT_WORDS = {
    "bibtex": "BibTeX (.bib): Zotero, JabRef, LaTeX with natbib",
    "biblatex": "BibLaTeX (.bib): LaTeX with biblatex and biber",
    "ris": "RIS (.ris): EndNote, Mendeley, Zotero",
    "csl-json": "CSL-JSON (.json): Zotero, pandoc",
    "apa": "APA 7 reference list, plain text (.txt)",
    "apa-html": "APA 7 reference list as a web page (.html)",
    "apa-markdown": "APA 7 reference list in Markdown (.md)",
    "bibliography": "Reference list in STYLE, plain text (.txt)",
    "bibliography-html": "Reference list in STYLE as a web page (.html)",
    "bibliography-markdown": "Reference list in STYLE in Markdown (.md)",
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
    named = {  # what a download is named after: the choices made, not the default of all
        "skill": [str(base.find_skill(s).order) for s in chosen_skills],
        "topic": list(chosen_topics),
        "author": list(chosen_authors),
    }
    if ws is not None and not chosen_skills:
        chosen_skills = list(skills)
    selection: dict[str, Any] = {
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
    st.header("Citations to copy")
    style = style_choice()
    c = citations_of(source(), ws, tuple(r.key for r in refs), style)
    show_in_text(c)
    st.markdown(f"**Reference list ({STYLES[style].name})**: a preview of the files below")
    copy_button("Copy the list for a word processor", c.bibliography, c.bibliography_html)
    st.code(c.bibliography, language=None, wrap_lines=True)  # no inner scroll: keyboard users
    st.header("Download")
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
                else partial(export.export, base, fmt, **selection, style=style)
            )
            columns[i % 3].download_button(
                FORMAT_WORDS.get(fmt, spec.description).replace("STYLE", STYLES[style].name),
                render,
                formats.file_name(fmt, style=style, selection=named),
                spec.mime,
                key=f"x-{fmt}",
                on_click="ignore",
                icon=":material/download:",
                help=f"{spec.description} (`kb export {fmt}` gives the same file).",
            )

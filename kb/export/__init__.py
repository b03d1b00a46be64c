"""Export the references in citation formats and RDF: one function, :func:`export`.

>>> import kb
>>> from kb.export import export
>>> export(kb.load(), "ris", skills=["minimize-stressors"]).count("ER  -")
3
"""

from __future__ import annotations

from collections.abc import Iterable

from kb.api import KnowledgeBase
from kb.errors import EXIT_UNREADABLE, KbError
from kb.export.bibtex import to_bibtex
from kb.export.csl import to_apa, to_csl_json_text
from kb.export.ris import to_ris
from kb.export.select import reference_subgraph, select_references
from kb.export_graph import graph_as

__all__ = ["EXPORT_FORMATS", "export", "select_references"]

EXPORT_FORMATS: tuple[str, ...] = (
    "bibtex",
    "biblatex",
    "ris",
    "csl-json",
    "apa",
    "apa-html",
    "apa-markdown",
    "turtle",
    "json-ld",
    "n-triples",
)
_RDF_FORMATS = ("turtle", "json-ld", "n-triples")


def export(
    base: KnowledgeBase,
    fmt: str,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
) -> str:
    """The selected references (all without a filter) as text in ``fmt``.

    RDF formats give the whole graph without a filter, and the subgraph about the selected
    references with one. Unknown format, skill, topic or author: KbError (exit 2).
    """
    if fmt not in EXPORT_FORMATS:
        raise KbError(
            f"unknown export format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}",
            exit_code=EXIT_UNREADABLE,
        )
    skills, topics, authors = list(skills), list(topics), list(authors)
    refs = select_references(base, skills=skills, topics=topics, authors=authors)
    if fmt in _RDF_FORMATS:
        filtered = bool(skills or topics or authors)
        graph = reference_subgraph(base.graph, refs) if filtered else base.graph
        return graph_as(graph, fmt)
    if fmt in ("bibtex", "biblatex"):
        return to_bibtex(refs, "bibtex" if fmt == "bibtex" else "biblatex")
    if fmt == "ris":
        return to_ris(refs)
    if fmt == "csl-json":
        return to_csl_json_text(refs)
    return to_apa(refs, {"apa": "text", "apa-html": "html", "apa-markdown": "markdown"}[fmt])

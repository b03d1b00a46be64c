"""The renderers behind :func:`kb.export.export`: citation formats and RDF."""

from __future__ import annotations

from collections.abc import Iterable

from kb.core.knowledge_base import KnowledgeBase
from kb.errors import UsageError
from kb.export.bibtex import to_bibtex
from kb.export.csl import to_apa, to_csl_json_text
from kb.export.formats import EXPORT_FORMATS, RDF_FORMATS, STYLED_FORMATS
from kb.export.ris import to_ris
from kb.export.select import reference_subgraph, select_references
from kb.export.styles import DEFAULT_STYLE, check_style
from kb.rdf.serialize import graph_as

__all__ = ["export"]


def export(
    base: KnowledgeBase,
    fmt: str,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
    style: str = DEFAULT_STYLE,
) -> str:
    """The selected references (all without a filter) as text in ``fmt``; the ``bibliography``
    formats in ``style`` (``kb.export.styles``; the ``apa`` formats are APA 7 whatever it is).

    RDF formats give the whole graph without a filter, and the subgraph about the selected
    references with one; ``nanopub`` gives the evidence links to the selected references.
    Unknown format, style, skill, topic or author: KbError (exit 2).
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}")
    check_style(style)
    skills, topics, authors = list(skills), list(topics), list(authors)
    refs = select_references(base, skills=skills, topics=topics, authors=authors)
    if fmt in RDF_FORMATS:
        filtered = bool(skills or topics or authors)
        graph = reference_subgraph(base.graph, refs) if filtered else base.graph
        return graph_as(graph, fmt)
    if fmt in ("bibtex", "biblatex"):
        return to_bibtex(refs, "bibtex" if fmt == "bibtex" else "biblatex")
    if fmt == "ris":
        return to_ris(refs)
    if fmt == "nanopub":
        from kb.export.nanopub import to_nanopubs

        return to_nanopubs(base, refs)
    if fmt == "csl-json":
        return to_csl_json_text(refs)
    if fmt in STYLED_FORMATS:
        return to_apa(refs, _LIST_FORMS[fmt.removeprefix("bibliography")], style)
    return to_apa(refs, _LIST_FORMS[fmt.removeprefix("apa")])


_LIST_FORMS = {"": "text", "-html": "html", "-markdown": "markdown"}

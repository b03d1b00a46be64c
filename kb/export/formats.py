"""The one table of export formats: key, file name, MIME type and what it is, in words.

Shared by the CLI (``kb export FORMAT``) and the dashboard's downloads, so both use the same keys
and names. Light on purpose: no renderer is imported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kb.records.names import slug

__all__ = [
    "DEFAULT_VIEW",
    "EXPORT_FORMATS",
    "FORMATS",
    "GRAPH_FORMATS",
    "RDF_FORMATS",
    "STYLED_FORMATS",
    "Format",
    "file_name",
]


@dataclass(frozen=True)
class Format:
    """An export format: its key, the file a download is saved as, its MIME type, and a line
    saying what it is for."""

    key: str
    file_name: str
    mime: str
    description: str


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("bibtex", "references.bib", "application/x-bibtex",
               "BibTeX, for BibTeX/natbib and most reference managers"),
        Format("biblatex", "references-biblatex.bib", "application/x-bibtex",
               "BibLaTeX (keeps full dates and online entries)"),
        Format("ris", "references.ris", "application/x-research-info-systems",
               "RIS, for Zotero, EndNote, Mendeley"),
        Format("csl-json", "references.json", "application/vnd.citationstyles.csl+json",
               "CSL-JSON, for Zotero and pandoc's citeproc"),
        Format("apa", "references-apa.txt", "text/plain", "APA 7 reference list, plain text"),
        Format("apa-html", "references-apa.html", "text/html", "APA 7 reference list, HTML"),
        Format("apa-markdown", "references-apa.md", "text/markdown",
               "APA 7 reference list, Markdown"),
        Format("bibliography", "references.txt", "text/plain",
               "reference list in the --style chosen (APA 7 by default), plain text"),
        Format("bibliography-html", "references.html", "text/html",
               "reference list in the --style chosen (APA 7 by default), HTML"),
        Format("bibliography-markdown", "references.md", "text/markdown",
               "reference list in the --style chosen (APA 7 by default), Markdown"),
        Format("turtle", "kb.ttl", "text/turtle", "the RDF graph as Turtle"),
        Format("json-ld", "kb.jsonld", "application/ld+json", "the RDF graph as JSON-LD"),
        Format("n-triples", "kb.nt", "application/n-triples", "the RDF graph as N-Triples"),
        Format("nanopub", "nanopubs.trig", "application/trig",
               "each evidence link as a nanopublication (TriG: assertion, provenance, pubinfo)"),
        Format("graphml", "kb.graphml", "application/graphml+xml",
               "a network view as GraphML (Gephi, yEd, Cytoscape)"),
        Format("gexf", "kb.gexf", "application/gexf+xml", "a network view as GEXF (Gephi)"),
        Format("graph-svg", "kb.svg", "image/svg+xml", "a network view drawn as SVG"),
        Format("graph-png", "kb.png", "image/png", "a network view drawn as PNG"),
    )
}  # fmt: skip
GRAPH_FORMATS: tuple[str, ...] = ("graphml", "gexf", "graph-svg", "graph-png")
RDF_FORMATS: tuple[str, ...] = ("turtle", "json-ld", "n-triples")
STYLED_FORMATS: tuple[str, ...] = ("bibliography", "bibliography-html", "bibliography-markdown")
EXPORT_FORMATS: tuple[str, ...] = tuple(k for k in FORMATS if k not in GRAPH_FORMATS)
DEFAULT_VIEW = "knowledge"
_LONGEST_STEM = 80


def file_name(
    fmt: str, *, style: str = "apa", selection: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The name a download of ``fmt`` is saved as: the format's own name, with the style of a
    styled list (``references-mla.txt``), named after the selection when there is one:
    ``{"skill": ["6"]}`` -> ``skill-6.ris``, ``{"topic": ["attachment-styles"]}`` ->
    ``topic-attachment-styles.bib``, ``{"author": ["hazan"]}`` + ``csl-json`` ->
    ``author-hazan.json``; kinds joined by ``_``; a selection too long to name keeps the
    format's name."""
    name = FORMATS[fmt].file_name
    if fmt in STYLED_FORMATS:
        name = name.replace("references", f"references-{style}", 1)
    parts = [
        "-".join([kind, *(slug(v) for v in values)])
        for kind, values in (selection or {}).items()
        if values
    ]
    stem = "_".join(parts)
    if not stem or len(stem) > _LONGEST_STEM:
        return name
    head = re.match(r"[a-z]+", name)
    return stem + name[head.end() if head else 0 :]

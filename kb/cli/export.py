"""``kb export``: the references, or the graph, in one of the export formats."""

from __future__ import annotations

import sys

import click

from kb.cli.base import emit, get_kb, output_option, worksheet_option
from kb.errors import UsageError
from kb.export.formats import DEFAULT_VIEW, EXPORT_FORMATS, GRAPH_FORMATS, STYLED_FORMATS
from kb.export.styles import DEFAULT_STYLE, STYLE_HELP, STYLES


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS + GRAPH_FORMATS))
@click.option(
    "--skill",
    "skills",
    multiple=True,
    metavar="S",
    help="Only references linked to claims of skill S (1-7 or slug); repeatable.",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="T",
    help="Only references on topic T or a narrower topic; repeatable.",
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    metavar="NAME",
    help="Only references by NAME (family name; case and accents ignored); repeatable.",
)
@click.option(
    "--view",
    default=DEFAULT_VIEW,
    show_default=True,
    help="For graphml, gexf, graph-svg, graph-png: knowledge, skill-reference, coauthor, "
    "author-topic or topic-cooccurrence.",
)
@click.option("--title", help="For graph-svg and graph-png: the drawing's title.")
@click.option(
    "--style",
    type=click.Choice(list(STYLES)),
    help=f"For {', '.join(STYLED_FORMATS)} (default {DEFAULT_STYLE}). {STYLE_HELP}",
)
@worksheet_option
@output_option
@click.pass_context
def export_cmd(
    ctx: click.Context,
    *,
    fmt: str,
    worksheet: str | None,
    skills: tuple[str, ...],
    topics: tuple[str, ...],
    authors: tuple[str, ...],
    view: str,
    title: str | None,
    style: str | None,
) -> None:
    """Export the references as FORMAT: all 16, or those behind the chosen filters."""
    from kb.export import export, select_references

    if style is not None and fmt not in STYLED_FORMATS:
        raise UsageError(f"--style: only with {', '.join(STYLED_FORMATS)} (not {fmt})")
    base = get_kb(ctx, worksheet)
    if (skills or topics or authors) and not select_references(
        base, skills=skills, topics=topics, authors=authors
    ):
        click.echo("kb: note: no reference matches all of these filters", err=True)
    if fmt in GRAPH_FORMATS:
        from kb.export.graphs import export_graph

        data = export_graph(
            base, fmt, view, skills=skills, topics=topics, authors=authors, title=title
        )
        if fmt == "graph-png" and sys.stdout.isatty():
            raise UsageError("a PNG is binary: write it with -o FILE.png")
        emit(data)
        return
    emit(
        export(
            base, fmt, skills=skills, topics=topics, authors=authors, style=style or DEFAULT_STYLE
        )
    )


export_cmd.help = (
    "Export the references as FORMAT: all 16, or those behind the chosen filters.\n\n"
    f"FORMAT is {', '.join(EXPORT_FORMATS)}; or a graph view (--view) as "
    f"{', '.join(GRAPH_FORMATS)}. The apa formats are APA 7; the bibliography formats take "
    "--style (APA 7 by default, the same bytes as apa). Values of one filter are "
    "alternatives; different filters narrow each other. RDF formats give the whole graph "
    "without a filter and the subgraph about the selected references with one. Every format "
    "is a function of the data alone (the same bytes on any day); -o writes atomically; "
    "--worksheet exports what one worksheet cites."
)

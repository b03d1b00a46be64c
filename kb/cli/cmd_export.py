"""Citation commands: export, cite, audit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kb.cli.base import cli, emit, format_option, get_kb, output_option, worksheet_option
from kb.errors import UsageError
from kb.export.formats import DEFAULT_VIEW, EXPORT_FORMATS, GRAPH_FORMATS, STYLED_FORMATS
from kb.export.styles import DEFAULT_STYLE, STYLES

STYLE_HELP = "Citation style: " + ", ".join(f"{k} ({s.name})" for k, s in STYLES.items()) + "."


@cli.command("export")
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
@output_option
@click.pass_context
def export_cmd(
    ctx: click.Context,
    *,
    fmt: str,
    skills: tuple[str, ...],
    topics: tuple[str, ...],
    authors: tuple[str, ...],
    view: str,
    title: str | None,
    style: str | None,
    output: Path | None,
) -> None:
    """Export the references as FORMAT: all 16, or those behind the chosen filters."""
    from kb.export import export, select_references

    if style is not None and fmt not in STYLED_FORMATS:
        raise UsageError(f"--style: only with {', '.join(STYLED_FORMATS)} (not {fmt})")
    base = get_kb(ctx)
    if (skills or topics or authors) and not select_references(
        base, skills=skills, topics=topics, authors=authors
    ):
        click.echo("kb: note: no reference matches all of these filters", err=True)
    if fmt in GRAPH_FORMATS:
        from kb.export.graphs import export_graph

        data = export_graph(
            base, fmt, view, skills=skills, topics=topics, authors=authors, title=title
        )
        if fmt == "graph-png" and output is None and sys.stdout.isatty():
            raise UsageError("a PNG is binary: write it with -o FILE.png")
        emit(data, output)
        return
    data = export(
        base, fmt, skills=skills, topics=topics, authors=authors, style=style or DEFAULT_STYLE
    )
    emit(data, output)


export_cmd.help = (
    "Export the references as FORMAT: all 16, or those behind the chosen filters.\n\n"
    f"FORMAT is {', '.join(EXPORT_FORMATS)}; or a graph view (--view) as "
    f"{', '.join(GRAPH_FORMATS)}. The apa formats are APA 7; the bibliography formats take "
    "--style (APA 7 by default, the same bytes as apa). Values of one filter are "
    "alternatives; different filters narrow each other. RDF formats give the whole graph "
    "without a filter and the subgraph about the selected references with one. Every format "
    "is a function of the data alone (the same bytes on any day); -o writes atomically."
)


@cli.command()
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
@click.option(
    "--narrative", is_flag=True, help='Narrative form: "Hazan and Shaver (1987)" (APA only).'
)
@click.option(
    "--style",
    type=click.Choice(list(STYLES)),
    default=DEFAULT_STYLE,
    show_default=True,
    help=STYLE_HELP,
)
@click.pass_context
def cite(ctx: click.Context, keys: tuple[str, ...], narrative: bool, style: str) -> None:
    """An in-text citation of KEY...: APA 7 "(Hazan & Shaver, 1987)", or in another --style
    (a numbered style gives each reference's number in the whole reference list)."""
    from kb.export.apa import cite_in_text
    from kb.resolve import resolve_reference

    if narrative and style != "apa":
        raise UsageError(f"--narrative: only with --style apa (not {style})")
    base = get_kb(ctx)
    refs = [resolve_reference(base, key, given_as="KEY") for key in keys]
    click.echo(cite_in_text(refs, narrative, context=base.references.values(), style=style))


@cli.command("audit")
@worksheet_option
@format_option()
@output_option
@click.pass_context
def audit_cmd(ctx: click.Context, worksheet: str | None, fmt: str, output: Path | None) -> None:
    """Compare each reference as the worksheet prints it with our record and its APA 7 form.

    Lists every difference with a category (metadata correction; style: dash, page range,
    capitalisation, missing DOI or URL; unconfirmed) and the source of the correction. A report:
    exit 0 whatever it finds; 2 only if its input is unreadable.
    """
    from kb.evidence.audit import audit, format_text

    base = get_kb(ctx, worksheet)
    findings = audit(base)
    total = sum(len(ws.references) for ws in base.worksheets)
    if fmt == "json":
        payload = {"references": total, "findings": [f.as_dict() for f in findings]}
        emit(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", output)
    else:
        emit(format_text(findings, total), output)

"""``kb report``: the evidence appendix, in Markdown or HTML."""

from __future__ import annotations

import click

from kb.cli.base import emit, get_kb, output_option, worksheet_option


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown or a standalone, printable HTML page.",
)
@worksheet_option
@output_option
@click.pass_context
def report(ctx: click.Context, fmt: str, worksheet: str | None) -> None:
    """The evidence appendix: per skill the worksheet's words, claims with quotes, references
    in APA 7 with stance and rationale, and the rating with its reasons."""
    from kb.evidence.report import render_report

    emit(render_report(get_kb(ctx, worksheet), "html" if fmt == "html" else "md"))

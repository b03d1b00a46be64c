"""``kb cite``: an in-text citation, APA 7 or another citation style."""

from __future__ import annotations

import click

from kb.cli.base import get_kb, output_option
from kb.errors import UsageError
from kb.export.styles import DEFAULT_STYLE, STYLE_HELP, STYLES


@click.command()
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
@output_option
@click.pass_context
def cite(ctx: click.Context, keys: tuple[str, ...], narrative: bool, style: str) -> None:
    """An in-text citation of KEY...: APA 7 "(Hazan & Shaver, 1987)", or in another --style
    (a numbered style gives each reference's number in the whole reference list)."""
    from kb.core.resolve import resolve_reference
    from kb.export.apa import cite_in_text

    if narrative and style != "apa":
        raise UsageError(f"--narrative: only with --style apa (not {style})")
    base = get_kb(ctx)
    refs = [resolve_reference(base, key, given_as="KEY") for key in keys]
    click.echo(cite_in_text(refs, narrative, context=base.references.values(), style=style))

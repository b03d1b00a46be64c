"""``kb cite``: an APA 7 in-text citation."""

from __future__ import annotations

import click

from kb.cli.base import get_kb, output_option


@click.command()
@click.argument("keys", nargs=-1, required=True, metavar="KEY...")
@click.option("--narrative", is_flag=True, help='Narrative form: "Hazan and Shaver (1987)".')
@output_option
@click.pass_context
def cite(ctx: click.Context, keys: tuple[str, ...], narrative: bool) -> None:
    """An APA 7 in-text citation of KEY...: "(Hazan & Shaver, 1987)"."""
    from kb.core.resolve import resolve_reference
    from kb.export.apa import cite_in_text

    base = get_kb(ctx)
    refs = [resolve_reference(base, key, given_as="KEY") for key in keys]
    click.echo(cite_in_text(refs, narrative, context=base.references.values()))

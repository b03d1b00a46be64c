"""``kb search``: the dashboard's search over the references."""

from __future__ import annotations

import click

from kb.cli.base import get_kb, listing_options, print_table


@click.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@listing_options("csv")
@click.pass_context
def search(
    ctx: click.Context,
    *,
    text: str,
    worksheet: str | None,
    limit: int,
    offset: int,
    fmt: str,
) -> None:
    """References holding every word of TEXT (any order; case and accents ignored) in their
    key, title, authors, venue or year, as the dashboard's search finds them; a page at a time.
    When nothing is found, the nearest searches that find something are suggested."""
    from kb.browse.scope import reference_keys_in
    from kb.browse.search import LibraryIndex
    from kb.core.resolve import resolve_worksheet

    base = get_kb(ctx)
    keys = None
    if worksheet is not None:
        keys = reference_keys_in(
            base, resolve_worksheet(base, worksheet, given_as="--worksheet").worksheet.id
        )
    index = LibraryIndex.of(base)
    hits = index.search(text, keys=keys, limit=offset + limit + 1)
    shown = [
        {"key": h.key, "year": h.year, "authors": h.authors, "title": h.title}
        for h in hits[offset : offset + limit]
    ]
    print_table(shown, fmt)
    if len(hits) > offset + limit:
        click.echo(f"kb: more results: --offset {offset + limit}", err=True)
    if not hits:
        near = index.suggest(text, keys=keys)
        if near:
            click.echo(f"kb: note: did you mean: {'; '.join(near)}", err=True)

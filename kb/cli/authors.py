"""``kb authors``: every author, or one author's references, co-authors and skills."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, get_kb, listing_options, print_table, wrap
from kb.errors import UsageError


@click.command()
@click.argument("name", required=False)
@listing_options("csv")
@click.pass_context
def authors(ctx: click.Context, name: str | None, worksheet: str | None, fmt: str) -> None:
    """All authors (merged by normalised name), or one NAME: references, co-authors, skills.

    The list is a table (text, json or csv); one author is a record (text or json)."""
    from kb.network import pages

    base = get_kb(ctx, worksheet)
    if not name:
        print_table(pages.authors(base), fmt)
        return
    if fmt == "csv":
        raise UsageError("--format csv is for the list of authors; one author is text or json")
    info = pages.author_info(base, name, given_as="NAME")
    if fmt == "json":
        dump_json(info)
        return
    click.echo(f"{info['author']}  [{info['id']}]")
    click.echo(f"  references ({len(info['references'])}):")
    for ref in info["references"]:
        click.echo(wrap(f"- {ref['key']}: {ref['label']}, {ref['title']}"))
    shared = [f"{c['author']} ({c['shared']})" for c in info["coauthors"]]
    click.echo(wrap(f"co-authors ({len(shared)}): {', '.join(shared) or 'none'}", "  "))
    skills = [f"{s['order']}. {s['skill']}" for s in info["skills"]]
    click.echo(wrap(f"skills reached ({len(skills)}): {', '.join(skills) or 'none'}", "  "))

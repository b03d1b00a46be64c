"""``kb skills``: the skills with their counts."""

from __future__ import annotations

import click

from kb.cli.base import get_kb, listing_options, print_table


@click.command()
@listing_options("csv")
@click.pass_context
def skills(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """The skills, with their numbers of claims, references and supporting references."""
    base = get_kb(ctx, worksheet)
    rows = base.skills_table()
    several = base.worksheet_count() > 1
    shown = [
        {
            "#": r["order"],
            "skill": r["slug"],
            "title": r["title"],
            "claims": r["claims"],
            "references": r["references"],
            "supporting": r["supporting"],
            **({"worksheet": r["worksheet"]} if several else {}),
        }
        for r in rows
    ]
    print_table(shown, fmt)

"""``kb gaps``: what the evidence lacks, and the sources known by their title only."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, get_kb, listing_options, wrap


@click.command()
@listing_options()
@click.pass_context
def gaps(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """Claims with no supporting link or only grey support, unused references, very-low skills,
    and the sources judged from their title only (with the claims they are linked to).

    Claims are named by their number on the annotated worksheet ("Claim 4"), references as
    "Author (year)", as the dashboard's Gaps & Audit page names them; JSON keeps the ids beside
    the names (``claim_id``, ``key``)."""
    from kb.browse.gap_lists import gap_lists, title_only_listing

    base = get_kb(ctx, worksheet)
    found = gap_lists(base)
    title_only = title_only_listing(base)
    if fmt == "json":
        dump_json(found.record() | {"title_only_references": title_only})
        return
    sections: list[tuple[str, list[str]]] = [
        (
            "Claims with no supporting link",
            [
                f"{c.claim} ({c.place}): “{c.quote}”"
                + (f" [only {', '.join(x.text for x in c.links)}]" if c.links else "")
                for c in found.unsupported
            ],
        ),
        (
            "Claims supported only by grey literature",
            [
                f"{c.claim} ({c.place}): {', '.join(x.shown for x in c.links)}"
                for c in found.grey_only
            ],
        ),
        (
            "References that support no claim",
            [f"{r.reference}: {r.design_label}" for r in found.unused_references],
        ),
        (
            "Skills whose advice is rated very low",
            [
                f"{s.shown}: {s.summary} (stated reasons: {s.reasons_rating})"
                for s in found.very_low_skills
            ],
        ),
        (
            "Sources judged from their title only",
            [
                f"{t['name']}: "
                + (
                    ", ".join(f"{x['claim']} ({x['stance']})" for x in _links(t))
                    or "linked to no claim"
                )
                for t in title_only
            ],
        ),
    ]
    for title, lines in sections:
        click.echo(f"{title}: {len(lines)}")
        for line in lines:
            click.echo(wrap(f"- {line}", "  "))
        click.echo()


def _links(entry: dict[str, object]) -> list[dict[str, str]]:
    links = entry["links"]
    return links if isinstance(links, list) else []

"""``kb gaps``: what the evidence lacks, and the sources known by their title only."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, get_kb, listing_options, wrap


@click.command()
@listing_options()
@click.pass_context
def gaps(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """Claims with no supporting link or only grey support, unused references, very-low skills,
    and the sources judged from their title only (with the claims they are linked to)."""
    from kb.browse.gaps import title_only_listing
    from kb.evidence.profile import gaps as find_gaps

    base = get_kb(ctx, worksheet)
    found = find_gaps(base)
    title_only = title_only_listing(base)
    if fmt == "json":
        dump_json(found.as_dict() | {"title_only_references": title_only})
        return
    sections: list[tuple[str, list[str]]] = [
        (
            "Claims with no supporting link",
            [
                f"{c['claim']} ({c['section']}): “{c['quote']}”"
                + (f" [only {', '.join(c['other_links'])}]" if c["other_links"] else "")
                for c in found.unsupported_claims
            ],
        ),
        (
            "Claims supported only by grey literature",
            [
                f"{c['claim']} ({c['section']}): {', '.join(c['references'])}"
                for c in found.grey_only_claims
            ],
        ),
        (
            "References that support no claim",
            [f"{r['key']} ({r['label']})" for r in found.unused_references],
        ),
        (
            "Skills whose advice is rated very low",
            [
                f"{s['order']}. {s['skill']}: {s['summary']} (stated reasons: "
                f"{s['reasons_rating']})"
                for s in found.very_low_skills
            ],
        ),
        (
            "Sources judged from their title only",
            [
                f"{t['name']} [{t['key']}]: "
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

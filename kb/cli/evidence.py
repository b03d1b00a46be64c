"""``kb evidence SKILL``: the claims, quotes, references and judgements behind one skill."""

from __future__ import annotations

import dataclasses
import textwrap

import click

from kb.cli.base import dump_json, get_kb, listing_options
from kb.core.resolve import resolve_skill
from kb.evidence.finding_block import finding_blocks, title_only_line
from kb.evidence.profile import reference_info
from kb.evidence.wording import judged_from, review_words


@click.command()
@click.argument("skill")
@listing_options()
@click.pass_context
def evidence(ctx: click.Context, skill: str, worksheet: str | None, fmt: str) -> None:
    """The claims, quotes, references, stances and rationales behind one SKILL (1-7 or slug)."""
    base = get_kb(ctx, worksheet)
    ref = resolve_skill(base, skill, given_as="SKILL")
    rows = base.evidence_for(ref)
    if fmt == "json":
        dump_json(
            {
                "skill": ref.slug,
                "title": ref.title,
                "worksheet": ref.worksheet,
                "note": "Each link is a curator's judgement; the worksheet prints no in-text "
                "citations.",
                "evidence": [dataclasses.asdict(r) for r in rows],
            }
        )
        return
    click.echo(f"{ref.order}. {ref.title}  [{ref.slug}]")
    click.echo(
        "Every link below is a curator's judgement: the worksheet prints no in-text citations."
    )
    keys = {row.key for row in rows if row.key}
    unconfirmed = {k for k, info in reference_info(base, keys).items() if info.unconfirmed}
    current = None
    for row in rows:
        if row.claim_id != current:
            current = row.claim_id
            click.echo(f"\n  claim {row.claim_id} ({row.kind}, chars {row.start}-{row.end})")
            click.echo(
                textwrap.fill(f"“{row.quote}”", 96, initial_indent="    ", subsequent_indent="    ")
            )
            if row.key is None:
                click.echo("    - no reference linked")
        if row.key is not None:
            click.echo(
                f"    - {row.stance} ({row.directness}), {row.key}"
                f"{' (unconfirmed)' if row.key in unconfirmed else ''}, "
                f"{judged_from(row.basis or 'title', row.findings)}, "
                f"curated by {row.curator} on {row.date}; {review_words(row.review)}"
            )
            click.echo(
                textwrap.fill(
                    row.rationale or "", 96, initial_indent="      ", subsequent_indent="      "
                )
            )
            if row.title_only:
                click.echo(f"      {title_only_line()}")
            for block in finding_blocks(row.findings):
                click.echo(
                    textwrap.fill(
                        block.text,
                        96,
                        initial_indent="      > ",
                        subsequent_indent="        ",
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                )

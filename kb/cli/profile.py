"""``kb profile``: the evidence profile and certainty rating of each skill."""

from __future__ import annotations

import textwrap

import click

from kb.cli.base import dump_json, get_kb, listing_options, wrap
from kb.core.numbering import ClaimName, claim_names, claim_order
from kb.evidence.profile import SkillProfile
from kb.evidence.rating import DISCLAIMER, EVIDENCE_SCALE, RATING_RULES
from kb.records.models import DESIGN_LABELS


@click.command()
@click.argument("skill", required=False)
@click.option("--rules", is_flag=True, help="Print the evidence scale and the rating rules.")
@listing_options()
@click.pass_context
def profile(
    ctx: click.Context, skill: str | None, rules: bool, worksheet: str | None, fmt: str
) -> None:
    """Evidence profile and certainty rating of every skill, or of one SKILL (1-7 or slug).

    Counts by study design and evidence level, share of peer-reviewed sources, years, claims
    with no support or only grey support, and a GRADE-like rating with its reasons.
    """
    from kb.evidence.profile import profile as one_profile
    from kb.evidence.profile import profiles
    from kb.evidence.promise import PROMISE_LABEL, promises

    base = get_kb(ctx, worksheet)
    found = [one_profile(base, base.skill(skill, given_as="SKILL"))] if skill else profiles(base)
    overall = [] if skill else promises(base)
    if fmt == "json":
        dump_json(
            {
                "disclaimer": DISCLAIMER,
                "rules": RATING_RULES,
                "scale": EVIDENCE_SCALE,
                "profiles": [p.as_dict() for p in found],
                "worksheet_promises": [p.as_dict() for p in overall],
            }
        )
        return
    if rules:
        click.echo(f"{EVIDENCE_SCALE}\n\n{RATING_RULES}\n")
    several = base.worksheet_count() > 1
    names = claim_names(base)
    for prof in found:
        _print_profile(prof, names, several=several)
    for promise in overall:
        click.echo(f"{promise.worksheet}: {PROMISE_LABEL}")
        for rating in (promise.advice, promise.premises):
            click.echo(wrap(f"{rating.label}: {rating.summary}", "  "))
            for reason in rating.reasons:
                click.echo(wrap(f"- {reason}"))
        click.echo()
    click.echo(textwrap.fill(f"Note: {DISCLAIMER}", 100))
    if not rules:
        click.echo("The rules: `kb profile --rules`.")


def _print_profile(
    prof: SkillProfile, names: dict[tuple[str, str], ClaimName], *, several: bool
) -> None:
    where = f"{prof.worksheet}/" if several else ""
    click.echo(f"{prof.order}. {prof.title}  [{where}{prof.slug}]")
    for rating in (prof.advice, prof.premises):
        if rating is None:
            continue
        click.echo(wrap(f"{rating.label}: {rating.summary}", "  "))
        for reason in rating.reasons:
            click.echo(wrap(f"- {reason}"))
    years = (
        "undated"
        if prof.oldest_year is None
        else str(prof.oldest_year)
        if prof.oldest_year == prof.newest_year
        else f"{prof.oldest_year}-{prof.newest_year}"
    )
    designs = ", ".join(
        f"{DESIGN_LABELS.get(d, d)} ({n})" for d, n in prof.counts_by_design.items()
    )
    levels = ", ".join(f"level {lv} ({n})" for lv, n in prof.counts_by_level.items())
    click.echo(
        f"  {prof.n_references} references ({prof.peer_reviewed_share:.0%} peer reviewed, "
        f"{years}); {prof.n_claims} claims"
    )
    click.echo(wrap(f"designs: {designs or 'none'}", "  "))
    click.echo(wrap(f"levels: {levels or 'none'}", "  "))
    for what, ids in (
        ("claims with no support", prof.unsupported_claims),
        ("claims on grey literature only", prof.grey_only_claims),
    ):
        click.echo(wrap(f"{what}: {_claims(prof.worksheet, ids, names)}", "  "))
    click.echo()


def _claims(ws: str, ids: list[str], names: dict[tuple[str, str], ClaimName]) -> str:
    """Claims of one skill by number, in number order ("Claim 12, Claim 13"): the skill's
    heading names its worksheet, so the numbers need not."""
    found = [names.get((ws, c)) or ClaimName(ws, c, None) for c in ids]
    return ", ".join(n.local for n in sorted(found, key=claim_order)) or "none"

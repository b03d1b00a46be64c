"""``kb review``: the links' second review, its agreement and its disagreements."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, get_kb, listing_options, plural, wrap


@click.command()
@listing_options()
@click.pass_context
def review(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """The links' second review: agreement per stance, percent agreement and Cohen's kappa,
    and every disagreement with both judgements and how it was resolved."""
    from kb.evidence.review import STANCES, review_summary

    base = get_kb(ctx, worksheet)
    summaries = [review_summary(ws) for ws in base.worksheets]
    if fmt == "json":
        dump_json(
            [s.as_dict() for s in summaries] if len(summaries) > 1 else summaries[0].as_dict()
        )
        return
    for s in summaries:
        if not s.reviewed:
            click.echo(f"{s.worksheet}: {plural(s.links, 'link')}, no second review recorded")
            continue
        click.echo(f"Second review of the {plural(s.links, 'link')} of {s.worksheet}")
        click.echo(wrap(f"first:  {s.first_reviewer}, {s.first_date}: {s.first_method}", "  "))
        click.echo(wrap(f"second: {s.second_reviewer}, {s.second_date}: {s.second_method}", "  "))
        click.echo(wrap(f"resolved by: {s.resolved_by}, {s.resolution_date}", "  "))
        click.echo(
            wrap(
                f"Agreement: {s.agreed} of {s.links} links on both stance and directness "
                f"({_pct(s.percent_agreement)}); stance {_pct(s.stance_agreement)}, Cohen's "
                f"kappa {_num(s.kappa_stance)}; directness {_pct(s.directness_agreement)}, "
                f"kappa {_num(s.kappa_directness)}",
                "",
            )
        )
        click.echo("Per stance (first reviewer, second reviewer, both, specific agreement):")
        for stance in STANCES:
            row = s.per_stance[stance]
            click.echo(
                f"  {stance:<12}{row['first']:>4}{row['second']:>4}{row['both']:>4}   "
                f"{_num(row['agreement'])}"
            )
        click.echo(f"Disagreements: {len(s.disagreements)}, each resolved")
        for d in s.disagreements:
            click.echo(
                wrap(
                    f"- {d['link']}: first {d['first']}, second {d['second']} -> "
                    f"{d['final']}: {d['resolution']}",
                    "  ",
                )
            )
        if s.revisions:
            click.echo(f"Changed after the review: {len(s.revisions)}")
        for r in s.revisions:
            click.echo(
                wrap(f"- {r['link']}: {r['reviewed']} -> {r['final']}: {r['revision']}", "  ")
            )
        click.echo()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"

"""``kb review``: the links' second review, its agreement and its disagreements, each verifiable
round under ``review-rounds/``, and ``kb review packet`` (what a blind second reviewer sees)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import click

from kb.cli.base import (
    dump_json,
    emit,
    get_kb,
    listing_options,
    plural,
    refuse_input_as_output,
    worksheet_option,
    wrap,
)
from kb.errors import UsageError
from kb.files import write_atomic
from kb.records.vocab import Directness, Stance

STANCE_CHOICES = get_args(Stance)
DIRECTNESS_CHOICES = get_args(Directness)


@click.group(invoke_without_command=True)
@listing_options()
@click.pass_context
def review(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """The links' second review: agreement per stance, percent agreement and Cohen's kappa,
    and every disagreement with both judgements and how it was resolved; then each verifiable
    round (review-rounds/) with "blind: verified" or why not. `kb review packet` makes a round."""
    if ctx.invoked_subcommand is not None:
        return
    from kb.evidence.review import review_summary
    from kb.evidence.rounds import round_reports

    base = get_kb(ctx, worksheet)
    summaries = [review_summary(ws) for ws in base.worksheets]
    folders = dict(
        zip([w.worksheet.id for w in base.inputs.worksheets], base.inputs.folders, strict=True)
    )
    rounds = {
        ws.worksheet.id: round_reports(ws, base.references, folders[ws.worksheet.id])
        for ws in base.worksheets
    }
    if fmt == "json":
        out = [
            s.as_dict() | {"rounds": [r.as_dict() for r in rounds[s.worksheet]]} for s in summaries
        ]
        dump_json(out if len(out) > 1 else out[0])
        return
    for s in summaries:
        _print_summary(s)
        for r in rounds[s.worksheet]:
            _print_round(r)


@review.command("packet")
@worksheet_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the packet to FILE and its hash to FILE.sha256 (atomically).",
)
@click.option(
    "--round",
    "number",
    type=click.IntRange(min=1),
    default=None,
    help="Make round N in the worksheet's review-rounds/round-N/ (packet, hash, first judgements).",
)
@click.pass_context
def review_packet(
    ctx: click.Context, worksheet: str | None, number: int | None, output: Path | None
) -> None:
    """The packet a second reviewer sees (each link: the claim's words and kind, the reference as
    read, all its findings with the part read and whose page), with its SHA-256; never the first
    judgement, stance, directness, basis or rationale. With -o FILE, FILE.sha256 is written too."""
    from kb.evidence.packet import make_packet, sha256_text
    from kb.evidence.rounds import write_round

    base = get_kb(ctx, worksheet)
    if len(base.worksheets) != 1:
        raise UsageError("a packet is of one worksheet: give --worksheet ID")
    ws = base.worksheets[0]
    if number is not None:
        folder = write_round(ws, base.references, base.inputs.folders[0], number)
        click.echo(f"wrote {folder} (packet.md, packet.sha256, first.yaml)", err=True)
        return
    packet = make_packet(ws, base.references)
    digest = sha256_text(packet)
    if output is None:
        emit(packet)
        click.echo(f"sha256 {digest}", err=True)
        return
    sha = output.with_name(output.name + ".sha256")
    for path in (output, sha):
        refuse_input_as_output(path)
    write_atomic(output, packet)
    write_atomic(sha, f"{digest}  {output.name}\n")
    click.echo(f"wrote {output} and {sha}", err=True)


@review.command("resolve")
@click.argument("link")
@worksheet_option
@click.option("--stance", type=click.Choice(STANCE_CHOICES), required=True, help="Final stance.")
@click.option(
    "--directness", type=click.Choice(DIRECTNESS_CHOICES), required=True, help="Final directness."
)
@click.option("--reason", required=True, metavar="TEXT", help="How it was resolved, and why.")
@click.option(
    "--resolver",
    required=True,
    metavar="NAME",
    help="Who resolved it: neither the link's curator nor its second reviewer.",
)
@click.option(
    "--rationale",
    default=None,
    metavar="TEXT",
    help="A new rationale for the final judgement (default: the link's own).",
)
@click.pass_context
def review_resolve(
    ctx: click.Context,
    *,
    link: str,
    worksheet: str | None,
    stance: str,
    directness: str,
    reason: str,
    resolver: str,
    rationale: str | None,
) -> None:
    """Resolve a link awaiting resolution (its two judgements differ): record how, by whom and
    today's date in reviews.yaml, and set the link to the final judgement in links.yaml. The
    edit is checked as `kb check` checks and written atomically (kept in the Curate page's undo
    history); the second review itself is recorded blind on the Curate page."""
    from kb.curate.editor import Editor
    from kb.records.models import Judgement

    base = get_kb(ctx, worksheet)
    if len(base.worksheets) != 1:
        raise UsageError("a link is resolved in one worksheet: give --worksheet ID")
    ed = Editor.open(base.inputs.folders[0], base.bib_path)
    final = Judgement(stance=stance, directness=directness)  # type: ignore[arg-type]
    ed.resolve_review(link, final, resolution=reason, resolver=resolver, rationale=rationale)
    written = ed.save(f"resolved {link}")
    files = ", ".join(f"{ed.folder.name}/{name}" for name in written)
    click.echo(f"resolved {link} as {stance}/{directness}: wrote {files}", err=True)


def _print_round(r: Any) -> None:
    """One verifiable round, in words."""
    number = r.round.removeprefix("round-")
    click.echo(f"Review round {number} of {r.worksheet} ({plural(r.links, 'link')})")
    click.echo(f"  packet sha256: {r.packet_sha256 or 'none'}")
    if r.verified:
        click.echo(
            wrap(
                "blind: verified (the stored packet is byte-identical to one made from the "
                "current data, which shows no first judgement, and every return judged it)",
                "  ",
            )
        )
    else:
        click.echo(wrap(f"blind: not verified: {'; '.join(r.problems[:3])}", "  "))
    if not r.reviewers:
        click.echo("  no returns yet")
    for x in r.reviewers:
        click.echo(wrap(f"second: {x['reviewer']}, {x['date']}: {x['method']}", "  "))
        click.echo(
            wrap(
                f"Agreement with the first judgements: {x['agreed']} of {x['links']} links on "
                f"both ({_pct(_ratio(x['agreed'], x['links']))}); stance "
                f"{_pct(x['stance_agreement'])}, Cohen's kappa {_num(x['kappa_stance'])}; "
                f"directness {_pct(x['directness_agreement'])}, kappa "
                f"{_num(x['kappa_directness'])}",
                "  ",
            )
        )
    if r.resolver:
        click.echo(wrap(f"resolved by: {r.resolver}, {r.resolution_date}", "  "))
    if r.verified and r.problems:
        click.echo(wrap(f"resolution: {'; '.join(r.problems)}", "  "))
    for d in r.disagreements:
        resolved = f"-> {d['resolved']}: {d['reason']}" if d["resolved"] else "-> unresolved"
        click.echo(
            wrap(f"- {d['link']}: first {d['first']}, second {d['second']} {resolved}", "    ")
        )
    for c in r.changed_since:
        click.echo(wrap(f"- changed since: {c['link']}: {c['resolved']} -> {c['now']}", "    "))
    click.echo()


def _ratio(count: int, n: int) -> float | None:
    return count / n if n else None


def _print_summary(s: Any) -> None:
    """The worksheet's earlier two-judgement review (reviews.yaml), in words."""
    from kb.evidence.review import STANCES

    if not s.reviewed:
        click.echo(f"{s.worksheet}: {plural(s.links, 'link')}, no second review recorded")
        return
    click.echo(f"Second review of the {plural(s.links, 'link')} of {s.worksheet}")
    if s.procedure:
        click.echo(wrap(f"procedure: {s.procedure}", "  "))
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
    awaiting = sum(not d["resolution"] for d in s.disagreements)
    click.echo(
        f"Disagreements: {len(s.disagreements)}, "
        + (f"{awaiting} awaiting resolution" if awaiting else "each resolved")
    )
    for d in s.disagreements:
        click.echo(
            wrap(
                f"- {d['link']}: first {d['first']}, second {d['second']} -> "
                + (
                    "awaiting resolution (kb review resolve, or the Curate page)"
                    if not d["resolution"]
                    else f"resolved, later revised to {d['final']} (below): {d['resolution']}"
                    if d["revised"]
                    else f"{d['final']}: {d['resolution']}"
                ),
                "  ",
            )
        )
    if s.revisions:
        click.echo(f"Changed after the review: {len(s.revisions)}")
    for r in s.revisions:
        click.echo(wrap(f"- {r['link']}: {r['reviewed']} -> {r['final']}: {r['revision']}", "  "))
    for c in s.corrections:
        click.echo(wrap(f"- correction of {c['link']}'s record: {c['correction']}", "  "))
    click.echo()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"

"""Evidence commands: profile, gaps, report, authors, topics."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import click

from kb.cli.base import (
    cli,
    emit,
    format_option,
    get_kb,
    output_option,
    print_table,
    worksheet_option,
)
from kb.errors import UsageError
from kb.evidence.profile import SkillProfile
from kb.evidence.rating import DISCLAIMER, EVIDENCE_SCALE, RATING_RULES
from kb.records.models import DESIGN_LABELS


def _dump(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(
        text, 96, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


@cli.command()
@click.argument("skill", required=False)
@click.option("--rules", is_flag=True, help="Print the evidence scale and the rating rules.")
@worksheet_option
@format_option()
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
        _dump(
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
    for prof in found:
        _print_profile(prof, several=several)
    for promise in overall:
        click.echo(f"{promise.worksheet}: {PROMISE_LABEL}")
        for rating in (promise.advice, promise.premises):
            click.echo(_wrap(f"{rating.label}: {rating.summary}", "  "))
            for reason in rating.reasons:
                click.echo(_wrap(f"- {reason}"))
        click.echo()
    click.echo(textwrap.fill(f"Note: {DISCLAIMER}", 100))
    if not rules:
        click.echo("The rules: `kb profile --rules`.")


def _print_profile(prof: SkillProfile, *, several: bool) -> None:
    where = f"{prof.worksheet}/" if several else ""
    click.echo(f"{prof.order}. {prof.title}  [{where}{prof.slug}]")
    for rating in (prof.advice, prof.premises):
        if rating is None:
            continue
        click.echo(_wrap(f"{rating.label}: {rating.summary}", "  "))
        for reason in rating.reasons:
            click.echo(_wrap(f"- {reason}"))
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
    click.echo(_wrap(f"designs: {designs or 'none'}", "  "))
    click.echo(_wrap(f"levels: {levels or 'none'}", "  "))
    click.echo(
        _wrap(f"claims with no support: {', '.join(prof.unsupported_claims) or 'none'}", "  ")
    )
    click.echo(
        _wrap(f"claims on grey literature only: {', '.join(prof.grey_only_claims) or 'none'}", "  ")
    )
    click.echo()


@cli.command()
@worksheet_option
@format_option()
@click.pass_context
def gaps(ctx: click.Context, worksheet: str | None, fmt: str) -> None:
    """Claims with no supporting link or only grey support, unused references, very-low skills,
    and the sources judged from their title only (with the claims they are linked to)."""
    from kb.browse.gaps import title_only_sources
    from kb.evidence.profile import gaps as find_gaps

    base = get_kb(ctx, worksheet)
    found = find_gaps(base)
    title_only = title_only_sources(base)
    if fmt == "json":
        _dump(found.as_dict() | {"title_only_references": [t.record() for t in title_only]})
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
                f"{t.name} [{t.key}]: "
                + (", ".join(x.text for x in t.links) or "linked to no claim")
                for t in title_only
            ],
        ),
    ]
    for title, lines in sections:
        click.echo(f"{title}: {len(lines)}")
        for line in lines:
            click.echo(_wrap(f"- {line}", "  "))
        click.echo()


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown or a standalone, printable HTML page.",
)
@worksheet_option
@output_option
@click.pass_context
def report(ctx: click.Context, fmt: str, worksheet: str | None, output: Path | None) -> None:
    """The evidence appendix: per skill the worksheet's words, claims with quotes, references
    in APA 7 with stance and rationale, and the rating with its reasons."""
    from kb.evidence.report import render_report

    emit(render_report(get_kb(ctx, worksheet), "html" if fmt == "html" else "md"), output)


@cli.command()
@click.argument("name", required=False)
@format_option()
@click.pass_context
def authors(ctx: click.Context, name: str | None, fmt: str) -> None:
    """All authors (merged by normalised name), or one NAME: references, co-authors, skills."""
    from kb.network import pages

    base = get_kb(ctx)
    if not name:
        print_table(pages.authors(base), fmt)
        return
    info = pages.author_info(base, name, given_as="NAME")
    if fmt == "json":
        _dump(info)
        return
    click.echo(f"{info['author']}  [{info['id']}]")
    click.echo(f"  references ({len(info['references'])}):")
    for ref in info["references"]:
        click.echo(_wrap(f"- {ref['key']}: {ref['label']}, {ref['title']}"))
    shared = [f"{c['author']} ({c['shared']})" for c in info["coauthors"]]
    click.echo(_wrap(f"co-authors ({len(shared)}): {', '.join(shared) or 'none'}", "  "))
    skills = [f"{s['order']}. {s['skill']}" for s in info["skills"]]
    click.echo(_wrap(f"skills reached ({len(skills)}): {', '.join(skills) or 'none'}", "  "))


@cli.command()
@click.argument("topic", required=False)
@format_option()
@click.pass_context
def topics(ctx: click.Context, topic: str | None, fmt: str) -> None:
    """The topic tree with counts, or one TOPIC (id or label): references, skills, authors."""
    from kb.network import pages

    base = get_kb(ctx)
    if not topic:
        tree = pages.topics_tree(base)
        if fmt == "json":
            _dump(tree)
            return
        stack = list(reversed(tree))
        while stack:
            node = stack.pop()
            counts = f"{_n(node['references'], 'reference')}, {_n(node['skills'], 'skill')}"
            click.echo(f"{'  ' * node['depth']}{node['label']} [{node['id']}]: {counts}")
            stack.extend(reversed(node["children"]))
        return
    info = pages.topic_info(base, topic, given_as="TOPIC")
    if fmt == "json":
        _dump(info)
        return
    click.echo(f"{info['label']}  [{info['id']}, {info['scheme']}]")
    if info["definition"]:
        click.echo(_wrap(info["definition"], "  "))
    click.echo(
        f"  broader: {info['broader'] or '-'}; narrower: {', '.join(info['narrower']) or '-'}"
    )
    refs = [f"{r['label']} ({r['key']})" for r in info["references"]]
    click.echo(_wrap(f"references ({len(refs)}): {', '.join(refs) or 'none'}", "  "))
    skills = [f"{s['order']}. {s['skill']}" for s in info["skills"]]
    click.echo(_wrap(f"skills ({len(skills)}): {', '.join(skills) or 'none'}", "  "))
    click.echo(_wrap(f"authors: {', '.join(info['authors']) or 'none'}", "  "))
    co = [f"{c['topic']} ({c['weight']})" for c in info["cooccurs"]]
    click.echo(_wrap(f"co-occurs with: {', '.join(co) or 'none'}", "  "))


@cli.group(invoke_without_command=True)
@worksheet_option
@format_option()
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
        _dump(out if len(out) > 1 else out[0])
        return
    for s in summaries:
        _print_summary(s)
        for r in rounds[s.worksheet]:
            _print_round(r)


@review.command("packet")
@worksheet_option
@click.option(
    "--round",
    "number",
    type=click.IntRange(min=1),
    default=None,
    help="Make round N in the worksheet's review-rounds/round-N/ (packet, hash, first judgements).",
)
@output_option
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
    emit(packet, output)
    digest = sha256_text(packet)
    if output is not None:
        emit(f"{digest}  {output.name}\n", output.with_name(output.name + ".sha256"))
    else:
        click.echo(f"sha256 {digest}", err=True)


def _print_round(r: Any) -> None:
    """One verifiable round, in words."""
    click.echo(
        f"Review round {r.round.removeprefix('round-')} of {r.worksheet} ({_n(r.links, 'link')})"
    )
    click.echo(f"  packet sha256: {r.packet_sha256 or 'none'}")
    if r.verified:
        click.echo(
            _wrap(
                "blind: verified (the stored packet is byte-identical to one made from the "
                "current data, which shows no first judgement, and every return judged it)",
                "  ",
            )
        )
    else:
        click.echo(_wrap(f"blind: not verified: {'; '.join(r.problems[:3])}", "  "))
    if not r.reviewers:
        click.echo("  no returns yet")
    for x in r.reviewers:
        click.echo(_wrap(f"second: {x['reviewer']}, {x['date']}: {x['method']}", "  "))
        click.echo(
            _wrap(
                f"Agreement with the first judgements: {x['agreed']} of {x['links']} links on "
                f"both ({_pct(_ratio(x['agreed'], x['links']))}); stance "
                f"{_pct(x['stance_agreement'])}, Cohen's kappa {_num(x['kappa_stance'])}; "
                f"directness {_pct(x['directness_agreement'])}, kappa "
                f"{_num(x['kappa_directness'])}",
                "  ",
            )
        )
    if r.resolver:
        click.echo(_wrap(f"resolved by: {r.resolver}, {r.resolution_date}", "  "))
    if r.verified and r.problems:
        click.echo(_wrap(f"resolution: {'; '.join(r.problems)}", "  "))
    for d in r.disagreements:
        resolved = f"-> {d['resolved']}: {d['reason']}" if d["resolved"] else "-> unresolved"
        click.echo(
            _wrap(f"- {d['link']}: first {d['first']}, second {d['second']} {resolved}", "    ")
        )
    for c in r.changed_since:
        click.echo(_wrap(f"- changed since: {c['link']}: {c['resolved']} -> {c['now']}", "    "))
    click.echo()


def _ratio(count: int, n: int) -> float | None:
    return count / n if n else None


def _print_summary(s: Any) -> None:
    """The worksheet's earlier two-judgement review (reviews.yaml), in words."""
    from kb.evidence.review import STANCES

    if not s.reviewed:
        click.echo(f"{s.worksheet}: {_n(s.links, 'link')}, no second review recorded")
        return
    click.echo(f"Second review of the {_n(s.links, 'link')} of {s.worksheet}")
    if s.procedure:
        click.echo(_wrap(f"procedure: {s.procedure}", "  "))
    click.echo(_wrap(f"first:  {s.first_reviewer}, {s.first_date}: {s.first_method}", "  "))
    click.echo(_wrap(f"second: {s.second_reviewer}, {s.second_date}: {s.second_method}", "  "))
    click.echo(_wrap(f"resolved by: {s.resolved_by}, {s.resolution_date}", "  "))
    click.echo(
        _wrap(
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
            _wrap(
                f"- {d['link']}: first {d['first']}, second {d['second']} -> "
                + (
                    f"resolved, later revised to {d['final']} (below): {d['resolution']}"
                    if d["revised"]
                    else f"{d['final']}: {d['resolution']}"
                ),
                "  ",
            )
        )
    if s.revisions:
        click.echo(f"Changed after the review: {len(s.revisions)}")
    for r in s.revisions:
        click.echo(_wrap(f"- {r['link']}: {r['reviewed']} -> {r['final']}: {r['revision']}", "  "))
    for c in s.corrections:
        click.echo(_wrap(f"- correction of {c['link']}'s record: {c['correction']}", "  "))
    click.echo()


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"

"""Curation commands: new (a worksheet proposed from its text), suggest, import."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import Context, cli, format_option, print_table
from kb.errors import UsageError
from kb.paths import DATA_DIR, DEFAULT_BIB


def _paths(ctx: click.Context) -> tuple[Path, list[Path]]:
    obj: Context = ctx.find_object(Context)  # type: ignore[assignment]
    return obj.bib or DEFAULT_BIB, list(obj.data or [DATA_DIR])


@cli.command("new")
@click.argument("ws_id", metavar="ID")
@click.option(
    "--text",
    "text_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The worksheet page as plain text (copied from the page).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write the worksheet folder into (default: the global --data, or kb/data).",
)
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@format_option()
@click.pass_context
def new(
    ctx: click.Context,
    *,
    ws_id: str,
    text_path: Path,
    data_dir: Path | None,
    dry_run: bool,
    fmt: str,
) -> None:
    """Propose worksheet ID from its text: body, skills, claim candidates, references.

    Writes DATA/ID/ (DATA: the --data folder, default kb/data) in canonical form, every record
    marked proposed (left out of profiles, gaps and ratings until a curator accepts it). Printed
    references are matched to the bib; those that match nothing are added to it as drafts.
    """
    from kb.curate.new import propose, write_proposal

    bib, data = _paths(ctx)
    data = [data_dir] if data_dir is not None else data
    if len(data) != 1:
        raise UsageError("give one --data folder to write the new worksheet into", record="--data")
    proposal = propose(ws_id, text_path, bib)
    folder = data[0] / ws_id
    if not dry_run:
        write_proposal(proposal, folder, bib)
    summary = proposal.summary()
    summary["folder"] = str(folder)
    summary["written"] = not dry_run
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'would write' if dry_run else 'wrote'} {folder}: {proposal.page.title!r}")
    click.echo(f"  {len(proposal.data.skills)} skills (proposed):")
    for skill in proposal.data.skills:
        click.echo(f"    {skill.order}. {skill.title}")
    for note in proposal.page.notes:
        click.echo(f"  cross-check: {note}")
    click.echo(f"  {len(proposal.data.claims)} claim candidates (proposed)")
    by = {m.how for m in proposal.matches}
    counts = ", ".join(f"{sum(m.how == h for m in proposal.matches)} by {h}" for h in sorted(by))
    click.echo(f"  {len(proposal.matches)} printed references parsed; matched {counts}")
    for m in proposal.matches:
        for f in m.findings:
            click.echo(f"    #{f.number} {f.key} [{f.category}] {f.field}: "
                       f"{f.printed!r} -> {f.corrected!r}")  # fmt: skip
    for draft in proposal.drafts:
        click.echo(f"  draft bib entry (unverified): {draft.key}")
    for line in proposal.page.left_out:
        click.echo(f"  left out: {line}")


@cli.command("suggest")
@click.argument("claim", required=False)
@click.option("--worksheet", default=None, help="Worksheet id (default: every worksheet).")
@click.option("--top", type=click.IntRange(1, 50), default=3, show_default=True)
@format_option()
@click.pass_context
def suggest_cmd(
    ctx: click.Context, claim: str | None, worksheet: str | None, top: int, fmt: str
) -> None:
    """Candidate references for each claim (or CLAIM), ranked by BM25; all proposed.

    Ranked over each reference's title and recorded findings; shows the claim's words that the
    reference shares (by stem). A suggestion becomes a link only when a curator accepts it.
    """
    from kb.curate.suggest import suggest
    from kb.records.bib import load_bib
    from kb.records.worksheet import find_worksheet_dirs, read_checked
    from kb.resolve import pick, resolve_worksheet

    bib, data = _paths(ctx)
    sheets = [read_checked(f) for f in find_worksheet_dirs(data)]
    if worksheet is not None:
        sheets = [resolve_worksheet(sheets, worksheet, given_as="--worksheet")]
    refs = {r.key: r for r in load_bib(bib)}
    findings = [f for s in sheets for f in s.findings]
    if claim is not None:
        named = ((c.id, (c.id,), c.id) for s in sheets for c in s.claims)
        claim = pick("claim", claim, named, given_as="CLAIM")
    found = []
    for sheet in sheets:
        claims = [c for c in sheet.claims if claim is None or c.id == claim]
        found += suggest(sheet, refs, findings, claims, top=top)
    if fmt == "json":
        print_table([s.as_dict() for s in found], fmt)
        return
    print_table(
        [
            {"claim": s.claim, "rank": s.rank, "reference": s.reference,
             "score": f"{s.score:.2f}", "matching words": " ".join(s.matching_words),
             "status": s.status}
            for s in found
        ],
        fmt,
    )  # fmt: skip


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report only; leave the bib as it is.")
@format_option()
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, dry_run: bool, fmt: str) -> None:
    """Merge a CSL-JSON or RIS file (e.g. a Zotero export) into the bib.

    Duplicates (same DOI, or same normalised title and year) are reported, never merged; fields
    the bib has no place for are listed as findings.
    """
    from kb.curate.importer import import_references

    bib, _ = _paths(ctx)
    report = import_references(file, bib, write=not dry_run)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    verb = "would add" if dry_run else "added"
    click.echo(f"kb import: read {report.read} from {report.source}; {verb} {len(report.added)}"
               f", {len(report.duplicates)} duplicate(s) not merged")  # fmt: skip
    for key in report.added:
        click.echo(f"  {verb}: {key}")
    for dup in report.duplicates:
        diffs = "; ".join(
            f"{d['field']}: {d['file']!r} vs {d['bib']!r}" for d in dup["differences"]
        )
        click.echo(f"  duplicate: {dup['record']} = {dup['duplicate_of']} (by {dup['by']})"
                   + (f", differs in {diffs}" if diffs else ""))  # fmt: skip
    for f in report.findings:
        click.echo(f"  finding: {f['record']}: {f['field']} = {f['value']!r}: {f['finding']}")

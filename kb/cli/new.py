"""``kb new``: a worksheet proposed from its page text."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import curated_paths, dump_json, format_option, output_option
from kb.errors import UsageError


@click.command("new")
@click.argument("ws_id", metavar="ID")
@click.option(
    "--text",
    "text_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The worksheet page as plain text (copied from the page).",
)
@click.option(
    "--into",
    "into",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    metavar="DIR",
    help="Folder to write the worksheet folder into (default: the global --data, or kb/data).",
)
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@format_option()
@output_option
@click.pass_context
def new(
    ctx: click.Context,
    *,
    ws_id: str,
    text_path: Path,
    into: Path | None,
    dry_run: bool,
    fmt: str,
) -> None:
    """Propose worksheet ID from its text: body, skills, claim candidates, references.

    Writes DIR/ID/ (DIR: --into, else the one global --data folder, default kb/data) in
    canonical form, every record marked proposed (left out of profiles, gaps and ratings until
    a curator accepts it). Printed references are matched to the bib; those that match nothing
    are added to it as drafts.
    """
    from kb.curate.new import propose, write_proposal

    bib, data = curated_paths(ctx)
    data = [into] if into is not None else data
    if len(data) != 1:
        raise UsageError("give --into DIR: the folder to write the new worksheet into")
    proposal = propose(ws_id, text_path, bib)
    folder = data[0] / ws_id
    if not dry_run:
        write_proposal(proposal, folder, bib)
    summary = proposal.summary()
    summary["folder"] = str(folder)
    summary["written"] = not dry_run
    if fmt == "json":
        dump_json(summary)
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

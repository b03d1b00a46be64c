"""``kb lint`` and ``kb reanchor``: the curated files in canonical form, the claims' anchors."""

from __future__ import annotations

import click

from kb.cli.base import dump_json, format_option, output_option
from kb.errors import EXIT_INVALID
from kb.paths import DATA_DIR
from kb.records.canonical import lint, reanchor
from kb.records.worksheet import find_worksheet_dirs


@click.command("lint")
@click.option("--fix", is_flag=True, help="Rewrite files in canonical form; anchor new claims.")
@output_option
@click.pass_context
def lint_cmd(ctx: click.Context, fix: bool) -> None:
    """Check the curated files are in canonical (machine-formatted) form.

    With --fix, rewrite them, and give each new claim (a quote without start/end) its offsets
    when its quote occurs exactly once in the text. Existing anchors are never moved.
    """
    obj = ctx.obj
    folders = find_worksheet_dirs(obj.data or [DATA_DIR])
    changed = [path for folder in folders for path in lint(folder, fix=fix)]
    for path in changed:
        click.echo(f"{'fixed' if fix else 'not canonical'}: {path}")
    if changed and not fix:
        click.echo("run `kb lint --fix` to rewrite them", err=True)
        ctx.exit(EXIT_INVALID)
    if not changed:
        click.echo("all curated files are canonical")


@click.command("reanchor")
@format_option()
@output_option
@click.pass_context
def reanchor_cmd(ctx: click.Context, fmt: str) -> None:
    """After the worksheet text changed: move each claim whose quote now occurs exactly once,
    mark the others orphaned. Every move and every orphan is printed; nothing moves silently.
    """
    folders = find_worksheet_dirs(ctx.obj.data or [DATA_DIR])
    reports = {str(folder): reanchor(folder) for folder in folders}
    if fmt == "json":
        dump_json(reports)
        return
    for folder, report in reports.items():
        for line in report["moved"]:
            click.echo(f"moved     {line}  ({folder})")
        for cid in report["orphaned"]:
            click.echo(f"orphaned  {cid}: quote not found exactly once  ({folder})")
        if not report["moved"] and not report["orphaned"]:
            click.echo(f"all anchors in place  ({folder})")

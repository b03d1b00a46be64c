"""``kb import``: a CSL-JSON or RIS file merged into the bib."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import curated_paths, dump_json, format_option, output_option


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report only; leave the bib as it is.")
@format_option()
@output_option
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, dry_run: bool, fmt: str) -> None:
    """Merge a CSL-JSON or RIS file (e.g. a Zotero export) into the bib.

    Duplicates (same DOI, or same normalised title and year) are reported, never merged; fields
    the bib has no place for are listed as findings.
    """
    from kb.curate.importer import import_references

    bib, _ = curated_paths(ctx)
    report = import_references(file, bib, write=not dry_run)
    if fmt == "json":
        dump_json(report.as_dict())
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

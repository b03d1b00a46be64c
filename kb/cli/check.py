"""``kb check``: the bib, the curated data, the quotes and SHACL, validated."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from kb.cli.base import dump_json, format_option, output_option, plural
from kb.errors import EXIT_INVALID
from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.rdf.shacl import ENGINES, Engine
from kb.records.worksheet import find_worksheet_dirs


@click.command()
@format_option()
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="turbo",
    show_default=True,
    help="SHACL engine: pyshacl-turbo (Rust) or pySHACL (the reference, ~100x slower).",
)
@click.option("--full", is_flag=True, help="Validate every worksheet, even unchanged ones.")
@output_option
@click.pass_context
def check(ctx: click.Context, fmt: str, engine: Engine, full: bool) -> None:
    """Validate the bib, the curated data, every quote against the text, and SHACL.

    SHACL runs per worksheet (with the references it cites) on every core, and only for
    worksheets whose inputs changed since the last check; the digests are kept beside an
    `oxigraph:PATH` store, else in build/cache/ (KB_CACHE_DIR). Never reads the store.
    Exit 0 when clean, 1 when data is invalid, 2 when input is unreadable. Links whose two
    judgements differ and await resolution are valid: counted on a line of their own (and in
    the JSON's awaiting_resolution), exit 0 all the same.
    """
    from kb.checking import check as run_check
    from kb.checking import state_path

    obj = ctx.obj
    bib = obj.bib if obj.bib is not None else DEFAULT_BIB
    folders = find_worksheet_dirs(obj.data or [DATA_DIR])
    state = state_path(obj.store, bib, folders)
    if full:
        state.unlink(missing_ok=True)
    result = run_check(bib, folders, state=state, engine=engine, progress=_progress())
    if result.units >= PROGRESS_FROM:
        click.echo(
            f"kb check: validated {len(result.validated)} of {result.units} units "
            f"(the others unchanged since they were last clean; digests in {result.state})",
            err=True,
        )
    orphaned = result.orphaned
    summary = {
        "worksheets": result.worksheets,
        "skills": result.skills,
        "claims": result.claims,
        "references": result.references,
        "links": result.links,
        "quotes_verbatim": not orphaned,
        "orphaned_claims": orphaned,
        "awaiting_resolution": result.awaiting,
        "triples": result.triples,
        "shacl_conforms": result.conforms,
        "shacl_violations": [v.as_dict() for v in result.violations],
    }
    if fmt == "json":
        dump_json(summary)
    else:
        status = "conforms" if result.conforms else f"{len(result.violations)} violation(s)"
        quotes = "quotes verbatim" if not orphaned else f"{len(orphaned)} orphaned claim(s)"
        click.echo(
            f"kb check: {summary['skills']} skills, {summary['claims']} claims, "
            f"{summary['references']} references, {summary['links']} links, "
            f"{summary['triples']} triples; {quotes}; SHACL {status}"
        )
        if orphaned:
            click.echo(f"  orphaned (re-quote them in claims.yaml): {', '.join(orphaned)}")
        if result.awaiting:
            click.echo(
                f"  {plural(len(result.awaiting), 'link')} awaiting resolution (the two "
                "judgements differ; resolve them on the Curate page or with `kb review resolve`): "
                + ", ".join(result.awaiting[:10])
                + (", …" if len(result.awaiting) > 10 else "")
            )
        for v in result.violations[:20]:
            click.echo(f"  {v.one_line()}")
    if orphaned or not result.conforms:
        ctx.exit(EXIT_INVALID)


PROGRESS_FROM = 10  # units; the seed's check (two units) stays quiet on stderr


def _progress() -> Callable[[int, int], None]:
    """Progress on stderr for long checks: a line every 5% (a rewritten line on a terminal)."""
    shown = [-1]
    tty = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        step = done * 20 // total
        if step == shown[0] and done != total:
            return
        shown[0] = step
        end = "\r" if tty and done != total else "\n"
        click.echo(f"kb check: SHACL {done}/{total} units", err=True, nl=False)
        click.echo(end, err=True, nl=False)

    return report

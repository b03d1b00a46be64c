"""Core commands: build, check, lint, skills, evidence, query."""

from __future__ import annotations

import dataclasses
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import click

from kb.cli.base import (
    cli,
    emit,
    format_option,
    get_kb,
    output_option,
    print_table,
    refuse_input_as_output,
)
from kb.errors import EXIT_INVALID, UsageError
from kb.evidence.finding_block import finding_blocks, title_only_line
from kb.evidence.profile import reference_info
from kb.evidence.wording import judged_from, review_words
from kb.files import write_atomic
from kb.paths import BUILD_DIR, DATA_DIR, DEFAULT_BIB
from kb.rdf.shacl import ENGINES, Engine
from kb.records.canonical import lint, reanchor
from kb.records.worksheet import find_worksheet_dirs
from kb.resolve import resolve_skill
from kb.store.sparql_text import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=BUILD_DIR,
    show_default=True,
    help="Folder for kb.ttl, kb.nt and kb.jsonld.",
)
@click.pass_context
def build(ctx: click.Context, out: Path) -> None:
    """Build the RDF graph and write it as Turtle, N-Triples and JSON-LD."""
    base = get_kb(ctx)
    if out.exists() and not out.is_dir():
        raise UsageError("--out must be a folder", path=out)
    out.mkdir(parents=True, exist_ok=True)
    outputs = {"kb.ttl": "turtle", "kb.nt": "n-triples", "kb.jsonld": "json-ld"}
    from kb.rdf.serialize import graph_as

    rendered = {name: graph_as(base.graph, fmt) for name, fmt in outputs.items()}
    for name in rendered:
        refuse_input_as_output(out / name, "--out")
    for name, text in rendered.items():
        write_atomic(out / name, text)
        click.echo(f"wrote {out / name}")
    click.echo(f"{len(base.graph)} triples")


@cli.command()
@format_option()
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="turbo",
    show_default=True,
    help="SHACL engine: pyshacl-turbo (Rust) or pySHACL (the reference, ~100x slower).",
)
@click.option("--full", is_flag=True, help="Validate every worksheet, even unchanged ones.")
@click.pass_context
def check(ctx: click.Context, fmt: str, engine: Engine, full: bool) -> None:
    """Validate the bib, the curated data, every quote against the text, and SHACL.

    SHACL runs per worksheet (with the references it cites) on every core, and only for
    worksheets whose inputs changed since the last check; the digests are kept beside an
    `oxigraph:PATH` store, else in build/cache/ (KB_CACHE_DIR). Never reads the store.
    Exit 0 when clean, 1 when data is invalid, 2 when input is unreadable.
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
        "triples": result.triples,
        "shacl_conforms": result.conforms,
        "shacl_violations": [v.as_dict() for v in result.violations],
    }
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
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
        for v in result.violations[:20]:
            click.echo(f"  {v.one_line()}")
    if orphaned or not result.conforms:
        ctx.exit(EXIT_INVALID)


MAX_QUERY_BYTES = 1_000_000  # a query file; the longest shipped query is ~3 KB
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


@cli.command("lint")
@click.option("--fix", is_flag=True, help="Rewrite files in canonical form; anchor new claims.")
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


@cli.command("reanchor")
@format_option()
@click.pass_context
def reanchor_cmd(ctx: click.Context, fmt: str) -> None:
    """After the worksheet text changed: move each claim whose quote now occurs exactly once,
    mark the others orphaned. Every move and every orphan is printed; nothing moves silently.
    """
    folders = find_worksheet_dirs(ctx.obj.data or [DATA_DIR])
    reports = {str(folder): reanchor(folder) for folder in folders}
    if fmt == "json":
        click.echo(json.dumps(reports, indent=2))
        return
    for folder, report in reports.items():
        for line in report["moved"]:
            click.echo(f"moved     {line}  ({folder})")
        for cid in report["orphaned"]:
            click.echo(f"orphaned  {cid}: quote not found exactly once  ({folder})")
        if not report["moved"] and not report["orphaned"]:
            click.echo(f"all anchors in place  ({folder})")


@cli.command()
@format_option()
@click.pass_context
def skills(ctx: click.Context, fmt: str) -> None:
    """The skills, with their numbers of claims, references and supporting references."""
    base = get_kb(ctx)
    rows = base.skills_table()
    several = base.worksheet_count() > 1
    shown = [
        {
            "#": r["order"],
            "skill": r["slug"],
            "title": r["title"],
            "claims": r["claims"],
            "references": r["references"],
            "supporting": r["supporting"],
            **({"worksheet": r["worksheet"]} if several else {}),
        }
        for r in rows
    ]
    print_table(shown, fmt)


@cli.command()
@click.argument("skill")
@format_option()
@click.pass_context
def evidence(ctx: click.Context, skill: str, fmt: str) -> None:
    """The claims, quotes, references, stances and rationales behind one SKILL (1-7 or slug)."""
    base = get_kb(ctx)
    ref = resolve_skill(base, skill, given_as="SKILL")
    rows = base.evidence_for(ref)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "skill": ref.slug,
                    "title": ref.title,
                    "worksheet": ref.worksheet,
                    "note": "Each link is a curator's judgement; the worksheet prints no in-text "
                    "citations.",
                    "evidence": [dataclasses.asdict(r) for r in rows],
                },
                indent=2,
                ensure_ascii=False,
            )
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


@cli.command()
@click.argument("sparql")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_ROW_CAP,
    show_default=True,
    help="Row cap.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=3600),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Time limit in seconds.",
)
@format_option("csv", "turtle")
@output_option
@click.pass_context
def query(
    ctx: click.Context, *, sparql: str, limit: int, timeout: float, fmt: str, output: Path | None
) -> None:
    """Run a read-only SPARQL query (text, or a path to a .rq file).

    SELECT and ASK print a table; CONSTRUCT and DESCRIBE print Turtle. Our prefixes (kb:, id:,
    cito:, fabio:, prism:, oa:, dcterms:, foaf:, prov:, skos:, rdfs:, xsd:) are predeclared.
    Updates, LOAD, SERVICE and FROM are refused.
    """
    text = _query_text(sparql)
    from kb.store.sparql_text import run_user_query

    result = run_user_query(get_kb(ctx).store, text, limit=limit, timeout=timeout)
    if result.kind == "ask":
        emit(
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower(),
            output,
        )
    elif result.kind == "select":
        if fmt == "json":
            emit(json.dumps(result.rows, indent=2, ensure_ascii=False, default=str), output)
        elif fmt == "csv":
            import csv
            import io

            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=result.variables)
            writer.writeheader()
            writer.writerows(result.rows)
            emit(buf.getvalue(), output)
        else:
            from tabulate import tabulate

            emit(
                tabulate(
                    [[r.get(v) for v in result.variables] for r in result.rows],
                    headers=result.variables,
                    disable_numparse=True,
                )
                or "(no rows)",
                output,
            )
    else:
        from rdflib import Graph

        from kb.rdf.serialize import graph_as
        from kb.rdf.triples import bind_prefixes

        graph = Graph().parse(data=result.ntriples, format="nt")
        bind_prefixes(graph)
        emit(graph_as(graph, "json-ld" if fmt == "json" else "turtle"), output)
    if result.truncated:
        click.echo(f"kb: note: output cut at {limit} rows (--limit)", err=True)


def _query_text(arg: str) -> str:
    if (
        arg.lstrip()
        .upper()
        .startswith(
            (
                "SELECT",
                "ASK",
                "CONSTRUCT",
                "DESCRIBE",
                "PREFIX",
                "BASE",
                "INSERT",
                "DELETE",
                "LOAD",
                "CLEAR",
                "DROP",
                "CREATE",
                "WITH",
                "COPY",
                "MOVE",
                "ADD",
                "#",
            )
        )
        or "{" in arg
    ):
        return arg
    path = Path(arg)
    from kb.files import read_input

    if not path.exists():
        raise UsageError("neither a SPARQL query nor an existing .rq file", path=path)
    return read_input(path, "query file", limit=MAX_QUERY_BYTES)

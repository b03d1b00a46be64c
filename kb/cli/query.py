"""``kb query``: a user's read-only SPARQL query."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kb.cli.base import emit, get_kb, listing_options
from kb.errors import UsageError
from kb.store.sparql_text import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT

MAX_QUERY_BYTES = 1_000_000  # a query file; the longest shipped query is ~3 KB


@click.command()
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
@listing_options("csv", "turtle")
@click.pass_context
def query(
    ctx: click.Context, *, sparql: str, limit: int, timeout: float, worksheet: str | None, fmt: str
) -> None:
    """Run a read-only SPARQL query (text, or a path to a .rq file).

    SELECT and ASK print a table; CONSTRUCT and DESCRIBE print Turtle. Our prefixes (kb:, id:,
    cito:, fabio:, prism:, oa:, dcterms:, foaf:, prov:, skos:, rdfs:, xsd:) are predeclared.
    Updates, LOAD, SERVICE and FROM are refused.
    """
    text = _query_text(sparql)
    from kb.store.sparql_text import run_user_query

    result = run_user_query(get_kb(ctx, worksheet).store, text, limit=limit, timeout=timeout)
    if result.kind == "ask":
        emit(
            json.dumps({"boolean": result.boolean})
            if fmt == "json"
            else str(result.boolean).lower(),
        )
    elif result.kind == "select":
        if fmt == "json":
            emit(json.dumps(result.rows, indent=2, ensure_ascii=False, default=str))
        elif fmt == "csv":
            import csv
            import io

            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=result.variables)
            writer.writeheader()
            writer.writerows(result.rows)
            emit(buf.getvalue())
        else:
            from tabulate import tabulate

            emit(
                tabulate(
                    [[r.get(v) for v in result.variables] for r in result.rows],
                    headers=result.variables,
                    disable_numparse=True,
                )
                or "(no rows)"
            )
    else:
        from rdflib import Graph

        from kb.rdf.serialize import graph_as
        from kb.rdf.triples import bind_prefixes

        graph = Graph().parse(data=result.ntriples, format="nt")
        bind_prefixes(graph)
        emit(graph_as(graph, "json-ld" if fmt == "json" else "turtle"))
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

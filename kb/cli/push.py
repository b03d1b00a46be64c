"""``kb push``: the knowledge base loaded into a SPARQL endpoint."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import click

from kb.cli.base import Context, get_kb, output_option
from kb.core.inputs import ntriples_of
from kb.core.loader import read_inputs
from kb.errors import UsageError
from kb.iri import check_iri
from kb.settings import progress_seconds
from kb.store.servers import SERVERS, STORE_BATCH, UPDATE_BATCH, VIRTUOSO_GRAPH, Server


@click.command()
@click.option(
    "--endpoint",
    required=True,
    envvar="KB_SPARQL_ENDPOINT",
    help="Query URL of a SPARQL 1.1 endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph) or "
    "http://127.0.0.1:8890/sparql (Virtuoso) (env KB_SPARQL_ENDPOINT).",
)
@click.option(
    "--graph",
    default=None,
    help="IRI of the named graph to replace (default: the endpoint's default graph; on "
    f"Virtuoso, whose default graph is the union of all, {VIRTUOSO_GRAPH}).",
)
@click.option(
    "--server",
    type=click.Choice(SERVERS),
    default=None,
    help="The kind of server, for its URLs and limits (default: ask the endpoint).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=None,
    help=f"N-Triples lines per request (default {STORE_BATCH:,} by Graph Store, "
    f"{UPDATE_BATCH:,} by SPARQL Update).",
)
@click.option(
    "--worksheet",
    "worksheets",
    multiple=True,
    help="Push only this worksheet (id; repeatable). References always go in full.",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Oxigraph server only, into an empty graph: its bulk loader (server memory bounded, "
    "not atomic; the build manifest goes last, so readers see no half-loaded build).",
)
@output_option
@click.pass_context
def push(
    ctx: click.Context,
    *,
    endpoint: str,
    graph: str | None,
    server: Server | None,
    batch: int | None,
    worksheets: tuple[str, ...],
    bulk: bool,
) -> None:
    """Load the knowledge base into a SPARQL endpoint, replacing one graph atomically.

    Batches of N-Triples go into a staging graph (Graph Store POST, or SPARQL Update where the
    endpoint has no Graph Store), then one update MOVEs it onto the graph: a push that fails
    half-way leaves the previous graph whole. Credentials come from the environment only:
    KB_SPARQL_TOKEN, or KB_SPARQL_USER and KB_SPARQL_PASSWORD (HTTP Basic, or Digest when the
    server asks; sent over https or to this machine only).
    """
    from kb.store.http import Endpoint  # the HTTP client: loaded by the command that needs it
    from kb.store.push import Discovery, discover, target_graph
    from kb.store.push import push as push_batches

    obj: Context = ctx.find_object(Context)  # type: ignore[assignment]
    if graph is not None:
        check_iri(graph, "--graph")  # before anything is sent
    Endpoint.from_url(endpoint)  # the URL and the settings checked before anything is sent
    progress_seconds()
    started = time.perf_counter()
    found = discover(endpoint) if server is None else None
    kind: Server = server or (found.server if found else "generic")
    if found is None:
        found = Discovery(kind, union_default_graph=kind == "virtuoso", described=False)
    target = Endpoint.from_url(endpoint, server=kind)
    target = target.with_graph(target_graph(graph or target.graph, found))
    chunks, what, folders = _what_to_push(ctx, obj, worksheets)
    where = f"graph <{target.graph}>" if target.graph else "the default graph"
    doing = "bulk-loading into" if bulk else "replacing"
    click.echo(f"kb push: {kind} server; {doing} {where} of {target.query_url}", err=True)
    progress = _Progress(time.perf_counter())
    result = push_batches(target, chunks, batch=batch, progress=progress, bulk=bulk)
    click.echo(
        f"pushed {what}: {result.lines} N-Triples lines ({result.size / 1e6:.1f} MB) into "
        f"{where} of {target.query_url} by {result.method} in "
        f"{time.perf_counter() - started:.2f} s"
    )
    spec = target.query_url
    if target.graph:
        joiner = "&" if "?" in spec else "?"
        spec += f"{joiner}default-graph-uri={urllib.parse.quote(target.graph, safe='')}"
    data = "".join(f" --data {folder}" for folder in folders)
    click.echo(f"query it with: kb{data} --store 'sparql:{spec}' skills")


def _what_to_push(
    ctx: click.Context, obj: Context, worksheets: tuple[str, ...]
) -> tuple[Iterator[bytes], str, list[Path]]:
    """The N-Triples chunks to push, what they are, and the --data folders a narrowed push
    must be read with. From a persistent store (``--store oxigraph:PATH``, built if stale) the
    triples stream from disk and the client holds one batch; otherwise from the input files."""
    spec = obj.store
    if spec.kind == "sparql":
        raise UsageError(
            "push reads the input files or an oxigraph:PATH store, not an endpoint", record="store"
        )
    if spec.kind == "oxigraph" and not worksheets:
        base = get_kb(ctx)
        what = f"the store {spec.location} ({len(base.data_dirs)} worksheet(s))"
        return base.store.dump_ntriples(), what, []
    inputs = read_inputs(obj.bib, obj.data)
    if worksheets:
        inputs = inputs.narrow(worksheets)
    what = f"{len(inputs.worksheets)} worksheet(s) and {len(inputs.references)} references"
    return ntriples_of(inputs), what, list(inputs.folders) if worksheets else []


class _Progress:
    """Progress on stderr, at most every two seconds (env KB_PROGRESS_SECONDS)."""

    def __init__(self, started: float) -> None:
        self.started = self.last = started
        self.every = progress_seconds()

    def __call__(self, lines: int, size: int) -> None:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            click.echo(
                f"kb push: {lines:,} lines ({size / 1e6:.0f} MB) sent, {now - self.started:.0f} s",
                err=True,
            )

"""Push: replace one graph of a SPARQL endpoint with N-Triples, in bounded batches, atomically.

The triples go into a staging graph first (Graph Store POSTs of ``STORE_BATCH`` lines, or
SPARQL Update ``INSERT DATA`` of ``UPDATE_BATCH`` lines where there is no Graph Store), then
one update request ``MOVE``s the staging graph onto the target. Until that request, the
target is untouched: a push that fails or is interrupted half-way leaves the previous graph
whole (and a staging graph that the next push drops first). On Oxigraph, whose ``MOVE`` is
slow, one Graph Store PUT streams the same batches and the server commits it as one
transaction, or not at all. The client holds one batch at a time, whatever the corpus size.

Which server it is comes from ``--server`` or from the endpoint itself (``discover``): its
``Server`` header and, where offered, its SPARQL 1.1 Service Description.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kb.errors import UnreadableError, UsageError
from kb.rdf.namespaces import ID_BASE, KB
from kb.store.http import Endpoint, HttpStatusError, results_json
from kb.store.servers import SERVERS, STORE_BATCH, UPDATE_BATCH, VIRTUOSO_GRAPH, Server

__all__ = [
    "REPLACE_TIMEOUT",
    "STORE_BATCH",
    "UPDATE_BATCH",
    "VIRTUOSO_GRAPH",
    "Discovery",
    "PushResult",
    "bulk_push",
    "check_count",
    "discover",
    "push",
    "staging_graph",
    "target_graph",
]

REPLACE_TIMEOUT = 3600.0  # s: the final MOVE copies the whole graph at once
_SD = "http://www.w3.org/ns/sparql-service-description#"
_NO_GRAPH_STORE = {404, 405, 415, 501}

Progress = Callable[[int, int], None]  # (lines, bytes) sent so far


@dataclass(frozen=True)
class Discovery:
    """What the endpoint said about itself: the server kind and whether its default graph is
    the union of all graphs (then a push needs a named graph)."""

    server: Server
    union_default_graph: bool
    described: bool  # it offered a Service Description


@dataclass(frozen=True)
class PushResult:
    """What a push sent, where, and how."""

    lines: int
    size: int
    seconds: float
    method: str  # "graph store" or "update"
    graph: str | None  # None: the default graph


def discover(url: str) -> Discovery:
    """Ask the endpoint what it is: one GET of its query URL (``Server`` header, and the
    Service Description's ``sd:feature sd:UnionDefaultGraph`` where offered)."""
    media, body, server_header = Endpoint.from_url(url).describe()
    union, described = False, False
    if media in ("text/turtle", "application/n-triples", "application/rdf+xml"):
        try:
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
            features = {
                q.object.value
                for q in ox.parse(body, format=fmt)
                if q.predicate.value in (f"{_SD}feature", f"{_SD}endpoint")
            }
            described = True
            union = f"{_SD}UnionDefaultGraph" in features
        except SyntaxError:
            pass  # not a description after all: decide by the header
    name = server_header.split("/", 1)[0].strip().lower()
    server: Server = "generic"
    if name == "oxigraph":
        server = "oxigraph"
    elif name == "virtuoso":
        server, union = "virtuoso", True
    return Discovery(server, union, described)


def staging_graph(target: str | None) -> str:
    """The staging graph of a target graph (one per target, named from it)."""
    digest = hashlib.sha256((target or "default").encode("utf-8")).hexdigest()[:16]
    return f"{ID_BASE}graph/push-staging-{digest}"


def target_graph(graph: str | None, discovery: Discovery) -> str | None:
    """The graph a push replaces: the one asked for; on a server whose default graph is the
    union of all graphs (Virtuoso), ``VIRTUOSO_GRAPH`` when none was asked for."""
    if graph is None and discovery.union_default_graph:
        return VIRTUOSO_GRAPH
    return graph


def _batches(chunks: Iterable[bytes], lines_per_batch: int) -> Iterator[tuple[bytes, int]]:
    """N-Triples chunks re-cut into batches of at most ``lines_per_batch`` whole lines."""
    pending: list[bytes] = []
    count = 0
    for chunk in chunks:
        lines = chunk.splitlines(keepends=True)
        while lines:
            room = lines_per_batch - count
            pending.extend(lines[:room])
            count += len(lines[:room])
            lines = lines[room:]
            if count >= lines_per_batch:
                yield b"".join(pending), count
                pending, count = [], 0
    if pending:
        yield b"".join(pending), count


def push(
    endpoint: Endpoint,
    chunks: Iterable[bytes],
    *,
    batch: int | None = None,
    progress: Progress | None = None,
    bulk: bool = False,
) -> PushResult:
    """Replace ``endpoint.graph`` (None: the default graph) with these N-Triples, atomically.

    Oxigraph: one Graph Store PUT whose body streams the batches (Oxigraph runs it as one
    transaction; its ``MOVE`` copies a few thousand triples a second, far too slow). Other
    servers: batches into a staging graph (Graph Store POSTs, or SPARQL Update where there is
    no Graph Store), then one ``MOVE``. ``bulk`` (Oxigraph only, into an empty graph): see
    ``bulk_push``."""
    if endpoint.server is not None and endpoint.server not in SERVERS:
        raise UsageError(f"unknown server {endpoint.server!r}", record="server")
    started = time.perf_counter()
    sent = _Sent(progress)
    batches = sent.counted(_batches(chunks, batch or STORE_BATCH))
    if bulk:
        return bulk_push(endpoint, batches, sent, started)
    staging = staging_graph(endpoint.graph)
    has_store = _has_graph_store(endpoint, staging)
    if has_store and endpoint.server == "oxigraph":
        endpoint.graph_store("PUT", (data for data, _ in batches))
        method = "graph store, one streamed PUT"
    else:
        endpoint.update(f"DROP SILENT GRAPH <{staging}>")  # what an interrupted push left
        for data, _ in batches:
            if has_store:
                endpoint.graph_store("POST", data, graph=staging)
                continue
            for part, _n in _batches([data], min(batch or UPDATE_BATCH, UPDATE_BATCH)):
                text = part.decode("utf-8")
                endpoint.update(f"INSERT DATA {{ GRAPH <{staging}> {{\n{text}}} }}")
        target = f"GRAPH <{endpoint.graph}>" if endpoint.graph else "DEFAULT"
        endpoint.update(f"MOVE GRAPH <{staging}> TO {target}", timeout=REPLACE_TIMEOUT)
        method = "graph store, staging graph, MOVE" if has_store else "update, staging graph, MOVE"
    check_count(endpoint, len(sent.distinct))
    return PushResult(
        lines=sent.lines,
        size=sent.size,
        seconds=time.perf_counter() - started,
        method=method,
        graph=endpoint.graph,
    )


_MANIFEST = f" <{KB.sha256}> ".encode()


def bulk_push(
    endpoint: Endpoint, batches: Iterable[tuple[bytes, int]], sent: _Sent, started: float
) -> PushResult:
    """Load into an empty graph of an Oxigraph server with its bulk loader, batch by batch.

    Oxigraph replaces a graph atomically only inside one transaction, which it holds in memory
    (a PUT of 1,000x: 2.5 GB on the server; a ``MOVE`` of it: 5.4 GB and 132 s), so 10,000x
    cannot be replaced atomically on a 24 GB machine. The bulk loader keeps the server near
    200 MB but commits as it goes: this is not atomic. So it loads into an empty graph only,
    and sends the build manifest (each input file's SHA-256, what ``--store sparql:`` checks
    before answering) last: a reader of an interrupted bulk push is told the endpoint holds
    no complete build, never answered from part of one."""
    if endpoint.server != "oxigraph":
        raise UsageError(
            "bulk loading is Oxigraph server's own (its bulk loader); push to this server "
            "atomically: `kb push --endpoint URL`",
            record="server",
        )
    _, body, _ = endpoint.query("ASK { ?s ?p ?o }")  # the endpoint's graph is the default
    if b"true" in body:
        graph = endpoint.graph or "the default graph"
        raise UsageError(
            f"a bulk load goes into an empty graph only, and {graph} holds triples: replace "
            "it atomically with `kb push --endpoint URL`, or start Oxigraph on a new database",
            record="graph",
        )
    manifest: list[bytes] = []
    for data, _ in batches:
        lines = data.splitlines(keepends=True)
        manifest += [line for line in lines if _MANIFEST in line]
        endpoint.graph_store("POST", b"".join(ln for ln in lines if _MANIFEST not in ln), bulk=True)
    endpoint.graph_store("POST", b"".join(manifest), bulk=True)
    check_count(endpoint, len(sent.distinct))
    return PushResult(
        lines=sent.lines,
        size=sent.size,
        seconds=time.perf_counter() - started,
        method="Oxigraph's bulk loader (not atomic; the build manifest last)",
        graph=endpoint.graph,
    )


class _Sent:
    """Counts the lines and bytes of the batches as they go, and reports progress."""

    def __init__(self, progress: Progress | None) -> None:
        self.lines = self.size = 0
        self.progress = progress
        self.distinct: set[int] = set()  # a hash per distinct line: the triples the graph holds

    def counted(self, batches: Iterable[tuple[bytes, int]]) -> Iterator[tuple[bytes, int]]:
        for data, count in batches:
            self.distinct.update(map(hash, data.splitlines()))
            yield data, count
            self.lines += count
            self.size += len(data)
            if self.progress is not None:
                self.progress(self.lines, self.size)


COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def check_count(endpoint: Endpoint, expected: int) -> None:
    """Read back how many triples the pushed graph holds; a number other than the distinct
    triples sent is an error (the push did not land whole), never a success."""
    media, body, _ = endpoint.query(COUNT_QUERY)
    answer = results_json(media, body, endpoint.query_url)
    rows = answer.get("results", {}).get("bindings", [])
    value = rows[0].get("n", {}).get("value") if rows else None
    if value is None or not str(value).isdigit():
        raise UnreadableError(
            "the endpoint did not answer a triple count after the push; check the server",
            path=endpoint.query_url.split("?", 1)[0],
        )
    held = int(value)
    if held != expected:
        where = f"graph <{endpoint.graph}>" if endpoint.graph else "the default graph"
        raise UnreadableError(
            f"after the push {where} holds {held:,} triples, but {expected:,} were sent: the "
            "server did not store the push whole; check the server and push again",
            path=endpoint.query_url.split("?", 1)[0],
        )


def _has_graph_store(endpoint: Endpoint, staging: str) -> bool:
    """Whether the Graph Store answers: an empty POST to the staging graph (adds nothing)."""
    try:
        endpoint.graph_store("POST", b"", graph=staging)
    except HttpStatusError as exc:
        if exc.status not in _NO_GRAPH_STORE:
            raise
        return False
    return True

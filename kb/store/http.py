"""Triples out: a fast N-Triples writer, and SPARQL 1.1 endpoints over HTTP.

``ntriples_chunks`` turns kb.rdf.triples's triples into N-Triples bytes without building an rdflib
Graph (what lets 1,000x corpora load in seconds). ``Endpoint`` speaks the SPARQL 1.1 Protocol
(queries), the Graph Store Protocol (a whole graph replaced by one PUT of N-Triples; per-triple
adds were measured ~60x slower) and, where an endpoint has no Graph Store, SPARQL Update.
Credentials come only from the environment (``KB_SPARQL_TOKEN``, or ``KB_SPARQL_USER`` with
``KB_SPARQL_PASSWORD``) and are sent only over https or to this machine.
"""

from __future__ import annotations

import base64
import io
import ipaddress
import os
import re
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kb.errors import EXIT_INVALID, UnreadableError, UsageError
from kb.store.base import (
    NTriples,
)

__all__ = [
    "ChunkReader",
    "Endpoint",
    "ntriples_chunks",
    "ntriples_lines",
    "push_ntriples",
]

_XSD_STRING = str(XSD.string)
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r]').search
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
_FALLBACK_STATUS = {404, 405, 415, 501}


def ntriples_lines(triples: Iterable[tuple[URIRef, URIRef, URIRef | Literal]]) -> Iterator[str]:
    """One N-Triples line per triple (IRIs as minted by kb.rdf.triples; literals escaped)."""
    for s, p, o in triples:
        if isinstance(o, URIRef):
            yield f"<{s}> <{p}> <{o}> .\n"
            continue
        lexical = str.__str__(o)
        if _NEEDS_ESCAPE(lexical):
            lexical = lexical.translate(_ESCAPES)
        lang = o.language
        datatype = o.datatype
        if lang:
            yield f'<{s}> <{p}> "{lexical}"@{lang} .\n'
        elif datatype is None or datatype == _XSD_STRING:
            yield f'<{s}> <{p}> "{lexical}" .\n'
        else:
            yield f'<{s}> <{p}> "{lexical}"^^<{datatype}> .\n'


def ntriples_chunks(
    triples: Iterable[tuple[URIRef, URIRef, URIRef | Literal]], lines_per_chunk: int = 20_000
) -> Iterator[bytes]:
    """N-Triples as UTF-8 byte chunks of ``lines_per_chunk`` lines."""
    batch: list[str] = []
    for line in ntriples_lines(triples):
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


class ChunkReader(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks (for bulk loads and uploads)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``target`` from the next chunks; 0 at the end."""
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 endpoint: where queries, updates and Graph Store requests go.

    ``graph`` is the named graph read and written (the URL's ``default-graph-uri``); None means
    the endpoint's default graph.
    """

    query_url: str
    update_url: str
    store_url: str
    graph: str | None = None
    timeout: float = 60.0

    @classmethod
    def from_url(cls, url: str, graph: str | None = None) -> Endpoint:
        """From a query URL. ``.../query`` or ``.../sparql`` give Oxigraph's ``/update`` and
        ``/store`` beside it; a bare host gives ``/query``, ``/update``, ``/store``; any other
        path is used for all three (a Fuseki dataset URL). ``KB_SPARQL_UPDATE_URL`` and
        ``KB_SPARQL_STORE_URL`` override the derived ones."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) URL: {url!r}", record="endpoint")
        if parts.username or parts.password:
            raise UsageError(
                "credentials in the URL are refused; set KB_SPARQL_USER and KB_SPARQL_PASSWORD "
                "(or KB_SPARQL_TOKEN) in the environment",
                record="endpoint",
            )
        params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        graphs = [v for k, v in params if k == "default-graph-uri"]
        graph = graph or (graphs[0] if graphs else None)
        rest = urllib.parse.urlencode([(k, v) for k, v in params if k != "default-graph-uri"])
        path = parts.path.rstrip("/")
        if not path:
            query, update, store = "/query", "/update", "/store"
        elif path.endswith(("/query", "/sparql")):
            base = path.rsplit("/", 1)[0]
            query, update, store = path, f"{base}/update", f"{base}/store"
        else:
            query = update = store = path
        root = f"{parts.scheme}://{parts.netloc}"
        with_rest = f"?{rest}" if rest else ""
        timeout = float(os.environ.get("KB_SPARQL_TIMEOUT", "60"))
        endpoint = cls(
            query_url=f"{root}{query}{with_rest}",
            update_url=os.environ.get("KB_SPARQL_UPDATE_URL") or f"{root}{update}",
            store_url=os.environ.get("KB_SPARQL_STORE_URL") or f"{root}{store}",
            graph=graph,
            timeout=timeout,
        )
        endpoint.auth_headers()  # fail early on credentials over plain http
        return endpoint

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header from the environment, if credentials are set."""
        token = os.environ.get("KB_SPARQL_TOKEN")
        user, password = os.environ.get("KB_SPARQL_USER"), os.environ.get("KB_SPARQL_PASSWORD")
        if not token and not user:
            return {}
        parts = urllib.parse.urlsplit(self.query_url)
        if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
            raise UsageError(
                "credentials are sent only over https or to this machine; use an https URL",
                record="endpoint",
            )
        if token:
            return {"Authorization": f"Bearer {token}"}
        pair = f"{user}:{password or ''}".encode()
        return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}

    def query(self, sparql: str) -> tuple[str, bytes, str]:
        """POST a query (SPARQL 1.1 Protocol, form-encoded): the answer's media type, body and
        the server's name (its ``Server`` header)."""
        fields = [("query", sparql)]
        if self.graph:
            fields.append(("default-graph-uri", self.graph))
        body = urllib.parse.urlencode(fields).encode("utf-8")
        accept = f"{RESULTS_JSON}, {NTRIPLES};q=0.9, text/turtle;q=0.8"
        form = "application/x-www-form-urlencoded"
        return self._send("POST", url=self.query_url, body=body, content_type=form, accept=accept)

    def update(self, sparql: str) -> None:
        """POST a SPARQL Update (form-encoded)."""
        body = urllib.parse.urlencode([("update", sparql)]).encode("utf-8")
        form = "application/x-www-form-urlencoded"
        self._send("POST", url=self.update_url, body=body, content_type=form, accept="*/*")

    def put_graph(self, data: NTriples) -> None:
        """Replace the graph with N-Triples in one Graph Store PUT (Update if no Graph Store)."""
        self._graph_store("PUT", data)

    def post_graph(self, data: NTriples) -> None:
        """Add N-Triples to the graph in one Graph Store POST (Update if no Graph Store)."""
        self._graph_store("POST", data)

    def _graph_store(self, method: str, data: NTriples) -> None:
        if not isinstance(data, bytes | str | Path):
            data = data.read() or b""
        joiner = "&" if "?" in self.store_url else "?"
        target = f"graph={urllib.parse.quote(self.graph, safe='')}" if self.graph else "default"
        try:
            with _body(data) as (body, size):
                headers = {"Content-Length": str(size)}
                url = f"{self.store_url}{joiner}{target}"
                self._send(
                    method, url=url, body=body, content_type=NTRIPLES, accept="*/*", extra=headers
                )
        except _HttpStatusError as exc:
            if exc.status not in _FALLBACK_STATUS:
                raise
            text = _read_all(data).decode("utf-8")
            where = f"GRAPH <{self.graph}>" if self.graph else "DEFAULT"
            insert = f"GRAPH <{self.graph}> {{ {text} }}" if self.graph else text
            clear = f"CLEAR SILENT {where} ;\n" if method == "PUT" else ""
            self.update(f"{clear}INSERT DATA {{\n{insert}\n}}")

    def _send(
        self,
        method: str,
        *,
        url: str,
        body: bytes | IO[bytes] | None,
        content_type: str,
        accept: str,
        extra: dict[str, str] | None = None,
    ) -> tuple[str, bytes, str]:
        headers = {"Content-Type": content_type, "Accept": accept, **self.auth_headers()}
        headers.update(extra or {})
        # the scheme was checked in from_url: http or https only
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        host = urllib.parse.urlsplit(url).hostname or ""
        handlers = [urllib.request.ProxyHandler({})] if _is_loopback(host) else []
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                media = response.headers.get("Content-Type", "").split(";")[0].strip()
                return media, bytes(response.read()), response.headers.get("Server", "")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise _http_status_error(exc.code, detail, url) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, socket.timeout | TimeoutError):
                reason = f"no answer within {self.timeout:g} s (KB_SPARQL_TIMEOUT)"
            raise UnreadableError(
                f"cannot reach the SPARQL endpoint: {reason}; is the server running?", path=url
            ) from None


class _HttpStatusError(UnreadableError):
    """An HTTP error status from the endpoint (unreadable, exit 2); keeps the status, so a
    push can choose its fallback."""

    def __init__(self, message: str, status: int, *, path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.status), {"path": self.path})


class _HttpRejectedError(_HttpStatusError):
    """HTTP 400: the endpoint rejected our query as invalid (exit 1)."""

    exit_code: ClassVar[int] = EXIT_INVALID


def _http_status_error(status: int, detail: list[str], url: str) -> _HttpStatusError:
    """The error for an HTTP error status."""
    first = detail[0][:300] if detail else ""
    if status in (401, 403):
        return _HttpStatusError(
            f"the endpoint refused access (HTTP {status}); set KB_SPARQL_TOKEN, or "
            "KB_SPARQL_USER and KB_SPARQL_PASSWORD",
            status,
            path=url,
        )
    if status == 400:
        rejected = _HttpRejectedError(f"the endpoint rejected the request: {first}", status)
        rejected.record = "query"
        return rejected
    return _HttpStatusError(f"HTTP {status} from the endpoint: {first}", status, path=url)


class _body:  # noqa: N801  (a context manager used like a function)
    """A request body and its length, from bytes, text or a file path (streamed)."""

    def __init__(self, data: bytes | str | Path) -> None:
        self._data = data
        self._handle: IO[bytes] | None = None

    def __enter__(self) -> tuple[bytes | IO[bytes], int]:
        if isinstance(self._data, Path):
            self._handle = self._data.open("rb")
            return self._handle, self._data.stat().st_size
        payload = self._data.encode("utf-8") if isinstance(self._data, str) else self._data
        return payload, len(payload)

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()


def _read_all(data: bytes | str | Path) -> bytes:
    if isinstance(data, Path):
        return data.read_bytes()
    return data.encode("utf-8") if isinstance(data, str) else data


def push_ntriples(endpoint: Endpoint, chunks: Iterable[bytes]) -> tuple[int, int]:
    """Replace the endpoint's graph with these N-Triples in one request: (lines, bytes) sent.

    The chunks are spooled to a temporary file first, so the upload has a known length and
    nothing is sent if building the triples fails half-way.
    """
    lines = 0
    with tempfile.TemporaryDirectory(prefix="kb-push-") as folder:
        path = Path(folder) / "kb.nt"
        with path.open("wb") as handle:
            for chunk in chunks:
                lines += chunk.count(b"\n")
                handle.write(chunk)
        endpoint.put_graph(path)
        return lines, path.stat().st_size

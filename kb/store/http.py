"""Triples out: a fast N-Triples writer, and SPARQL 1.1 endpoints over HTTP (httpx).

``ntriples_chunks`` turns kb.rdf.triples's triples into N-Triples bytes without building an rdflib
Graph (what lets 1,000x corpora load in seconds). ``Endpoint`` speaks the SPARQL 1.1 Protocol
(queries and updates) and the Graph Store Protocol; ``kb.store.push`` uses it to replace a graph
in bounded batches. Which URL does what depends on the server (``SERVERS``): Oxigraph serves
``/query``, ``/update``, ``/store``; Virtuoso ``/sparql`` and ``/sparql-graph-crud`` (``-auth``
variants with credentials, HTTP Digest). Credentials come only from the environment
(``KB_SPARQL_TOKEN``, or ``KB_SPARQL_USER`` with ``KB_SPARQL_PASSWORD``) and are sent only over
https or to this machine: Basic at once, Digest when the server's challenge asks for it.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import json
import os
import re
import time
import urllib.parse
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import httpx

from kb.errors import EXIT_INVALID, UnreadableError, UsageError
from kb.iri import check_iri, iri_problem
from kb.settings import endpoint_url, sparql_timeout
from kb.store.base import NTriples
from kb.store.deadline import DeadlineExceeded, total_deadline
from kb.store.ntriples import ChunkReader, ntriples_chunks, ntriples_lines
from kb.store.servers import SERVERS, Server

__all__ = [
    "SERVERS",
    "ChunkReader",
    "Endpoint",
    "HttpStatusError",
    "Server",
    "is_rdf_media",
    "ntriples_chunks",
    "ntriples_lines",
    "results_json",
]

NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
MAX_ANSWER_BYTES = 1 << 30  # one answer held in memory: 1 GB


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _credentials() -> tuple[str | None, str | None, str | None]:
    """(token, user, password) from the environment."""
    env = os.environ
    return env.get("KB_SPARQL_TOKEN"), env.get("KB_SPARQL_USER"), env.get("KB_SPARQL_PASSWORD")


class _EnvAuth(httpx.Auth):
    """Bearer or Basic sent with the first request; HTTP Digest when a server refuses Basic
    without a Basic challenge (Virtuoso's ``-auth`` endpoints), then kept for the session."""

    def __init__(self, token: str | None, user: str | None, password: str | None) -> None:
        self._token = token
        self._user, self._password = user or "", password or ""
        self._digest: httpx.DigestAuth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send with the header we have; answer a Digest challenge once."""
        if self._token:
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request
            return
        if self._digest is not None:
            yield from self._digest.auth_flow(request)
            return
        pair = f"{self._user}:{self._password}".encode()
        request.headers["Authorization"] = f"Basic {base64.b64encode(pair).decode('ascii')}"
        response = yield request
        # Virtuoso answers Basic on a Digest endpoint with a bare 401: ask again for a challenge
        challenge = response.headers.get("WWW-Authenticate", "")
        if response.status_code == 401 and not challenge.lower().startswith("basic"):
            del request.headers["Authorization"]
            self._digest = httpx.DigestAuth(self._user, self._password)
            yield from self._digest.auth_flow(request)


def _virtuoso_root(path: str) -> str:
    for tail in ("/sparql-auth", "/sparql"):
        if path.endswith(tail):
            return path[: -len(tail)]
    return path


def _paths(path: str, server: Server | None, authenticated: bool) -> tuple[str, str, str]:
    """(query, update, store) paths on the server for a query URL's path."""
    if server == "virtuoso":
        root, auth = _virtuoso_root(path), "-auth" if authenticated else ""
        query = path or "/sparql"
        return query, f"{root}/sparql{auth}", f"{root}/sparql-graph-crud{auth}"
    if not path:
        return "/query", "/update", "/store"
    if path.endswith(("/query", "/sparql")):
        base = path.rsplit("/", 1)[0]
        return path, f"{base}/update", f"{base}/store"
    return path, path, path  # a dataset URL (Fuseki) serves all three


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 endpoint: where queries, updates and Graph Store requests go.

    ``graph`` is the named graph read and written (the URL's ``default-graph-uri``); None means
    the endpoint's default graph. ``server`` is the kind of server, if known (``SERVERS``).
    """

    query_url: str
    update_url: str
    store_url: str
    graph: str | None = None
    timeout: float = 60.0
    server: Server | None = None
    _session: dict[int, httpx.Client] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    @classmethod
    def from_url(cls, url: str, graph: str | None = None, server: Server | None = None) -> Endpoint:
        """From a query URL. Oxigraph (or no server named): ``.../query`` or ``.../sparql`` give
        ``/update`` and ``/store`` beside it, a bare host ``/query``, ``/update``, ``/store``, any
        other path serves all three (a Fuseki dataset URL). Virtuoso: ``/sparql`` for queries and
        updates, ``/sparql-graph-crud`` for the Graph Store (``/sparql-auth`` and
        ``/sparql-graph-crud-auth`` when credentials are set). ``KB_SPARQL_UPDATE_URL`` and
        ``KB_SPARQL_STORE_URL`` override the derived ones."""
        problem = iri_problem(url, schemes=("http", "https"))
        if problem is not None:
            raise UsageError(f"not an http(s) URL: {url[:80]!r} {problem}", record="endpoint")
        parts = urllib.parse.urlsplit(url)
        if not parts.hostname:
            raise UsageError(f"not an http(s) URL: {url[:80]!r} has no host", record="endpoint")
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
        token, user, _ = _credentials()
        query, update, store = _paths(parts.path.rstrip("/"), server, bool(token or user))
        root = f"{parts.scheme}://{parts.netloc}"
        with_rest = f"?{rest}" if rest else ""
        endpoint = cls(
            query_url=f"{root}{query}{with_rest}",
            update_url=endpoint_url("KB_SPARQL_UPDATE_URL") or f"{root}{update}",
            store_url=endpoint_url("KB_SPARQL_STORE_URL") or f"{root}{store}",
            graph=graph,
            timeout=sparql_timeout(),
            server=server,
        )
        endpoint.auth()  # fail early on credentials over plain http
        return endpoint

    def __post_init__(self) -> None:
        """The graph is an IRI (it goes into SPARQL Updates between ``<`` and ``>``)."""
        if self.graph is not None:
            check_iri(self.graph, "graph")

    def with_graph(self, graph: str | None) -> Endpoint:
        """The same endpoint reading and writing another graph."""
        return Endpoint(
            self.query_url, self.update_url, self.store_url, graph, self.timeout, self.server
        )

    def auth(self) -> _EnvAuth | None:
        """The authentication the environment asks for, if credentials are set."""
        token, user, password = _credentials()
        if not token and not user:
            return None
        parts = urllib.parse.urlsplit(self.query_url)
        if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
            raise UsageError(
                "credentials are sent only over https or to this machine; use an https URL",
                record="endpoint",
            )
        return _EnvAuth(token, user, password)

    def client(self) -> httpx.Client:
        """This process's HTTP session with the endpoint (kept alive across requests; a forked
        child opens its own)."""
        pid = os.getpid()
        if pid not in self._session:
            host = urllib.parse.urlsplit(self.query_url).hostname or ""
            self._session.clear()
            self._session[pid] = httpx.Client(
                auth=self.auth(),
                timeout=self.timeout,
                trust_env=not _is_loopback(host),  # no proxy for this machine
                follow_redirects=False,
            )
        return self._session[pid]

    def query(self, sparql: str, *, graph: bool = False) -> tuple[str, bytes, str]:
        """POST a query (SPARQL 1.1 Protocol, form-encoded): the answer's media type, body and
        the server's name (its ``Server`` header). ``graph``: a CONSTRUCT or DESCRIBE, whose
        answer is asked for as N-Triples (Virtuoso would send a JSON table if allowed)."""
        fields = [("query", sparql)]
        if self.graph:
            fields.append(("default-graph-uri", self.graph))
        accept = f"{RESULTS_JSON}, {NTRIPLES};q=0.9, text/turtle;q=0.8"
        if graph:
            accept = f"{NTRIPLES}, text/turtle;q=0.9"
        return self._send("POST", self.query_url, form=fields, accept=accept)

    def describe(self) -> tuple[str, bytes, str]:
        """GET the query URL for its SPARQL 1.1 Service Description (Turtle, where offered)."""
        return self._send("GET", self.query_url, accept="text/turtle", statuses=range(100, 600))

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """POST a SPARQL Update (form-encoded); ``timeout`` in seconds if not the endpoint's."""
        form = [("update", sparql)]
        self._send("POST", self.update_url, form=form, accept="*/*", timeout=timeout)

    def graph_store(
        self,
        method: str,
        data: bytes | Iterable[bytes],
        graph: str | None = None,
        *,
        bulk: bool = False,
    ) -> None:
        """A Graph Store Protocol request (PUT replaces, POST adds) of N-Triples on ``graph``
        (default: this endpoint's graph, else the default graph). An iterable of byte chunks
        is streamed (chunked transfer encoding): the body is never held whole. ``bulk``:
        Oxigraph's bulk loader (``no_transaction``): no transaction, bounded server memory."""
        graph = graph or self.graph
        joiner = "&" if "?" in self.store_url else "?"
        target = f"graph={urllib.parse.quote(graph, safe='')}" if graph else "default"
        url = f"{self.store_url}{joiner}{target}" + ("&no_transaction" if bulk else "")
        self._send(method, url, content=data, content_type=NTRIPLES, accept="*/*")

    def put_graph(self, data: NTriples) -> None:
        """Replace the graph with N-Triples in one Graph Store PUT."""
        self.graph_store("PUT", _read_all(data))

    def post_graph(self, data: NTriples) -> None:
        """Add N-Triples to the graph in one Graph Store POST."""
        self.graph_store("POST", _read_all(data))

    def _send(
        self,
        method: str,
        url: str,
        *,
        accept: str,
        form: list[tuple[str, str]] | None = None,
        content: bytes | Iterable[bytes] | None = None,
        content_type: str | None = None,
        statuses: range = range(200, 300),
        timeout: float | None = None,
    ) -> tuple[str, bytes, str]:
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        seconds = timeout or self.timeout
        try:
            with total_deadline(seconds):
                response = self._request(
                    method, url, headers=headers, form=form, content=content, seconds=seconds
                )
        except (httpx.TimeoutException, DeadlineExceeded):
            self._drop_session()
            raise UnreadableError(
                f"no complete answer from the SPARQL endpoint within {seconds:g} s; raise "
                "KB_SPARQL_TIMEOUT or check the server",
                path=url.split("?", 1)[0],
            ) from None
        except httpx.HTTPError as exc:
            raise UnreadableError(
                f"cannot reach the SPARQL endpoint: {exc or type(exc).__name__}; "
                "is the server running?",
                path=url.split("?", 1)[0],
            ) from None
        if response.status_code not in statuses:
            text = response.text
            if "<html" in text[:500].lower():  # Virtuoso's Graph Store wraps its errors in HTML
                text = re.sub(r"<head>.*?</head>|<[^>]+>", " ", text, flags=re.DOTALL | re.I)
            detail = [line for line in text.strip().splitlines() if line.strip()]
            raise _http_status_error(response.status_code, detail, url.split("?", 1)[0])
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        return media, response.content, response.headers.get("Server", "")

    def _request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        form: list[tuple[str, str]] | None,
        content: bytes | Iterable[bytes] | None,
        seconds: float,
    ) -> _Answer:
        """The request, its body read within ``seconds`` in all (httpx's timeout is per read:
        a server trickling a byte a second would never time out)."""
        deadline = time.monotonic() + seconds
        request = self.client().build_request(
            method, url, data=dict(form) if form else None, content=content, headers=headers
        )
        request.extensions["timeout"] = httpx.Timeout(seconds).as_dict()
        response = self.client().send(request, stream=True)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:
                    raise DeadlineExceeded
                if len(body) > MAX_ANSWER_BYTES:
                    raise UnreadableError(
                        f"the SPARQL endpoint's answer is larger than {MAX_ANSWER_BYTES >> 20} "
                        "MB; ask for fewer rows (LIMIT)",
                        path=url.split("?", 1)[0],
                    )
        finally:
            response.close()
        return _Answer(response.status_code, response.headers, bytes(body))

    def _drop_session(self) -> None:
        """Close and forget this process's session (a timed-out connection is not reused)."""
        client = self._session.pop(os.getpid(), None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()


@dataclass(frozen=True)
class _Answer:
    """An HTTP answer read whole (within the deadline)."""

    status_code: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        """The body as text (undecodable bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")


class HttpStatusError(UnreadableError):
    """An HTTP error status from the endpoint (unreadable, exit 2); keeps the status, so a
    push can choose its fallback."""

    def __init__(self, message: str, status: int, *, path: str | None = None) -> None:
        super().__init__(message, path=path)
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.status), {"path": self.path})


class _HttpRejectedError(HttpStatusError):
    """HTTP 400: the endpoint rejected our query as invalid (exit 1)."""

    exit_code: ClassVar[int] = EXIT_INVALID


def _http_status_error(status: int, detail: list[str], url: str) -> HttpStatusError:
    """The error for an HTTP error status."""
    first = " ".join(line.strip() for line in detail[:3] if line.strip())[:300]
    if status in (401, 403):
        return HttpStatusError(
            f"the endpoint refused access (HTTP {status}); set KB_SPARQL_TOKEN, or "
            "KB_SPARQL_USER and KB_SPARQL_PASSWORD, to credentials it accepts",
            status,
            path=url,
        )
    if status == 400:
        rejected = _HttpRejectedError(f"the endpoint rejected the request: {first}", status)
        rejected.record = "query"
        return rejected
    if "permission" in first.lower():  # Virtuoso: the SPARQL user may not update (HTTP 500)
        return HttpStatusError(
            f"the endpoint refused to write (HTTP {status}: {first}); give KB_SPARQL_USER and "
            "KB_SPARQL_PASSWORD of an account that may write (Virtuoso: its -auth endpoints)",
            status,
            path=url,
        )
    if "SR325" in first:  # Virtuoso: one transaction changed more than its after-image limit
        return HttpStatusError(
            f"the graph is too big for one transaction of this server (HTTP {status}: {first}); "
            "raise TransactionAfterImageLimit in [Parameters] of virtuoso.ini (Debian's is 50 MB)",
            status,
            path=url,
        )
    return HttpStatusError(f"HTTP {status} from the endpoint: {first}", status, path=url)


_RDF_MEDIA = ("application/n-triples", "text/turtle", "application/rdf+xml", "text/plain")


def results_json(media: str, body: bytes, url: str) -> dict[str, Any]:
    """A SPARQL JSON results document (SELECT or ASK), its shape checked; anything else (an
    HTML page, another JSON) is one line naming the endpoint (exit 2)."""
    where = url.split("?", 1)[0]
    if media not in (RESULTS_JSON, "application/json"):
        raise UnreadableError(
            f"the endpoint answered {media or 'with no content type'}, not SPARQL JSON results; "
            "is this the URL of a SPARQL endpoint?",
            path=where,
        )
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        answer = None
    if not _results_shape(answer):
        raise UnreadableError(
            "the endpoint's answer is not SPARQL JSON results (no head.vars and "
            "results.bindings, nor boolean); is this the URL of a SPARQL endpoint?",
            path=where,
        )
    assert isinstance(answer, dict)
    return answer


def _results_shape(answer: object) -> bool:
    if not isinstance(answer, dict):
        return False
    if "boolean" in answer:
        return isinstance(answer["boolean"], bool | int | str)
    head, results = answer.get("head"), answer.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        return False
    names, rows = head.get("vars", []), results.get("bindings")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return False
    if not isinstance(rows, list):
        return False
    return all(
        isinstance(row, dict)
        and all(
            isinstance(cell, dict)
            and isinstance(cell.get("type"), str)
            and isinstance(cell.get("value"), str)
            for cell in row.values()
        )
        for row in rows
    )


def is_rdf_media(media: str) -> bool:
    """Whether an answer's media type is an RDF syntax a CONSTRUCT answer may come in."""
    return media in _RDF_MEDIA


def _read_all(data: NTriples) -> bytes:
    if isinstance(data, Path):
        return data.read_bytes()
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, bytes):
        return data
    return data.read() or b""

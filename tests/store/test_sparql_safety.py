"""User SPARQL cannot write, reach the network or read local files; rows and time are capped."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from kb.errors import KbError
from kb.store.sparql_text import check_read_only, run_user_query
from tests.helpers import seed_kb

BASE = seed_kb()


@pytest.fixture
def listener() -> Iterator[tuple[int, list[int]]]:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    hits: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()


HOSTILE = [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "LOAD SILENT <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:g>",
    "INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "DELETE WHERE {{ ?s ?p ?o }}",
    "CLEAR ALL",
    "DROP DEFAULT",
    "SELECT * WHERE {{ ?s ?p ?o }} ; INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "DESCRIBE <http://127.0.0.1:{port}/x>",
]


@pytest.mark.parametrize("template", HOSTILE)
def test_hostile_query_opens_no_connection(template: str, listener: tuple[int, list[int]]) -> None:
    """Refused, or answered from the local store only: no connection reaches the listener."""
    port, hits = listener
    query = template.format(port=port)
    with contextlib.suppress(KbError):
        run_user_query(BASE.store, query, timeout=5)
    assert hits == []
    assert BASE.store.select("SELECT (COUNT(*) AS ?n) WHERE { <urn:a> ?p ?o }") == [{"n": 0}]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    ],
)
def test_local_files_cannot_be_read(query: str) -> None:
    """FROM / SERVICE naming a local file are refused before any engine sees them."""
    with pytest.raises(KbError):
        check_read_only(query)


def test_row_cap() -> None:
    """Results are cut at the row cap and say so."""
    result = run_user_query(BASE.store, "SELECT ?s WHERE { ?s ?p ?o }", limit=5, timeout=None)
    assert len(result.rows) == 5
    assert result.truncated


def test_time_limit_stops_a_runaway_query() -> None:
    """A cross product that would run for minutes is stopped at the time limit."""
    with pytest.raises(KbError, match="time limit"):
        run_user_query(
            BASE.store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            timeout=0.5,
        )


def test_store_unchanged_after_refused_update() -> None:
    """After every refused update the store still holds the same number of triples."""
    before = BASE.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for query in ("CLEAR ALL", "DELETE WHERE { ?s ?p ?o }", "DROP ALL"):
        with pytest.raises(KbError):
            run_user_query(BASE.store, query)
    assert BASE.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before

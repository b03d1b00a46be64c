"""`kb push` into local SPARQL servers, and every query through `--store sparql:URL`.

Two real servers on 127.0.0.1: Oxigraph server (PyPI `oxigraph`, fixture ``oxigraph_server``)
and Virtuoso (Debian `virtuoso-opensource`, fixture ``virtuoso_server``). Answers from each
endpoint must equal the embedded store's, CLI output byte for byte.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

import kb
from kb import queries
from kb.browse import search
from kb.cli import main
from kb.core.narrow import scoped
from kb.errors import KbError
from kb.evidence import profile
from kb.store.base import Value, with_values
from kb.store.http import Endpoint
from kb.store.push import VIRTUOSO_GRAPH
from kb.store.remote import SparqlStore
from scripts.servers import VIRTUOSO_CREDENTIALS, Server
from tests.helpers import WORKSHEET, copy_inputs

pytestmark = pytest.mark.server
NAMED = "https://example.org/kb/id/graph/test-named"


def _kb(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def _count(store: SparqlStore) -> int:
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(rows[0]["n"] or 0)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def pushed(request: pytest.FixtureRequest) -> str:
    """The seed pushed by `kb push --endpoint URL` (nothing else) into each server: Oxigraph's
    default graph, Virtuoso's kb graph (with its dba credentials); the store spec to query it."""
    if request.param == "oxigraph":
        url = f"{request.getfixturevalue('oxigraph_server')}/query"
        assert main(["push", "--endpoint", url]) == 0
        return f"sparql:{url}"
    server: Server = request.getfixturevalue("virtuoso_server")
    with pytest.MonkeyPatch.context() as env:
        for name, value in VIRTUOSO_CREDENTIALS.items():
            env.setenv(name, value)
        assert main(["push", "--endpoint", server.query_url]) == 0
    return f"sparql:{server.query_url}?default-graph-uri={quote(VIRTUOSO_GRAPH, safe='')}"


@pytest.fixture(scope="module")
def both(pushed: str) -> tuple[kb.KnowledgeBase, kb.KnowledgeBase]:
    """The embedded knowledge base and the same one read through the endpoint."""
    return kb.load(), kb.load(store=pushed)


CLI_CASES = [
    ["skills"],
    ["skills", "--format", "json"],
    *[["evidence", str(n), "--format", "json"] for n in range(1, 8)],
    ["evidence", "minimize-stressors"],
    ["profile"],
    ["profile", "--format", "json"],
    ["profile", "3"],
    ["gaps", "--format", "json"],
    ["search", "attachment"],
    ["search", "the", "--worksheet", WORKSHEET, "--offset", "2", "--limit", "3"],
    ["query", "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) ?s"],
    ["query", "ASK { ?s a kb:Skill }"],
    ["query", "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a kb:Skill ; rdfs:label ?l }"],
    [
        "query",
        "SELECT ?ref ?y WHERE { ?ref fabio:hasPublicationYear ?y } ORDER BY ?ref",
        "--format",
        "csv",
    ],
    ["report"],
    ["authors"],
    ["topics"],
]


@pytest.mark.parametrize("args", CLI_CASES, ids=[" ".join(a)[:60] for a in CLI_CASES])
def test_every_cli_query_answers_the_same_through_the_endpoint(
    pushed: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """Each CLI query prints exactly the same through --store sparql:URL as embedded."""
    code, embedded = _kb(capsys, *args)
    assert code == 0
    code, remote = _kb(capsys, "--store", pushed, *args)
    assert code == 0
    assert remote == embedded
    assert embedded.strip()


def _bound_variants(text: str, base: kb.KnowledgeBase) -> list[dict[str, Value]]:
    values: dict[str, list[Value]] = {
        "skill": [s.iri for s in base.skills],
        "q": ["attachment", "https://example", 'quote " and \\ backslash'],
        "worksheet": [WORKSHEET],
        "author": ["https://example.org/kb/id/agent/hazan-c"],
    }
    variants: list[dict[str, Value]] = [{}]
    for name, options in values.items():
        if re.search(rf"\?{name}\b", text):
            variants += [{name: v} for v in options]
    return variants


def _project_queries() -> list[tuple[str, str]]:
    """Every .rq file of kb/queries (the build check's own query aside: it reads build data)."""
    return [(name, text) for name, text in queries.project_queries().items()]


# Queries whose ORDER BY is total once their variable is bound: row order must match too.
ORDERED = {
    f"kb.queries.{q}"
    for q in (
        "SKILLS_TABLE",
        "EVIDENCE_FOR_SKILL",
        "WORKSHEETS",
        "TITLE_SEARCH",
        "TITLE_SEARCH_IN_WORKSHEET",
        "AUTHOR_NEIGHBOURHOOD",
        "AUTHOR_REFERENCES",
        "REFERENCE_TITLES",
    )
}


def test_every_project_query_answers_the_same_through_the_endpoint(
    both: tuple[kb.KnowledgeBase, kb.KnowledgeBase],
) -> None:
    """Every query the CLI and dashboard run gives equal rows on both stores, for each binding."""
    embedded, remote = both
    checked = 0
    for name, text in _project_queries():
        for bindings in _bound_variants(text, embedded):
            here = embedded.store.select(text, bindings)
            there = remote.store.select(text, bindings)
            assert sorted(map(repr, here)) == sorted(map(repr, there)), (name, bindings)
            if bindings:  # standard SPARQL 1.1 only, as any endpoint gets it
                plain = remote.store.select(with_values(text, bindings))
                assert sorted(map(repr, plain)) == sorted(map(repr, here)), (name, bindings)
            unbound_ok = name.endswith(("SKILLS_TABLE", "WORKSHEETS", "REFERENCE_TITLES"))
            if name in ORDERED and (bindings or unbound_ok):
                assert here == there, (name, bindings)
            checked += 1
    assert checked > 20


def test_profiles_and_gaps_agree_through_the_endpoint(
    both: tuple[kb.KnowledgeBase, kb.KnowledgeBase],
) -> None:
    """Evidence profiles, one skill's profile and the gaps are equal on both stores."""
    embedded, remote = both
    assert profile.profiles(remote) == profile.profiles(embedded)
    assert profile.profile(remote, 3) == profile.profile(embedded, 3)
    assert profile.gaps(remote) == profile.gaps(embedded)


def test_dashboard_scope_and_library_search_agree_through_the_endpoint(
    both: tuple[kb.KnowledgeBase, kb.KnowledgeBase],
) -> None:
    """One worksheet's base (kb.core.narrow) and the library index (kb.browse.search) are the same
    whether
    the knowledge base lives in the embedded store or behind the endpoint."""
    embedded, remote = both
    assert search.LibraryIndex.of(remote) == search.LibraryIndex.of(embedded)
    for sheet in embedded.worksheets[:3]:
        wid = sheet.worksheet.id
        here, there = scoped(embedded, wid), scoped(remote, wid)
        assert profile.profiles(there) == profile.profiles(here)
        assert there.references == here.references


def test_push_replaces_a_named_graph_in_one_request(
    oxigraph_server: str, synth10: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pushing twice into a named graph leaves only the second push; the default graph stays."""
    url = f"{oxigraph_server}/query"
    bib, data = str(synth10 / "references.bib"), str(synth10 / "data")
    assert main(["--bib", bib, "--data", data, "push", "--endpoint", url, "--graph", NAMED]) == 0
    named = SparqlStore(f"{url}?default-graph-uri={NAMED}")
    big = _count(named)
    assert main(["push", "--endpoint", url, "--graph", NAMED]) == 0
    printed = capsys.readouterr().out
    assert "query it with: kb --store 'sparql:" in printed
    seed = kb.load().store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert _count(named) == seed < big
    spec = re.findall(r"--store '(sparql:[^']+)'", printed)[-1]
    assert kb.load(store=spec).skills_table() == kb.load().skills_table()


def test_push_falls_back_to_update_without_a_graph_store(
    oxigraph_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the Graph Store answers 404, the same triples go in by SPARQL Update."""
    monkeypatch.setenv("KB_SPARQL_STORE_URL", f"{oxigraph_server}/no-graph-store-here")
    graph = f"{NAMED}-update"
    assert main(["push", "--endpoint", f"{oxigraph_server}/query", "--graph", graph]) == 0
    spec = f"sparql:{oxigraph_server}/query?default-graph-uri={graph}"
    assert kb.load(store=spec).skills_table() == kb.load().skills_table()


def test_one_worksheet_can_be_pushed_alone(
    oxigraph_server: str, synth10: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--worksheet pushes that worksheet only; the printed command queries it as pushed."""
    url = f"{oxigraph_server}/query"
    graph = f"{NAMED}-one"
    bib, data = str(synth10 / "references.bib"), str(synth10 / "data")
    args = ["--bib", bib, "--data", data, "push", "--endpoint", url, "--graph", graph]
    assert main([*args, "--worksheet", WORKSHEET]) == 0
    printed = capsys.readouterr().out
    assert "pushed 1 worksheet(s)" in printed
    assert f"--data {synth10 / 'data' / WORKSHEET}" in printed
    remote = kb.load(
        bib=bib, data=synth10 / "data" / WORKSHEET, store=f"sparql:{url}?default-graph-uri={graph}"
    )
    assert {r["worksheet"] for r in remote.skills_table()} == {WORKSHEET}
    assert main([*args, "--worksheet", "no-such-sheet"]) == 2  # a usage error, as everywhere


def test_a_stale_or_empty_endpoint_is_refused(
    pushed: str, oxigraph_server: str, tmp_path: Path
) -> None:
    """Querying an endpoint that holds other inputs, or nothing, fails and says to push."""
    inputs = copy_inputs(tmp_path)
    text = inputs.bib.read_text(encoding="utf-8")
    inputs.bib.write_text(text.replace("Romantic love", "Romantic hate"), encoding="utf-8")
    with pytest.raises(KbError, match=r"another build .* run `kb push"):
        kb.load(bib=inputs.bib, data=inputs.data, store=pushed)
    empty = f"sparql:{oxigraph_server}/query?default-graph-uri={NAMED}-never-pushed"
    with pytest.raises(KbError, match="holds no knowledge base"):
        kb.load(store=empty)


def test_endpoint_errors_are_one_line_with_an_exit_code(oxigraph_server: str) -> None:
    """A bad query is exit 1 with the server's reason; an unreachable server is exit 2."""
    store = SparqlStore(f"{oxigraph_server}/query")
    with pytest.raises(KbError, match="rejected") as bad:
        store.query("SELECT * WHERE { ?s ?p }")
    assert bad.value.exit_code == 1
    closed = SparqlStore("http://127.0.0.1:9/query")
    with pytest.raises(KbError, match="cannot reach") as down:
        closed.query("ASK {}")
    assert down.value.exit_code == 2


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []  # noqa: RUF012  (shared by the test on purpose)

    def do_POST(self) -> None:
        self.seen.append(dict(self.headers))
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Silent."""


@pytest.fixture
def recorder() -> Iterator[str]:
    """A tiny local HTTP endpoint that records request headers and answers ASK with true."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.seen.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_come_from_the_environment_only(
    recorder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A token or user/password in the environment becomes an Authorization header."""
    monkeypatch.setenv("KB_SPARQL_TOKEN", "s3cret")
    assert SparqlStore(recorder).query("ASK {}").boolean is True
    monkeypatch.delenv("KB_SPARQL_TOKEN")
    monkeypatch.setenv("KB_SPARQL_USER", "ann")
    monkeypatch.setenv("KB_SPARQL_PASSWORD", "pw")
    SparqlStore(recorder).query("ASK {}")
    auth = [h.get("Authorization") for h in _Recorder.seen]
    assert auth == ["Bearer s3cret", "Basic YW5uOnB3"]


def test_credentials_in_urls_or_over_plain_http_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """user:password@ in a URL is refused; set credentials never go to a remote http URL."""
    with pytest.raises(KbError, match="credentials in the URL"):
        Endpoint.from_url("http://ann:pw@127.0.0.1:7878/query")
    monkeypatch.setenv("KB_SPARQL_TOKEN", "s3cret")
    with pytest.raises(KbError, match="only over https"):
        Endpoint.from_url("http://sparql.example.org/query")
    assert Endpoint.from_url("https://sparql.example.org/query").auth() is not None


def test_endpoint_urls_are_derived_from_the_query_url() -> None:
    """/query gives Oxigraph's /update and /store; a dataset URL serves all three."""
    oxi = Endpoint.from_url("http://127.0.0.1:7878/query?default-graph-uri=urn:g")
    assert (oxi.update_url, oxi.store_url, oxi.graph) == (
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
        "urn:g",
    )
    fuseki = Endpoint.from_url("http://127.0.0.1:3030/ds")
    assert fuseki.query_url == fuseki.update_url == fuseki.store_url == "http://127.0.0.1:3030/ds"


def test_the_server_holds_what_was_pushed(pushed: str) -> None:
    """The pushed graph holds the seed's triples plus the ontology, and no staging graph is
    left behind."""
    remote = SparqlStore(pushed.removeprefix("sparql:"))
    embedded = kb.load().store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert _count(remote) == embedded[0]["n"]
    everywhere = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [r for r in everywhere if "push-staging" in str(r["g"])]

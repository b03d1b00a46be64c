"""`kb push` on real servers: discovery, credentials, bounded batches, and atomic replacement.

Each server runs on 127.0.0.1 from scripts/servers.py: Oxigraph server and Debian's Virtuoso.
The interruption tests start their own server (a temporary database), kill it or the pushing
client by PID half-way, and read the previous graph back whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kb
from kb.cli import main
from kb.paths import REPO_ROOT
from kb.store.push import VIRTUOSO_GRAPH, _batches, discover, staging_graph
from kb.store.remote import SparqlStore
from scripts.servers import VIRTUOSO_CREDENTIALS, Server, start_oxigraph, start_virtuoso

pytestmark = pytest.mark.server
GRAPH = "https://example.org/kb/id/graph/test-servers"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _spec(query_url: str, graph: str) -> str:
    return f"{query_url}?default-graph-uri={graph}"


def _count(query_url: str, graph: str) -> int:
    return int(SparqlStore(_spec(query_url, graph)).select(COUNT)[0]["n"] or 0)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """(kind, query URL) of each session server; Virtuoso's dba credentials in the environment."""
    if request.param == "oxigraph":
        return "oxigraph", f"{request.getfixturevalue('oxigraph_server')}/query"
    for name, value in VIRTUOSO_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    virtuoso: Server = request.getfixturevalue("virtuoso_server")
    return "virtuoso", virtuoso.query_url


def test_the_endpoint_says_what_server_it_is(oxigraph_server: str, virtuoso_server: Server) -> None:
    """Oxigraph is known by its Server header; Virtuoso by its header and its Service
    Description, which declares a union default graph (so a push needs a named graph)."""
    oxi = discover(f"{oxigraph_server}/query")
    assert (oxi.server, oxi.union_default_graph) == ("oxigraph", False)
    virtuoso = discover(virtuoso_server.query_url)
    assert (virtuoso.server, virtuoso.union_default_graph, virtuoso.described) == (
        "virtuoso",
        True,
        True,
    )


def test_batches_are_whole_lines_of_bounded_size() -> None:
    """Chunks are re-cut into batches of at most N whole lines, none lost or split."""
    chunks = [b"".join(b"<a> <b> %d .\n" % i for i in range(k, k + 7)) for k in range(0, 70, 7)]
    batches = list(_batches(chunks, 4))
    assert [n for _, n in batches] == [4] * 17 + [2]
    assert b"".join(data for data, _ in batches) == b"".join(chunks)
    assert all(data.endswith(b" .\n") for data, _ in batches)


@pytest.mark.parametrize("way", ["graph store", "update"])
def test_push_in_small_batches_reads_back_the_same(
    server: tuple[str, str],
    way: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A push in batches of 500 lines, by Graph Store or (no Graph Store) SPARQL Update, reads
    back as the embedded store; Virtuoso takes the Update batches it refused in one piece."""
    kind, url = server
    graph = f"{GRAPH}-{way.replace(' ', '-')}"
    if way == "update":
        monkeypatch.setenv("KB_SPARQL_STORE_URL", url.rsplit("/", 1)[0] + "/no-graph-store")
    args = ["push", "--endpoint", url, "--graph", graph, "--batch", "500"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert f"by {way}" in printed
    assert kb.load(store=f"sparql:{_spec(url, graph)}").skills_table() == kb.load().skills_table()
    assert _count(url, staging_graph(graph)) == 0, kind


def _kb(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kb", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    lines = [x for x in proc.stderr.splitlines() if not x.startswith("kb push: ")]
    assert proc.returncode == 2, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in lines[0]


def test_bad_endpoints_and_credentials_are_one_line(virtuoso_server: Server) -> None:
    """Unreachable, anonymous where writing needs an account, wrong password: exit 2 and one
    line naming the endpoint and what to do."""
    _one_line_error(
        _kb("push", "--endpoint", "http://127.0.0.1:9/sparql"),
        "http://127.0.0.1:9/sparql",
        "is the server running?",
    )
    anonymous = {"KB_SPARQL_USER": "", "KB_SPARQL_PASSWORD": ""}
    _one_line_error(
        _kb("push", "--endpoint", virtuoso_server.query_url, env=anonymous),
        virtuoso_server.query_url,
        "KB_SPARQL_USER",
    )
    wrong = {"KB_SPARQL_USER": "dba", "KB_SPARQL_PASSWORD": "not-the-password"}
    _one_line_error(
        _kb("push", "--endpoint", virtuoso_server.query_url, env=wrong),
        f"{virtuoso_server.base}/sparql-graph-crud-auth:",
        "refused access (HTTP 401)",
    )


def test_virtuoso_push_with_only_the_endpoint_and_credentials(
    virtuoso_server: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kb push --endpoint .../sparql` with dba credentials (HTTP Digest on /sparql-auth) lands
    in the kb graph, and the printed store spec reads it back as the embedded store."""
    for name, value in VIRTUOSO_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    assert main(["push", "--endpoint", virtuoso_server.query_url]) == 0
    printed = capsys.readouterr().out
    assert f"into graph <{VIRTUOSO_GRAPH}>" in printed
    spec = printed.split("--store '", 1)[1].split("'", 1)[0]
    monkeypatch.delenv("KB_SPARQL_USER")
    assert kb.load(store=spec).skills_table() == kb.load().skills_table()


def _pushing(push: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """`kb push` in a child process, returned once it has sent 20 batches (still running)."""
    client = subprocess.Popen(
        [sys.executable, "-m", "kb", *push],
        cwd=REPO_ROOT,
        env={**os.environ, **env, "KB_PROGRESS_SECONDS": "0"},  # a line per batch sent
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert client.stderr is not None
    sent = 0
    while sent < 20 and (line := client.stderr.readline()):
        sent += " sent, " in line
    assert client.poll() is None, "the push ended before it could be interrupted"
    return client


@pytest.fixture(params=["oxigraph", "virtuoso"])
def own_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A server of each kind for this test alone (temporary database), stopped by PID."""
    start = start_oxigraph if request.param == "oxigraph" else start_virtuoso
    with start(tmp_path / request.param) as server:
        yield server


@pytest.mark.parametrize("victim", ["server", "client"])
def test_an_interrupted_push_leaves_the_previous_graph_whole(
    own_server: Server, synth10: Path, victim: str
) -> None:
    """Killing the server (SIGKILL) or the pushing client half-way through a push of a bigger
    corpus leaves the graph exactly as the previous push left it; the next push succeeds."""
    url, env = own_server.query_url, dict(VIRTUOSO_CREDENTIALS)
    pushed = _kb("push", "--endpoint", url, "--graph", GRAPH, env=env)
    assert pushed.returncode == 0, pushed.stderr
    before = _count(url, GRAPH)
    bigger = ["--bib", str(synth10 / "references.bib"), "--data", str(synth10 / "data")]
    push = [*bigger, "push", "--endpoint", url, "--graph", GRAPH, "--batch", "100"]
    client = _pushing(push, env)
    if victim == "server":
        own_server.kill()
        _, err = client.communicate(timeout=60)
        assert client.returncode == 2, err
        assert "Traceback" not in err
        own_server.start()
    else:
        os.kill(client.pid, signal.SIGKILL)
        client.wait(timeout=30)
    assert _count(url, GRAPH) == before
    spec = f"sparql:{_spec(url, GRAPH)}"
    assert kb.load(store=spec).skills_table() == kb.load().skills_table()
    again = _kb(*push, env=env)
    assert again.returncode == 0, again.stderr
    assert _count(url, GRAPH) > before
    assert _count(url, staging_graph(GRAPH)) == 0


def test_push_from_a_persistent_store_sends_the_same_graph(
    server: tuple[str, str], synth10: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kb --store oxigraph:PATH push` streams the store's triples (the way to push a big
    library in bounded memory): the endpoint then holds what a push of the input files gives."""
    _, url = server
    inputs = ["--bib", str(synth10 / "references.bib"), "--data", str(synth10 / "data")]
    from_files, from_store = f"{GRAPH}-files", f"{GRAPH}-store"
    assert main([*inputs, "push", "--endpoint", url, "--graph", from_files]) == 0
    stored = ["--store", f"oxigraph:{tmp_path / 'store'}"]
    assert main([*inputs, *stored, "push", "--endpoint", url, "--graph", from_store]) == 0
    assert f"pushed the store {tmp_path / 'store'} (10 worksheet(s))" in capsys.readouterr().out
    files = SparqlStore(_spec(url, from_files))
    every = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert sorted(map(repr, SparqlStore(_spec(url, from_store)).select(every))) == sorted(
        map(repr, files.select(every))
    )
    remote = kb.load(bib=inputs[1], data=inputs[3], store=f"sparql:{_spec(url, from_store)}")
    assert remote.skills_table() == kb.load(bib=inputs[1], data=inputs[3]).skills_table()


def test_a_replacement_virtuoso_refuses_leaves_the_previous_graph(
    tmp_path: Path, synth10: Path
) -> None:
    """Where the final MOVE is more than one Virtuoso transaction may change (here a 500 KB
    after-image limit), the push fails in one line saying which setting to raise, and the
    previous graph is still whole: the MOVE was one transaction, rolled back."""
    env = dict(VIRTUOSO_CREDENTIALS)
    with start_virtuoso(tmp_path / "virtuoso", after_image=500_000) as server:
        url = server.query_url
        push = ["push", "--endpoint", url, "--graph", GRAPH, "--batch", "200"]
        assert _kb(*push, env=env).returncode == 0
        before = _count(url, GRAPH)
        bigger = ["--bib", str(synth10 / "references.bib"), "--data", str(synth10 / "data")]
        failed = _kb(*bigger, *push, env=env)
        _one_line_error(failed, f"{server.base}/sparql-auth:", "TransactionAfterImageLimit")
        assert _count(url, GRAPH) == before
        spec = f"sparql:{_spec(url, GRAPH)}"
        assert kb.load(store=spec).skills_table() == kb.load().skills_table()


def test_a_generic_server_gets_a_staging_graph_and_move(
    oxigraph_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--server generic` skips discovery and uses only standard requests (Graph Store POSTs
    into a staging graph, one SPARQL 1.1 MOVE); here against Oxigraph, read back the same."""
    url, graph = f"{oxigraph_server}/query", f"{GRAPH}-generic"
    assert main(["push", "--endpoint", url, "--graph", graph, "--server", "generic"]) == 0
    assert "by graph store, staging graph, MOVE" in capsys.readouterr().out
    assert kb.load(store=f"sparql:{_spec(url, graph)}").skills_table() == kb.load().skills_table()


def test_bulk_push_into_an_empty_oxigraph_graph_reads_back_the_same(
    oxigraph_server: str, synth10: Path
) -> None:
    """`--bulk` loads an empty graph of Oxigraph server with its bulk loader: the graph then
    answers as the embedded store does; a second `--bulk` into it is refused in one line, and
    the graph is untouched; other servers are told it is Oxigraph's."""
    url, graph = f"{oxigraph_server}/query", f"{GRAPH}-bulk"
    inputs = ["--bib", str(synth10 / "references.bib"), "--data", str(synth10 / "data")]
    pushed = _kb(*inputs, "push", "--endpoint", url, "--graph", graph, "--bulk", "--batch", "500")
    assert pushed.returncode == 0, pushed.stderr
    assert "bulk loader" in pushed.stdout
    remote = kb.load(bib=inputs[1], data=inputs[3], store=f"sparql:{_spec(url, graph)}")
    assert remote.skills_table() == kb.load(bib=inputs[1], data=inputs[3]).skills_table()
    before = _count(url, graph)
    again = _kb(*inputs, "push", "--endpoint", url, "--graph", graph, "--bulk")
    _one_line_error(again, "a bulk load goes into an empty graph only")
    assert _count(url, graph) == before
    other = ["--graph", f"{graph}-2", "--bulk", "--server", "generic"]
    generic = _kb("push", "--endpoint", url, *other)
    _one_line_error(generic, "bulk loading is Oxigraph server's own")


def test_an_interrupted_bulk_push_is_never_read_as_a_build(tmp_path: Path, synth10: Path) -> None:
    """Killing the client half-way through a bulk push leaves part of the triples but no build
    manifest: `--store sparql:` then says the endpoint holds no knowledge base."""
    with start_oxigraph(tmp_path / "oxigraph") as server:
        url = server.query_url
        inputs = ["--bib", str(synth10 / "references.bib"), "--data", str(synth10 / "data")]
        push = [*inputs, "push", "--endpoint", url, "--graph", GRAPH, "--bulk", "--batch", "100"]
        client = _pushing(push, {})
        os.kill(client.pid, signal.SIGKILL)
        client.wait(timeout=30)
        assert _count(url, GRAPH) > 0
        with pytest.raises(kb.KbError, match="holds no knowledge base"):
            kb.load(bib=inputs[1], data=inputs[3], store=f"sparql:{_spec(url, GRAPH)}")

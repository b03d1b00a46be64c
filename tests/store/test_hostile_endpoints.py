"""Endpoints that misbehave (tests/store/misbehaving_server.py on 127.0.0.1): a server that
trickles bytes hits the total deadline, an HTML or wrongly shaped answer is one line (exit 2),
and a push whose triple count does not read back fails loudly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import run_kb

SERVER = Path(__file__).with_name("misbehaving_server.py")
Serve = Callable[[str], tuple[str, Path]]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start the misbehaving server in a given mode; stopped by its PID after the test."""
    started: list[subprocess.Popen[str]] = []

    def start(mode: str) -> tuple[str, Path]:
        log = tmp_path / f"{mode}.log"
        proc = subprocess.Popen(
            [sys.executable, str(SERVER), mode, str(log)], stdout=subprocess.PIPE, text=True
        )
        started.append(proc)
        assert proc.stdout is not None
        port = proc.stdout.readline().strip()
        return f"http://127.0.0.1:{port}/query", log

    yield start
    for proc in started:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(10)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.strip().splitlines() if ln.startswith("kb: error")]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("mode", ["trickle", "trickle-headers"])
def test_trickling_server_hits_the_total_deadline(serve: Serve, mode: str) -> None:
    """A server sending one byte a second is cut off at KB_SPARQL_TIMEOUT in all (exit 2)."""
    url, _ = serve(mode)
    started = time.monotonic()
    result = run_kb("--store", f"sparql:{url}", "skills", env={"KB_SPARQL_TIMEOUT": "2"})
    took = time.monotonic() - started
    assert result.returncode == 2, result.stderr
    assert "within 2 s" in _one_line(result)
    assert took < 15, f"took {took:.1f} s"


@pytest.mark.parametrize(
    ("mode", "needle"), [("html", "text/html"), ("shape", "not SPARQL JSON results")]
)
def test_wrong_answer_is_one_line(serve: Serve, mode: str, needle: str) -> None:
    """An HTML page or JSON of the wrong shape is one line naming the endpoint, exit 2."""
    url, _ = serve(mode)
    result = run_kb("--store", f"sparql:{url}", "skills")
    assert result.returncode == 2, result.stderr
    line = _one_line(result)
    assert needle in line
    assert "127.0.0.1" in line


def test_push_fails_when_the_count_does_not_read_back(serve: Serve) -> None:
    """A server that accepts every write but holds fewer triples makes the push fail (exit 2)."""
    url, _ = serve("count")
    result = run_kb("push", "--endpoint", url, "--server", "generic")
    assert result.returncode == 2, result.stderr
    line = _one_line(result)
    assert "holds 0 triples" in line
    assert "were sent" in line
    assert "pushed" not in result.stdout


def test_push_to_an_html_server_is_not_a_success(serve: Serve) -> None:
    """A push to a server answering HTML pages never reports success."""
    url, _ = serve("html")
    result = run_kb("push", "--endpoint", url, "--server", "generic")
    assert result.returncode == 2, result.stderr
    _one_line(result)
    assert "pushed" not in result.stdout


def test_graph_injection_sends_nothing(serve: Serve) -> None:
    """A --graph that is not an IRI is refused before any request reaches the server."""
    url, log = serve("count")
    graph = "http://x.org/g> ; DROP ALL ; CREATE SILENT GRAPH <http://x.org/h"
    result = run_kb("push", "--endpoint", url, "--graph", graph)
    assert result.returncode == 2, result.stderr
    assert "--graph" in _one_line(result)
    assert not log.exists() or log.read_text(encoding="utf-8") == ""

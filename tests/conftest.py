"""Shared fixtures. Each fixture says what it starts and how it is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run of `make test` and in CI (`CI` set): a
# chance failure would block every submission. A failure prints its example, which is then kept
# as an ``@example``. A plain `pytest`, or HYPOTHESIS_PROFILE=explore, draws new examples each
# run, to find what the fixed ones would not.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
hypothesis_settings.register_profile("explore", print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "explore")
)

if TYPE_CHECKING:
    from scripts.servers import Server

OXIGRAPH_EXE = Path(sys.executable).parent / "oxigraph"

# `kb check` keeps the digests of its last run in a cache folder: the tests get their own (the
# processes they start inherit it), not the checkout's build/cache.
os.environ.setdefault("KB_CACHE_DIR", tempfile.mkdtemp(prefix="kb-test-cache-"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop one server by its PID: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1, a free port and its own temporary
    folder; yields its base URL (``/query``, ``/update``, ``/store``); stopped by PID."""
    if not OXIGRAPH_EXE.exists():
        pytest.fail(f"{OXIGRAPH_EXE} not found: install the `oxigraph` package")
    for _attempt in range(3):
        port = _free_port()
        folder = tmp_path_factory.mktemp("oxigraph")
        with (folder / "server.log").open("wb") as log:
            process = subprocess.Popen(
                [
                    str(OXIGRAPH_EXE),
                    "serve",
                    "--location",
                    str(folder / "store"),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while process.poll() is None and not _answers(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None and _answers(port):
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                _stop(process)
            return
        _stop(process)  # exited (port taken meanwhile?) or too slow: try another port
    pytest.fail("the Oxigraph server did not start on 127.0.0.1")


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Debian's Virtuoso on 127.0.0.1 (free HTTP and SQL ports) with a temporary database
    (scripts/servers.py writes its virtuoso.ini); writes need VIRTUOSO_CREDENTIALS; stopped by
    PID."""
    from scripts.servers import start_virtuoso, virtuoso_exe

    if virtuoso_exe() is None:
        pytest.fail("virtuoso-t not found: run scripts/install-browser (virtuoso-opensource)")
    with start_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def load_synth() -> ModuleType:
    """``scripts/synth.py``, the synthetic-corpus generator, as the module it is."""
    from scripts import synth

    return synth


@pytest.fixture(scope="session")
def synth10(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus at 10x the seed (seed 1): ``references.bib`` and ``data/``."""
    out = tmp_path_factory.mktemp("synth") / "x10"
    load_synth().generate(10, 1, out)
    return out


@pytest.fixture(scope="session")
def synth3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic library of three worksheets (the seed among them; scripts/synth.py, seed 1).
    Shared by the session: a test that changes it works on a copy."""
    out = tmp_path_factory.mktemp("synth") / "x3"
    load_synth().generate(3, 1, out)
    return out


@pytest.fixture
def many(synth3: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's inputs (env KB_BIB, KB_DATA) pointed at the three-worksheet library."""
    monkeypatch.setenv("KB_BIB", str(synth3 / "references.bib"))
    monkeypatch.setenv("KB_DATA", str(synth3 / "data"))
    return synth3

"""Local SPARQL servers for the tests and the benchmarks, one copy of how to run each.

Oxigraph server (PyPI ``oxigraph``, beside this Python) and Virtuoso (Debian
``virtuoso-opensource``, ``virtuoso-t``), each on 127.0.0.1, free ports and its own database
folder; started as child processes and stopped by their own PID. ``Server.restart()`` starts the
same server again on the same folder and ports (for tests that kill one mid-push).

Virtuoso's test database keeps its default ``dba``/``dba`` account: pushes use the ``-auth``
endpoints with those credentials (``VIRTUOSO_CREDENTIALS``); reads go to the anonymous
``/sparql``. ``ResultSetMaxRows`` is raised from Debian's 10,000 (answers beyond it are cut
silently), the query time limit from 60 s, and ``TransactionAfterImageLimit`` from 50 MB (one
``MOVE`` of a big graph is one transaction). ``MaxQueryCostEstimationTime`` is out of reach:
once other tests had pushed a few synthetic libraries into other graphs, Virtuoso's estimate for
the project's queries on the seed graph passed 3,600 s (up to 95,744 s) and it refused queries
that run in milliseconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "OXIGRAPH_EXE",
    "VIRTUOSO_CREDENTIALS",
    "Server",
    "free_port",
    "start_oxigraph",
    "start_virtuoso",
    "virtuoso_exe",
]

OXIGRAPH_EXE = Path(sys.executable).parent / "oxigraph"
VIRTUOSO_CREDENTIALS = {"KB_SPARQL_USER": "dba", "KB_SPARQL_PASSWORD": "dba"}
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 60
TransactionAfterImageLimit = {after_image}
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 3600
MaxQueryCostEstimationTime = 100000000
"""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def virtuoso_exe() -> Path | None:
    """Debian's Virtuoso server binary, if installed."""
    found = shutil.which("virtuoso-t")
    return Path(found) if found else None


def _answers(query_url: str) -> bool:
    request = urllib.request.Request(f"{query_url}?query=ASK%7B%7D")  # noqa: S310  (local)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class Server:
    """A running local SPARQL server: its kind, base URL, query URL and process."""

    kind: str
    command: list[str]
    folder: Path
    base: str
    query_url: str
    timeout: float = 60
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> Server:
        """Start the process and wait until it answers a query (fails after ``timeout``)."""
        with (self.folder / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if _answers(self.query_url):
                return self
            time.sleep(0.1)
        self.stop()
        log_tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{self.kind} did not answer {self.query_url}:\n{log_tail}")

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory so far (VmHWM), in MB."""
        if self.process is None:
            return 0.0
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def kill(self) -> None:
        """SIGKILL, by PID: the server dies mid-work, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM by PID, then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> Server:
        """Start again on the same database folder and ports."""
        self.stop()
        return self.start()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_oxigraph(folder: Path) -> Server:
    """``oxigraph serve`` on 127.0.0.1 with its store in ``folder``."""
    if not OXIGRAPH_EXE.exists():
        raise RuntimeError(f"{OXIGRAPH_EXE} not found: install the `oxigraph` package")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [str(OXIGRAPH_EXE), "serve", "--location", str(folder / "store"),
               "--bind", f"127.0.0.1:{port}"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    return Server("oxigraph", command, folder, base, f"{base}/query", timeout=15).start()


def start_virtuoso(
    folder: Path, *, buffers: int = 20_000, after_image: int = 2_000_000_000
) -> Server:
    """Debian's ``virtuoso-t`` in the foreground on 127.0.0.1 (HTTP and SQL ports), with a
    minimal ``virtuoso.ini`` and its database in ``folder``; ``buffers`` pages of 8 KB;
    ``after_image``: the bytes one transaction may change (Debian's 50 MB stops a ``MOVE``
    of a 1,000x library with error SR325)."""
    exe = virtuoso_exe()
    if exe is None:
        raise RuntimeError("virtuoso-t not found: run scripts/install-browser (Debian package)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=folder,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            after_image=after_image,
        ),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    command = [str(exe), "-f", "-c", str(ini)]
    return Server("virtuoso", command, folder, base, f"{base}/sparql", timeout=60).start()

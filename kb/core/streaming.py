"""The build of a large persistent store as one bounded stream of N-Triples, made in parallel.

Worker processes each turn a worksheet into N-Triples (parse, check, triples, text) and send
back bytes, not records; one more process reads the bib and sends its references' N-Triples
the same way, while the worksheets flow (the bib is no longer a wait before the first
worksheet). This process only checks what spans worksheets and the bib, and feeds the store.

The store holds a set: which of the bib's and worksheets' triples arrive first does not matter.
What does is kept: a topic's triples come from the first worksheet (in folder order) to list
it, and errors come out as the serial build raises them (the bib's first, then each worksheet
in folder order: its own, against the bib, against those before it).
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

from kb.errors import KbError
from kb.rdf.iris import reference_iri
from kb.rdf.triples import (
    Triple,
    iter_triples,
    reference_triples,
    topic_triples,
    worksheet_triples,
)
from kb.records.bib import load_bib
from kb.records.checks import check_appraisals, validate_against_bib
from kb.records.models import Reference, WorksheetData
from kb.records.worksheet import FILES, load_worksheet
from kb.store.ntriples import ntriples_chunks, ntriples_lines

__all__ = ["Checks", "can_fork", "fed_pool", "parallel_ntriples", "record_lines", "worker_count"]

# Worksheets made ahead of their use, at most (~0.4 MB of N-Triples each): without a bound, the
# workers made a 10,000x library faster than it was loaded and their output piled up (GBs).
LOOKAHEAD = 64


def worker_count() -> int:
    """Worksheet workers: one per core, at most 4."""
    return min(os.cpu_count() or 1, 4)


def can_fork() -> bool:
    """Fork only from a single-threaded process (a fork copies no other thread, so a lock one
    of them holds would stay locked); elsewhere (a Streamlit server) build in this process."""
    forkable = "fork" in multiprocessing.get_all_start_methods()
    return forkable and threading.active_count() == 1 and worker_count() >= 2


class Checks:
    """The checks that span worksheets and the bib, run on each worksheet in folder order:
    its references are in the bib, its appraisals agree with those before it, its id is new."""

    def __init__(self) -> None:
        self.seen: dict[str, Path] = {}
        self.appraised: dict[tuple[str, str], tuple[Path, object]] = {}

    def check(self, ws: WorksheetData, folder: Path, references: Any) -> None:
        """Raise KbError for the first problem; ``references``: the bib keys (``in`` only)."""
        validate_against_bib(ws, references, folder)
        check_appraisals(ws, folder, self.appraised)
        if ws.worksheet.id in self.seen:
            raise KbError(
                f"worksheet id '{ws.worksheet.id}' is also used by {self.seen[ws.worksheet.id]}",
                path=folder / FILES["worksheet"],
            )
        self.seen[ws.worksheet.id] = folder


def _ntriples(triples: Iterable[Triple]) -> bytes:
    """N-Triples, each line once (a worksheet names its curator on each of their links: the
    store keeps one, but parsing the rest cost the bulk load as much as new triples)."""
    return "".join(dict.fromkeys(ntriples_lines(triples))).encode()


def _reference_chunks(references: Iterable[Reference]) -> Iterator[bytes]:
    """The references' N-Triples in chunks, the lines of the nodes they share (authors,
    journals) once: half of our authors' lines were repeats (1,000x)."""
    shared: set[str] = set()
    batch: list[str] = []
    for ref in references:
        own = f"<{reference_iri(ref.key)}"
        for line in ntriples_lines(reference_triples(ref)):
            if not line.startswith(own):
                if line in shared:
                    continue
                shared.add(line)
            batch.append(line)
        if len(batch) >= CHUNK_LINES:
            yield "".join(batch).encode()
            batch.clear()
    yield "".join(batch).encode()


CHUNK_LINES = 20_000


# A worksheet as a worker sends it: its N-Triples, its topics' (id, N-Triples) and what the
# checks across worksheets read (its id, reference notes and findings).
Made = tuple[bytes, list[tuple[str, bytes]], WorksheetData]


def _make_worksheet(folder: Path) -> Made | KbError:
    """In a worker: one worksheet, parsed, checked on its own and turned into N-Triples."""
    try:
        ws = load_worksheet(folder)
    except KbError as exc:
        return exc  # errors pickle whole
    topics = [(t.id, _ntriples(topic_triples(t))) for t in ws.topics]
    empty: dict[str, Any] = {"text": "", "skills": [], "claims": [], "links": [], "topics": []}
    return _ntriples(worksheet_triples(ws)), topics, ws.model_copy(update=empty)


def _send_bib(bib_path: Path, conn: Connection) -> None:
    """In the bib process: the set of keys (what the worksheet checks wait for), then the
    references' N-Triples in chunks, each followed by its references' records
    (``record_lines``) for the store."""
    try:
        pending = collections.deque(load_bib(bib_path))
        conn.send(("keys", frozenset(ref.key for ref in pending)))
        records: list[str] = []

        def each_once() -> Iterator[Reference]:
            """Each reference, dropped once taken (10,000x: the process held 0.6 GB), its
            record put aside to go with the next chunk."""
            while pending:
                ref = pending.popleft()
                records.extend(record_lines([ref]))
                yield ref

        for chunk in _reference_chunks(each_once()):
            conn.send(("chunk", chunk))
            conn.send(("records", records[:]))
            records.clear()
        conn.send(("done", None))
    except KbError as exc:
        conn.send(("error", exc))
    except BaseException as exc:  # noqa: BLE001  (reported to the parent, which raises it)
        conn.send(("error", RuntimeError(f"reading the bib failed: {exc!r}")))
    finally:
        conn.close()


def record_lines(references: Iterable[Reference]) -> list[str]:
    """Each reference as the store keeps it (``OxigraphStore.keep_records``): JSON."""
    return [ref.model_dump_json() for ref in references]


class _Bib:
    """The bib process's output as it arrives: the keys (or its error), then chunks to load,
    then the records (added to ``records``)."""

    def __init__(self, conn: Connection, records: list[str]) -> None:
        self.conn = conn
        self.keys: frozenset[str] | None = None
        self.done = False
        self.records = records

    def ready(self, *, wait: bool = False) -> Iterator[bytes]:
        """The chunks sent so far (all of them with ``wait``); raises the bib's error."""
        while not self.done and (wait or self.conn.poll()):
            chunk = self._receive()
            if chunk is not None:
                yield chunk

    def wait_for_keys(self) -> None:
        """Block until the keys are in (the bib's error raised instead): they come first."""
        while self.keys is None:
            self._receive()

    def _receive(self) -> bytes | None:
        try:
            kind, value = self.conn.recv()
        except EOFError:
            raise RuntimeError("the bib reader stopped without an answer") from None
        if kind == "error":
            raise value
        if kind == "keys":
            self.keys = value
        elif kind == "records":
            self.records.extend(value)
        elif kind == "done":
            self.done = True
        else:
            return cast("bytes", value)
        return None


@contextlib.contextmanager
def fed_pool(
    function: Callable[[Path], Any], folders: list[Path], chunksize: int
) -> Iterator[tuple[Iterator[Any], threading.Semaphore]]:
    """``function`` over ``folders`` in forked workers, in order, at most LOOKAHEAD ahead of
    their use: release the semaphore once per result taken. On leaving, after an error too,
    the feeding stops and the workers finish what they hold and exit. Terminating them instead
    (``Pool.__exit__``) can kill one while it holds the result queue's lock, and the pool's
    task thread then waits for that lock forever: the test suite hung so once."""
    ahead = threading.Semaphore(LOOKAHEAD)
    stop = threading.Event()

    def fed() -> Iterator[Path]:  # runs in the pool's task thread: waits, never the caller
        for folder in folders:
            ahead.acquire()
            if stop.is_set():
                return
            yield folder

    pool = multiprocessing.get_context("fork").Pool(worker_count())
    try:
        yield pool.imap(function, fed(), chunksize=chunksize), ahead
    finally:
        stop.set()
        ahead.release()  # a feeder waiting for room wakes, sees the stop and ends
        pool.close()
        pool.join()


@contextlib.contextmanager
def parallel_ntriples(
    bib_path: Path, folders: list[Path], sources: list[Path], records: list[str]
) -> Iterator[Iterator[bytes]]:
    """The knowledge base's N-Triples (without the ontology) in chunks, made by worker
    processes; once they are all taken, ``records`` holds the references' records
    (``record_lines``). Call from a single-threaded process (``can_fork``); open the store
    inside."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    reader = context.Process(target=_send_bib, args=(bib_path, send), daemon=True)
    reader.start()
    send.close()  # before the pool forks: the reader's end is then the only one (EOF works)
    try:
        with fed_pool(_make_worksheet, folders, chunksize=4) as (made, ahead):
            yield _merged(_Bib(receive, records), made, ahead, folders, sources)
    finally:
        receive.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()


def _merged(
    bib: _Bib,
    made: Iterator[Made | KbError],
    ahead: threading.Semaphore,
    folders: list[Path],
    sources: list[Path],
) -> Iterator[bytes]:
    checks = Checks()
    waiting: list[tuple[Path, WorksheetData]] = []  # made before the bib's keys were known
    topics_done: set[str] = set()

    def check_waiting() -> None:
        for folder, ws in waiting:
            checks.check(ws, folder, bib.keys)
        waiting.clear()

    for folder, result in zip(folders, made, strict=True):
        ahead.release()
        yield from bib.ready()
        if isinstance(result, KbError):
            bib.wait_for_keys()  # the bib's error comes first
            check_waiting()
            raise result
        ntriples, topics, ws = result
        waiting.append((folder, ws))
        if bib.keys is not None:
            check_waiting()
            # the rest of the bib at once: its process (all references in memory) can end
            yield from bib.ready(wait=True)
        for tid, topic in topics:
            if tid not in topics_done:
                topics_done.add(tid)
                yield topic
        yield ntriples
    bib.wait_for_keys()
    check_waiting()
    yield from bib.ready(wait=True)
    yield from ntriples_chunks(iter_triples((), (), sources))

"""``kb check``'s units run: in worker processes forked with the job in memory, or here."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from array import array
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from kb.rdf.shacl import Engine, Violation, validate_ntriples
from kb.store.ntriples import ntriples_lines

__all__ = ["PARALLEL_FROM", "run_units"]

PARALLEL_FROM = 8  # stale units; below this, forking workers costs more than it saves
Progress = Callable[[int, int], None]


class _Job(Protocol):
    """What a worker reads of the check it runs for (``kb.checking.validate``'s job)."""

    engine: Engine

    def unit_triples(self, name: str) -> Iterator[Any]:
        """The triples of one unit, by its name."""
        ...


# Set before the workers fork; they read it (copy-on-write) instead of receiving it pickled.
_CURRENT: _Job | None = None


def _validate_unit(task: tuple[str, str]) -> tuple[tuple[str, str], tuple[list[Violation], bytes]]:
    """In a worker: one unit's violations, and the hashes of its triples."""
    job = _CURRENT
    assert job is not None
    lines = dict.fromkeys(ntriples_lines(job.unit_triples(task[0])))
    hashes = array("Q", (_hash64(line) for line in lines))
    report = validate_ntriples("".join(lines), engine=job.engine)
    return task, (report.violations, hashes.tobytes())


def _hash64(line: str) -> int:
    return int.from_bytes(hashlib.blake2b(line.encode(), digest_size=8).digest(), "little")


def run_units(
    job: _Job, stale: list[tuple[str, str]], progress: Progress | None
) -> dict[tuple[str, str], tuple[list[Violation], bytes]]:
    global _CURRENT  # noqa: PLW0603  (read by forked workers)
    _CURRENT = job
    results: dict[tuple[str, str], tuple[list[Violation], bytes]] = {}
    workers = min(os.cpu_count() or 1, 4)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    try:
        if (
            len(stale) < PARALLEL_FROM
            or workers < 2
            or not forkable
            or threading.active_count() > 1
        ):
            answers: Iterator[tuple[tuple[str, str], tuple[list[Violation], bytes]]] = map(
                _validate_unit, stale
            )
            for task, found in answers:
                results[task] = found
                if progress:
                    progress(len(results), len(stale))
            return results
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for task, found in pool.imap_unordered(_validate_unit, stale, chunksize=4):
                results[task] = found
                if progress:
                    progress(len(results), len(stale))
        return results
    finally:
        _CURRENT = None

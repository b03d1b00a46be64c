"""A total deadline for a block of blocking I/O (an HTTP request to an endpoint).

httpx's timeouts bound each read, not the request: a server that trickles a byte a second keeps
a client waiting forever. In the main thread (every CLI command, a forked worker) an interval
timer raises :class:`DeadlineExceeded` wherever the block is waiting; elsewhere (a dashboard
thread) the caller checks the clock between reads.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["DeadlineExceeded", "total_deadline"]


class DeadlineExceeded(Exception):  # noqa: N818 -- it is what happened, not an error kind
    """The block ran past its total deadline."""


def _raise(signum: int, frame: FrameType | None) -> None:
    raise DeadlineExceeded


@contextlib.contextmanager
def total_deadline(seconds: float) -> Iterator[None]:
    """Run the block; past ``seconds`` in all, raise DeadlineExceeded inside it (main thread
    only, and only when no other interval timer is running: that one is left alone)."""
    usable = threading.current_thread() is threading.main_thread()
    if usable:
        previous_timer = signal.getitimer(signal.ITIMER_REAL)
        usable = previous_timer == (0.0, 0.0)
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""Settings read from the environment, each checked in one place.

A bad value is a usage error naming the variable (exit 2), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kb.errors import UsageError
from kb.iri import iri_problem
from kb.paths import BUILD_DIR

__all__ = [
    "cache_dir",
    "endpoint_url",
    "progress_seconds",
    "query_memory_bytes",
    "source_date",
    "sparql_timeout",
    "store_cache",
]


def source_date() -> dt.date | None:
    """The date of ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC; the reproducible-builds
    convention) when it is set, else None."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds since 1970 "
            "(UTC); set it to one, such as the time of the last commit, or unset it",
            record="environment",
        )
    return dt.datetime.fromtimestamp(int(raw), tz=dt.UTC).date()


def _number(name: str, default: float, *, low: float, high: float, unit: str) -> float:
    """A number from the environment within [low, high], else a usage error naming it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # also refuses nan and inf
        raise UsageError(
            f"{name}={raw[:40]!r} is not a number of {unit} from {low:,.10g} to {high:,.10g}; "
            f"fix it or unset it (default {default:,.10g})",
            record="environment",
        )
    return value


def sparql_timeout() -> float:
    """``KB_SPARQL_TIMEOUT``: the total seconds one request to a SPARQL endpoint may take
    (default 60)."""
    return _number("KB_SPARQL_TIMEOUT", 60.0, low=0.1, high=86_400, unit="seconds")


def progress_seconds() -> float:
    """``KB_PROGRESS_SECONDS``: seconds between progress lines of long commands (default 2)."""
    return _number("KB_PROGRESS_SECONDS", 2.0, low=0, high=86_400, unit="seconds")


def query_memory_bytes() -> int:
    """``KB_QUERY_MEMORY_MB``: the address space a user query may use (default 2048 MB)."""
    return int(_number("KB_QUERY_MEMORY_MB", 2048, low=256, high=1_048_576, unit="MB") * 2**20)


def endpoint_url(name: str) -> str | None:
    """An endpoint URL from the environment (``KB_SPARQL_UPDATE_URL``, ``KB_SPARQL_STORE_URL``),
    checked by the one IRI validator; None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    problem = iri_problem(raw, schemes=("http", "https"))
    if problem is not None:
        raise UsageError(
            f"{name}={raw[:80]!r} is not an http(s) URL: {problem}", record="environment"
        )
    return raw


def cache_dir() -> Path:
    """``KB_CACHE_DIR``: the folder of what commands keep between runs (the default store's
    cache, ``kb check``'s digests); default ``build/cache`` in the checkout."""
    raw = os.environ.get("KB_CACHE_DIR", "")
    if not raw.strip():
        return BUILD_DIR / "cache"
    return Path(raw)


def store_cache() -> bool:
    """``KB_STORE_CACHE``: ``on`` (the default) answers the default ``memory`` store from a
    cached build of the same inputs; ``off`` builds it from the files every time."""
    raw = os.environ.get("KB_STORE_CACHE", "").strip().lower()
    if raw in ("", "on", "1", "yes"):
        return True
    if raw in ("off", "0", "no"):
        return False
    raise UsageError(
        f"KB_STORE_CACHE={raw[:40]!r} is neither on nor off; set one of them or unset it",
        record="environment",
    )

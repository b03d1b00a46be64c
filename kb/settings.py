"""Settings read from the environment, each checked in one place.

A bad value is a usage error naming the variable (exit 2), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os

from kb.errors import UsageError

__all__ = ["source_date"]


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

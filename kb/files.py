"""Small shared helpers: atomic writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kb.errors import UnreadableError

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise UnreadableError("output folder does not exist; create it first", path=folder)
    if path.is_dir():
        raise UnreadableError("output path is a directory", path=path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UnreadableError(f"cannot write here: {exc.strerror}", path=folder) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise

"""The only file I/O helpers: read an input file within limits, write atomically, lock a file.

Every input file (the bib, curated YAML, ``text.txt``, a query file, an import file, ``kb new``
text) is read by :func:`read_input`: a regular file only (a FIFO, a device or a directory is
refused before a byte is read; opened non-blocking so a FIFO cannot hang the open), a byte cap
enforced while reading (``st_size`` is never trusted: ``/dev/zero`` reports 0), and, given the
folder it belongs to, no symlink leading out of that folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kb.errors import UnreadableError, UsageError

__all__ = [
    "MAX_INPUT_BYTES",
    "file_sha256",
    "locked",
    "read_input",
    "read_input_bytes",
    "refuse_link_out",
    "refuse_overwriting",
    "write_atomic",
]

MAX_INPUT_BYTES = 50_000_000  # the bib, an import file (a 16k-entry bib is ~6 MB)
_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def _size(limit: int) -> str:
    return f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def read_input_bytes(
    path: Path, what: str = "file", *, limit: int = MAX_INPUT_BYTES, within: Path | None = None
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; with ``within``, a file whose
    real path lies inside that folder. Every refusal is a one-line UnreadableError (exit 2)."""
    path = Path(path)
    if within is not None:
        refuse_link_out(path, within, what)
    try:
        before = os.stat(path)  # noqa: PTH116 -- the raw stat, links followed
    except FileNotFoundError:
        raise UnreadableError(f"no such {what} (check the path)", path=path) from None
    except OSError as exc:
        raise UnreadableError(f"cannot read: {exc.strerror}", path=path) from None
    _refuse_kind(before.st_mode, path, what)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        _refuse_kind(os.fstat(fd).st_mode, path, what)  # what was opened, not what was named
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableError(
                    f"file too large (limit {_size(limit)}); split it or check the path", path=path
                )
        return b"".join(chunks)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
            raise UnreadableError(f"not a regular file; give a {what}", path=path) from None
        raise UnreadableError(f"cannot read: {exc.strerror}", path=path) from None
    finally:
        os.close(fd)


def read_input(
    path: Path, what: str = "file", *, limit: int = MAX_INPUT_BYTES, within: Path | None = None
) -> str:
    """A UTF-8 text input file, read by :func:`read_input_bytes`; not UTF-8 is exit 2."""
    data = read_input_bytes(path, what, limit=limit, within=within)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableError(
            f"not UTF-8 (byte {exc.start}); save the file as UTF-8", path=path
        ) from None


def file_sha256(path: Path, *, limit: int = MAX_INPUT_BYTES) -> str | None:
    """The SHA-256 of an input file read as :func:`read_input_bytes` reads it; None when it
    cannot be read (reading it for real then says why)."""
    try:
        return hashlib.sha256(read_input_bytes(path, limit=limit)).hexdigest()
    except UnreadableError:
        return None


def _refuse_kind(mode: int, path: Path, what: str) -> None:
    if stat.S_ISDIR(mode):
        raise UnreadableError(f"is a directory, expected a {what}", path=path)
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise UnreadableError(f"is {kind}, not a regular file; give a {what}", path=path)


def refuse_link_out(path: Path, within: Path, what: str = "file") -> None:
    """Refuse a path whose real location is outside the folder ``within`` (a symlink, or a
    link in its folders, leading out): exit 2 naming the link."""
    real = os.path.realpath(path)
    home = os.path.realpath(within)
    if os.path.commonpath([real, home]) != home:
        raise UnreadableError(
            f"is a link leading outside {Path(within).name or within}/; a {what} must be inside "
            "its folder (replace the link with the file itself)",
            path=path,
        )


def refuse_overwriting(out: Path, inputs: Iterable[Path], option: str = "-o") -> None:
    """Refuse an output path that is one of the knowledge base's input files (same inode, or
    same resolved path): no command writes over its own input."""
    out = Path(out)
    try:
        target = os.stat(out)  # noqa: PTH116
    except OSError:
        target = None
    real = os.path.realpath(out)
    for given in inputs:
        same = os.path.realpath(given) == real
        if not same and target is not None:
            with contextlib.suppress(OSError):
                other = os.stat(given)  # noqa: PTH116
                same = (other.st_dev, other.st_ino) == (target.st_dev, target.st_ino)
        if same:
            raise UsageError(
                f"{option} names an input of the knowledge base ({Path(given).name}); "
                "write to another file",
                path=out,
            )


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``.NAME.lock`` beside ``path`` while the block runs, so
    writers of one file take turns (the lock file stays; it is empty)."""
    path = Path(path)
    lock = path.parent / f".{path.name}.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise UnreadableError(f"cannot lock for writing: {exc.strerror}", path=lock) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


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

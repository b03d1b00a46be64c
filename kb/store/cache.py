"""The default store (``memory``) answered from a cache: the build of the very same inputs, kept
as N-Quads in the cache folder (``KB_CACHE_DIR``, default ``build/cache``) under a key made of
the digest of every input file, the ontology and the code that turns them into triples
(``kb.core.loader.input_digest``), with this format's version and Oxigraph's.

A command that only reads (``kb skills``, ``kb evidence 7``) then bulk-loads one file instead of
parsing the bib and the YAML (BENCHMARKS.md, ``scripts/bench_startup``). A changed input, or
changed build code, is another key: the store is built from the files, and that build cached.

The cache is read as an input that may be hostile: a regular file only (opened without following
a symlink), owned by this user and writable by no one else, under ``MAX_BYTES``; it must name
the key it was saved under (a file copied to another name is not used). Anything else is not
used; N-Quads that do not parse are removed. Either way the store is built from the files.
Entries are written atomically (``kb.files.write_atomic``, mode 0600); the newest ``KEEP`` stay.
``KB_STORE_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

import pyoxigraph as ox

from kb.errors import KbError
from kb.files import write_atomic
from kb.store.base import Store
from kb.store.oxigraph import OxigraphStore

__all__ = ["KEEP", "MAX_BYTES", "cache_key", "entry_path", "open_cached", "save"]

FORMAT = "kb-store-cache/1"
KEEP = 4  # entries: a checkout, a branch or two, a test data folder
MAX_BYTES = 256 * 2**20  # N-Quads; a corpus larger than this belongs in oxigraph:PATH
_KEY_META = "cache-key"
_OPEN_FLAGS = (
    os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
)


def cache_key(input_digest: str) -> str:
    """The cache key of a build of inputs with this digest."""
    text = f"{FORMAT}\npyoxigraph {ox.__version__}\n{input_digest}"
    return hashlib.sha256(text.encode()).hexdigest()


def entry_path(folder: Path, key: str) -> Path:
    """Where the build with this key is cached."""
    return folder / f"store-{key}.nq"


def open_cached(folder: Path, key: str, spec: str = "memory") -> Store | None:
    """The cached build with this key, in memory; None when there is none to trust."""
    path = entry_path(folder, key)
    data = _read_own(path)
    if data is None:
        return None
    try:
        kb_store = OxigraphStore.from_snapshot(data, spec)
    except KbError:
        _remove(path)
        return None
    if kb_store.meta(_KEY_META) != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # the newest entries are the ones kept
    return kb_store


def save(folder: Path, key: str, kb_store: Store) -> bool:
    """Cache a build under its key (atomically); False when it cannot be (not an embedded
    store, too large, or the folder not writable: the cache only ever saves time)."""
    if not isinstance(kb_store, OxigraphStore):
        return False
    kb_store.set_meta(_KEY_META, key)
    data = kb_store.snapshot()
    if len(data) > MAX_BYTES:
        return False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(entry_path(folder, key), data)
    except (OSError, KbError):
        return False
    _evict(folder)
    return True


def _read_own(path: Path) -> bytes | None:
    """The bytes of a regular file of this user's that no one else may write, at most
    MAX_BYTES; None for anything else (absent, a symlink, a FIFO, another owner's, too big)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            return None
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, MAX_BYTES + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_BYTES:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _evict(folder: Path) -> None:
    """Keep the newest KEEP entries."""
    entries = []
    for path in folder.glob("store-*.nq"):
        with contextlib.suppress(OSError):
            entries.append((path.lstat().st_mtime_ns, path))
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        _remove(path)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()

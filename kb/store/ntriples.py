"""Triples as N-Triples text and byte chunks, and a stream over chunks: what a bulk load, a check
and a push send, without the HTTP client (kept out of the start-up of every command)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

__all__ = ["ChunkReader", "ntriples_chunks", "ntriples_lines"]

_XSD_STRING = str(XSD.string)
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r]').search
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def ntriples_lines(triples: Iterable[tuple[URIRef, URIRef, URIRef | Literal]]) -> Iterator[str]:
    """One N-Triples line per triple (IRIs as minted by kb.rdf.triples; literals escaped)."""
    for s, p, o in triples:
        if isinstance(o, URIRef):
            yield f"<{s}> <{p}> <{o}> .\n"
            continue
        lexical = str.__str__(o)
        if _NEEDS_ESCAPE(lexical):
            lexical = lexical.translate(_ESCAPES)
        lang = o.language
        datatype = o.datatype
        if lang:
            yield f'<{s}> <{p}> "{lexical}"@{lang} .\n'
        elif datatype is None or datatype == _XSD_STRING:
            yield f'<{s}> <{p}> "{lexical}" .\n'
        else:
            yield f'<{s}> <{p}> "{lexical}"^^<{datatype}> .\n'


def ntriples_chunks(
    triples: Iterable[tuple[URIRef, URIRef, URIRef | Literal]], lines_per_chunk: int = 20_000
) -> Iterator[bytes]:
    """N-Triples as UTF-8 byte chunks of ``lines_per_chunk`` lines."""
    batch: list[str] = []
    for line in ntriples_lines(triples):
        batch.append(line)
        if len(batch) >= lines_per_chunk:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


class ChunkReader(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks (for bulk loads and uploads)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``target`` from the next chunks; 0 at the end."""
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

"""The embedded engine: Oxigraph, in memory or on disk (``memory``, ``oxigraph:PATH``).

Oxigraph is the embedded engine because rdflib orders triple patterns by bound-term count, not
cardinality (FIELD-NOTES). Oxigraph 0.5.13 has two blind spots of its own, handled in
``OxigraphStore.prepare``: substitutions hide the bound value from its join ordering, and an
OPTIONAL of four or more patterns is hash-joined against the whole store.
"""

from __future__ import annotations

import functools
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from kb.errors import KbError, UnreadableError, UsageError
from kb.store.base import (
    _LANG_STRING,
    _STRING,
    META_GRAPH,
    NTriples,
    QueryResult,
    Store,
    Value,
    _first_line,
    _tuned,
    _values_block,
    python_value,
    with_values,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["OxigraphStore", "open_oxigraph"]


class OxigraphStore(Store):
    """An Oxigraph store, in memory or on disk, holding the knowledge base in its default graph.

    ``inner`` is the pyoxigraph store itself (what the benchmarks call directly as the floor).
    """

    buildable = True

    def __init__(self, inner: ox.Store, spec: str, *, read_only: bool = False) -> None:
        self.inner = inner
        self.spec = spec
        self.read_only = read_only

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Value] | None = None,
        *,
        limit: int | None = None,
        tuned: bool = False,
    ) -> QueryResult:
        """Run any read query: bindings as inline VALUES; project queries also tuned for
        Oxigraph (``prepare``); a user's query runs as written."""
        if tuned:
            text = self.prepare(sparql, bindings)
        else:
            text = with_values(sparql, bindings) if bindings else sparql
        try:
            return _collect(self.inner.query(text), limit)
        except SyntaxError as exc:
            raise KbError(f"SPARQL syntax error: {_first_line(exc)}", record="query") from None
        except OSError as exc:
            raise UnreadableError(f"store error: {_first_line(exc)}", record="query") from None

    @staticmethod
    def prepare(sparql: str, bindings: Mapping[str, Value] | None = None) -> str:
        """The text Oxigraph runs: bindings as inline VALUES, each OPTIONAL made ``LATERAL``.

        Measured on Oxigraph 0.5.13 (1,000x corpus): with pyoxigraph substitutions the
        optimizer does not see the bound value (a per-skill query: 760 ms, 0.3 ms as VALUES);
        an OPTIONAL of four or more patterns is hash-joined against the whole store (2 s; 1 ms
        evaluated per row); the skills table over all worksheets took 7 s at 100x, 27 ms
        laterally. Answers are identical (tests compare every project query both ways).
        """
        text, at = _tuned(sparql)
        return f"{text[:at]} {_values_block(bindings)}{text[at:]}" if bindings else text

    def load_ntriples(self, data: NTriples) -> None:
        """Replace the default graph with N-Triples, bulk-loaded."""
        self._writable()
        self.inner.clear_graph(ox.DefaultGraph())
        self.add_ntriples(data)

    def add_ntriples(self, data: NTriples) -> None:
        """Bulk-load N-Triples into the default graph."""
        self._writable()
        fmt = ox.RdfFormat.N_TRIPLES
        try:
            if isinstance(data, Path):
                self.inner.bulk_load(path=str(data), format=fmt)
            else:
                self.inner.bulk_load(cast("IO[bytes] | bytes | str", data), format=fmt)
        except SyntaxError as exc:
            raise KbError(f"bad N-Triples: {_first_line(exc)}", record="load") from None

    def load_chunks(self, chunks: Iterable[bytes]) -> None:
        """Replace the default graph with N-Triples chunks, bulk-loaded in batches of about
        BATCH_BYTES. A thread produces the batches while Oxigraph loads the previous one (it
        parses without the GIL); two batches wait at most. One bulk load of the whole input
        peaked at 1.44 GB at 1,000x (Oxigraph sorts a whole load in memory); in batches: 0.33 GB,
        same time (BENCHMARKS.md)."""
        self._writable()
        self.inner.clear_graph(ox.DefaultGraph())
        batches: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        failures: list[BaseException] = []
        stop = threading.Event()

        def produce() -> None:
            try:
                batch: list[bytes] = []
                size = 0
                for chunk in chunks:
                    if stop.is_set():  # the loader failed: stop reading the inputs
                        return
                    batch.append(chunk)
                    size += len(chunk)
                    if size >= BATCH_BYTES:
                        _put(batches, b"".join(batch), stop)
                        batch, size = [], 0
                if batch:
                    _put(batches, b"".join(batch), stop)
            except BaseException as exc:  # noqa: BLE001  (re-raised below, in the caller)
                failures.append(exc)
            finally:
                _put(batches, None, stop)

        thread = threading.Thread(target=produce, name="kb-ntriples", daemon=True)
        thread.start()
        try:
            while (batch := batches.get()) is not None:
                self.add_ntriples(batch)
        finally:
            stop.set()
            thread.join()
        if failures:
            raise failures[0]

    def meta(self, key: str) -> str | None:
        """A value from the store's bookkeeping graph (build digest)."""
        for quad in self.inner.quads_for_pattern(*_meta_pattern(key)):
            return quad.object.value if isinstance(quad.object, ox.Literal) else None
        return None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a value of the store's bookkeeping graph (outside the default graph)."""
        self._forget(key)
        if value is not None:
            subject, predicate, _, graph = _meta_pattern(key)
            self.inner.add(ox.Quad(subject, predicate, ox.Literal(value), graph))
        self.inner.flush()

    def keep_records(self, kind: str, records: Iterable[str]) -> None:
        """Keep records (JSON texts, in their order) beside the data, replacing those kept
        before: a reopened store then answers from them without reading the files they came
        from. Each is stored as ``position<TAB>record`` (a graph holds a set, not a list)."""
        self._forget(f"record-{kind}")
        subject, predicate, _, graph = _meta_pattern(f"record-{kind}")
        count = 0

        def quads() -> Iterator[ox.Quad]:
            nonlocal count
            for record in records:
                yield ox.Quad(subject, predicate, ox.Literal(f"{count}\t{record}"), graph)
                count += 1

        self.inner.bulk_extend(quads())
        self.set_meta(f"records-{kind}", str(count))

    def kept_records(self, kind: str) -> list[str] | None:
        """The records ``keep_records`` kept, in their order, or None if none were."""
        if self.meta(f"records-{kind}") is None:
            return None
        quads = self.inner.quads_for_pattern(*_meta_pattern(f"record-{kind}"))
        numbered = (cast("ox.Literal", q.object).value.partition("\t") for q in quads)
        return [record for _, _, record in sorted(numbered, key=lambda n: int(n[0]))]

    def compact(self) -> None:
        """Optimise the on-disk layout (a reader opened beside it must not lose files)."""
        self.inner.optimize()

    def graph_view(self, ontology: Iterable[tuple[Any, Any, Any]]) -> Graph:
        """An rdflib Graph over this store's default graph, the ontology's triples hidden
        (``kb.store.graph_view``)."""
        from kb.store.graph_view import store_graph

        return store_graph(self.inner, ontology)

    def dump_ntriples(self, lines_per_chunk: int = 20_000) -> Iterator[bytes]:
        """The default graph as N-Triples chunks, read quad by quad (never the whole graph in
        memory)."""
        batch: list[str] = []
        for quad in self.inner.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            batch.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
            if len(batch) >= lines_per_chunk:
                yield "".join(batch).encode("utf-8")
                batch.clear()
        if batch:
            yield "".join(batch).encode("utf-8")

    def snapshot(self) -> bytes:
        """Every graph of the store (the data, and the bookkeeping graph with its kept records
        and views) as N-Quads: what ``from_snapshot`` loads back as it was."""
        return bytes(self.inner.dump(format=ox.RdfFormat.N_QUADS) or b"")

    @classmethod
    def from_snapshot(cls, data: bytes, spec: str) -> OxigraphStore:
        """A store in memory holding a ``snapshot``, bulk-loaded; bad N-Quads raise KbError."""
        inner = ox.Store()
        try:
            inner.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:
            raise KbError(f"bad N-Quads: {_first_line(exc)}", record="load") from None
        return cls(inner, spec)

    def _forget(self, key: str) -> None:
        self._writable()
        for quad in list(self.inner.quads_for_pattern(*_meta_pattern(key))):
            self.inner.remove(quad)

    def _writable(self) -> None:
        if self.read_only:
            raise UsageError("store opened read-only", record=self.spec)


def _meta_pattern(key: str) -> tuple[ox.NamedNode, ox.NamedNode, None, ox.NamedNode]:
    """Subject, predicate, any object and graph of one key of the bookkeeping graph."""
    graph = ox.NamedNode(META_GRAPH)
    return ox.NamedNode(f"{META_GRAPH}#store"), ox.NamedNode(f"{META_GRAPH}#{key}"), None, graph


BATCH_BYTES = 16_000_000  # N-Triples per bulk load: ~80k triples of ours


def _put(batches: queue.Queue[bytes | None], item: bytes | None, stop: threading.Event) -> None:
    """Hand a batch to the loader, giving up if the loader has stopped (it failed)."""
    while not stop.is_set():
        try:
            batches.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


def _collect(answer: Any, limit: int | None) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[dict[str, Value]] = []
        truncated = False
        for solution in answer:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append(dict(zip(names, map(_cell, solution), strict=True)))
        return QueryResult(kind="select", variables=names, rows=rows, truncated=truncated)
    triples: list[str] = []
    truncated = False
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            truncated = True
            break
        triples.append(f"{triple.subject} {triple.predicate} {triple.object} .")
    return QueryResult(kind="graph", ntriples="\n".join(triples) + "\n", truncated=truncated)


_CONVERTERS: dict[Any, Callable[[str], Value] | None] = {}


def _cell(term: Any) -> Value:
    """One answer cell as a Python value (the same rule as ``python_value``, memoised per
    datatype: the conversion is most of our overhead over pyoxigraph on big answers)."""
    if term is None:
        return None
    if type(term) is not ox.Literal:
        return str(term.value)
    datatype = term.datatype
    convert = _CONVERTERS.get(datatype, _MISSING)
    if convert is _MISSING:
        kind = datatype.value
        convert = None if kind in (_STRING, _LANG_STRING) else functools.partial(_typed, kind)
        _CONVERTERS[datatype] = convert
    return term.value if convert is None else convert(term.value)


def _typed(datatype: str, lexical: str) -> Value:
    return python_value(lexical, datatype)


_MISSING: Any = object()


def _open_read_only(path: Path) -> ox.Store:
    """Open read-only beside a live writer. RocksDB may delete a file the reader just listed
    (background compaction): "Corruption ... No such file". That is transient; retry briefly."""
    for attempt in range(6):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # pyoxigraph raises either for it
            if "No such file" not in str(exc) or attempt == 5:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def open_oxigraph(path: Path, spec: str, *, read_only: bool) -> OxigraphStore:
    """Open a persistent Oxigraph store (read-only beside a live writer)."""
    try:
        if read_only:
            return OxigraphStore(_open_read_only(path), spec, read_only=True)
        return OxigraphStore(ox.Store(str(path)), spec)
    except (OSError, RuntimeError) as exc:  # RocksDB's "Corruption" comes as RuntimeError
        reason = _first_line(exc)
        held = "lock" in reason
        hint = "; another process holds it (close it or use another PATH)" if held else ""
        raise UnreadableError(f"cannot open Oxigraph store: {reason}{hint}", path=path) from None

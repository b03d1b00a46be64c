"""Where the knowledge base is queried: the one place the store is chosen.

``open_store(spec)`` understands ``memory`` (embedded Oxigraph, the default), ``oxigraph:PATH``
(persistent Oxigraph on disk) and ``sparql:URL`` (any SPARQL 1.1 endpoint; HTTP in
``kb.push``). Every query of the project goes through ``Store.select`` / ``Store.query`` with
user values passed as bindings, never spliced into the text: each becomes an escaped RDF term
in an inline ``VALUES`` block at the head of the WHERE group, on every store, and every store
turns answers into the same Python values (int for integer types, bool, float, str).

Oxigraph is the embedded engine because rdflib orders triple patterns by bound-term count, not
cardinality (FIELD-NOTES). Oxigraph 0.5.13 has two blind spots of its own, handled in
``OxigraphStore.prepare``: substitutions hide the bound value from its join ordering, and an
OPTIONAL of four or more patterns is hash-joined against the whole store.
"""

from __future__ import annotations

import abc
import functools
import io
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kb.errors import EXIT_UNREADABLE, KbError
from kb.namespaces import ID_BASE, PREFIXES

__all__ = [
    "META_GRAPH",
    "NTriples",
    "OxigraphStore",
    "QueryResult",
    "Store",
    "Value",
    "bound_term",
    "lateral_optionals",
    "open_store",
    "python_value",
    "sparql_prefixes",
    "sparql_term",
    "where_brace",
    "with_values",
]

Value = str | int | float | bool | None
NTriples = bytes | str | Path | IO[bytes] | io.RawIOBase
META_GRAPH = f"{ID_BASE}graph/store-meta"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = f"{_XSD}string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INT_TYPES = frozenset(
    f"{_XSD}{t}"
    for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger", "short", "gYear")
)
_FLOAT_TYPES = frozenset(f"{_XSD}{t}" for t in ("decimal", "double", "float"))
_BOOLEAN = f"{_XSD}boolean"


@functools.cache
def sparql_prefixes() -> str:
    """PREFIX lines for our vocabulary and the standard ones, for queries we write."""
    std = {
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": _XSD,
        "dcterms": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "prov": "http://www.w3.org/ns/prov#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
    }
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {**std, **PREFIXES}.items())


@dataclass
class QueryResult:
    """A query's answer: rows for SELECT, a boolean for ASK, N-Triples text for CONSTRUCT."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: str = ""
    truncated: bool = False


def python_value(lexical: str, datatype: str | None) -> Value:
    """A literal's Python value: int for integer types and gYear, float, bool, else the text."""
    if datatype is None or datatype in (_STRING, _LANG_STRING):
        return lexical
    if datatype in _INT_TYPES:
        try:
            return int(lexical)
        except ValueError:
            return lexical
    if datatype in _FLOAT_TYPES:
        try:
            return float(lexical)
        except ValueError:
            return lexical
    if datatype == _BOOLEAN:
        return lexical in ("true", "1")
    return lexical


def bound_term(value: Value) -> ox.NamedNode | ox.Literal:
    """The RDF term a bound value stands for (the same rule on every store)."""
    if value is None:
        raise KbError("a bound value may not be None", record="query")
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_BOOLEAN))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(f"{_XSD}double"))
    if value.startswith(("http://", "https://", "urn:")):
        try:
            return ox.NamedNode(value)
        except ValueError:
            raise KbError(f"not a valid IRI: {value[:80]!r}", record="query") from None
    return ox.Literal(value)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Store(abc.ABC):
    """What every store offers: read queries with bound values, and whole-graph loads."""

    spec: str

    def select(
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Value]]:
        """Run a SELECT written by the project (prefixes added); rows as plain values."""
        return self.query(sparql_prefixes() + sparql, bindings, limit=limit, tuned=True).rows

    def select_page(
        self,
        sparql: str,
        bindings: Mapping[str, Value] | None = None,
        *,
        offset: int = 0,
        size: int = 50,
    ) -> tuple[list[dict[str, Value]], bool]:
        """One page of a project SELECT (which must have no LIMIT of its own) and whether
        more rows follow. Offset and size are integers, never text from the user."""
        offset, size = int(offset), int(size)
        if offset < 0 or size < 1:
            raise KbError("page offset must be >= 0 and size >= 1", record="query")
        rows = self.select(f"{sparql}\nLIMIT {size + 1} OFFSET {offset}", bindings)
        return rows[:size], len(rows) > size

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Value] | None = None,
        *,
        limit: int | None = None,
        tuned: bool = False,
    ) -> QueryResult:
        """Run any read query; user values go in ``bindings``, never into the text.
        ``tuned``: a project query (``select``), which may be rewritten for the engine."""

    @abc.abstractmethod
    def load_ntriples(self, data: NTriples) -> None:
        """Replace the store's graph with N-Triples (bytes, text, a file or a binary stream)."""

    @abc.abstractmethod
    def add_ntriples(self, data: NTriples) -> None:
        """Add N-Triples to the store's graph."""

    def is_empty(self) -> bool:
        """True if the store's graph holds no triple."""
        return not self.query("ASK { ?s ?p ?o }").boolean

    def meta(self, key: str) -> str | None:
        """A bookkeeping value stored beside the data (None if absent or unsupported)."""
        del key
        return None

    def set_meta(self, key: str, value: str | None) -> None:
        """Record (or with None, forget) a bookkeeping value beside the data."""
        del key, value


class OxigraphStore(Store):
    """An Oxigraph store, in memory or on disk, holding the knowledge base in its default graph.

    ``inner`` is the pyoxigraph store itself (what the benchmarks call directly as the floor).
    """

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
            raise KbError(
                f"store error: {_first_line(exc)}", record="query", exit_code=EXIT_UNREADABLE
            ) from None

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
        """Replace the default graph with N-Triples chunks. A thread writes them into a pipe
        that Oxigraph parses from the other end, so building and indexing share the cores."""
        self._writable()
        self.inner.clear_graph(ox.DefaultGraph())
        read_end, write_end = os.pipe()
        failures: list[BaseException] = []

        def produce() -> None:
            try:
                with os.fdopen(write_end, "wb") as pipe:
                    for chunk in chunks:
                        pipe.write(chunk)
            except BaseException as exc:  # noqa: BLE001  (re-raised below, in the caller)
                failures.append(exc)

        thread = threading.Thread(target=produce, name="kb-ntriples", daemon=True)
        thread.start()
        try:
            with os.fdopen(read_end, "rb") as source:
                if Path(f"/dev/fd/{read_end}").exists():
                    self.add_ntriples(Path(f"/dev/fd/{read_end}"))  # read without the GIL
                else:
                    self.add_ntriples(source)
        finally:
            thread.join()
        if failures and not isinstance(failures[0], BrokenPipeError):
            raise failures[0]

    def meta(self, key: str) -> str | None:
        """A value from the store's bookkeeping graph (build digest)."""
        quads = self.inner.quads_for_pattern(
            ox.NamedNode(f"{META_GRAPH}#store"),
            ox.NamedNode(f"{META_GRAPH}#{key}"),
            None,
            ox.NamedNode(META_GRAPH),
        )
        for quad in quads:
            return quad.object.value if isinstance(quad.object, ox.Literal) else None
        return None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set a value of the store's bookkeeping graph (outside the default graph)."""
        self._writable()
        subject = ox.NamedNode(f"{META_GRAPH}#store")
        predicate = ox.NamedNode(f"{META_GRAPH}#{key}")
        graph = ox.NamedNode(META_GRAPH)
        for quad in list(self.inner.quads_for_pattern(subject, predicate, None, graph)):
            self.inner.remove(quad)
        if value is not None:
            self.inner.add(ox.Quad(subject, predicate, ox.Literal(value), graph))
        self.inner.flush()

    def _writable(self) -> None:
        if self.read_only:
            raise KbError("store opened read-only", record=self.spec, exit_code=EXIT_UNREADABLE)


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


_SPARQL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3} | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
                  | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_]+) | (?P<word>[A-Za-z]+)
      | (?P<open>\{) | (?P<close>\}) | (?P<space>\s+) | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def sparql_term(value: Value) -> str:
    """A bound value as SPARQL text: the store's RDF term, escaped (IRIs validated)."""
    term = bound_term(value)
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    text = term.value.translate(_SPARQL_ESCAPES)
    if term.language:
        return f'"{text}"@{term.language}'
    datatype = term.datatype.value
    return f'"{text}"' if datatype == _STRING else f'"{text}"^^<{datatype}>'


def where_brace(sparql: str) -> int:
    """Offset of the brace that opens the query's WHERE group (past a CONSTRUCT template)."""
    form: str | None = None
    previous, depth, in_template = "", 0, False
    for match in _TOKENS.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind in ("comment", "space"):
            continue
        if kind == "open":
            if depth == 0 and form == "CONSTRUCT" and previous == "CONSTRUCT":
                in_template = True
            elif depth == 0 and form is not None and not in_template:
                return match.start()
            depth += 1
        elif kind == "close":
            depth -= 1
            in_template = in_template and depth > 0
        elif kind == "word" and form is None and text.upper() in _FORMS:
            form = text.upper()
        previous = text.upper()
    raise KbError("no WHERE group to bind values in", record="query")


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def with_values(sparql: str, bindings: Mapping[str, Value]) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` opening its WHERE group."""
    block = _values_block(bindings)
    at = where_brace(sparql) + 1
    return f"{sparql[:at]} {block}{sparql[at:]}"


def _values_block(bindings: Mapping[str, Value]) -> str:
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise KbError(f"not a variable name: {name!r}", record="query")
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(sparql_term(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


@functools.lru_cache(maxsize=512)
def _tuned(sparql: str) -> tuple[str, int]:
    """A project query rewritten for Oxigraph, and where its WHERE group's body starts (both
    depend on the text alone: the project's queries are few, so they are rewritten once)."""
    text = lateral_optionals(sparql)
    return text, where_brace(text) + 1


def lateral_optionals(sparql: str) -> str:
    """Each ``OPTIONAL { P }`` as ``LATERAL { OPTIONAL { P } }`` (Oxigraph evaluates it per
    row of what precedes it, instead of hash-joining P over the whole store)."""
    tokens = [m for m in _TOKENS.finditer(sparql) if m.lastgroup not in ("space", "comment")]
    inserts: dict[int, str] = {}
    for i, token in enumerate(tokens[:-1]):
        if token.lastgroup != "word" or token.group().upper() != "OPTIONAL":
            continue
        if tokens[i + 1].lastgroup != "open":
            continue
        depth = 0
        for later in tokens[i + 1 :]:
            depth += {"open": 1, "close": -1}.get(later.lastgroup or "", 0)
            if depth == 0:
                inserts[token.start()] = inserts.get(token.start(), "") + "LATERAL { "
                inserts[later.end()] = " }" + inserts.get(later.end(), "")
                break
    pieces, last = [], 0
    for at in sorted(inserts):
        pieces += [sparql[last:at], inserts[at]]
        last = at
    return "".join([*pieces, sparql[last:]])


def _open_read_only(path: Path) -> ox.Store:
    """Open read-only beside a live writer. RocksDB may delete a file the reader just listed
    (background compaction): "Corruption ... No such file". That is transient; retry briefly."""
    for attempt in range(6):
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            if "No such file" not in str(exc) or attempt == 5:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _open_oxigraph(path: Path, spec: str, *, read_only: bool) -> OxigraphStore:
    try:
        if read_only:
            return OxigraphStore(_open_read_only(path), spec, read_only=True)
        return OxigraphStore(ox.Store(str(path)), spec)
    except OSError as exc:
        reason = _first_line(exc)
        held = "lock" in reason
        hint = "; another process holds it (close it or use another PATH)" if held else ""
        raise KbError(
            f"cannot open Oxigraph store: {reason}{hint}", path=path, exit_code=EXIT_UNREADABLE
        ) from None


def open_store(spec: str = "memory", *, read_only: bool = False) -> Store:
    """Open a store by spec: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``."""
    if spec == "memory":
        return OxigraphStore(ox.Store(), spec)
    if spec.startswith("oxigraph:"):
        path = Path(spec.removeprefix("oxigraph:"))
        if not str(path) or path.is_file():
            raise KbError("oxigraph:PATH must name a folder", path=path, exit_code=EXIT_UNREADABLE)
        return _open_oxigraph(path, spec, read_only=read_only)
    if spec.startswith("sparql:"):
        from kb.push import SparqlStore

        return SparqlStore(spec.removeprefix("sparql:"))
    raise KbError(
        f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL",
        record="--store",
        exit_code=EXIT_UNREADABLE,
    )

"""What every store offers (``Store``), and the query text helpers all stores share.

Stores are opened by spec in ``kb.store.spec`` only: ``memory`` and ``oxigraph:PATH``
(``kb.store.oxigraph``), ``sparql:URL`` (``kb.store.remote``). Every query of the project goes
through ``Store.select`` / ``Store.query`` with user values passed as bindings, never spliced
into the text: each becomes an escaped RDF term in an inline ``VALUES`` block at the head of the
WHERE group, on every store, and every store turns answers into the same Python values (int for
integer types, bool, float, str).
"""

from __future__ import annotations

import abc
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from kb.errors import KbError, UsageError
from kb.rdf.terms import ALL_PREFIXES, ID_BASE, STANDARD_PREFIXES, XSD_BASE

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "META_GRAPH",
    "NTriples",
    "QueryResult",
    "Store",
    "Value",
    "bound_term",
    "lateral_optionals",
    "python_value",
    "sparql_prefixes",
    "sparql_term",
    "where_brace",
    "with_values",
]

Value = str | int | float | bool | None
NTriples = bytes | str | Path | IO[bytes] | io.RawIOBase
META_GRAPH = f"{ID_BASE}graph/store-meta"
_XSD = XSD_BASE
_STRING = f"{_XSD}string"
_LANG_STRING = f"{STANDARD_PREFIXES['rdf']}langString"
_INT_TYPES = frozenset(
    f"{_XSD}{t}"
    for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger", "short", "gYear")
)
_FLOAT_TYPES = frozenset(f"{_XSD}{t}" for t in ("decimal", "double", "float"))
_BOOLEAN = f"{_XSD}boolean"


@functools.cache
def sparql_prefixes() -> str:
    """PREFIX lines for our vocabulary and the standard ones, for queries we write."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in ALL_PREFIXES.items())


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
    """What every store offers: read queries with bound values, whole-graph loads, and what a
    build and a reopened build need (records kept beside the data, a graph view, a dump), so
    that no code outside ``kb.store`` asks which kind of store it holds.

    ``spec`` is the spec's text, as the user gave it (``memory``, ``oxigraph:PATH``, ...).
    """

    spec: str
    #: a build can be loaded into it here (embedded stores; an endpoint is filled by ``kb push``)
    buildable: bool = False

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

    def load_chunks(self, chunks: Iterable[bytes]) -> None:
        """Replace the store's graph with N-Triples chunks (an embedded store streams them)."""
        self.load_ntriples(b"".join(chunks))

    def keep_records(self, kind: str, records: Iterable[str]) -> None:
        """Keep records (JSON texts) beside the data, for ``kept_records`` (a no-op where a
        store keeps nothing)."""
        del kind, records

    def kept_records(self, kind: str) -> list[str] | None:
        """The records ``keep_records`` kept, in their order, or None if none were."""
        del kind
        return None

    def compact(self) -> None:  # noqa: B027  (optional: most stores have nothing to compact)
        """Make a freshly built store compact before readers open it (where that applies)."""

    def graph_view(self, ontology: Iterable[tuple[Any, Any, Any]]) -> Graph | None:
        """The knowledge-base graph as an rdflib Graph read from the store, without the
        ``ontology``'s triples; None where the store cannot be read that way."""
        del ontology
        return None

    def dump_ntriples(self) -> Iterator[bytes]:
        """The store's graph as N-Triples chunks, read from the store (what ``kb push`` sends
        from a persistent store)."""
        raise UsageError(f"cannot read the triples back from {self.spec}", record="store")

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

    def keep_rows(self, name: str, sparql: str) -> None:
        """Run a project SELECT (no bindings) now and keep its rows beside the data, with the
        query's hash, for ``select_kept`` (a persistent store does this when it is built)."""
        answer = {"query": _sha(sparql), "rows": self.select(sparql)}
        self.set_meta(f"rows:{name}", json.dumps(answer, ensure_ascii=False))

    def select_kept(self, name: str, sparql: str) -> list[dict[str, Value]]:
        """The rows ``keep_rows`` kept for this very query, else the query's answer now (a
        store holds one build: it is rebuilt, views and all, whenever its inputs change)."""
        kept = self.meta(f"rows:{name}")
        if kept is not None:
            answer = json.loads(kept)
            if answer.get("query") == _sha(sparql):
                return cast("list[dict[str, Value]]", answer["rows"])
        return self.select(sparql)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


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

"""Where the knowledge base is queried: the one place the store is chosen.

``open_store(spec)`` understands ``memory`` (embedded Oxigraph, the default), ``oxigraph:PATH``
(persistent Oxigraph on disk) and ``sparql:URL`` (any SPARQL 1.1 endpoint; HTTP in
``kb.push``). Every query of the project goes through ``Store.select`` / ``Store.query``
with user values passed as bindings, never spliced into the text: pyoxigraph substitutions on
the embedded stores, an inline ``VALUES`` block of escaped RDF terms on an endpoint. Both turn
answers into the same Python values (int for xsd:integer, bool, float, str).

Oxigraph is the embedded engine because rdflib orders triple patterns by bound-term count, not
cardinality (FIELD-NOTES: a per-skill GROUP BY took 2.5 s at 10k triples on rdflib, 3 ms on
Oxigraph).
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterable, Mapping
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
    "SparqlStore",
    "Store",
    "Value",
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


def _to_python(term: Any) -> Value:
    if term is None:
        return None
    if type(term) is ox.Literal:
        return python_value(term.value, term.datatype.value)
    return str(term.value)


def _to_term(value: Value) -> ox.NamedNode | ox.Literal:
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


class Store:
    """What every store offers: read queries with bound values, and whole-graph loads."""

    spec: str

    def select(
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Value]]:
        """Run a SELECT written by the project (prefixes added); rows as plain values."""
        return self.query(sparql_prefixes() + sparql, bindings, limit=limit).rows

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

    def query(
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> QueryResult:
        """Run any read query; user values go in ``bindings``, never into the text."""
        raise NotImplementedError

    def load_ntriples(self, data: NTriples) -> None:
        """Replace the store's graph with N-Triples (bytes, text, a file or a binary stream)."""
        raise NotImplementedError

    def add_ntriples(self, data: NTriples) -> None:
        """Add N-Triples to the store's graph."""
        raise NotImplementedError

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
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> QueryResult:
        """Run any read query; bindings become pyoxigraph substitutions."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_term(v) for k, v in (bindings or {}).items()
        }
        try:
            answer = self.inner.query(sparql, substitutions=subs or None)
            return _collect(answer, limit)
        except SyntaxError as exc:
            raise KbError(f"SPARQL syntax error: {_first_line(exc)}", record="query") from None
        except OSError as exc:
            raise KbError(
                f"store error: {_first_line(exc)}", record="query", exit_code=EXIT_UNREADABLE
            ) from None

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
        convert = _to_python
        for solution in answer:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append({n: convert(solution[n]) for n in names})
        return QueryResult(kind="select", variables=names, rows=rows, truncated=truncated)
    triples: list[str] = []
    truncated = False
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            truncated = True
            break
        triples.append(f"{triple.subject} {triple.predicate} {triple.object} .")
    return QueryResult(kind="graph", ntriples="\n".join(triples) + "\n", truncated=truncated)


class SparqlStore(Store):
    """A SPARQL 1.1 endpoint: queries by the Protocol, loads by the Graph Store Protocol.

    Bound values travel as an inline ``VALUES`` block at the head of the query's WHERE group,
    built from the same RDF terms the embedded store substitutes, each escaped; never spliced.
    """

    def __init__(self, url: str) -> None:
        from kb.push import Endpoint

        self.endpoint = Endpoint.from_url(url)
        self.spec = f"sparql:{url}"

    def query(
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> QueryResult:
        """Run any read query on the endpoint; rows converted as the embedded store does."""
        text = with_values(sparql, bindings) if bindings else sparql
        media, payload = self.endpoint.query(text)
        if media in ("application/sparql-results+json", "application/json"):
            return _from_json(json.loads(payload), limit)
        triples = payload.decode("utf-8")
        if media != "application/n-triples":
            fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
            as_nt = ox.serialize(ox.parse(triples, format=fmt), format=ox.RdfFormat.N_TRIPLES)
            triples = (as_nt or b"").decode("utf-8")
        lines = [line for line in triples.splitlines() if line.strip()]
        shown = lines if limit is None else lines[:limit]
        return QueryResult(
            kind="graph", ntriples="\n".join(shown) + "\n", truncated=len(shown) < len(lines)
        )

    def load_ntriples(self, data: NTriples) -> None:
        """Replace the endpoint's graph (one Graph Store PUT)."""
        self.endpoint.put_graph(data)

    def add_ntriples(self, data: NTriples) -> None:
        """Add to the endpoint's graph (one Graph Store POST)."""
        self.endpoint.post_graph(data)


def _from_json(answer: dict[str, Any], limit: int | None) -> QueryResult:
    if "boolean" in answer:
        return QueryResult(kind="ask", boolean=bool(answer["boolean"]))
    names = list(answer.get("head", {}).get("vars", []))
    bindings = answer.get("results", {}).get("bindings", [])
    shown = bindings if limit is None else bindings[:limit]
    rows = [{n: _json_value(b.get(n)) for n in names} for b in shown]
    return QueryResult(
        kind="select", variables=names, rows=rows, truncated=len(shown) < len(bindings)
    )


def _json_value(cell: dict[str, str] | None) -> Value:
    if cell is None:
        return None
    if cell["type"] in ("literal", "typed-literal"):
        return python_value(cell["value"], cell.get("datatype"))
    return cell["value"]


_SPARQL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKENS = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3} | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
                  | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<word>[A-Za-z]+)
      | (?P<open>\{) | (?P<close>\}) | (?P<space>\s+) | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


def sparql_term(value: Value) -> str:
    """A bound value as SPARQL text: the store's RDF term, escaped (IRIs validated)."""
    term = _to_term(value)
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
    names = list(bindings)
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise KbError(f"not a variable name: {name!r}", record="query")
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(sparql_term(bindings[n]) for n in names)
    at = where_brace(sparql) + 1
    return f"{sparql[:at]} VALUES ({variables}) {{ ({terms}) }}{sparql[at:]}"


def _open_oxigraph(path: Path, spec: str, *, read_only: bool) -> OxigraphStore:
    try:
        if read_only:
            return OxigraphStore(ox.Store.read_only(str(path)), spec, read_only=True)
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
        return SparqlStore(spec.removeprefix("sparql:"))
    raise KbError(
        f"unknown store '{spec}'; use memory, oxigraph:PATH or sparql:URL",
        record="--store",
        exit_code=EXIT_UNREADABLE,
    )


def rows_as_table(rows: Iterable[Mapping[str, Value]]) -> list[list[Value]]:
    """Rows as lists, in their key order (for printing)."""
    return [list(r.values()) for r in rows]

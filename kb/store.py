"""Where the knowledge base is queried: the one place the store is chosen.

``open_store(spec)`` understands ``memory`` (embedded Oxigraph, the default),
``oxigraph:PATH`` (persistent Oxigraph on disk). Every query of the project goes through
``Store.select`` / ``Store.query`` with user text passed as bound values, never spliced.

Oxigraph is the default engine because rdflib orders triple patterns by bound-term count, not
cardinality (FIELD-NOTES: a per-skill GROUP BY took 2.5 s at 10k triples on rdflib, 3 ms on
Oxigraph). The rdflib Graph is still what we build and serialise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kb.errors import EXIT_UNREADABLE, KbError
from kb.namespaces import PREFIXES

__all__ = ["QueryResult", "Store", "Value", "open_store", "sparql_prefixes"]

Value = str | int | float | bool | None
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INT_TYPES = {
    f"{_XSD}{t}"
    for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger", "short", "gYear")
}


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


def _to_python(term: Any) -> Value:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype in _INT_TYPES:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dtype in (f"{_XSD}decimal", f"{_XSD}double", f"{_XSD}float"):
            return float(term.value)
        if dtype == f"{_XSD}boolean":
            return term.value == "true"
        return str(term.value)
    return str(term.value)


def _to_term(value: Value) -> ox.NamedNode | ox.Literal:
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{_XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}integer"))
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    return ox.Literal(str(value))


class Store:
    """An Oxigraph store (in memory or on disk) holding the knowledge base's triples."""

    def __init__(self, inner: ox.Store, spec: str) -> None:
        self._inner = inner
        self.spec = spec

    def load_graph(self, graph: Graph) -> None:
        """Replace the store's content with an rdflib graph (bulk load of N-Triples)."""
        self.load_ntriples(graph.serialize(format="nt", encoding="utf-8"))

    def load_ntriples(self, data: bytes) -> None:
        """Replace the store's content with N-Triples bytes."""
        self._inner.clear()
        self._inner.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)

    def add_ntriples(self, data: bytes) -> None:
        """Add N-Triples bytes to the store."""
        self._inner.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)

    def is_empty(self) -> bool:
        """True if the store holds no triple."""
        return not bool(self._inner.query("ASK { ?s ?p ?o }"))

    def select(
        self, sparql: str, bindings: Mapping[str, Value] | None = None, *, limit: int | None = None
    ) -> list[dict[str, Value]]:
        """Run a SELECT written by the project (prefixes added); rows as plain values."""
        return self.query(sparql_prefixes() + sparql, bindings, limit=limit).rows

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Value] | None = None,
        *,
        limit: int | None = None,
    ) -> QueryResult:
        """Run any read query; user values go in ``bindings``, never into the text."""
        subs = {ox.Variable(k): _to_term(v) for k, v in (bindings or {}).items()}
        try:
            answer = self._inner.query(sparql, substitutions=subs or None)
        except SyntaxError as exc:
            raise KbError(f"SPARQL syntax error: {_first_line(exc)}", record="query") from None
        except OSError as exc:
            raise KbError(
                f"store error: {_first_line(exc)}", record="query", exit_code=EXIT_UNREADABLE
            ) from None
        return _collect(answer, limit)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


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
            rows.append({n: _to_python(solution[n]) for n in names})
        return QueryResult(kind="select", variables=names, rows=rows, truncated=truncated)
    triples: list[str] = []
    truncated = False
    for triple in answer:
        if limit is not None and len(triples) >= limit:
            truncated = True
            break
        triples.append(f"{triple.subject} {triple.predicate} {triple.object} .")
    return QueryResult(kind="graph", ntriples="\n".join(triples) + "\n", truncated=truncated)


def open_store(spec: str = "memory") -> Store:
    """Open a store by spec: ``memory`` or ``oxigraph:PATH``."""
    if spec == "memory":
        return Store(ox.Store(), spec)
    if spec.startswith("oxigraph:"):
        path = Path(spec.removeprefix("oxigraph:"))
        try:
            return Store(ox.Store(str(path)), spec)
        except OSError as exc:
            raise KbError(
                f"cannot open Oxigraph store: {_first_line(exc)}",
                path=path,
                exit_code=EXIT_UNREADABLE,
            ) from None
    raise KbError(
        f"unknown store '{spec}'; use memory or oxigraph:PATH",
        record="--store",
        exit_code=EXIT_UNREADABLE,
    )


def rows_as_table(rows: Iterable[Mapping[str, Value]]) -> list[list[Value]]:
    """Rows as lists, in their key order (for printing)."""
    return [list(r.values()) for r in rows]

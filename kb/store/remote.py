"""Any SPARQL 1.1 endpoint as a read-only store (``sparql:URL``): queries over HTTP."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from kb.errors import UnreadableError
from kb.store.base import (
    NTriples,
    QueryResult,
    Store,
    Value,
    python_value,
    with_values,
)
from kb.store.http import Endpoint, is_rdf_media, results_json
from kb.store.oxigraph import OxigraphStore

__all__ = ["SparqlStore"]


class SparqlStore(Store):
    """A SPARQL 1.1 endpoint: queries by the Protocol, loads by the Graph Store Protocol.

    Bound values travel as an inline ``VALUES`` block at the head of the query's WHERE group,
    built from the same RDF terms the embedded store substitutes, each escaped; never spliced.
    """

    def __init__(self, url: str) -> None:
        self.endpoint = Endpoint.from_url(url)
        self.spec = f"sparql:{url}"
        self.oxigraph = False  # set from the server's answers: it then gets Oxigraph's tuning

    def prepare(self, sparql: str, bindings: Mapping[str, Value] | None = None) -> str:
        """A project query as sent: standard SPARQL 1.1 (bindings as VALUES), with the
        embedded store's tuning when the server is Oxigraph (``OxigraphStore.prepare``)."""
        if self.oxigraph:
            return OxigraphStore.prepare(sparql, bindings)
        return with_values(sparql, bindings) if bindings else sparql

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Value] | None = None,
        *,
        limit: int | None = None,
        tuned: bool = False,
    ) -> QueryResult:
        """Run any read query on the endpoint; rows converted as the embedded store does."""
        if tuned:
            sparql = self.prepare(sparql, bindings)
        elif bindings:
            sparql = with_values(sparql, bindings)
        graph_form = _query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        media, payload, server = self.endpoint.query(sparql, graph=graph_form)
        self.oxigraph = server.startswith("Oxigraph/")
        url = self.endpoint.query_url
        if not graph_form or not is_rdf_media(media):
            answer = results_json(media, payload, url)
            if server.startswith("Virtuoso/"):
                answer = _virtuoso_ask(answer)
            return _from_json(answer, limit)
        try:
            triples = payload.decode("utf-8")
            if media != "application/n-triples":
                fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
                as_nt = ox.serialize(ox.parse(triples, format=fmt), format=ox.RdfFormat.N_TRIPLES)
                triples = (as_nt or b"").decode("utf-8")
        except (SyntaxError, ValueError) as exc:
            raise UnreadableError(
                f"the endpoint's answer is not the {media} it claims ({_first(exc)}); is this "
                "the URL of a SPARQL endpoint?",
                path=url.split("?", 1)[0],
            ) from None
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


_PROLOGUE = re.compile(r"\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>", re.IGNORECASE)
_FORM = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def _query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the keyword after the prologue (None if unclear)."""
    at = 0
    while match := _PROLOGUE.match(sparql, at):
        at = match.end()
    form = _FORM.match(sparql, at)
    return form.group(1).upper() if form else None


def _first(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _virtuoso_ask(answer: dict[str, Any]) -> dict[str, Any]:
    """Virtuoso 7.2 answers ASK as one row of ``?__ASK_RETVAL`` (1 or 0), not a boolean."""
    if answer.get("head", {}).get("vars") != ["__ASK_RETVAL"]:
        return answer
    rows = answer.get("results", {}).get("bindings", [])
    value = rows[0].get("__ASK_RETVAL", {}).get("value") if rows else "0"
    return {"head": {}, "boolean": value not in ("0", "false")}


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

"""The SPARQL servers `kb push` knows, and its batch sizes: names and numbers only, so that the
command line can offer them without loading the HTTP client."""

from __future__ import annotations

from typing import Literal

from kb.rdf.namespaces import ID_BASE

__all__ = ["SERVERS", "STORE_BATCH", "UPDATE_BATCH", "VIRTUOSO_GRAPH", "Server"]

Server = Literal["oxigraph", "virtuoso", "generic"]
SERVERS: tuple[Server, ...] = ("oxigraph", "virtuoso", "generic")
STORE_BATCH = 50_000  # N-Triples lines per Graph Store POST (~6 MB)
UPDATE_BATCH = 1_000  # lines per INSERT DATA: Virtuoso refuses ~2,500 ("SQL text ... 10000 lines")
VIRTUOSO_GRAPH = f"{ID_BASE}graph/kb"  # Virtuoso's default graph is the union of all graphs

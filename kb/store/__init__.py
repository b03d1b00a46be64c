"""Layer 3, stores: where queries run. ``spec`` is the only place a store spec is parsed.

``base`` (the Store interface and the query-text helpers every store shares), ``oxigraph``
(embedded, in memory or on disk), ``remote`` (any SPARQL 1.1 endpoint, read-only), ``http``
(N-Triples out; the HTTP client of an endpoint), ``push`` (server discovery, batches, atomic
replacement of a graph), ``sparql_text`` (a user's query checked read-only and run
with a row cap and a time limit).
"""

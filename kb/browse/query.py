"""The Query page: its worked examples, and results as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from kb.queries import example_queries
from kb.store.base import QueryResult, Value
from kb.store.sparql_text import run_user_query

# the Query page runs a user's query as `kb query` does (parsed, read-only, capped in rows, time
# and memory), through this layer
__all__ = ["EXAMPLE_QUERIES", "QueryResult", "csv_text", "run_user_query"]

# ---------------------------------------------------------------------------------------------
# Query results as CSV.


def csv_text(variables: Sequence[str], rows: Iterable[Mapping[str, Value]]) -> str:
    """Rows as CSV text with a header line."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(variables), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The SPARQL console's worked examples.

EXAMPLE_QUERIES: dict[str, str] = example_queries()

"""The Query page: its worked examples, and results as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from kb.queries import example_queries
from kb.store.base import Value

__all__ = ["EXAMPLE_QUERIES", "csv_text"]

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

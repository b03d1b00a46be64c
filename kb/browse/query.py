"""The Query page: its worked examples, and results as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from kb.browse.references import (  # noqa: F401
    PEER_REVIEW,
    SEARCH_REFERENCES,
    ClaimLink,
    ReferenceDetail,
    ReferenceRow,
    filter_references,
    paginate,
    reference_detail,
    reference_rows,
    search_reference_keys,
    short_authors,
)
from kb.browse.scope import (  # noqa: F401
    _notes,
    author_names,
    counts,
    library_rows,
    reference_keys_in,
    skill_param,
    skills_in,
    topic_counts,
    topic_labels,
    worksheets_in,
)
from kb.browse.skills import (  # noqa: F401
    ClaimEvidence,
    Span,
    group_evidence,
    highlight_html,
    skill_passage,
    stance_counts,
)
from kb.browse.text import _MD_SPECIAL, escape, md_escape, safe_url  # noqa: F401
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

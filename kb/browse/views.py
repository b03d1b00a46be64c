"""What the dashboard shows, shaped without Streamlit, page by page (one module each):
``text`` (escaping), ``scope``, ``references``, ``skills``, ``query``, ``graph``.

``app.py`` caches what these return and lays it out; nothing here imports streamlit, and every
string that ends up inside HTML is escaped in one place (``kb.browse.text.escape``). This module
gathers their public names for ``app.py``.
"""

from __future__ import annotations

from typing import get_args

from kb.browse.gaps import GapsAndAudit, gaps_and_audit, title_only_sources, word_diff
from kb.browse.graph import (
    MAX_GRAPH_NODES,
    GraphView,
    graph_view,
    narrowed_view,
    neighbourhood,
    neighbours_by_type,
    node_names,
    node_pages,
    scope_nodes,
    shown_name,
    skill_nodes,
    topic_nodes,
)
from kb.browse.graph_style import SELECTION_COLOUR, STANCE_COLOURS, graph_styles
from kb.browse.labels import claim_names, may_not_exist, reference_names
from kb.browse.people import AuthorSearch, author_search
from kb.browse.query import EXAMPLE_QUERIES, csv_text
from kb.browse.reference_page import ReferencePage, reference_page
from kb.browse.references import (
    PAGE_SIZE,
    PEER_REVIEW,
    BasisChoice,
    ReferenceRow,
    basis_counts,
    filter_references,
    paginate,
    provenance_options,
    reference_rows,
    short_authors,
)
from kb.browse.scope import (
    author_names,
    counts,
    library_rows,
    reference_keys_in,
    skill_param,
    skills_in,
    topic_counts,
    topic_labels,
    url_value,
    worksheets_in,
)
from kb.browse.skills import (
    ClaimEvidence,
    Span,
    group_evidence,
    highlight_html,
    skill_passage,
    stance_counts,
)
from kb.browse.status import STATUS_STYLES, status_badge
from kb.browse.text import doi_link, escape, md_escape, md_link, safe_url
from kb.records.models import DESIGN_LABELS, RISK_OF_BIAS_LABELS, Basis, Directness, Stance

# The curated vocabularies, as the records define them (never retyped).
STANCES: tuple[str, ...] = get_args(Stance)
DIRECTNESS: tuple[str, ...] = get_args(Directness)
BASES: tuple[str, ...] = get_args(Basis)

__all__ = [
    "BASES",
    "DESIGN_LABELS",
    "DIRECTNESS",
    "EXAMPLE_QUERIES",
    "MAX_GRAPH_NODES",
    "PAGE_SIZE",
    "PEER_REVIEW",
    "RISK_OF_BIAS_LABELS",
    "SELECTION_COLOUR",
    "STANCES",
    "STANCE_COLOURS",
    "STATUS_STYLES",
    "AuthorSearch",
    "BasisChoice",
    "ClaimEvidence",
    "GapsAndAudit",
    "GraphView",
    "ReferencePage",
    "ReferenceRow",
    "Span",
    "author_names",
    "author_search",
    "basis_counts",
    "claim_names",
    "counts",
    "csv_text",
    "doi_link",
    "escape",
    "filter_references",
    "gaps_and_audit",
    "graph_styles",
    "graph_view",
    "group_evidence",
    "highlight_html",
    "library_rows",
    "may_not_exist",
    "md_escape",
    "md_link",
    "narrowed_view",
    "neighbourhood",
    "neighbours_by_type",
    "node_names",
    "node_pages",
    "paginate",
    "provenance_options",
    "reference_keys_in",
    "reference_names",
    "reference_page",
    "reference_rows",
    "safe_url",
    "scope_nodes",
    "short_authors",
    "shown_name",
    "skill_nodes",
    "skill_param",
    "skill_passage",
    "skills_in",
    "stance_counts",
    "status_badge",
    "title_only_sources",
    "topic_counts",
    "topic_labels",
    "topic_nodes",
    "url_value",
    "word_diff",
    "worksheets_in",
]

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

EXAMPLE_QUERIES: dict[str, str] = {
    "Supporting references per skill": """\
SELECT ?order ?skill (COUNT(DISTINCT ?ref) AS ?supporting)
WHERE {
  ?s a kb:Skill ; kb:order ?order ; rdfs:label ?skill .
  OPTIONAL {
    ?claim kb:skill ?s .
    ?link kb:claim ?claim ; kb:stance kb:Supports ; kb:reference ?ref .
  }
}
GROUP BY ?order ?skill
ORDER BY ?order""",
    "Evidence links with stance and rationale": """\
SELECT ?claim ?key ?stance ?rationale
WHERE {
  ?link a kb:EvidenceLink ; kb:claim ?c ; kb:reference ?r ; kb:stance ?s ;
        kb:rationale ?rationale .
  ?c dcterms:identifier ?claim .
  ?r dcterms:identifier ?key .
  BIND(STRAFTER(STR(?s), "#") AS ?stance)
}
ORDER BY ?claim ?key""",
    "Claims no reference bears on": """\
SELECT ?claim ?section ?quote
WHERE {
  ?c a kb:Claim ; dcterms:identifier ?claim ; kb:quote ?quote ; kb:section ?sec .
  OPTIONAL { ?sec rdfs:label ?label }
  BIND(COALESCE(?label, STRAFTER(STR(?sec), "#")) AS ?section)
  FILTER NOT EXISTS { ?link kb:claim ?c }
}
ORDER BY ?claim""",
    "Peer-reviewed references by year": """\
SELECT ?year ?key ?title
WHERE {
  ?r kb:peerReviewed true ; dcterms:identifier ?key ; dcterms:title ?title .
  OPTIONAL { ?r fabio:hasPublicationYear ?year }
}
ORDER BY ?year ?key""",
    "Authors by number of references": """\
SELECT ?author (COUNT(DISTINCT ?r) AS ?references)
WHERE { ?r dcterms:creator ?a . ?a foaf:name ?author . }
GROUP BY ?author
ORDER BY DESC(?references) ?author""",
    "Topic tree (SKOS broader)": """\
SELECT ?topic ?broader
WHERE {
  ?t a skos:Concept ; skos:prefLabel ?topic .
  OPTIONAL { ?t skos:broader ?b . ?b skos:prefLabel ?broader }
}
ORDER BY ?broader ?topic""",
    "Does any link contradict a claim? (ASK)": "ASK { ?link kb:stance kb:Contradicts }",
    "One skill's evidence as triples (CONSTRUCT)": """\
CONSTRUCT { ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stance . }
WHERE {
  ?skill a kb:Skill ; kb:slug "minimize-stressors" .
  ?claim kb:skill ?skill .
  ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stance .
}""",
}

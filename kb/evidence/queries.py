"""The SPARQL queries behind evidence profiles, gaps and the report, in one place.

Each query returns plain rows (no aggregates) and Python does the counting, so the answers do
not depend on an engine's join order or GROUP BY quirks. A skill IRI arrives as the bound
variable ``?skill``, which every query that accepts it projects (FIELD-NOTES: Oxigraph refuses,
and rdflib's HTTP store silently ignores, bindings of unprojected variables).
"""

from __future__ import annotations

from kb.queries import sparql

__all__ = ["CLAIM_LINKS", "PROMISE_LINKS", "REFERENCES", "SKILL_LINKS", "TITLE_ONLY_LINKS"]

SKILL_LINKS = sparql("profile-skill-links")

CLAIM_LINKS = sparql("profile-claim-links")

REFERENCES = sparql("profile-references")

PROMISE_LINKS = sparql("promise-links")

TITLE_ONLY_LINKS = sparql("title-only-links")

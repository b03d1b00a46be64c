"""The SPARQL queries behind evidence profiles, gaps and the report, in one place.

Each query returns plain rows (no aggregates) and Python does the counting, so the answers do
not depend on an engine's join order or GROUP BY quirks. A skill IRI arrives as the bound
variable ``?skill``, which every query that accepts it projects (FIELD-NOTES: Oxigraph refuses,
and rdflib's HTTP store silently ignores, bindings of unprojected variables).
"""

from __future__ import annotations

__all__ = ["CLAIM_LINKS", "REFERENCES", "SKILL_LINKS"]

# One row per (skill, claim, link, finding the link rests on); a skill without claims, a claim
# without links, or a link without findings still gives a row with the missing parts unbound.
SKILL_LINKS = """
SELECT ?skill ?worksheet ?order ?slug ?title ?claim ?claimId ?kind ?ref ?key ?stance ?directness
       ?findingKind
WHERE {
  ?skill a kb:Skill ; kb:worksheet ?ws ; kb:order ?order ; kb:slug ?slug ; rdfs:label ?title .
  ?ws kb:slug ?worksheet .
  OPTIONAL {
    ?claim kb:skill ?skill ; dcterms:identifier ?claimId ; kb:claimKind ?kindIri .
    BIND(STRAFTER(STR(?kindIri), "#") AS ?kind)
    OPTIONAL {
      ?link a kb:EvidenceLink ; kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stanceIri ;
            kb:directness ?dirIri .
      ?ref dcterms:identifier ?key .
      BIND(LCASE(STRAFTER(STR(?stanceIri), "#")) AS ?stance)
      BIND(LCASE(STRAFTER(STR(?dirIri), "#")) AS ?directness)
      OPTIONAL {
        ?link kb:restsOn ?finding .
        ?finding kb:findingKind ?findingKindIri .
        BIND(STRAFTER(STR(?findingKindIri), "#") AS ?findingKind)
      }
    }
  }
}
"""

# One row per (claim, link) for every claim of every worksheet, whatever its section.
CLAIM_LINKS = """
SELECT ?claim ?claimId ?worksheet ?section ?quote ?start ?ref ?key ?stance
WHERE {
  ?claim a kb:Claim ; dcterms:identifier ?claimId ; kb:worksheet ?ws ; kb:quote ?quote ;
         kb:section ?sectionIri .
  ?ws kb:slug ?worksheet .
  OPTIONAL {
    ?claim kb:anchor ?anchor .
    ?anchor oa:hasSelector ?pos .
    ?pos a oa:TextPositionSelector ; oa:start ?start .
  }
  OPTIONAL { ?sectionIri kb:slug ?sectionSlug . }
  BIND(COALESCE(?sectionSlug, LCASE(STRAFTER(STR(?sectionIri), "#"))) AS ?section)
  OPTIONAL {
    ?link a kb:EvidenceLink ; kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stanceIri .
    ?ref dcterms:identifier ?key .
    BIND(LCASE(STRAFTER(STR(?stanceIri), "#")) AS ?stance)
  }
}
"""

# One row per reference a worksheet cites, with its curated appraisal and first author.
REFERENCES = """
SELECT ?ref ?key ?design ?level ?peer ?year ?firstAuthor ?rationale
WHERE {
  ?ws cito:cites ?ref .
  ?ref dcterms:identifier ?key .
  OPTIONAL {
    ?ref kb:studyDesign ?designIri .
    BIND(STRAFTER(STR(?designIri), "/design/") AS ?design)
  }
  OPTIONAL {
    ?ref kb:evidenceLevel ?levelIri .
    BIND(STRAFTER(STR(?levelIri), "/evidence-level/") AS ?level)
  }
  OPTIONAL { ?ref kb:peerReviewed ?peer . }
  OPTIONAL { ?ref fabio:hasPublicationYear ?year . }
  OPTIONAL { ?ref kb:designRationale ?rationale . }
  OPTIONAL {
    ?ref kb:authorList ?seq .
    ?seq rdf:_1 ?agent .
    ?agent foaf:name ?agentName .
    OPTIONAL { ?agent foaf:familyName ?family . }
    BIND(COALESCE(?family, ?agentName) AS ?firstAuthor)
  }
}
"""

"""The SPARQL queries the CLI and the dashboard run, in one place.

Written so that no answer depends on an engine's join order: every pattern is anchored on a
selective term, and user values (a skill IRI, a search string) arrive as bound variables.
Portable rule (FIELD-NOTES): every bound variable is projected.
"""

from __future__ import annotations

__all__ = [
    "AUTHOR_NEIGHBOURHOOD",
    "AUTHOR_REFERENCES",
    "EVIDENCE_FOR_SKILL",
    "FINDINGS_FOR_SKILL",
    "REFERENCE_TITLES",
    "SKILLS_TABLE",
    "SUPPORTING_REFS_PER_SKILL",
    "TITLE_SEARCH",
    "TITLE_SEARCH_IN_WORKSHEET",
    "WORKSHEETS",
]

SKILLS_TABLE = """
SELECT ?skill ?worksheet ?order ?slug ?title
       (COUNT(DISTINCT ?claim) AS ?claims)
       (COUNT(DISTINCT ?ref) AS ?references)
       (COUNT(DISTINCT ?supRef) AS ?supporting)
WHERE {
  ?skill a kb:Skill ; kb:worksheet ?ws ; kb:order ?order ; kb:slug ?slug ; rdfs:label ?title .
  ?ws kb:slug ?worksheet .
  OPTIONAL {
    ?claim kb:skill ?skill .
    OPTIONAL {
      ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stance .
      OPTIONAL { ?link kb:stance kb:Supports ; kb:reference ?supRef . }
    }
  }
}
GROUP BY ?skill ?worksheet ?order ?slug ?title
ORDER BY ?worksheet ?order
"""

# The README's example: distinct supporting references per skill.
SUPPORTING_REFS_PER_SKILL = """
SELECT ?skill (COUNT(DISTINCT ?ref) AS ?supporting_refs)
WHERE {
  ?s a kb:Skill ; rdfs:label ?skill ; kb:order ?order .
  OPTIONAL {
    ?claim kb:skill ?s .
    ?link kb:claim ?claim ; kb:stance kb:Supports ; kb:reference ?ref .
  }
}
GROUP BY ?skill ?order
ORDER BY ?order
"""

EVIDENCE_FOR_SKILL = """
SELECT ?skill ?claim ?claimId ?kind ?quote ?start ?end ?ref ?key ?stance ?directness ?basis
       ?rationale ?curator ?date ?agreed ?resolution ?revision
WHERE {
  ?claim kb:skill ?skill ; dcterms:identifier ?claimId ; kb:quote ?quote ; kb:claimKind ?kindIri ;
         kb:anchor ?anchor .
  ?anchor oa:hasSelector ?pos .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  BIND(STRAFTER(STR(?kindIri), "#") AS ?kind)
  OPTIONAL {
    ?link kb:claim ?claim ; kb:reference ?ref ; kb:stance ?stanceIri ; kb:directness ?dirIri ;
          kb:basis ?basisIri ; kb:rationale ?rationale ; dcterms:created ?date ;
          prov:wasAttributedTo ?agent .
    ?agent foaf:name ?curator .
    ?ref dcterms:identifier ?key .
    BIND(LCASE(STRAFTER(STR(?stanceIri), "#")) AS ?stance)
    BIND(LCASE(STRAFTER(STR(?dirIri), "#")) AS ?directness)
    BIND(IF(?basisIri = kb:TitleBasis, "title",
            IF(?basisIri = kb:FullTextBasis, "full-text", "abstract")) AS ?basis)
    OPTIONAL { ?link kb:reviewAgreed ?agreed . }
    OPTIONAL { ?link kb:resolution ?resolution . }
    OPTIONAL { ?link kb:revision ?revision . }
  }
}
ORDER BY ?start ?key
"""

# The findings each link of a skill rests on: what the source reports, where and when it was read.
FINDINGS_FOR_SKILL = """
SELECT ?skill ?claimId ?key ?finding ?findingId ?statement ?findingKind ?url ?part ?read
WHERE {
  ?claim kb:skill ?skill ; dcterms:identifier ?claimId .
  ?link kb:claim ?claim ; kb:reference ?ref ; kb:restsOn ?finding .
  ?ref dcterms:identifier ?key .
  ?finding dcterms:identifier ?findingId ; kb:statement ?statement ; kb:findingKind ?kindIri ;
           kb:pagePart ?part ; prov:wasDerivedFrom ?page ; dcterms:date ?read .
  BIND(STR(?page) AS ?url)
  BIND(LCASE(STRAFTER(STR(?kindIri), "#")) AS ?findingKind)
}
ORDER BY ?claimId ?key ?findingId
"""

# --- searches and neighbourhoods (issue #6) -------------------------------------------------
# User text arrives as the bound ?q, projected (FIELD-NOTES portable rule); STR() because text
# that looks like a URL is bound as an IRI. Pages come from Store.select_page (LIMIT/OFFSET).

# The worksheets, for choosing one to narrow a view to.
WORKSHEETS = """
SELECT ?worksheet ?title
WHERE { ?ws a kb:Worksheet ; kb:slug ?worksheet ; dcterms:title ?title . }
ORDER BY ?worksheet
"""

# References whose title contains ?q (any case).
TITLE_SEARCH = """
SELECT ?ref ?key ?title ?year ?q
WHERE {
  ?ref kb:authorList ?authors ; dcterms:title ?title ; dcterms:identifier ?key .
  FILTER(CONTAINS(LCASE(?title), LCASE(STR(?q))))
  OPTIONAL { ?ref fabio:hasPublicationYear ?year . }
}
ORDER BY ?title ?key
"""

# The same, narrowed to the references one worksheet (bound ?worksheet, its slug) cites.
TITLE_SEARCH_IN_WORKSHEET = """
SELECT ?ref ?key ?title ?year ?q ?worksheet
WHERE {
  ?ws a kb:Worksheet ; kb:slug ?worksheet ; cito:cites ?ref .
  ?ref dcterms:title ?title ; dcterms:identifier ?key .
  FILTER(CONTAINS(LCASE(?title), LCASE(STR(?q))))
  OPTIONAL { ?ref fabio:hasPublicationYear ?year . }
}
ORDER BY ?title ?key
"""

# Co-authors of one author (bound ?author, an agent IRI) and how many references they share.
AUTHOR_NEIGHBOURHOOD = """
SELECT ?author ?coauthor ?name (COUNT(DISTINCT ?ref) AS ?shared)
WHERE {
  ?ref dcterms:creator ?author , ?coauthor .
  FILTER(?coauthor != ?author)
  ?coauthor foaf:name ?name .
}
GROUP BY ?author ?coauthor ?name
ORDER BY DESC(?shared) ?name ?coauthor ?author
"""

# The references of one author (bound ?author).
AUTHOR_REFERENCES = """
SELECT ?author ?ref ?key ?title ?year
WHERE {
  ?ref dcterms:creator ?author ; dcterms:identifier ?key ; dcterms:title ?title .
  OPTIONAL { ?ref fabio:hasPublicationYear ?year . }
}
ORDER BY ?year ?key ?author
"""

# Every reference's key, title and year: for a search index a dashboard caches and filters in
# Python (an engine without a text index scans every title: ~65 ms at 1,000x).
REFERENCE_TITLES = """
SELECT ?ref ?key ?title ?year
WHERE {
  ?ref kb:authorList ?authors ; dcterms:title ?title ; dcterms:identifier ?key .
  OPTIONAL { ?ref fabio:hasPublicationYear ?year . }
}
ORDER BY ?key
"""

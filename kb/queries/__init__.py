"""Every SPARQL text the package runs, as ``kb/queries/*.rq`` files (comments document each),
and the Query page's worked examples in ``kb/queries/examples/``.

Written so that no answer depends on an engine's join order: every pattern is anchored on a
selective term, and user values (a skill IRI, a search string) arrive as bound variables.
Portable rule (FIELD-NOTES): every bound variable is projected.
"""

from __future__ import annotations

import functools
from pathlib import Path

_HERE = Path(__file__).parent


@functools.cache
def sparql(name: str) -> str:
    """The text of ``kb/queries/NAME.rq``, without its leading comment lines (they document it)."""
    lines = (_HERE / f"{name}.rq").read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n" + "".join(lines)


def project_queries() -> dict[str, str]:
    """Every query the package runs: file name -> text (what the engine tests run one by one)."""
    return {path.stem: sparql(path.stem) for path in sorted(_HERE.glob("*.rq"))}


def example_queries() -> dict[str, str]:
    """The Query page's worked examples, ``kb/queries/examples/NN-NAME.rq``: title (its first
    comment line) -> text, in file order."""
    out: dict[str, str] = {}
    for path in sorted((_HERE / "examples").glob("*.rq")):
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        out[first.removeprefix("#").strip()] = rest.rstrip("\n")
    return out


__all__ = [
    "AUTHOR_NEIGHBOURHOOD",
    "AUTHOR_REFERENCES",
    "CLAIM_SPANS",
    "EVIDENCE_FOR_CLAIM",
    "EVIDENCE_FOR_SKILL",
    "FINDINGS_FOR_CLAIM",
    "FINDINGS_FOR_SKILL",
    "KEPT",
    "REFERENCE_TITLES",
    "SKILLS_TABLE",
    "SKILL_INDEX",
    "SKILL_REFERENCE_KEYS",
    "SUPPORTING_REFS_PER_SKILL",
    "TITLE_SEARCH",
    "TITLE_SEARCH_IN_WORKSHEET",
    "TOPIC_REFERENCE_KEYS",
    "TOPIC_TREE",
    "WORKSHEETS",
    "example_queries",
    "project_queries",
    "sparql",
]

SKILLS_TABLE = sparql("skills-table")

SKILL_INDEX = sparql("skill-index")

SUPPORTING_REFS_PER_SKILL = sparql("supporting-refs-per-skill")

EVIDENCE_FOR_SKILL = sparql("evidence-for-skill")

FINDINGS_FOR_SKILL = sparql("findings-for-skill")

EVIDENCE_FOR_CLAIM = sparql("evidence-for-claim")

FINDINGS_FOR_CLAIM = sparql("findings-for-claim")

# --- what an export selects (kb.export.select), from the store: a reopened one reads no file
SKILL_REFERENCE_KEYS = sparql("skill-reference-keys")

TOPIC_TREE = sparql("topic-tree")

TOPIC_REFERENCE_KEYS = sparql("topic-reference-keys")

# --- searches and neighbourhoods (issue #6) -------------------------------------------------
# User text arrives as the bound ?q, projected (FIELD-NOTES portable rule); STR() because text
# that looks like a URL is bound as an IRI. Pages come from Store.select_page (LIMIT/OFFSET).

WORKSHEETS = sparql("worksheets")

CLAIM_SPANS = sparql("claim-spans")

TITLE_SEARCH = sparql("title-search")

TITLE_SEARCH_IN_WORKSHEET = sparql("title-search-in-worksheet")

AUTHOR_NEIGHBOURHOOD = sparql("author-neighbourhood")

AUTHOR_REFERENCES = sparql("author-references")

REFERENCE_TITLES = sparql("reference-titles")


# Answers a persistent store keeps from its build (``Store.keep_rows``): a reopened 1,000x
# store lists its skills without running the 1-second skills-table query again, and finds a
# skill by name without listing 70,000 skills (10,000x `kb evidence`: 6.3 s before).
KEPT = {"skills-table": SKILLS_TABLE, "worksheets": WORKSHEETS, "skill-index": SKILL_INDEX}

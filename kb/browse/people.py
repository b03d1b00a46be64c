"""The Authors and Topics pages of one scope: an author's or a topic's references and skills,
narrowed to the worksheets in scope (kb.network.pages gives them for the whole graph)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb.browse.labels import reference_names
from kb.browse.scope import reference_keys_in, skills_in
from kb.core.knowledge_base import KnowledgeBase, SkillRef
from kb.network import pages
from kb.records.names import fold

__all__ = [
    "AuthorSearch",
    "ScopedItem",
    "author_in_scope",
    "author_rows",
    "author_search",
    "topic_in_scope",
]


@dataclass(frozen=True)
class ScopedItem:
    """An author or a topic as a page shows it: its facts, its references in scope (key,
    label, title) and the skills in scope it reaches."""

    info: dict[str, Any]
    references: list[dict[str, Any]]
    skills: list[SkillRef]


def _scoped(base: KnowledgeBase, info: dict[str, Any], ws: str | None) -> ScopedItem:
    scope = set(reference_keys_in(base, ws))
    refs = [r for r in info["references"] if r["key"] in scope]
    reached = {r["skill"] for r in info["skills"]}
    return ScopedItem(info, refs, [s for s in skills_in(base, ws) if s.slug in reached])


def author_rows(base: KnowledgeBase, ws: str | None) -> list[dict[str, Any]]:
    """The authors of the references in scope (``kb.network.pages.authors``), each with
    ``works``: their references as people cite them ("Hazan & Shaver (1987); Sbarra & Hazan
    (2008)", ``kb.browse.labels``); the bib keys stay in ``keys``, for the data, not to read."""
    names = reference_names(base)
    rows = pages.authors(base, set(reference_keys_in(base, ws)))
    for row in rows:
        keys = [k for k in str(row["keys"]).split(", ") if k]
        row["works"] = "; ".join(names[k].shown if k in names else k for k in keys)
    return rows


def author_in_scope(base: KnowledgeBase, person: str, ws: str | None) -> ScopedItem:
    """One author's page: facts, references and skills reached in scope."""
    return _scoped(base, pages.author_info(base, person), ws)


def topic_in_scope(base: KnowledgeBase, topic: str, ws: str | None) -> ScopedItem:
    """One topic's page: its place in the tree, references and skills in scope."""
    return _scoped(base, pages.topic_info(base, topic), ws)


@dataclass(frozen=True)
class AuthorSearch:
    """What the Authors search box shows: the rows found and, when none is, searches that would
    find some (``did_you_mean``: "hazan" for "Hazen"), nearest first."""

    rows: list[Mapping[str, Any]]
    did_you_mean: list[str] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        """``Did you mean “Hazan”?`` when nothing is found and something is near, else None."""
        if self.rows or not self.did_you_mean:
            return None
        return "Did you mean " + " or ".join(f"“{s}”" for s in self.did_you_mean) + "?"


_WORD = re.compile(r"\w{2,}")


def author_search(rows: Iterable[Mapping[str, Any]], text: str, *, limit: int = 3) -> AuthorSearch:
    """The author rows (``kb.network.pages.authors``) whose name or id holds every word of
    ``text`` in any order, accents and case ignored (``kb.records.names.fold``: "lonfeldt" finds
    Lønfeldt); blank text keeps every row. When none is found, each word found nowhere is
    replaced by the nearest words of the authors' names (rapidfuzz, at least 75 of 100), as the
    reference search suggests (``kb.browse.search.LibraryIndex.suggest``)."""
    rows = list(rows)
    words = fold(text).split()
    if not words:
        return AuthorSearch(rows)
    hay = [fold(f"{r.get('author', '')} {r.get('id', '')}") for r in rows]
    found = [r for r, h in zip(rows, hay, strict=True) if all(w in h for w in words)]
    if found:
        return AuthorSearch(found)
    from rapidfuzz import fuzz, process  # loaded only when a search finds nothing

    vocabulary: dict[str, str] = {}
    for r in rows:
        for word in _WORD.findall(str(r.get("author", ""))):
            vocabulary.setdefault(fold(word), word)
    options: list[list[str]] = []
    for word in words:
        if any(word in h for h in hay):
            options.append([word])
            continue
        near = process.extract(
            word, list(vocabulary), scorer=fuzz.ratio, limit=limit, score_cutoff=75
        )
        options.append([vocabulary[w] for w, _, _ in near])
    suggestions: list[str] = []
    for choice in itertools.islice(itertools.product(*options), 100):
        query = " ".join(choice)
        folded = fold(query).split()
        if query not in suggestions and any(all(w in h for w in folded) for h in hay):
            suggestions.append(query)
    return AuthorSearch([], suggestions[:limit])

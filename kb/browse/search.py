"""The dashboard's one reference search: every word, in any order, accents and case ignored.

"hazan 1987", "Shaver Hazan" and "lonfeldt" (for Lønfeldt) all find what a reader means: a
reference is found when each word of the search occurs somewhere in its key, title, authors'
names, venue, publisher or year, folded by ``kb.records.names.fold`` (the name normaliser). The
index is built once per knowledge base from one store query (``index-rows.rq``: the names as the
graph holds them, so a person or journal merged across references is found under each of its
names) and answers in milliseconds: a substring search in SPARQL read every title of the store on
every keystroke (72-325 ms over the 16,137 references of the 1,000x benchmark corpus). The
References page searches the worksheet in scope with it (``keys=``), the library search all of it,
and ``kb search`` is the same search. When nothing is found, ``suggest`` proposes the search
with each word that occurs nowhere replaced by the nearest word that does (rapidfuzz): "Hazen"
-> "Hazan", "Lonfeld" -> "Lønfeldt".

>>> import kb
>>> index = LibraryIndex.of(kb.load())
>>> [hit.key for hit in index.search("hazan 1987")]
['hazan1987']
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from kb.core.knowledge_base import KnowledgeBase
from kb.core.resolve import cited_keys
from kb.queries import sparql
from kb.records.models import Reference
from kb.records.names import fold

__all__ = ["Hit", "LibraryIndex"]

INDEX_ROWS = sparql("index-rows")
CITED_KEYS = sparql("cited-keys")


@dataclass(frozen=True)
class Hit:
    """A reference found, with the worksheets that print or link it."""

    key: str
    authors: str
    year: int | None
    title: str
    worksheets: tuple[str, ...]


@dataclass(frozen=True)
class LibraryIndex:
    """Every reference of a knowledge base with its folded search text, in key order."""

    keys: tuple[str, ...]
    texts: tuple[str, ...]
    names: tuple[str, ...]
    hits: dict[str, Hit]
    words: dict[str, str]  # every folded word of the index -> its first spelling, for suggestions

    @classmethod
    def of(cls, base: KnowledgeBase) -> LibraryIndex:
        """Index every reference of the graph: one store query, read once."""
        citing: dict[str, list[str]] = {}
        if base.from_store:  # a reopened store: the worksheets' records are not read
            for row in base.store.select(CITED_KEYS):
                citing.setdefault(str(row["key"]), []).append(str(row["worksheet"]))
        for sheet in [] if base.from_store else base.worksheets:
            for key in cited_keys(sheet):
                citing.setdefault(key, []).append(sheet.worksheet.id)
        fields: dict[str, set[str]] = {}
        who: dict[str, set[str]] = {}
        years: dict[str, int | None] = {}
        titles: dict[str, str] = {}
        for r in base.store.select(INDEX_ROWS):
            key, title = str(r["key"]), str(r["title"])
            year = r["year"] if isinstance(r["year"], int) else None
            parts = (key, title, _s(r["who"]), _s(r["venue"]), _s(r["publisher"]), _s(year))
            fields.setdefault(key, set()).update(p for p in parts if p)
            who.setdefault(key, set()).update(p for p in (_s(r["who"]), _s(year)) if p)
            titles[key] = title
            years[key] = year
        keys = tuple(sorted(fields))
        hits = {
            k: Hit(
                k,
                _authors(base.references[k]) if k in base.references else "",
                years[k],
                titles[k],
                tuple(citing.get(k, ())),
            )
            for k in keys
        }
        texts = tuple(fold("\n".join(sorted(fields[k]))) for k in keys)
        names = tuple(fold("\n".join(sorted(who[k]))) for k in keys)
        words: dict[str, str] = {}
        for k in keys:
            for word in _WORD.findall("\n".join(sorted(fields[k]))):
                words.setdefault(fold(word), word)
        return cls(keys, texts, names, hits, words)

    def search(
        self, text: str, *, keys: Collection[str] | None = None, limit: int | None = None
    ) -> list[Hit]:
        """References in which every word of ``text`` occurs (any order, case or accents),
        among ``keys`` if given: those whose authors and year hold the most words first, then
        in key order; ``limit`` keeps the first ones. Blank text finds nothing."""
        words = fold(text).split()
        if not words or (limit is not None and limit < 1):
            return []
        found: list[tuple[int, str]] = []
        rows: Iterable[int]
        if keys is None:
            rows = range(len(self.keys))
        else:  # only the keys in scope: a worksheet's 20 of 160,000 (10,000x: 32 ms -> 0.1 ms)
            rows = sorted(self.position[k] for k in keys if k in self.position)
        for row in rows:
            haystack = self.texts[row]
            if all(w in haystack for w in words):
                found.append((-sum(w in self.names[row] for w in words), self.keys[row]))
        return [self.hits[key] for _, key in sorted(found)[:limit]]

    def suggest(
        self, text: str, *, keys: Collection[str] | None = None, limit: int = 3
    ) -> list[str]:
        """Searches that find something, for a search that finds nothing: each word that occurs
        in no reference replaced by the nearest words that do (rapidfuzz's ratio, at least
        75 of 100), nearest first; [] when the search finds something or nothing is near."""
        words = fold(text).split()
        if not words or self.search(text, keys=keys, limit=1):
            return []
        from rapidfuzz import fuzz, process  # loaded only when a search finds nothing

        options: list[list[str]] = []
        for word in words:
            if self.search(word, keys=keys, limit=1):
                options.append([word])
                continue
            near = process.extract(
                word, list(self.words), scorer=fuzz.ratio, limit=limit, score_cutoff=75
            )
            options.append([self.words[w] for w, _, _ in near])
        found: list[str] = []
        for choice in itertools.islice(itertools.product(*options), 100):
            query = " ".join(choice)
            if query not in found and self.search(query, keys=keys, limit=1):
                found.append(query)
        return found[:limit]

    @cached_property
    def position(self) -> dict[str, int]:
        """Each key's row in the index."""
        return {key: row for row, key in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)


def _authors(ref: Reference) -> str:
    names = [a.display for a in ref.authors]
    return "; ".join(names[:3]) + (" et al." if len(names) > 3 else "")


_WORD = re.compile(r"\w{3,}")


def _s(value: object) -> str:
    return "" if value is None else str(value)

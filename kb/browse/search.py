"""Search a whole library's references from memory: the dashboard's library-wide search box.

A substring search in SPARQL (``FILTER(CONTAINS(LCASE(...)))``) reads every title of the store
on every keystroke: 72-325 ms over the 16,137 references of the 1,000x benchmark corpus. The
dashboard instead builds this index once per knowledge base (one store query: the rows that
search filters) and answers in a few milliseconds. It matches exactly what
``kb.browse.views.SEARCH_REFERENCES`` matches: the text, in lower case, inside
``key title author venue publisher`` for one of the reference's authors, as the graph holds
them (a person or journal merged across references matches under each of its names). Blank
text finds nothing here (the dashboard sends none).

>>> import kb
>>> index = LibraryIndex.of(kb.load())
>>> [hit.key for hit in index.search("Hazan")]
['hazan1987', 'sbarra2008', 'selcuk2010']
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.knowledge_base import KnowledgeBase
from kb.narrow import keys_of
from kb.queries import sparql
from kb.records.models import Reference

__all__ = ["Hit", "LibraryIndex"]

_SEP = "\x00"  # between one author's row and the next: no typed text contains it

INDEX_ROWS = sparql("index-rows")


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
    """Every reference of a knowledge base with its lower-case search text, in key order."""

    keys: tuple[str, ...]
    texts: tuple[str, ...]
    hits: dict[str, Hit]

    @classmethod
    def of(cls, base: KnowledgeBase) -> LibraryIndex:
        """Index every reference of the graph: one store query, read once (its text as the
        graph holds it, so merged people and journals match as in SPARQL)."""
        citing: dict[str, list[str]] = {}
        for sheet in base.worksheets:
            for key in keys_of(sheet):
                citing.setdefault(key, []).append(sheet.worksheet.id)
        rows: dict[str, list[str]] = {}
        years: dict[str, int | None] = {}
        titles: dict[str, str] = {}
        for r in base.store.select(INDEX_ROWS):
            key, title = str(r["key"]), str(r["title"])
            parts = (key, title, _s(r["who"]), _s(r["venue"]), _s(r["publisher"]))
            rows.setdefault(key, []).append(" ".join(parts).lower())
            titles[key] = title
            years[key] = r["year"] if isinstance(r["year"], int) else None
        keys = tuple(sorted(rows))
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
        return cls(keys, tuple(_SEP.join(sorted(set(rows[k]))) for k in keys), hits)

    def search(self, text: str, *, limit: int | None = None) -> list[Hit]:
        """References whose key, title, an author, venue or publisher contain ``text`` (any
        case), in key order; ``limit`` stops early. Empty text finds nothing."""
        needle = text.strip().lower()
        if not needle or (limit is not None and limit < 1):
            return []
        found: list[Hit] = []
        for key, haystack in zip(self.keys, self.texts, strict=True):
            if needle in haystack:
                found.append(self.hits[key])
                if limit is not None and len(found) >= limit:
                    break
        return found

    def __len__(self) -> int:
        return len(self.keys)


def _authors(ref: Reference) -> str:
    names = [a.display for a in ref.authors]
    return "; ".join(names[:3]) + (" et al." if len(names) > 3 else "")


def _s(value: object) -> str:
    return "" if value is None else str(value)

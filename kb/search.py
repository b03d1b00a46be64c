"""Search a whole library's references from memory: the dashboard's library-wide search box.

A substring search in SPARQL (``FILTER(CONTAINS(LCASE(...)))``) reads every title of the store
on every keystroke: 72-325 ms over the 16,137 references of the 1,000x benchmark corpus. The
dashboard instead builds this index once per knowledge base (from the records it has already
read, no store query) and answers in a few milliseconds. It matches exactly what
``kb.views.SEARCH_REFERENCES`` matches: the text, in lower case, inside
``key title author venue publisher`` for one of the reference's authors (tested on the seed).

>>> import kb
>>> index = LibraryIndex.of(kb.load())
>>> [hit.key for hit in index.search("Hazan")][:2]
['hazan1987', 'hazan1994']
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.api import KnowledgeBase
from kb.models import Reference

__all__ = ["Hit", "LibraryIndex"]

_SEP = "\x00"  # between one author's row and the next: no typed text contains it


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
        """Index the references that a worksheet prints or links (as the graph holds them)."""
        citing: dict[str, list[str]] = {}
        for sheet in base.worksheets:
            wid = sheet.worksheet.id
            used = {n.key for n in sheet.references} | {x.reference for x in sheet.links}
            for key in used:
                citing.setdefault(key, []).append(wid)
        keys = tuple(sorted(k for k in citing if k in base.references))
        refs = [base.references[k] for k in keys]
        hits = {r.key: Hit(r.key, _authors(r), r.year, r.title, tuple(citing[r.key])) for r in refs}
        return cls(keys, tuple(_text(r) for r in refs), hits)

    def search(self, text: str, *, limit: int | None = None) -> list[Hit]:
        """References whose key, title, an author, venue or publisher contain ``text`` (any
        case), in key order; ``limit`` stops early. Empty text finds nothing."""
        needle = text.strip().lower()
        if not needle:
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


def _text(ref: Reference) -> str:
    """One ``key title author venue publisher`` line per author (SEARCH_REFERENCES' rows)."""
    tail = f"{ref.journal or ''} {ref.publisher or ''}"
    rows = (f"{ref.key} {ref.title} {a.display} {tail}" for a in ref.authors)
    return _SEP.join(rows).lower()

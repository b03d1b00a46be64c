"""BibTeX and BibLaTeX, written through bibtexparser.

Names are handed to bibtexparser as ``NameParts`` and merged back by its own middlewares
(``MergeNameParts`` + ``MergeCoAuthors``), so no ``NameParts(...)`` can leak into the file. The
text stays UTF-8 (diacritics are not LaTeX-encoded); only the five specials & % # _ $ are
escaped, never in ``url`` or ``doi``, exactly as ``references.bib`` stores them.

- ``biblatex``: ``@article`` / ``@online`` with ``date`` and ``entrysubtype``; it has the shape
  of ``references.bib`` and reads back through :func:`kb.records.bib.parse_bib` unchanged.
- ``bibtex``: classic BibTeX: web pages become ``@misc`` with ``url`` and ``howpublished``,
  months are the standard macros (``month = nov``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from bibtexparser import middlewares as mw
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from kb.records.bib import encode_latex_specials
from kb.records.models import Author, Reference

__all__ = ["to_bibtex"]

Dialect = Literal["bibtex", "biblatex"]
_VERBATIM = {"url", "doi"}


def to_bibtex(refs: Iterable[Reference], dialect: Dialect = "biblatex") -> str:
    """The references as a .bib file in ``dialect``, entries in key order."""
    library = Library()
    for ref in sorted(refs, key=lambda r: r.key):
        library.add(_entry(ref, dialect))
    if not library.entries:
        return ""
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    prepend: list[mw.BlockMiddleware] = [mw.MergeNameParts(style="last"), mw.MergeCoAuthors()]
    if dialect == "bibtex":
        prepend.append(mw.MonthAbbreviationMiddleware())
    text: str = write_string(library, prepend_middleware=prepend, bibtex_format=fmt)
    return text.strip() + "\n"


def _name(author: Author) -> mw.NameParts:
    if author.literal:  # braces keep an organisation one name
        return mw.NameParts(last=["{" + encode_latex_specials(author.literal) + "}"])
    family = encode_latex_specials(author.family or "")
    given = encode_latex_specials(author.given) if author.given else ""
    return mw.NameParts(first=given.split() if given else [], last=[family])


def _entry(ref: Reference, dialect: Dialect) -> Entry:
    online = ref.entry_type == "online"
    fields: list[tuple[str, object]] = [
        ("author", [_name(a) for a in ref.authors]),
        ("title", ref.title),
        ("journal", ref.journal),
    ]
    if dialect == "biblatex":
        date = None
        if ref.year is not None and ref.month is not None:
            date = f"{ref.year:04d}-{ref.month:02d}" + (f"-{ref.day:02d}" if ref.day else "")
        fields += [("date", date), ("year", None if date else ref.year)]
    else:
        fields += [("year", ref.year), ("month", ref.month)]
    fields += [("volume", ref.volume), ("number", ref.number), ("pages", ref.pages)]
    if dialect == "biblatex":
        fields += [("publisher", ref.publisher), ("doi", ref.doi), ("url", ref.url)]
        fields += [("entrysubtype", ref.kind if online else None)]
    else:
        fields += [("doi", ref.doi), ("url", ref.url), ("howpublished", ref.publisher)]
    entry_type = ref.entry_type if dialect == "biblatex" or not online else "misc"
    return Entry(
        entry_type,
        ref.key,
        [Field(key, _value(key, value)) for key, value in fields if value is not None],
    )


def _value(key: str, value: object) -> object:
    if isinstance(value, str) and key not in _VERBATIM:
        return encode_latex_specials(value)
    if isinstance(value, int):
        return value if key == "month" else str(value)
    return value

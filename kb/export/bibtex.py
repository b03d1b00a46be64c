"""BibTeX and BibLaTeX, written through bibtexparser.

Names are handed to bibtexparser as ``NameParts`` and merged back by its own middlewares
(``MergeNameParts`` + ``MergeCoAuthors``), so no ``NameParts(...)`` can leak into the file. The
text stays UTF-8 (diacritics are not LaTeX-encoded); only the five specials & % # _ $ are
escaped, never in ``url`` or ``doi``, exactly as ``references.bib`` stores them.

- ``biblatex``: ``@article`` / ``@online`` with ``date`` and ``entrysubtype``, the site owner of
  an ``@online`` in ``organization`` (biblatex's data model has no ``publisher`` there; checked
  with ``biber --tool --validate-datamodel`` in the tests).
- ``bibtex``: classic BibTeX: web pages become ``@misc`` with ``url`` and ``howpublished``,
  months are the standard macros (``month = nov``). BibTeX has no ``day`` field: a leading
  ``@comment`` names the entries whose day is left out (BibLaTeX and CSL-JSON keep it).

Titles are stored in APA sentence case, so every capital in them is meant. As Better BibTeX
for Zotero does, each word with a capital that a style could lower-case is brace-protected
(:func:`protect_capitals`): proper nouns, acronyms, the first word after a colon, a dash or a
question mark. Styles and engines that make sentence case (biblatex-apa, pandoc's citeproc)
then keep them. Unlike Better BibTeX we do not title-case the rest (no guessing at words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from bibtexparser import middlewares as mw
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, ExplicitComment, Field
from bibtexparser.writer import BibtexFormat

from kb.records.bib import encode_latex_specials
from kb.records.models import Author, Reference

__all__ = ["protect_capitals", "to_bibtex"]

Dialect = Literal["bibtex", "biblatex"]
_VERBATIM = {"url", "doi"}
# a LaTeX command (\textasciitilde{}) or escape (\_), left alone; or a word (letters, digits)
_WORD = re.compile(r"\\[A-Za-z]+\{\}|\\.|[^\W_]+(?:[-'’][^\W_]+)*")
_NO_DAY = (
    "BibTeX has no day field: the day of {keys} is left out here; "
    "the biblatex and csl-json exports keep the full date."
)


def to_bibtex(refs: Iterable[Reference], dialect: Dialect = "biblatex") -> str:
    """The references as a .bib file in ``dialect``, entries in key order."""
    refs = sorted(refs, key=lambda r: r.key)
    if not refs:
        return ""
    library = Library()
    dayless = [r.key for r in refs if r.day is not None]
    if dialect == "bibtex" and dayless:
        library.add(ExplicitComment(_NO_DAY.format(keys=", ".join(dayless))))
    for ref in refs:
        library.add(_entry(ref, dialect))
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    prepend: list[mw.BlockMiddleware] = [mw.MergeNameParts(style="last"), mw.MergeCoAuthors()]
    if dialect == "bibtex":
        prepend.append(mw.MonthAbbreviationMiddleware())
    # the library is this call's own: its middlewares may work in place (a deep copy per
    # entry made writing 10,000 entries take 9 s)
    stack = [*prepend, *default_unparse_stack(allow_inplace_modification=True)]
    text: str = write_string(library, unparse_stack=stack, bibtex_format=fmt)
    return text.strip() + "\n"


def protect_capitals(title: str) -> str:
    """Brace every word with a capital a sentence-casing style must keep: any capitalised
    word after the first, and the first word too when a capital follows its first letter.

    >>> protect_capitals("Adult attachment style and anxiety – The mediating role")
    'Adult attachment style and anxiety – {The} mediating role'
    >>> protect_capitals("DNA of Freud and Jung")
    '{DNA} of {Freud} and {Jung}'
    """
    words = [m for m in _WORD.finditer(title) if not m.group().startswith("\\")]
    first = words[0].start() if words else -1

    def brace(match: re.Match[str]) -> str:
        word = match.group()
        capitals = word[1:] if match.start() == first else word
        if word.startswith("\\") or not any(c.isupper() for c in capitals):
            return word
        return "{" + word + "}"

    return _WORD.sub(brace, title)


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
        ("title", protect_capitals(encode_latex_specials(ref.title))),
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
        # biblatex's data model: an @online's site owner is its `organization` (no `publisher`)
        owner = "organization" if online else "publisher"
        fields += [(owner, ref.publisher), ("doi", ref.doi), ("url", ref.url)]
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
    if isinstance(value, str) and key not in _VERBATIM | {"title"}:  # title: escaped above
        return encode_latex_specials(value)
    if isinstance(value, int):
        return value if key == "month" else str(value)
    return value

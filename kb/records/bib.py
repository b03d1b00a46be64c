"""``references.bib`` -> typed Reference records.

bibtexparser never raises: duplicate keys, unbalanced braces and bad names land in
``library.failed_blocks``. Every failed block is an error here, never a silent skip, and so
are the cases it accepts silently (empty key, keys differing only in case, ``and and``).
The .bib holds UTF-8; only the LaTeX escapes of the five special characters are decoded, and
never in ``url`` or ``doi`` (see FIELD-NOTES: LatexDecodingMiddleware corrupts them).
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bibtexparser import middlewares as mw
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock
from pydantic import ValidationError

from kb.errors import KbError
from kb.files import read_input
from kb.records.models import Author, Reference

__all__ = ["decode_latex_specials", "encode_latex_specials", "load_bib", "parse_bib"]

_SPECIALS = "&%#_$"
_KNOWN_FIELDS = {
    "author", "title", "journal", "year", "date", "volume", "number", "pages",
    "doi", "url", "publisher", "organization", "entrysubtype",
}  # fmt: skip
# biblatex's data model: an @article's publisher is `publisher`, an @online's site owner is its
# `organization` (@online has no `publisher`); both are the model's `publisher`
_OWNER_FIELD = {"article": "publisher", "online": "organization"}
_VERBATIM_FIELDS = {"url", "doi"}


_TEXT_COMMANDS = {"~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}


_ESCAPED = re.compile(r"\\([&%#_$])")


def decode_latex_specials(text: str) -> str:
    """``\\&`` -> ``&`` (and % # _ $ ~ ^); drop the braces BibTeX uses to protect case."""
    if "\\" not in text and "{" not in text and "}" not in text:
        return text  # most fields: nothing to decode (a third of the bib's parse time at 16k)
    for char, command in _TEXT_COMMANDS.items():
        text = text.replace(command, char)
    text = _ESCAPED.sub(r"\1", text)
    return text.replace("{", "").replace("}", "")


def encode_latex_specials(text: str) -> str:
    """The inverse of :func:`decode_latex_specials`: escape & % # _ $, spell out ~ and ^
    (a bare ``~`` is a tie, i.e. a space, in BibTeX names and text)."""
    text = re.sub(r"(?<!\\)([&%#_$])", r"\\\1", text)
    return "".join(_TEXT_COMMANDS.get(c, c) for c in text)


def load_bib(path: Path) -> list[Reference]:
    """Read and validate a .bib file; any problem is a KbError naming the file and the key."""
    return parse_bib(read_input(path, "bib file"), path)


CHUNK_CHARS = 1_000_000  # a bib larger than this is parsed a slice of entries at a time
_ENTRY_START = re.compile(r"^@", re.MULTILINE)


def parse_bib(text: str, path: Path | str = "<string>") -> list[Reference]:
    """Parse BibTeX text into Reference records, sorted by key.

    The fast way first (:func:`_parse_fast`); anything unusual in it, an error above all, parses
    the whole text again the plain way (:func:`_parse`), so records and messages are always
    those of one plain parse.
    """
    with _gc_paused():
        try:
            return _parse_fast(text, path)
        except (KbError, InvalidNameError, _UnusualError):
            return _parse(text, path)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a parse: bibtexparser allocates about a million
    objects for 16k entries, and collector passes over them cost a fifth of the time. Cycles
    made meanwhile are collected afterwards; a collector already off stays off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _UnusualError(Exception):
    """Something the fast parse leaves to the plain one (which names the problem)."""


def _parse_fast(text: str, path: Path | str) -> list[Reference]:
    """bibtexparser's splitter and default middlewares only; names split by its own functions
    once per distinct name (:class:`_People`); keys checked across the whole text.

    A large bib is parsed in slices of whole entries, so bibtexparser's blocks for only one
    slice are alive at a time (10,000x: 160k entries).
    """
    whole = len(text) <= CHUNK_CHARS or re.search(r"^\s*@\s*(string|preamble)\b", text, re.I | re.M)
    slices: Iterable[tuple[int, int, int]] = [(0, len(text), 0)] if whole else _slices(text)
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # failed blocks: _parse says
    people = _People()
    references: list[Reference] = []
    for start, end, line in slices:
        library = parse_string(text[start:end])  # @string values resolved, enclosing removed
        if library.failed_blocks or not library.entries:
            raise _UnusualError
        for entry in library.entries:
            fields = {f.key.lower(): f.value for f in entry.fields}  # as NormalizeFieldKeys
            references.append(_to_reference(entry, fields, people.authors, path, line))
    _check_keys(references, path)
    return sorted(references, key=lambda r: r.key)


class _People:
    """Authors by name as written, each name split once per parse by the functions of
    bibtexparser's SeparateCoAuthors and SplitNameParts (a name recurs across entries)."""

    def __init__(self) -> None:
        self._known: dict[str, Author] = {}

    def authors(self, value: object, path: Path | str, key: str) -> list[Author]:
        """The entry's author list; what :func:`_authors` would refuse is unusual."""
        if not isinstance(value, str):
            raise _UnusualError
        authors = []
        for name in split_multiple_persons_names(value):
            author = self._known.get(name)
            if author is None:
                parts = parse_single_name_into_parts(name)
                if _stray_and(parts):
                    raise _UnusualError
                author = self._known[name] = _author(parts, path, key)
            authors.append(author)
        if not authors:
            raise _UnusualError
        return authors


def _slices(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, lines before start) of slices of about CHUNK_CHARS, cut where a line opens
    an entry with ``@``."""
    start, line = 0, 0
    while start < len(text):
        cut = (
            _ENTRY_START.search(text, start + CHUNK_CHARS)
            if start + CHUNK_CHARS < len(text)
            else None
        )
        end = cut.start() if cut else len(text)
        yield start, end, line
        line += text.count("\n", start, end)
        start = end


def _check_keys(references: list[Reference], path: Path | str) -> None:
    """What a single parse would catch across slices: a key twice, or twice but for case."""
    seen: dict[str, str] = {}
    for ref in references:
        folded = ref.key.lower()
        if folded in seen:
            raise KbError("key repeated across the bib", path=path, record=ref.key)
        seen[folded] = ref.key


def _parse(text: str, path: Path | str) -> list[Reference]:
    """The plain parse: all of the text at once, names split by bibtexparser's middlewares;
    every problem is a KbError here. Records sorted by key."""
    if not text.strip():
        raise KbError("empty bib file; add @article{...} entries", path=path)
    logging.getLogger("bibtexparser").setLevel(
        logging.CRITICAL
    )  # we report failed blocks ourselves
    library = parse_string(
        text,
        append_middleware=[mw.NormalizeFieldKeys(), mw.SeparateCoAuthors(), mw.SplitNameParts()],
    )
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            raise KbError(
                f"duplicate key '{block.key}' (line {line}); give each entry its own key",
                path=path,
                record=block.key,
            )
        if isinstance(block, ParsingFailedBlock):
            found = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", block.raw or "")
            # bibtexparser's error for an unbalanced brace has no text: say what it means
            detail = " ".join(str(block.error or "").split()) or "unbalanced braces or quotes"
            raise KbError(
                f"line {line}: {detail}; fix the entry's braces and commas",
                path=path,
                record=found.group(1) if found else None,
            )
        raise KbError(f"line {line}: could not parse this block", path=path)
    if not library.entries:
        raise KbError("no entries found; add @article{...} entries", path=path)
    seen: dict[str, str] = {}
    references = []
    for entry in library.entries:
        key = entry.key.strip()
        if not key:
            raise KbError(
                f"entry on line {(entry.start_line or 0) + 1} has an empty key", path=path
            )
        folded = key.lower()
        if folded in seen:
            raise KbError(
                f"key differs only in case from '{seen[folded]}'; BibTeX keys are "
                "case-insensitive, rename one",
                path=path,
                record=key,
            )
        seen[folded] = key
        fields = {f.key: f.value for f in entry.fields}
        references.append(_to_reference(entry, fields, _authors, path))
    return sorted(references, key=lambda r: r.key)


def _to_reference(
    entry: Entry,
    fields: dict[str, Any],
    authors: Callable[[object, Path | str, str], list[Author]],
    path: Path | str,
    line_offset: int = 0,
) -> Reference:
    """One entry (its fields by lower-case name) as a Reference; ``authors`` reads the
    ``author`` field (split by the middlewares, or as written)."""
    key = entry.key
    unknown = sorted(set(fields) - _KNOWN_FIELDS)
    if unknown:
        raise KbError(
            f"unknown field(s) {', '.join(unknown)}; remove or rename", path=path, record=key
        )
    if entry.entry_type not in ("article", "online"):
        raise KbError(
            f"entry type @{entry.entry_type} not supported (use @article or @online)",
            path=path,
            record=key,
        )
    owner = _OWNER_FIELD[entry.entry_type]
    wrong = ({"publisher", "organization"} - {owner}) & set(fields)
    if wrong:
        raise KbError(
            f"@{entry.entry_type} has no field '{wrong.pop()}' in biblatex's data model; "
            f"name the {'site owner' if owner == 'organization' else 'publisher'} '{owner}'",
            path=path,
            record=key,
        )
    values: dict[str, object] = {}
    for name, value in fields.items():
        if name == "author":
            continue
        if not isinstance(value, str):
            raise KbError(f"field '{name}' is not text", path=path, record=key)
        values[name] = value.strip() if name in _VERBATIM_FIELDS else decode_latex_specials(value)
    year, month, day = _date(values.pop("date", None), values.pop("year", None), path, key)
    values |= {
        "key": key,
        "entry_type": entry.entry_type,
        "authors": authors(fields.get("author"), path, key),
        "year": year,
        "month": month,
        "day": day,
        "kind": str(values.pop("entrysubtype", "article")),
        "publisher": values.pop(owner, None),
        "line": (entry.start_line or 0) + 1 + line_offset,
    }
    try:
        return Reference(**values)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise KbError(f"field '{where}': {err['msg']}", path=path, record=key) from None


def _date(
    date: object, year: object, path: Path | str, key: str
) -> tuple[int | None, int | None, int | None]:
    if date is not None:
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(date))
        if not match:
            raise KbError(f"date '{date}' is not YYYY[-MM[-DD]]", path=path, record=key)
        y, m, d = match.groups()
        return int(y), int(m) if m else None, int(d) if d else None
    if year is None:
        return None, None, None
    if not re.fullmatch(r"\d{4}", str(year)):
        raise KbError(
            f"year '{year}' is not four digits (leave it out if unknown)", path=path, record=key
        )
    return int(str(year)), None, None


def _authors(value: object, path: Path | str, key: str) -> list[Author]:
    """An author list as split by the SeparateCoAuthors and SplitNameParts middlewares."""
    if isinstance(value, list) and any(_stray_and(p) for p in value if isinstance(p, mw.NameParts)):
        raise KbError("'and and' or a stray 'and' in the author list", path=path, record=key)
    if not value:
        raise KbError("no author; every reference needs one", path=path, record=key)
    if not isinstance(value, list):
        raise KbError("author list could not be split", path=path, record=key)
    authors = []
    for parts in value:
        if not isinstance(parts, mw.NameParts):
            raise KbError("author list could not be split", path=path, record=key)
        authors.append(_author(parts, path, key))
    return authors


def _stray_and(parts: mw.NameParts) -> bool:
    """``and and`` (or a trailing ``and``) leaves the word "and" in a name's parts."""
    return "and" in [w.lower() for w in (*parts.von, *parts.first, *parts.last)]


def _author(parts: mw.NameParts, path: Path | str, key: str) -> Author:
    family = " ".join([*parts.von, *parts.last]).strip()
    given = " ".join(parts.first).strip()
    if not family and not given:
        raise KbError("empty name in author list ('and and'?)", path=path, record=key)
    if family.startswith("{") and family.endswith("}") and not given:
        return Author(literal=decode_latex_specials(family))
    suffix = " ".join(parts.jr).strip()
    family = decode_latex_specials(family + (f", {suffix}" if suffix else ""))
    return Author(family=family, given=decode_latex_specials(given) or None)

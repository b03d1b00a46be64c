"""The one writer of ``references.bib``: entries appended under a lock, read back before the
atomic replace.

Every writer of the bib (``kb import``, ``kb new``'s draft entries) goes through
:func:`append_entries`: it takes an exclusive lock beside the bib (two imports at once take
turns, and the second sees the first's entries), reads the bib, asks the caller which entries
to add given what the bib now holds, writes them in the dialect the loader reads (BibLaTeX,
``kb.export.bibtex``), parses the whole result back with the loader and compares every new
entry field by field with what was meant, and only then replaces the file atomically. An entry
that would not read back as it was meant (a title ending in a backslash, a stray brace) is
refused, naming the record and the field; the bib is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb.errors import KbError
from kb.export.bibtex import to_bibtex
from kb.files import locked, read_input, write_atomic
from kb.records.bib import parse_bib
from kb.records.models import Reference

__all__ = ["append_entries"]

Plan = Callable[[list[Reference]], list[Reference]]


def append_entries(bib_path: Path, plan: Plan, *, source: Path | str) -> list[Reference]:
    """Under the bib's lock: read it, add the entries ``plan(current references)`` returns,
    check that they read back as meant, replace the bib atomically. ``source`` is named in
    errors (the file the entries come from). Returns the entries added."""
    bib_path = Path(bib_path)
    with locked(bib_path):
        old = read_input(bib_path, "bib file")
        new = plan(parse_bib(old, bib_path))
        if new:
            write_atomic(bib_path, _checked_text(old, new, bib_path, source))
    return new


_COMPARED = (
    *("authors", "title", "year", "month", "day", "journal", "volume", "number"),
    *("pages", "doi", "url", "publisher", "entry_type", "kind"),
)


def _checked_text(old: str, new: list[Reference], bib_path: Path, source: Path | str) -> str:
    """The bib with ``new`` appended, once the loader reads each new entry back as meant."""
    text = old.rstrip("\n") + "\n\n" + to_bibtex(new)
    try:
        back = {r.key: r for r in parse_bib(text, bib_path)}
    except KbError as exc:
        raise KbError(
            f"would not read back from {bib_path.name} ({exc.message}); fix the record "
            "(a backslash or a stray brace?) and import again; nothing was written",
            path=source,
            record=exc.record,
        ) from None
    for ref in new:
        got = back.get(ref.key)
        for name in _COMPARED:
            if got is None or getattr(got, name) != getattr(ref, name):
                raise KbError(
                    f"field '{name}' would not read back from {bib_path.name} as written "
                    "(a backslash, brace or LaTeX command in it?); fix the record; nothing "
                    "was written",
                    path=source,
                    record=ref.key,
                )
    return text

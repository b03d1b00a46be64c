"""The one name normaliser: every person id, journal and curator slug, and every name lookup.

"Lønfeldt" and "Lonfeldt" are the same name here: letters NFKD does not decompose (ø, æ, ß, ł,
...) are spelled out first, accents dropped, case folded, anything else becomes a hyphen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = ["MAY_NOT_EXIST", "fold", "reference_label", "short_authors", "short_label", "slug"]

# What every door says of a reference whose existence is unconfirmed (``unverified: existence``)
MAY_NOT_EXIST = "may not exist"

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                       "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"})  # fmt: skip


def fold(text: str) -> str:
    """Case- and diacritic-insensitive form, punctuation kept: "Lønfeldt, N." -> "lonfeldt, n."."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    """Case- and diacritic-insensitive, hyphenated form: "Lønfeldt, N." -> "lonfeldt-n"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def short_authors(names: Sequence[str]) -> str:
    """How a reference's authors are named in a label: ``Hazan & Shaver``, ``Beeney et al.``, an
    organisation's name, or "" when there are none (family names or literal names given)."""
    if len(names) <= 1:
        return names[0] if names else ""
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al."


def short_label(names: Sequence[str], year: int | str | None) -> str:
    """The one short label of a reference, everywhere: ``Hazan & Shaver (1987)``; an undated
    source is ``(n.d.)``, as APA writes it."""
    return f"{short_authors(names) or 'Anonymous'} ({year or 'n.d.'})"


def reference_label(names: Sequence[str], year: int | str | None, *, unconfirmed: bool) -> str:
    """A reference as every door names it: ``Hazan & Shaver (1987)``, and a work whose existence
    is unconfirmed ``Zhang (2012, may not exist)`` (the warning inside the brackets, so the label
    reads whole inside a sentence or a list: "Zhang (2012, may not exist) and Jones (1983)")."""
    if not unconfirmed:
        return short_label(names, year)
    return short_label(names, f"{year or 'n.d.'}, {MAY_NOT_EXIST}")

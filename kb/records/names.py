"""The one name normaliser: every person id, journal and curator slug, and every name lookup.

"Lønfeldt" and "Lonfeldt" are the same name here: letters NFKD does not decompose (ø, æ, ß, ł,
...) are spelled out first, accents dropped, case folded, anything else becomes a hyphen.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slug"]

# Letters NFKD does not decompose into ASCII.
_FOLD = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                       "ß": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"})  # fmt: skip


def slug(text: str) -> str:
    """Case- and diacritic-insensitive, hyphenated form: "Lønfeldt, N." -> "lonfeldt-n"."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", folded.casefold()).strip("-")

"""HTML and Markdown escaping, and which URLs may become links: one place for each."""

from __future__ import annotations

import html
import re

__all__ = ["escape", "md_escape", "safe_url"]

# ---------------------------------------------------------------------------------------------
# Escaping: data from files is text, never markup.


def escape(text: object) -> str:
    """Text made safe inside HTML (element content and quoted attributes)."""
    return html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def md_escape(text: object) -> str:
    """Text made inert inside Streamlit markdown: no links, emphasis, HTML or LaTeX."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (``javascript:`` and friends are never links)."""
    if url and re.fullmatch(r"https?://[^\s<>\"']+", url.strip()):
        return url.strip()
    return None

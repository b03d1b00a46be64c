"""Data as text inside HTML and Markdown, and which URLs may become links: one place for each.

Every string that comes from a file (a title, a quote, a rationale) is text, never markup. The
reports and the APA export write CommonMark documents; the dashboard writes Streamlit markdown,
which also reads LaTeX (``$``), emoji shortcodes (``:name:``) and bare links, so it escapes more.
"""

from __future__ import annotations

import html
import re

from kb.iri import doi_url, web_url

__all__ = ["doi_link", "escape_html", "escape_markdown", "md_link", "safe_url"]

# CommonMark's inline specials that data may contain: code, emphasis, links, HTML, headings, tables
_COMMONMARK = re.compile(r"([\\`*_\[\]<>#|])")
# ... and what Streamlit's markdown also turns into something: LaTeX, emoji, lists, autolinks
_STREAMLIT = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def escape_html(text: object, *, quote: bool = True) -> str:
    """Text made safe inside HTML: element content, and quoted attributes unless ``quote=False``."""
    return html.escape("" if text is None else str(text), quote=quote)


def escape_markdown(text: object, *, streamlit: bool = False) -> str:
    """Text made inert inside Markdown: no links, emphasis or HTML. ``streamlit=True`` also
    disarms LaTeX and emoji shortcodes and folds whitespace (a label is one line)."""
    if streamlit:
        return _STREAMLIT.sub(r"\\\1", " ".join(str(text).split()))
    return _COMMONMARK.sub(r"\\\1", "" if text is None else str(text))


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) URL the IRI validator accepts, else None (``javascript:``
    and friends are never links); ``'``, ``(`` and ``)`` percent-encoded so that it cannot end
    a Markdown link or an HTML attribute."""
    checked = web_url(url.strip()) if url else None
    if checked is None:
        return None
    return checked.replace("'", "%27").replace("(", "%28").replace(")", "%29")


def md_link(label: object, url: str | None) -> str:
    """A Streamlit Markdown link: the label escaped, the URL validated (else the label alone)."""
    target = safe_url(url)
    text = escape_markdown(label, streamlit=True)
    return f"[{text}]({target})" if target else text


def doi_link(doi: str) -> str:
    """A Streamlit Markdown link to a DOI, built from the validated DOI (else the DOI as text)."""
    try:
        return md_link(doi, doi_url(doi))
    except ValueError:
        return escape_markdown(doi, streamlit=True)

"""Escaping for the dashboard: Streamlit markdown and HTML (the rules live in ``kb.markup``)."""

from __future__ import annotations

from kb.markup import doi_link, escape_html, escape_markdown, md_link, safe_url

__all__ = ["doi_link", "escape", "md_escape", "md_link", "safe_url"]


def escape(text: object) -> str:
    """Text made safe inside HTML (element content and quoted attributes)."""
    return escape_html(text)


def md_escape(text: object) -> str:
    """Text made inert inside Streamlit markdown: no links, emphasis, HTML or LaTeX."""
    return escape_markdown(text, streamlit=True)

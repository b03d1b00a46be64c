"""CSL-JSON and the reference list (APA 7 or another style; text, HTML, Markdown) as files."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kb.export.apa import render_references, to_csl_json
from kb.export.styles import DEFAULT_STYLE
from kb.markup import escape_html
from kb.records.models import Reference

__all__ = ["to_apa", "to_csl_json_text"]


def to_csl_json_text(refs: Iterable[Reference]) -> str:
    """A CSL-JSON array (UTF-8, indented), items in key order."""
    items = to_csl_json(sorted(refs, key=lambda r: r.key))
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_apa(refs: Iterable[Reference], fmt: str = "text", style: str = DEFAULT_STYLE) -> str:
    """The reference list in ``style`` (APA 7 by default): one entry per line (text), a
    ``csl-bib-body`` div (html), or one paragraph per entry (markdown)."""
    if fmt == "html":
        entries = render_references(refs, "html", style)
        rows = [
            f'  <div class="csl-entry" id="ref-{escape_html(key)}">{entry}</div>'
            for key, entry in entries.items()
        ]
        return "\n".join(['<div class="csl-bib-body">', *rows, "</div>"]) + "\n"
    if fmt == "markdown":
        return "\n\n".join(render_references(refs, "markdown", style).values()) + "\n"
    return "\n".join(render_references(refs, "text", style).values()) + "\n"

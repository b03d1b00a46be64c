"""CSL-JSON and the APA 7 reference list (text, HTML, Markdown) as files."""

from __future__ import annotations

import json
from collections.abc import Iterable

from kb.export.apa import render_apa, to_csl_json
from kb.markup import escape_html
from kb.records.models import Reference

__all__ = ["to_apa", "to_csl_json_text"]


def to_csl_json_text(refs: Iterable[Reference]) -> str:
    """A CSL-JSON array (UTF-8, indented), items in key order."""
    items = to_csl_json(sorted(refs, key=lambda r: r.key))
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_apa(refs: Iterable[Reference], fmt: str = "text") -> str:
    """The APA 7 reference list: one entry per line (text), a ``csl-bib-body`` div (html),
    or one paragraph per entry (markdown)."""
    if fmt == "html":
        entries = render_apa(refs, "html")
        rows = [
            f'  <div class="csl-entry" id="ref-{escape_html(key)}">{entry}</div>'
            for key, entry in entries.items()
        ]
        return "\n".join(['<div class="csl-bib-body">', *rows, "</div>"]) + "\n"
    if fmt == "markdown":
        return "\n\n".join(render_apa(refs, "markdown").values()) + "\n"
    return "\n".join(render_apa(refs, "text").values()) + "\n"

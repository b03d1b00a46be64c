"""Citations to copy: reference-list entries and in-text citations (as `kb cite` gives) in a
chosen style, the HTML of the button that copies them with their italics, and what an export
selection includes and leaves out, in words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kb.core.knowledge_base import KnowledgeBase
from kb.core.resolve import label_of
from kb.evidence.profile import reference_info
from kb.export.apa import cite_in_text, render_references
from kb.export.select import select_references
from kb.export.styles import DEFAULT_STYLE, STYLES
from kb.markup import escape_html
from kb.records.models import Reference
from kb.records.names import reference_label

__all__ = [
    "Citations",
    "Excluded",
    "citations",
    "copy_button_html",
    "excluded_from_selection",
    "label_of",
    "labels",
]


def labels(base: KnowledgeBase) -> dict[str, str]:
    """Every reference key -> its short label; a work whose existence is unconfirmed says so:
    ``Zhang (2012, may not exist)`` (``kb.records.names.reference_label``)."""
    unconfirmed = {k for k, info in reference_info(base).items() if info.unconfirmed}
    out = {}
    for key, ref in base.references.items():
        names = [a.family or a.literal or "" for a in ref.authors]
        out[key] = reference_label(names, ref.year, unconfirmed=key in unconfirmed)
    return out


@dataclass(frozen=True)
class Citations:
    """What a writer pastes: the reference list entries (plain text and HTML with italics) and
    the in-text forms (narrative in APA only, else None)."""

    entries: list[str]
    parenthetical: str
    narrative: str | None
    html_entries: list[str]

    @property
    def bibliography(self) -> str:
        """The entries as a plain-text reference list (one blank line between entries)."""
        return "\n\n".join(self.entries)

    @property
    def bibliography_html(self) -> str:
        """The entries as HTML paragraphs, italics as ``<i>`` (data already escaped)."""
        return "".join(f"<p>{entry}</p>" for entry in self.html_entries)


def citations(
    base: KnowledgeBase, refs: Sequence[Reference], style: str = DEFAULT_STYLE
) -> Citations:
    """Entries in ``style`` (APA 7 by default; sorted as the style sorts) and the in-text
    citation of ``refs``: parenthetical "(Hazan & Shaver, 1987)" and, in APA, narrative "Hazan
    and Shaver (1987)"; year suffixes (2012a) agree with the whole reference list, a numbered
    style's numbers with the entries listed here."""
    numbered = STYLES[style].numeric
    context = list(refs) if numbered else list(base.references.values())
    return Citations(
        entries=list(render_references(refs, "text", style).values()),
        parenthetical=cite_in_text(refs, context=context, style=style),
        narrative=cite_in_text(refs, narrative=True, context=context) if style == "apa" else None,
        html_entries=list(render_references(refs, "html", style).values()),
    )


def copy_button_html(label: str, text: str, html: str) -> str:
    """A page with one button that puts ``html`` (text/html, for a word processor's italics)
    and ``text`` (text/plain) on the clipboard, and says whether it could.

    ``html`` must already be escaped markup (as :func:`citations` gives it); both travel as JSON
    inside the page with ``<``, ``>`` and ``&`` as \\u escapes, so no data can close the script.
    """
    data = json.dumps({"text": text, "html": html}, ensure_ascii=True)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        data = data.replace(char, code)
    return _COPY_PAGE.replace("LABEL", escape_html(label)).replace("DATA", data)


_COPY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body{margin:0;font:15px "Source Sans Pro",sans-serif;color:#262730}
button{font:inherit;padding:.3rem .8rem;border:1px solid #6b6b76;border-radius:.5rem;
background:#fff;color:#262730;cursor:pointer}
button:hover{border-color:#1558b0;color:#1558b0}
button:focus-visible{outline:3px solid #1558b0;outline-offset:2px}
#done{margin-left:.6rem}
</style></head><body>
<button type="button" id="copy">LABEL</button><span id="done" role="status"></span>
<script id="data" type="application/json">DATA</script>
<script>
const data = JSON.parse(document.getElementById("data").textContent);
const done = document.getElementById("done");
document.getElementById("copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.write([new ClipboardItem({
      "text/html": new Blob([data.html], {type: "text/html"}),
      "text/plain": new Blob([data.text], {type: "text/plain"}),
    })]);
    done.textContent = "Copied, with italics";
  } catch (error) {
    done.textContent = "Could not copy: " + error.message;
  }
});
</script></body></html>
"""


@dataclass(frozen=True)
class Excluded:
    """A reference in scope that a selection leaves out, and why."""

    key: str
    label: str
    reasons: list[str]


def excluded_from_selection(
    base: KnowledgeBase,
    scope: Sequence[str],
    *,
    skills: Sequence[str] = (),
    topics: Sequence[str] = (),
    authors: Sequence[str] = (),
) -> list[Excluded]:
    """The references of ``scope`` the selection does not include, each with the filters that
    leave it out (e.g. "linked to no claim of the chosen skills": a reference linked only to the
    introduction or summary, or to nothing)."""
    filters = {
        "linked to no claim of the chosen skills": {"skills": skills} if skills else None,
        "not tagged with the chosen topics": {"topics": topics} if topics else None,
        "not by the chosen authors": {"authors": authors} if authors else None,
    }
    kept = {
        reason: {r.key for r in select_references(base, **f)}
        for reason, f in filters.items()
        if f is not None
    }
    out = []
    for key in scope:
        reasons = [reason for reason, keys in kept.items() if key not in keys]
        ref = base.references.get(key)
        if reasons and ref is not None:
            out.append(Excluded(key, label_of(ref), reasons))
    return out

"""Export the references in citation formats and RDF: one function, :func:`export`.

>>> import kb
>>> from kb.export import export
>>> export(kb.load(), "ris", skills=["minimize-stressors"]).count("ER  -")
3

The renderers are imported when first used (``kb.export.render``), so importing this package,
or its format table (``kb.export.formats``), costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kb.export.formats import EXPORT_FORMATS
from kb.export.select import select_references

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = ["EXPORT_FORMATS", "export", "select_references"]


def export(
    base: KnowledgeBase,
    fmt: str,
    *,
    skills: Iterable[str | int] = (),
    topics: Iterable[str] = (),
    authors: Iterable[str] = (),
    style: str = "apa",
) -> str:
    """The selected references (all without a filter) as text in ``fmt`` (``kb.export.render``);
    the ``bibliography`` formats in ``style`` (``kb.export.styles``)."""
    from kb.export.render import export as render

    return render(base, fmt, skills=skills, topics=topics, authors=authors, style=style)

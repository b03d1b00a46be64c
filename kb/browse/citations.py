"""Citations to copy: APA 7 entries and in-text citations (as `kb cite` gives), and what an
export selection includes and leaves out, in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.core.knowledge_base import KnowledgeBase
from kb.core.resolve import label_of
from kb.export.apa import cite_in_text, render_apa
from kb.export.select import select_references
from kb.records.models import Reference

__all__ = ["Citations", "Excluded", "citations", "excluded_from_selection", "label_of", "labels"]


def labels(base: KnowledgeBase) -> dict[str, str]:
    """Every reference key -> its short label."""
    return {k: label_of(r) for k, r in base.references.items()}


@dataclass(frozen=True)
class Citations:
    """What a writer pastes: the reference list entries and the two in-text forms."""

    entries: list[str]
    parenthetical: str
    narrative: str

    @property
    def bibliography(self) -> str:
        """The entries as a plain-text reference list (one blank line between entries)."""
        return "\n\n".join(self.entries)


def citations(base: KnowledgeBase, refs: Sequence[Reference]) -> Citations:
    """APA 7 entries (plain text, sorted as APA sorts) and the in-text citation of ``refs``,
    parenthetical "(Hazan & Shaver, 1987)" and narrative "Hazan and Shaver (1987)"; year
    suffixes (2012a) agree with the whole reference list."""
    context = list(base.references.values())
    rendered = render_apa(refs, fmt="text")
    return Citations(
        entries=list(rendered.values()),
        parenthetical=cite_in_text(refs, context=context),
        narrative=cite_in_text(refs, narrative=True, context=context),
    )


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

"""The Authors and Topics pages of one scope: an author's or a topic's references and skills,
narrowed to the worksheets in scope (kb.network.pages gives them for the whole graph)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb.browse.scope import reference_keys_in, skills_in
from kb.core.knowledge_base import KnowledgeBase, SkillRef
from kb.network import pages

__all__ = ["ScopedItem", "author_in_scope", "topic_in_scope"]


@dataclass(frozen=True)
class ScopedItem:
    """An author or a topic as a page shows it: its facts, its references in scope (key,
    label, title) and the skills in scope it reaches."""

    info: dict[str, Any]
    references: list[dict[str, Any]]
    skills: list[SkillRef]


def _scoped(base: KnowledgeBase, info: dict[str, Any], ws: str | None) -> ScopedItem:
    scope = set(reference_keys_in(base, ws))
    refs = [r for r in info["references"] if r["key"] in scope]
    reached = {r["skill"] for r in info["skills"]}
    return ScopedItem(info, refs, [s for s in skills_in(base, ws) if s.slug in reached])


def author_in_scope(base: KnowledgeBase, person: str, ws: str | None) -> ScopedItem:
    """One author's page: facts, references and skills reached in scope."""
    return _scoped(base, pages.author_info(base, person), ws)


def topic_in_scope(base: KnowledgeBase, topic: str, ws: str | None) -> ScopedItem:
    """One topic's page: its place in the tree, references and skills in scope."""
    return _scoped(base, pages.topic_info(base, topic), ws)

"""Scopes: the worksheets, skills and references a view covers, and the counts of a scope."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from kb.core import narrow
from kb.core.knowledge_base import KnowledgeBase
from kb.core.resolve import (
    SkillRef,
    cited_keys,
    resolve_author,
    resolve_reference,
    resolve_topic,
)
from kb.records.models import Reference, ReferenceNote, WorksheetData

__all__ = [
    "author_names",
    "counts",
    "is_library",
    "library_rows",
    "reference_keys_in",
    "skill_param",
    "skills_in",
    "topic_counts",
    "topic_labels",
    "url_value",
    "worksheets_in",
]

# ---------------------------------------------------------------------------------------------
# Scope: the worksheets, skills and references a view covers.


def worksheets_in(base: KnowledgeBase, ws: str | None) -> list[WorksheetData]:
    """The worksheets in scope (all of them for None)."""
    return [w for w in base.worksheets if ws is None or w.worksheet.id == ws]


def skills_in(base: KnowledgeBase, ws: str | None) -> list[SkillRef]:
    """The skills in scope, worksheet by worksheet, in worksheet order."""
    return [s for s in base.skills if ws is None or s.worksheet == ws]


def skill_param(base: KnowledgeBase, ref: SkillRef) -> str:
    """How a skill is written in a URL: its slug, or ``worksheet/slug`` where slugs repeat."""
    return ref.slug if base.slug_counts[ref.slug] == 1 else f"{ref.worksheet}/{ref.slug}"


def url_value(base: KnowledgeBase, kind: str, text: str) -> str:
    """How a URL names the skill, topic, author or reference ``text`` names (``kb.core.resolve``:
    any name the CLI accepts): a skill's ``skill_param``, a topic's id, a person's id, a key."""
    if kind == "skill":
        return skill_param(base, base.skill(text, given_as=kind))
    if kind == "topic":
        return resolve_topic(base, text).id
    if kind == "author":
        return resolve_author(base, text).person_id
    if kind == "reference":
        return resolve_reference(base, text).key
    raise ValueError(f"no URL value for a {kind}")


def library_rows(base: KnowledgeBase) -> list[dict[str, Any]]:
    """One row per worksheet, in folder order: its id, title and counts."""
    return [
        {
            "worksheet": w.worksheet.id,
            "title": w.worksheet.title,
            "skills": len(w.skills),
            "claims": len(w.claims),
            "links": len(w.links),
            "references": len(w.references),
        }
        for w in base.worksheets
    ]


def _notes(base: KnowledgeBase, ws: str | None) -> dict[str, list[tuple[str, ReferenceNote]]]:
    notes: dict[str, list[tuple[str, ReferenceNote]]] = {}
    for sheet in worksheets_in(base, ws):
        for note in sheet.references:
            notes.setdefault(note.key, []).append((sheet.worksheet.id, note))
    return notes


def reference_keys_in(base: KnowledgeBase, ws: str | None) -> list[str]:
    """Keys of the references the worksheets in scope cite (``kb.core.resolve.cited_keys``), printed
    ones in printed order (the lowest number where several worksheets print one), then by key."""
    first: dict[str, float] = {}
    for sheet in worksheets_in(base, ws):
        numbers = {n.key: n.number for n in sheet.references}
        for key in cited_keys(sheet):
            first[key] = min(first.get(key, float("inf")), numbers.get(key, float("inf")))
    return sorted(first, key=lambda k: (first[k], k))


def topic_labels(base: KnowledgeBase) -> dict[str, str]:
    """Every topic id with its label."""
    return {t.id: t.label for sheet in base.worksheets for t in sheet.topics}


def author_names(refs: Iterable[Reference]) -> dict[str, str]:
    """Person id -> display name, for the authors of these references."""
    return {a.person_id: a.display for ref in refs for a in ref.authors}


def counts(base: KnowledgeBase, ws: str | None) -> dict[str, int]:
    """How much the scope holds: worksheets, skills, claims, links, references, authors, topics."""
    sheets = worksheets_in(base, ws)
    keys = reference_keys_in(base, ws)
    refs = [base.references[k] for k in keys if k in base.references]
    topics = {t for s in sheets for sk in s.skills for t in sk.topics}
    topics |= {t for s in sheets for n in s.references for t in n.topics}
    return {
        "Worksheets": len(sheets),
        "Skills": sum(len(s.skills) for s in sheets),
        "Claims": sum(len(s.claims) for s in sheets),
        "Evidence links": sum(len(s.links) for s in sheets),
        "References": len(keys),
        "Authors": len(author_names(refs)),
        "Topics": len(topics),
    }


def topic_counts(base: KnowledgeBase, ws: str | None) -> dict[str, tuple[int, int]]:
    """Topic id -> (references, skills) in scope tagged with it directly."""
    refs: Counter[str] = Counter()
    for sheet in worksheets_in(base, ws):
        for note in sheet.references:
            refs.update(note.topics)
    skills = Counter(t for s in skills_in(base, ws) for t in s.skill.topics)
    return {t: (refs[t], skills[t]) for t in topic_labels(base)}


def is_library(base: KnowledgeBase) -> bool:
    """A library: so many worksheets that pages show one at a time (``LIBRARY_SCOPE_FROM``, read
    at each call)."""
    return len(base.worksheets) >= narrow.LIBRARY_SCOPE_FROM

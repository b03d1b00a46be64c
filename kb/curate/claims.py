"""Claim candidates: every sentence of a worksheet body, with exact offsets, its section and a
guessed kind, marked ``proposed``.

Sentences come from pysbd (rule-based sentence boundary detection, the Golden Rules set), run on
one paragraph at a time so no sentence crosses a heading. The kind is a guess for a curator to
correct, from cue words only (``guess_kind``):

- ``recommendation``: the main clause, after a leading "If …," / "When …," / "Next time …,"
  clause, opens with a verb in the imperative (bare "be", or a word that is not one of English's
  closed-class words, a plural, or an -ing/-ed/-ly form, followed by a closed-class word, a
  particle such as "aside", or an -ly/-ing word, but not by a modal, "be" or "who"), or the
  sentence says "it's important/helpful to", "should", "try to" or "the goal is";
- ``definition``: "X is/are a/an …", "means", "refers to", "is called", "is defined as", or
  a term named in parentheses ("(anxious style)");
- ``empirical``: everything else, a statement about the world that evidence could bear on.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from kb.records.models import SECTIONS_FIXED, Claim, ClaimKind

if TYPE_CHECKING:
    from kb.curate.body import Block, Page, Section

__all__ = ["claim_candidates", "guess_kind", "sentences"]

_CLOSED = frozenset(
    {
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "some",
        "any",
        "each",
        "every",
        "no",
        "all",
        "both",
        "either",
        "neither",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "me",
        "him",
        "us",
        "them",
        "who",
        "what",
        "which",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "if",
        "while",
        "though",
        "although",
        "because",
        "since",
        "as",
        "so",
        "but",
        "and",
        "or",
        "nor",
        "yet",
        "for",
        "of",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "to",
        "into",
        "onto",
        "about",
        "above",
        "below",
        "over",
        "under",
        "after",
        "before",
        "between",
        "through",
        "there",
        "here",
        "thankfully",
        "however",
        "often",
        "many",
        "much",
        "more",
        "most",
        "few",
        "several",
        "one",
        "two",
        "three",
        "four",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "not",
    }
)
_MODALS_AND_BE = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "can",
        "could",
        "will",
        "would",
        "may",
        "might",
        "must",
        "should",
        "do",
        "does",
        "did",
        "has",
        "have",
    }
)
_RELATIVE = frozenset({"who", "which", "whose", "whom"})
_PARTICLES = frozenset({"aside", "up", "out", "down", "back", "away", "off"})
_LEAD_CLAUSE = re.compile(r"^(?:if|when|whenever|next time|as|once|before|after)\b[^,]*,\s*", re.I)
_RECOMMEND = re.compile(
    r"\b(?:it[’']s (?:important|helpful|essential|best) to|should|try to|the goal is|"
    r"make sure|remember to)\b",
    re.I,
)
_DEFINE = re.compile(
    r"\b(?:means|refers to|is called|are called|is defined as|are defined as)\b"
    r"|^\S+(?:\s\S+){0,3}\s(?:is|are)\s(?:a|an)\s|\((?:[a-z]+\s){0,2}style\)",
    re.I,
)
_WORD = re.compile(r"[\w’'-]+")


def sentences(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence of ``text`` (trailing spaces not included)."""
    segmenter = _segmenter()
    spans = []
    for span in segmenter.segment(text):
        start, end = span.start, span.end
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            spans.append((start, end))
    return spans


@cache
def _segmenter():  # type: ignore[no-untyped-def]  # pysbd ships no type hints
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def guess_kind(sentence: str) -> ClaimKind:
    """A first guess at what kind of statement a sentence is (module docstring)."""
    if _RECOMMEND.search(sentence) or _imperative(sentence):
        return "recommendation"
    if _DEFINE.search(sentence):
        return "definition"
    return "empirical"


def _imperative(sentence: str) -> bool:
    clause = _LEAD_CLAUSE.sub("", sentence.strip(), count=1)
    words = [re.split(r"[’']", w)[0].lower() for w in _WORD.findall(clause)]
    if len(words) < 2:
        return False
    first, following = words[0], words[1]
    if first == "be":
        return True  # "Be proactive …": a clause that opens with bare "be" is a command
    if first in _CLOSED or "-" in first or first.endswith(("ing", "ed", "ly")):
        return False
    if first.endswith("s") and not first.endswith("ss"):
        return False  # a plural noun or a third-person verb: the clause has a subject
    return (
        following in _CLOSED or following in _PARTICLES or following.endswith(("ly", "ing"))
    ) and following not in _MODALS_AND_BE | _RELATIVE  # "Children who …": a noun, a subject


def claim_candidates(page: Page) -> list[Claim]:
    """Every sentence of the body's prose as a proposed claim, in the text's order."""
    placed: list[tuple[str, Block]] = [(SECTIONS_FIXED[0], b) for b in page.introduction]
    for section in page.sections:
        name = section.slug if section.role == "skill" else SECTIONS_FIXED[1]
        if section.role == "group":
            name = SECTIONS_FIXED[0] if _before_skills(page, section) else SECTIONS_FIXED[1]
        placed += [(name, b) for b in section.blocks]
    claims: list[Claim] = []
    counts: dict[str, int] = {}
    for name, block in placed:
        if block.kind != "prose":
            continue
        for start, end in sentences(block.text):
            quote = block.text[start:end]
            counts[name] = counts.get(name, 0) + 1
            claims.append(
                Claim(
                    id=f"{name}-{counts[name]}",
                    section=name,
                    kind=guess_kind(quote),
                    quote=quote,
                    start=block.start + start,
                    end=block.start + end,
                    status="proposed",
                )
            )
    return claims


def _before_skills(page: Page, section: Section) -> bool:
    skills = page.skills
    return bool(skills) and page.sections.index(section) < page.sections.index(skills[0])

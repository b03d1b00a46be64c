"""How a link's basis and findings are put into words, the same in the CLI, report and dashboard."""

from __future__ import annotations

from typing import Protocol

__all__ = [
    "CLAIM_KINDS",
    "REPORTS_HEADING",
    "TITLE_ONLY",
    "basis_words",
    "finding_source",
    "finding_source_part",
    "review_words",
]

REPORTS_HEADING = "What the source reports"
TITLE_ONLY = "title only: nobody here has read more than the reference's title"


# What each kind of claim is, for readers (the curators' three kinds)
CLAIM_KINDS = {
    "recommendation": "advice: tells the reader to do something",
    "empirical": "a statement of fact about people that research can test",
    "definition": "says what a term or idea means",
}


def basis_words(basis: str, *, web_page: bool = False) -> str:
    """What a link was judged from, in words: ``its title only``, ``its abstract``, ``the full
    text`` (``the whole web page`` for a web page, which has no abstract)."""
    if basis == "full-text":
        return "the whole web page" if web_page else "the full text"
    if basis == "title":
        return "its title only"
    return f"its {basis}"


class _Finding(Protocol):
    @property
    def part(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def read(self) -> str: ...


def finding_source(finding: _Finding) -> str:
    """``our summary of its abstract, read at URL on DATE`` (the part of the page as recorded)."""
    part = finding_source_part(finding.part)
    return f"our summary of {part}, read at {finding.url} on {finding.read}"


def finding_source_part(part: str) -> str:
    """``its abstract``, ``its introduction, ...``, or the part as recorded."""
    first = part.split(" ", maxsplit=1)[0].strip(",")
    return f"its {part}" if first in {"abstract", "introduction"} else part


def review_words(status: str | None) -> str:
    """A link's second-review status for people: agreed, resolved (how), or not yet reviewed."""
    if status is None:
        return "not yet reviewed twice"
    if status == "agreed":
        return "two reviewers agreed"
    return status

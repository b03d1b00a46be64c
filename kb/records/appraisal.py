"""Words that appraise a source rather than report it: ``kb check`` refuses them in a finding.

A finding states what a source reports, at the source's own certainty; whether that is background,
weak or evidence of nothing is the curators' judgement and belongs in a link's rationale, where a
second reviewer judging the link does not see it (issue 22). The list is small on purpose: each
phrase below is one the curators used, or would use, to judge a source, and none is needed to
say what a source reports.
"""

from __future__ import annotations

import re

__all__ = ["APPRAISAL_PHRASES", "appraisal_words"]

APPRAISAL_PHRASES: tuple[str, ...] = (
    "background",  # a stance: "this is background"
    "own result",  # "not the study's own result"
    "cites no",  # "it cites no study of this"
    "names no",  # "they name no technique" (a negative read from a part of the text)
    "name no",
    "reports no",  # "it reports no data"
    "no data",
    "no evidence",
    "anecdotal",
    "merely",
    "unproven",
    "weak evidence",
    "take the evidence to show",  # a stronger verb than the source's own
)
_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in APPRAISAL_PHRASES) + r")\b", re.IGNORECASE
)


def appraisal_words(statement: str) -> list[str]:
    """The appraisal phrases in ``statement``, in order of first appearance (empty if none)."""
    seen: dict[str, None] = {}
    for match in _PATTERN.finditer(statement):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)

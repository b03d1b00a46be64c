"""Claim candidates: sentences of the body with exact offsets, a section and a guessed kind."""

from __future__ import annotations

import pytest

from kb.curate.body import read_page
from kb.curate.claims import claim_candidates, guess_kind
from tests.curate.helpers import curated, page_text


def _candidates():  # type: ignore[no-untyped-def]
    page = read_page(page_text())
    return page, claim_candidates(page)


def test_offsets_are_exact_and_proposed() -> None:
    """Every candidate's quote stands at its offsets in the body, and is proposed."""
    page, claims = _candidates()
    assert claims
    assert all(page.body[c.start : c.end] == c.quote for c in claims)
    assert {c.status for c in claims} == {"proposed"}
    assert len({c.id for c in claims}) == len(claims)


def test_candidates_cover_the_curated_claims() -> None:
    """At least 90% of curated claims lie within one candidate sentence (on the seed: 44/44)."""
    _, claims = _candidates()
    covered = [
        c.id
        for c in curated().claims
        if any(x.start <= (c.start or 0) and (c.end or 0) <= x.end for x in claims)
    ]
    assert len(covered) / len(curated().claims) >= 0.9


def test_sections_follow_the_headings() -> None:
    """Candidates before the first heading are the introduction's, after the skills the
    summary's."""
    page, claims = _candidates()
    assert claims[0].section == "introduction"
    assert claims[-1].section == "summary"
    assert {c.section for c in claims} - {"introduction", "summary"} == {
        s.slug for s in page.skills
    }


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Write down three things you did well today.", "recommendation"),
        ("If you feel overwhelmed, take a short walk outside.", "recommendation"),
        ("Be kind to yourself when you slip.", "recommendation"),
        ("Resilience is a capacity to recover quickly from setbacks.", "definition"),
        ("Sleep loss increases irritability in adults.", "empirical"),
        ("Children who feel safe explore more.", "empirical"),
    ],
)
def test_kind_guess(sentence: str, kind: str) -> None:
    """The kind guess follows the documented cues."""
    assert guess_kind(sentence) == kind

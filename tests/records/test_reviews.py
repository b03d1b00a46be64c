"""The review records' rules (kb/records/models.py LinkReview, kb/records/checks.py): a second
judgement that differs from the first and has no resolution yet is a valid state, "awaiting
resolution"; a resolution goes with a disagreement only, and is made by someone who made neither
judgement; reviews of links left out as proposed leave with them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kb.errors import KbError
from kb.evidence.wording import review_words
from kb.paths import DATA_DIR
from kb.records.checks import awaiting_resolution, check_internal
from kb.records.models import AWAITING_RESOLUTION, LinkReview, WorksheetData, review_status
from kb.records.worksheet import read_checked

FOLDER = DATA_DIR / "creating-secure-attachment"
SEED = read_checked(FOLDER)
DISAGREED = next(r for r in SEED.reviews if not r.agreed and not r.revision)
AGREED = next(r for r in SEED.reviews if r.agreed and not r.revision)


def _with(review: LinkReview, **changes: object) -> WorksheetData:
    """The seed with one review record changed (validated as the loader would)."""
    changed = LinkReview.model_validate({**review.model_dump(), **changes})
    reviews = [changed if r.link == review.link else r for r in SEED.reviews]
    return SEED.model_copy(update={"reviews": reviews})


def test_the_seed_has_nothing_awaiting_resolution() -> None:
    """Every disagreement of the seed is resolved: `kb check` reports nothing pending."""
    assert awaiting_resolution(SEED) == []


def test_a_differing_judgement_without_resolution_awaits_resolution() -> None:
    """A recorded second judgement that differs and has no resolution passes the checks, and its
    status is "awaiting resolution" (regression: it was refused, which told a blind reviewer
    that they had disagreed)."""
    data = _with(DISAGREED, resolution=None)
    check_internal(data, FOLDER)  # no KbError
    (review,) = [r for r in data.reviews if r.link == DISAGREED.link]
    assert review.awaiting
    assert review.status == AWAITING_RESOLUTION == "awaiting resolution"
    assert awaiting_resolution(data) == [DISAGREED.link]


def test_a_second_judgement_of_a_link_already_agreed_may_differ() -> None:
    """Whatever the second reviewer says is a valid record: a differing stance on a link that
    was agreed leaves it awaiting resolution, not invalid."""
    second = {"stance": "contradicts", "directness": "direct"}
    data = _with(AGREED, second=second)
    check_internal(data, FOLDER)
    assert awaiting_resolution(data) == [AGREED.link]


def test_a_resolution_where_the_judgements_agree_is_refused() -> None:
    """Agreement has nothing to resolve: a resolution on it is an error naming the record."""
    with pytest.raises(KbError, match="drop 'resolution'") as caught:
        check_internal(_with(AGREED, resolution="Kept as both judged."), FOLDER)
    assert caught.value.record == AGREED.link


@pytest.mark.parametrize("party", ["curator", "reviewer"])
def test_a_resolver_who_made_a_judgement_is_refused(party: str) -> None:
    """The resolver is neither the link's curator nor its second reviewer (names compared
    without case or outer spaces)."""
    link = next(x for x in SEED.links if x.id == DISAGREED.link)
    name = link.curator if party == "curator" else "Second Reviewer"
    data = _with(DISAGREED, reviewer="Second Reviewer", resolver=f" {name.upper()} ")
    with pytest.raises(KbError, match=f"resolver is the link's {party}") as caught:
        check_internal(data, FOLDER)
    assert caught.value.record == DISAGREED.link


def test_a_third_person_may_resolve() -> None:
    """A resolver who made neither judgement, with a date, is a valid resolved record."""
    data = _with(DISAGREED, reviewer="Second Reviewer", resolver="Third Person",
                 resolved=dt.date(2026, 12, 8))  # fmt: skip
    check_internal(data, FOLDER)
    (review,) = [r for r in data.reviews if r.link == DISAGREED.link]
    assert review.status.startswith("resolved: ")


def test_a_resolver_without_a_resolution_is_refused() -> None:
    """Who resolved and when go with how it was resolved."""
    with pytest.raises(ValidationError, match="go with a 'resolution'"):
        LinkReview.model_validate({**DISAGREED.model_dump(), "resolution": None,
                                   "resolver": "Third Person"})  # fmt: skip


@pytest.mark.parametrize("reasons", ["", "two\nlines"], ids=["empty", "two-lines"])
def test_the_second_reviewers_reasons_are_one_line(reasons: str) -> None:
    """A second reviewer's reasons, where given, are one line of text."""
    with pytest.raises(ValidationError, match="reasons"):
        LinkReview.model_validate({**AGREED.model_dump(), "reasons": reasons})


@pytest.mark.parametrize(
    ("agreed", "resolution", "revision", "words"),
    [
        (True, None, None, "two reviewers agreed"),
        (False, "Kept.", None, "resolved: Kept."),
        (False, None, None, "two reviewers differ, awaiting resolution"),
        (False, None, "Changed later.", "revised after review: Changed later."),
    ],
    ids=["agreed", "resolved", "awaiting", "revised"],
)
def test_review_status_in_words(
    agreed: bool, resolution: str | None, revision: str | None, words: str
) -> None:
    """Each review state has its status and its words, the same on every page and command."""
    assert review_words(review_status(agreed, resolution, revision)) == words


def test_reviews_of_proposed_links_leave_with_them() -> None:
    """The accepted worksheet (what the graph is built from) keeps no review of a link it
    leaves out as proposed."""
    link = next(x for x in SEED.links if x.id == DISAGREED.link)
    proposed = [x.model_copy(update={"status": "proposed"}) if x is link else x
                for x in SEED.links]  # fmt: skip
    data = SEED.model_copy(update={"links": proposed})
    assert DISAGREED.link in {r.link for r in data.reviews}
    assert DISAGREED.link not in {r.link for r in data.accepted().reviews}
    assert len(data.accepted().reviews) == len(SEED.reviews) - 1

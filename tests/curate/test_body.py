"""Reading a worksheet page: the body, the skills (cross-checked against the summary list), the
printed references, and what was left out."""

from __future__ import annotations

import pytest

from kb.curate.body import read_page
from kb.errors import KbError
from tests.curate.helpers import curated, page_text


def test_body_equals_curated_text() -> None:
    """From the raw page, the body is exactly the curated text.txt."""
    assert read_page(page_text()).body == curated().text


def test_seven_skills_match_the_curated_ones() -> None:
    """7/7 skills: title, paragraphs and summary bullet equal the curated skills, in order."""
    page = read_page(page_text())
    found = [(s.title, s.paragraphs, s.bullet) for s in page.skills]
    expected = [(s.title, s.paragraphs, s.bullet) for s in curated().skills]
    assert found == expected


def test_what_is_left_out_is_reported() -> None:
    """Navigation before the title, the download lead-in and the trailing line are named."""
    left = read_page(page_text()).left_out
    assert left[0].startswith("6 lines before the title")
    assert any("before the references" in x and "worksheet format" in x for x in left)
    assert any("after the references" in x and "loading animation" in x for x in left)


def test_sixteen_printed_references() -> None:
    """The reference list is the run of 16 numbered references."""
    refs = read_page(page_text()).references
    assert len(refs) == 16
    assert refs[0].startswith("1. Antonucci")
    assert refs[-1].startswith("16. Zhang")


def test_a_heading_missing_from_the_summary_is_reported() -> None:
    """A heading with paragraphs that the summary list does not name is reported, not a skill."""
    text = page_text().replace("Minimize stressors\n\nStress", "Lower your stress\n\nStress")
    page = read_page(text)
    assert [s.title for s in page.skills][-1] == "Seek out others with healthy relationships"
    assert any("Lower your stress" in n for n in page.notes)
    assert any("'Minimize stressors'" in n for n in page.notes)


def test_no_summary_list_every_heading_with_text_is_a_skill() -> None:
    """Without a summary list, headings with paragraphs are the skills, and that is said."""
    text = page_text()
    start = text.index("To summarize")
    end = text.index("These actions work")
    page = read_page(text[:start] + text[end:])
    assert len(page.skills) == 8  # the 7 and "An Integrated Approach"
    assert any("no summary list" in n for n in page.notes)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Title\n\nJust one paragraph. Another sentence here.\n", "no printed reference list"),
        ("All prose here. Nothing else.\n\nMore prose.\n", "no title"),
        (
            "Title\n\nA paragraph of text.\n\nAnother paragraph.\n\n"
            "1. Smith, J. (2001). A title. Journal, 1(2), 3-4.\n",
            "no section headings",
        ),
    ],
    ids=["no-references", "no-title", "no-headings"],
)
def test_bad_pages_fail_with_one_message(text: str, needle: str) -> None:
    """A page without a title, headings or references is refused with what to do."""
    with pytest.raises(KbError, match=needle):
        read_page(text, "page.txt")

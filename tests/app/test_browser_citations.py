"""Citations for a word processor, in chromium: a style chosen on the page, "copy" puts HTML
with italics and plain text on the clipboard, downloads are named after the selection."""

from __future__ import annotations

from typing import Any

import pytest

import kb
from kb.export.apa import render_references
from tests.app.test_browser import pytestmark as browser_marks
from tests.app.test_browser import settle, visit

pytestmark = browser_marks


def clipboard(page: Any) -> dict[str, str]:
    """Every type on the clipboard and its text, read back in the page."""
    result: dict[str, str] = page.evaluate(
        """async () => {
            const out = {};
            for (const item of await navigator.clipboard.read())
                for (const type of item.types) out[type] = await (await item.getType(type)).text();
            return out;
        }"""
    )
    return result


def click_copy(page: Any, name: str) -> None:
    """Click the copy component's button inside its iframe and wait for its confirmation."""
    frame = next(f for f in page.frames if f.query_selector("#copy"))
    frame.frame_element().scroll_into_view_if_needed()
    frame.get_by_role("button", name=name).click()
    frame.wait_for_function("() => document.getElementById('done').textContent !== ''")
    assert frame.inner_text("#done") == "Copied, with italics"


def test_copy_a_reference_puts_html_with_italics_and_plain_text_on_the_clipboard(
    dashboard: str, page: Any
) -> None:
    """On Hazan & Shaver's page, "Copy for a word processor" gives text/html with the journal in
    <i> and text/plain equal to the APA entry, both as kb renders them."""
    visit(page, f"{dashboard}/?page=references&reference=hazan1987")
    click_copy(page, "Copy for a word processor")
    got = clipboard(page)
    ref = kb.load().reference("hazan1987")
    assert got["text/plain"] == render_references([ref])["hazan1987"]
    assert "<i>Journal of Personality and Social Psychology</i>" in got["text/html"]
    assert render_references([ref], "html")["hazan1987"] in got["text/html"]


def test_a_chicago_list_is_chosen_copied_and_downloaded_under_the_selection_name(
    dashboard: str, page: Any
) -> None:
    """On Export with skill 6 chosen, Chicago author-date gives a Chicago list to copy (italics
    kept) and to download as skill-6-chicago-author-date.txt, the same bytes as the CLI."""
    base = kb.load()
    skill = base.skill(6)
    visit(page, f"{dashboard}/?page=export&skill={skill.slug}")
    page.locator('.st-key-style [role="combobox"]').click()
    page.get_by_role("option", name="Chicago author-date").click()
    settle(page)
    assert "style=Chicago" in page.url  # kept in the URL, as Streamlit binds labelled options
    body = page.inner_text("body")
    assert "Reference list (Chicago author-date)" in body
    click_copy(page, "Copy the list for a word processor")
    got = clipboard(page)
    expected = kb.export.export(base, "bibliography", skills=[6], style="chicago-author-date")
    assert got["text/plain"] == expected.strip().replace("\n", "\n\n")
    assert got["text/html"].count("<p>") == expected.count("\n")
    assert "<i>" in got["text/html"]
    with page.expect_download() as info:
        page.get_by_role("button", name="Reference list in Chicago author-date, plain text").click()
    download = info.value
    assert download.suggested_filename == "skill-6-chicago-author-date.txt"
    assert download.path().read_text(encoding="utf-8") == expected
    with page.expect_download() as info:
        page.get_by_role("button", name="RIS (.ris): EndNote, Mendeley, Zotero").click()
    assert info.value.suggested_filename == "skill-6.ris"


@pytest.mark.parametrize(("params", "name"), [("", "references.ris")])
def test_without_a_selection_a_download_keeps_the_format_name(
    dashboard: str, page: Any, params: str, name: str
) -> None:
    """With nothing chosen the RIS download is the format's own name, references.ris."""
    visit(page, f"{dashboard}/?page=export{params}")
    with page.expect_download() as info:
        page.get_by_role("button", name="RIS (.ris): EndNote, Mendeley, Zotero").click()
    settle(page)
    assert info.value.suggested_filename == name

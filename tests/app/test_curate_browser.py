"""The Curate page (KB_CURATE=1) in a real browser, on a copy of the seed: a curator accepts a
suggestion with a rationale and saves (the YAML diff is exactly that link); a second session's
save, made from what it read before, is refused; undo puts the file back byte for byte."""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb.paths import DATA_DIR, REPO_ROOT
from tests.app.test_browser import (
    CHROMIUM,
    LOCAL,
    open_tab,
    settle,
    start_dashboard,
    stop,
    visit,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no chromium: run scripts/install-browser"),
]
assert LOCAL  # the same "nothing leaves the machine" rule as every browser test
WORKSHEET = "creating-secure-attachment"
RATIONALE = "Named here only to test the Curate page: its title bears on the claim's topic."


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The dashboard with the Curate page on, over a copy of the seed's files."""
    root = tmp_path_factory.mktemp("curate")
    shutil.copytree(DATA_DIR / WORKSHEET, root / "data" / WORKSHEET)
    shutil.copy(REPO_ROOT / "references.bib", root / "references.bib")
    env = {
        "KB_CURATE": "1",
        "KB_BIB": str(root / "references.bib"),
        "KB_DATA": str(root / "data" / WORKSHEET),
    }
    proc, url = start_dashboard(env)
    yield url, root / "data" / WORKSHEET
    stop(proc)


def wait_message(page: Any, text: str) -> str:
    """Wait (a save runs the checks of `kb check`: seconds) for a message containing ``text``."""
    page.get_by_text(text).first.wait_for(timeout=120_000)
    settle(page)
    return str(page.inner_text("body"))


def test_accept_a_suggestion_then_a_stale_save_is_refused_and_undo_restores(
    curated: tuple[str, Path], browser: Any
) -> None:
    """The whole curation round trip, in two browser sessions."""
    url, folder = curated
    links_file = folder / "links.yaml"
    before = links_file.read_bytes()
    ctx_a, curator, elsewhere_a = open_tab(browser, 1400)
    ctx_b, other, elsewhere_b = open_tab(browser, 1400)
    try:
        visit(other, f"{url}/?page=curate")  # the second editor reads the files now
        other.get_by_role("tab", name="Links").click()
        settle(other)
        visit(curator, f"{url}/?page=curate")
        assert curator.locator("h1").first.inner_text().strip() == "Curate"
        form = curator.locator('[data-testid="stForm"]').first
        suggested = curator.inner_text("body")  # the ranked suggestions, "2. columbia2022: …"
        form.get_by_label("Rationale (one sentence)").fill(RATIONALE)
        form.get_by_label("Curator").fill("Browser test curator")
        form.get_by_role("button", name="Accept and save").click()
        wait_message(curator, "Saved: links.yaml")
        after = links_file.read_bytes()
        diff = [
            line
            for line in difflib.unified_diff(
                before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0
            )
            if not line.startswith(("---", "+++", "@@"))
        ]
        assert diff, "nothing was written"
        assert all(line.startswith("+") for line in diff), diff  # only added lines
        old = yaml.safe_load(before)["links"]
        new = yaml.safe_load(after)["links"]
        added = [x for x in new if x not in old]
        assert len(new) == len(old) + 1
        assert [x for x in new if x in old] == old
        (link,) = added
        assert link["rationale"] == RATIONALE
        assert re.search(rf"\d\. {re.escape(link['reference'])}: ", suggested)
        assert link["curator"] == "Browser test curator"
        assert link["status"] == "proposed"  # counted nowhere until its second review
        # the second session saves an edit made from what it read: refused, nothing written
        form_b = other.locator('[data-testid="stForm"]').filter(has_text="Save the link").first
        form_b.get_by_label("Rationale").fill("An edit from a stale page that must not land here.")
        form_b.get_by_role("button", name="Save the link").click()
        body = wait_message(other, "changed on disk since it was read")
        assert "links.yaml" in body
        assert links_file.read_bytes() == after
        # undo in the first session puts the file back byte for byte
        curator.get_by_role("button", name="Undo the last save").click()
        wait_message(curator, "Restored: links.yaml")
        assert links_file.read_bytes() == before
    finally:
        ctx_a.close()
        ctx_b.close()
    assert elsewhere_a == []
    assert elsewhere_b == []


def test_the_curate_page_is_off_by_default(page: Any, dashboard: str) -> None:
    """Without KB_CURATE=1 there is no Curate page: ?page=curate names nothing."""
    visit(page, f"{dashboard}/?page=curate")
    page.get_by_text("No page named “curate”").wait_for(timeout=60_000)  # the first load
    assert page.locator(".st-key-choose-page button").filter(has_text="Curate").count() == 0

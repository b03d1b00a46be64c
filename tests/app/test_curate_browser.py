"""The Curate page (KB_CURATE=1) in a real browser, on a copy of the seed: a curator accepts a
suggestion with a rationale and saves (the YAML diff is exactly that link); a second session's
save, made from what it read before, is refused; undo puts the file back byte for byte; a double
press saves once; undo works after a reload; the blind second review shows the claim and the
source, never the first judgement, saves a differing judgement without a word about agreement,
and records the reviewer's name; the Resolve disagreements tab then shows both judgements and
records a third person's resolution."""

from __future__ import annotations

import difflib
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
    try:
        page.get_by_text(text).first.wait_for(timeout=120_000)
    except Exception as exc:  # say what the page shows instead
        raise AssertionError(f"{text!r} not shown; the page: {page.inner_text('body')}") from exc
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
        wait_message(curator, f"Saved {WORKSHEET}/links.yaml")
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
        assert f"{WORKSHEET}/links.yaml" in body
        assert str(folder.parent) not in body  # the worksheet's file, never a server path
        assert links_file.read_bytes() == after
        # undo in the first session puts the file back byte for byte
        curator.get_by_role("button", name="Undo the last save").click()
        wait_message(curator, f"Restored {WORKSHEET}/links.yaml")
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


def links_of(folder: Path) -> list[dict[str, Any]]:
    """The link records of the worksheet copy."""
    return list(yaml.safe_load((folder / "links.yaml").read_text(encoding="utf-8"))["links"])


def fill_and_accept(page: Any, rationale: str, curator: str, *, double: bool = False) -> None:
    """Fill the Accept form and press Accept and save (twice in a row with ``double``)."""
    form = page.locator('[data-testid="stForm"]').filter(has_text="Accept and save").first
    form.get_by_label("Rationale (one sentence)").fill(rationale)
    form.get_by_label("Curator").fill(curator)
    button = form.get_by_role("button", name="Accept and save")
    if double:
        button.dblclick()
    else:
        button.click()


def test_a_double_press_saves_once_and_says_so(curated: tuple[str, Path], browser: Any) -> None:
    """A double click on Accept and save adds exactly one link (the suggestion picked, with its
    rationale), says the repeated press saved nothing, and shows a new, empty form."""
    url, folder = curated
    before = links_of(folder)
    ctx, page, elsewhere = open_tab(browser, 1400)
    try:
        visit(page, f"{url}/?page=curate")
        picked = page.locator('[class*="st-key-cu-pick-"] input').first.input_value()
        fill_and_accept(page, RATIONALE, "Browser test curator", double=True)
        body = wait_message(page, f"Saved {WORKSHEET}/links.yaml")
        page.get_by_text("Nothing saved by that press").wait_for(timeout=60_000)
        settle(page)
        after = links_of(folder)
        added = [x for x in after if x not in before]
        assert len(after) == len(before) + 1, added
        (link,) = added
        assert link["reference"] == picked.strip()
        assert link["rationale"] == RATIONALE
        assert str(folder.parent) not in body
        form = page.locator('[data-testid="stForm"]').filter(has_text="Accept and save").first
        assert form.get_by_label("Rationale (one sentence)").input_value() == ""
    finally:
        ctx.close()
    assert elsewhere == []


def test_undo_works_after_a_reload(curated: tuple[str, Path], browser: Any) -> None:
    """Saves made before a reload are undone after it, one per press, newest first, each
    putting the file back byte for byte; past the history the message says it is empty."""
    url, folder = curated
    links_file = folder / "links.yaml"
    ctx, page, elsewhere = open_tab(browser, 1400)
    try:
        visit(page, f"{url}/?page=curate")
        states = [links_file.read_bytes()]
        for n in range(2):  # two edits of the first link's rationale
            page.get_by_role("tab", name="Links").click()
            form = page.locator('[data-testid="stForm"]').filter(has_text="Save the link").first
            form.get_by_label("Rationale").fill(f"{RATIONALE} Save number {n}.")
            form.get_by_role("button", name="Save the link").click()
            deadline = time.monotonic() + 120
            while links_file.read_bytes() == states[-1] and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            wait_message(page, f"Saved {WORKSHEET}/links.yaml")
            states.append(links_file.read_bytes())
            assert links_of(folder)[0]["rationale"] == f"{RATIONALE} Save number {n}."
        assert states[0] != states[1] != states[2]
        page.reload()
        settle(page)
        assert "Saved" not in page.inner_text("body")  # a new session: nothing in memory
        for n in (1, 0):
            page.get_by_role("button", name="Undo the last save").click()
            body = wait_message(page, f"Restored {WORKSHEET}/links.yaml")
            assert links_file.read_bytes() == states[n]
            assert str(folder.parent) not in body
        while "0 saves can be undone" not in page.inner_text("body"):  # earlier tests' saves
            page.get_by_role("button", name="Undo the last save").click()
            wait_message(page, "Restored")
        page.get_by_role("button", name="Undo the last save").click()
        body = wait_message(page, "nothing to undo")
        assert "the undo history is empty" in body
        assert "since the worksheet was opened" not in body
    finally:
        ctx.close()
    assert elsewhere == []


def choose(page: Any, key: str, option: str) -> None:
    """Pick an option of the selectbox whose key starts with ``key``. A click that lands while
    the page is still rerunning opens no list (seen under load): it is tried again, three times
    at most."""
    box = page.locator(f'[class*="st-key-{key}"] [role="combobox"]').first
    box.wait_for(state="visible")
    wanted = page.get_by_role("option", name=option, exact=True)
    for _attempt in range(3):
        box.click()
        try:
            wanted.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            settle(page)
            continue
        wanted.click()
        return
    raise AssertionError(f"the selectbox {key}… offered no option {option!r}")


TELLS = ("agree", "differ", "resolution", "resolve")


def test_the_blind_review_shows_claim_and_source_and_records_the_reviewer(
    curated: tuple[str, Path], browser: Any
) -> None:
    """The Second review tab shows the proposed link's claim words, reference title and recorded
    findings, and none of the first judgement (its rationale, curator, stance), and has no
    resolution field; a judgement that differs from the first is recorded with the reviewer's
    name and reasons, and nothing shown says it differs. The Resolve disagreements tab then
    shows both judgements and records a third person's resolution, which sets the link."""
    url, folder = curated
    ctx, page, elsewhere = open_tab(browser, 1400)
    first_rationale = "From its title only: a first judgement the blind reviewer must never see."
    try:
        visit(page, f"{url}/?page=curate")
        fill_and_accept(page, first_rationale, "First curator in the browser")
        wait_message(page, f"Saved {WORKSHEET}/links.yaml")
        (link,) = [x for x in links_of(folder) if x.get("status") == "proposed"]
        link_id = f"{link['claim']}--{link['reference']}"
        assert (link["stance"], link["directness"]) == ("background", "indirect")
        page.get_by_role("tab", name="Second review").click()
        settle(page)
        panel = page.locator('[role="tabpanel"]:visible')
        shown = panel.inner_text()
        claims = yaml.safe_load((folder / "claims.yaml").read_text(encoding="utf-8"))["claims"]
        quote = next(c["quote"] for c in claims if c["id"] == link["claim"])
        assert " ".join(quote.split()) in " ".join(shown.split())
        bib = (folder.parents[1] / "references.bib").read_text(encoding="utf-8")
        assert link["reference"] in bib
        assert "Reference:" in shown
        assert first_rationale not in shown
        assert "First curator in the browser" not in shown
        assert link["stance"] not in shown.replace("Second reviewer's stance", "")
        assert not [w for w in TELLS if w in shown.lower()], shown
        choose(page, "cu-rs-", "qualifies")  # differs from the first judgement
        choose(page, "cu-rd-", "indirect")
        page.get_by_label("Your reasons (one sentence)").fill("The title speaks of change.")
        page.get_by_label("Reviewer (your name)").fill("Browser test reviewer")
        page.get_by_role("button", name="Record the review").click()
        wait_message(page, f"Saved {WORKSHEET}/links.yaml, {WORKSHEET}/reviews.yaml")
        alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
        assert alerts.strip() == (
            f"Saved {WORKSHEET}/links.yaml, {WORKSHEET}/reviews.yaml (reviewed {link_id})"
        )
        shown = page.locator('[role="tabpanel"]:visible').inner_text().lower()
        assert not [w for w in TELLS if w in shown], shown
        reviews = yaml.safe_load((folder / "reviews.yaml").read_text(encoding="utf-8"))
        (recorded,) = [r for r in reviews["reviews"] if r["link"] == link_id]
        assert recorded["reviewer"] == "Browser test reviewer"
        assert recorded["reasons"] == "The title speaks of change."
        assert recorded["second"] == {"stance": "qualifies", "directness": "indirect"}
        assert "resolution" not in recorded
        # a third person resolves it, seeing both judgements
        page.get_by_role("tab", name="Resolve disagreements").click()
        settle(page)
        shown = " ".join(page.locator('[role="tabpanel"]:visible').inner_text().split())
        assert "1 link awaiting resolution" in shown
        assert first_rationale in shown
        assert "The title speaks of change." in shown
        assert "Browser test reviewer" in shown
        choose(page, "cu-fs-", "qualifies")
        choose(page, "cu-fd-", "indirect")
        page.get_by_label("How it was resolved, and why").fill(
            "Adopted the second: a title about change limits the claim."
        )
        page.get_by_label("Resolver (your name: neither the curator nor the second reviewer)").fill(
            "Browser test third person"
        )
        page.get_by_role("button", name="Record the resolution").click()
        wait_message(page, f"(resolved {link_id})")
        reviews = yaml.safe_load((folder / "reviews.yaml").read_text(encoding="utf-8"))
        (recorded,) = [r for r in reviews["reviews"] if r["link"] == link_id]
        assert recorded["resolver"] == "Browser test third person"
        assert recorded["resolution"].startswith("Adopted the second")
        (now,) = [x for x in links_of(folder) if f"{x['claim']}--{x['reference']}" == link_id]
        assert (now["stance"], now["directness"]) == ("qualifies", "indirect")
    finally:
        ctx.close()
    assert elsewhere == []

"""The Curate page (KB_CURATE=1) through Streamlit's AppTest, on a copy of the seed: one save
per press, undo from a new session (a reload), the blind second review with the reviewer's
name, and messages that name the worksheet's file, never a server path.

AppTest cannot interrupt a run with a second press, as a double click in a browser does;
tests/app/test_curate_browser.py presses twice in chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.app.test_app import APP
from tests.app.test_app import texts as page_texts
from tests.helpers import copy_inputs

WS = "creating-secure-attachment"
RATIONALE = "Named here only to test the Curate page: its title bears on the claim's topic."


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The Curate page on, over a copy of the bib and the seed worksheet."""
    inputs = copy_inputs(tmp_path)
    monkeypatch.setenv("KB_CURATE", "1")
    monkeypatch.setenv("KB_BIB", str(inputs.bib))
    monkeypatch.setenv("KB_DATA", str(inputs.ws))
    return inputs.ws


def curate() -> AppTest:
    """A new session on the Curate page (as a reload is)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "curate"
    return at.run()


def texts(at: AppTest) -> str:
    """What the page shows as text (tests.app.test_app.texts), success messages included."""
    return "\n".join([page_texts(at), *(str(e.value).replace("\\", "") for e in at.success)])


def by_label(widgets: Any, label: str) -> Any:
    """The one widget of a kind with this label."""
    (found,) = [w for w in widgets if w.label == label]
    return found


def links(folder: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load((folder / "links.yaml").read_text(encoding="utf-8"))["links"])


def accept_first_suggestion(at: AppTest) -> None:
    by_label(at.text_input, "Rationale (one sentence)").input(RATIONALE)
    by_label(at.text_input, "Curator").input("AppTest curator")
    by_label(at.button, "Accept and save").click()
    at.run()


def test_a_save_consumes_its_form_and_a_replayed_press_saves_nothing(folder: Path) -> None:
    """Accept and save adds one proposed link and names the worksheet's file; the form shown
    after it is a new, empty one; replaying the first press's widget states (what a second
    press of the old form sends) saves nothing more."""
    at = curate()
    before = links(folder)
    by_label(at.text_input, "Rationale (one sentence)").input(RATIONALE)
    by_label(at.text_input, "Curator").input("AppTest curator")
    by_label(at.button, "Accept and save").click()
    pressed = at._tree.get_widget_states()  # the press, as the browser sends it
    at.run()
    shown = texts(at)
    assert f"Saved {WS}/links.yaml" in shown
    assert str(folder.parent) not in shown
    after = links(folder)
    assert len(after) == len(before) + 1
    assert by_label(at.text_input, "Rationale (one sentence)").value == ""  # a new form
    at._run(pressed)  # the same press again
    assert links(folder) == after


def test_undo_after_a_reload_restores_the_save(folder: Path) -> None:
    """A save made in one session is undone from a new session (a reload): the file's bytes
    come back, the message names the worksheet's file; with the history empty the message says
    so, never "no save since the worksheet was opened"."""
    original = (folder / "links.yaml").read_bytes()
    accept_first_suggestion(curate())
    assert (folder / "links.yaml").read_bytes() != original
    at = curate()
    assert "1 save can be undone" in texts(at)
    by_label(at.button, "Undo the last save").click()
    at.run()
    shown = texts(at)
    assert f"Restored {WS}/links.yaml" in shown
    assert (folder / "links.yaml").read_bytes() == original
    by_label(at.button, "Undo the last save").click()
    at.run()
    shown = texts(at)
    assert "nothing to undo: the undo history is empty" in shown
    assert "since the worksheet was opened" not in shown
    assert str(folder.parent) not in shown


def test_the_blind_review_shows_the_claim_and_source_and_records_the_reviewer(
    folder: Path,
) -> None:
    """The second-review tab shows the proposed link's claim words and reference title, not its
    stance or rationale; a review without the reviewer's name is refused (one line naming
    the worksheet's reviews file, nothing written); with it, the name is in the review record."""
    at = curate()
    accept_first_suggestion(at)
    (link,) = [x for x in links(folder) if x.get("status") == "proposed"]
    claims = yaml.safe_load((folder / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    quote = next(c["quote"] for c in claims if c["id"] == link["claim"])
    review_tab = next(t for t in at.tabs if t.label == "Second review")
    shown = "\n".join(str(m.value) for m in review_tab.markdown).replace("\\", "")
    assert " ".join(quote.split()) in " ".join(shown.split())
    assert RATIONALE not in shown
    assert "AppTest curator" not in shown
    reviews_before = (folder / "reviews.yaml").read_bytes()
    by_label(at.selectbox, "Second reviewer's stance").select("background")
    by_label(at.selectbox, "Second reviewer's directness").select("indirect")
    by_label(at.button, "Record the review").click()
    at.run()
    shown = texts(at)
    assert f"{WS}/reviews.yaml" in shown
    assert "give the reviewer's name" in shown
    assert str(folder.parent) not in shown
    assert (folder / "reviews.yaml").read_bytes() == reviews_before
    by_label(at.selectbox, "Second reviewer's stance").select("background")
    by_label(at.selectbox, "Second reviewer's directness").select("indirect")
    by_label(at.text_input, "Reviewer (your name)").input("AppTest reviewer")
    by_label(at.button, "Record the review").click()
    at.run()
    assert f"Saved {WS}/links.yaml, {WS}/reviews.yaml" in texts(at)
    reviews = yaml.safe_load((folder / "reviews.yaml").read_text(encoding="utf-8"))["reviews"]
    (recorded,) = [r for r in reviews if r["link"] == f"{link['claim']}--{link['reference']}"]
    assert recorded["reviewer"] == "AppTest reviewer"
    assert recorded["second"] == {"stance": "background", "directness": "indirect"}
    (now,) = [
        x
        for x in links(folder)
        if (x["claim"], x["reference"]) == (link["claim"], link["reference"])
    ]
    assert now.get("status", "accepted") == "accepted"  # reviewed twice: accepted (the default)


def test_save_the_link_saves_the_edited_rationale(folder: Path) -> None:
    """The Links tab's form saves the rationale typed into it (its values are read with the
    token of the form shown, not of the buttons below it)."""
    at = curate()
    first = links(folder)[0]
    edited = first["rationale"] + " Checked again in the AppTest."
    by_label(at.text_input, "Rationale").input(edited)
    by_label(at.button, "Save the link").click()
    at.run()
    assert not at.exception
    assert f"Saved {WS}/links.yaml" in texts(at)
    assert links(folder)[0]["rationale"] == edited

"""The Curate page (KB_CURATE=1) through Streamlit's AppTest, on a copy of the seed: one save
per press, undo from a new session (a reload), the blind second review with the reviewer's
name (saved whatever it says, never told whether it agrees), resolving a disagreement as a
later step that shows both judgements, starting a review round, and messages that name the
worksheet's file, never a server path.

AppTest cannot interrupt a run with a second press, as a double click in a browser does;
tests/app/test_curate_browser.py presses twice in chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import kb
from kb.evidence.rounds import round_report, round_texts
from kb.records.review_rounds import read_round
from tests.app.test_app import APP
from tests.app.test_app import texts as page_texts
from tests.cli.test_awaiting_resolution import unresolve
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


def tab(at: AppTest, label: str) -> Any:
    """The one tab with this label."""
    (found,) = [t for t in at.tabs if t.label == label]
    return found


def tab_text(block: Any) -> str:
    """What a tab shows as text: markdown, captions, alerts and every widget's label."""
    parts = [*(m.value for m in block.markdown), *(c.value for c in block.caption)]
    parts += [*(e.value for e in block.info), *(e.value for e in block.error)]
    for kind in ("selectbox", "text_input", "date_input", "button"):
        parts += [w.label for w in block.get(kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("**", "")


def messages(at: AppTest) -> list[str]:
    """The outcomes the page tells (success, warning, error), as shown."""
    return [str(e.value).replace("\\", "") for e in [*at.success, *at.warning, *at.error]]


TELLS = ("agree", "differ", "resolution", "resolve", "disagree", "first judgement says")


def blind_review(at: AppTest, stance: str, reviewer: str = "AppTest reviewer") -> None:
    """Fill in the blind review form and press Record the review."""
    by_label(at.selectbox, "Second reviewer's stance").select(stance)
    by_label(at.selectbox, "Second reviewer's directness").select("indirect")
    by_label(at.text_input, "Your reasons (one sentence)").input("Only the title is known here.")
    by_label(at.text_input, "Reviewer (your name)").input(reviewer)
    by_label(at.button, "Record the review").click()
    at.run()


@pytest.mark.parametrize("stance", ["background", "qualifies"], ids=["agreeing", "differing"])
def test_the_blind_review_saves_any_judgement_and_never_tells_agreement(
    folder: Path, stance: str
) -> None:
    """The blind form has no resolution field; a second judgement that agrees with the first
    (background/indirect) and one that differs are both saved, with the same message and the
    same files, and nothing the blind tab or the messages show speaks of agreement,
    disagreement or resolution (regression: a differing judgement was refused with "the
    judgements differ")."""
    at = curate()
    accept_first_suggestion(at)  # the first judgement: background, indirect
    (link,) = [x for x in links(folder) if x.get("status") == "proposed"]
    link_id = f"{link['claim']}--{link['reference']}"
    blind = tab(at, "Second review")
    labels = [w.label for kind in ("text_input", "selectbox") for w in blind.get(kind)]
    assert not [x for x in labels if "resol" in x.lower()], labels
    blind_review(at, stance)
    assert messages(at) == [f"Saved {WS}/links.yaml, {WS}/reviews.yaml (reviewed {link_id})"]
    shown = tab_text(tab(at, "Second review")).lower()
    assert not [w for w in TELLS if w in shown], shown
    reviews = yaml.safe_load((folder / "reviews.yaml").read_text(encoding="utf-8"))["reviews"]
    (recorded,) = [r for r in reviews if r["link"] == link_id]
    assert recorded["second"] == {"stance": stance, "directness": "indirect"}
    assert recorded["reasons"] == "Only the title is known here."
    assert recorded["reviewer"] == "AppTest reviewer"
    assert "reviewed" in recorded
    assert "resolution" not in recorded


def test_resolving_shows_both_judgements_and_records_the_resolution(folder: Path) -> None:
    """After a differing blind review the link is awaiting resolution: the Resolve tab shows
    both judgements (the first curator's rationale, the second reviewer's reasons); the second
    reviewer cannot resolve it (refused, nothing written); a third person's resolution is saved
    with their name, the link takes the final judgement, and nothing is left to resolve."""
    at = curate()
    assert "0 links awaiting resolution" in tab_text(tab(at, "Resolve disagreements"))
    accept_first_suggestion(at)
    (link,) = [x for x in links(folder) if x.get("status") == "proposed"]
    link_id = f"{link['claim']}--{link['reference']}"
    blind_review(at, "qualifies")
    resolve = tab(at, "Resolve disagreements")
    shown = " ".join(tab_text(resolve).split())
    assert "1 link awaiting resolution" in shown
    assert "First judgement: background/indirect, by AppTest curator" in shown
    assert RATIONALE in shown
    assert "Second judgement: qualifies/indirect, by AppTest reviewer" in shown
    assert "Only the title is known here." in shown
    before = (folder / "reviews.yaml").read_bytes()

    def resolve_as(resolver: str) -> None:
        by_label(at.selectbox, "Final stance").select("qualifies")
        by_label(at.selectbox, "Final directness").select("indirect")
        by_label(at.text_input, "How it was resolved, and why").input(
            "Adopted the second: the title alone limits the claim at most."
        )
        by_label(
            at.text_input, "Resolver (your name: neither the curator nor the second reviewer)"
        ).input(resolver)
        by_label(at.button, "Record the resolution").click()
        at.run()

    resolve_as("AppTest reviewer")
    assert any("resolver is the link's reviewer" in m for m in messages(at)), messages(at)
    assert (folder / "reviews.yaml").read_bytes() == before
    resolve_as("AppTest third person")
    assert f"Saved {WS}/links.yaml, {WS}/reviews.yaml (resolved {link_id})" in messages(at)
    reviews = yaml.safe_load((folder / "reviews.yaml").read_text(encoding="utf-8"))["reviews"]
    (recorded,) = [r for r in reviews if r["link"] == link_id]
    assert recorded["resolver"] == "AppTest third person"
    assert recorded["resolution"].startswith("Adopted the second")
    (now,) = [x for x in links(folder) if f"{x['claim']}--{x['reference']}" == link_id]
    assert (now["stance"], now["directness"]) == ("qualifies", "indirect")
    assert "0 links awaiting resolution" in tab_text(tab(at, "Resolve disagreements"))


def test_a_link_awaiting_resolution_says_so_on_the_skills_page(folder: Path) -> None:
    """The Skills page's review status of a link awaiting resolution reads "awaiting
    resolution" (the words `kb evidence` prints)."""
    unresolve(folder, "style-four-styles--hazan1987")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["page"] = "skills"
    at.query_params["skill"] = "learn-your-attachment-style"
    at.run()
    assert not at.exception
    assert "review: two reviewers differ, awaiting resolution" in texts(at)


def test_a_review_round_is_started_once_and_undone(folder: Path) -> None:
    """A worksheet without review rounds says so and offers round 1; a press writes its packet,
    hash and first judgements (what `kb review packet --round 1` writes; `kb review` verifies
    it), a replayed press writes nothing more, and undo takes the round away."""
    shutil.rmtree(folder / "review-rounds")
    at = curate()
    rounds = tab(at, "Review rounds")
    assert "No review round yet" in tab_text(rounds)
    by_label(at.button, "Start review round 1").click()
    pressed = at._tree.get_widget_states()
    at.run()
    made = folder / "review-rounds" / "round-1"
    names = ", ".join(f"{WS}/review-rounds/round-1/{n}"
                      for n in ("first.yaml", "packet.md", "packet.sha256"))  # fmt: skip
    assert messages(at) == [f"Started review round 1: wrote {names}"]
    base = kb.load(bib=folder.parents[1] / "references.bib", data=[folder])
    written = {p.name: p.read_text(encoding="utf-8") for p in made.iterdir()}
    assert written == round_texts(base.worksheet(), base.references)
    assert round_report(base.worksheet(), base.references, read_round(made)).verified
    assert "round-1" in tab_text(tab(at, "Review rounds"))
    assert "Start review round 2" in tab_text(tab(at, "Review rounds"))
    at._run(pressed)  # the same press again
    assert sorted(p.name for p in (folder / "review-rounds").iterdir()) == ["round-1"]
    assert any("Nothing written by that press" in m for m in messages(at)), messages(at)
    by_label(at.button, "Undo the last save").click()
    at.run()
    assert not (folder / "review-rounds").exists()
    assert "Start review round 1" in tab_text(tab(at, "Review rounds"))

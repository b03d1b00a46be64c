"""The Curate page's data layer (kb.curate.editor): edits in memory, saves checked as `kb check`
checks, written atomically in canonical form, refused when stale, and undone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.curate.editor import Editor
from kb.errors import KbError
from kb.paths import DEFAULT_BIB
from kb.records.models import Judgement
from kb.records.worksheet import read_checked
from tests.curate.helpers import PAGE
from tests.helpers import copy_inputs, run_kb

RATIONALE = "Read from the title only: it names attachment across the life span, the claim's theme."


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _accept_one(ed: Editor) -> tuple[str, str]:
    """Accept the first suggestion as a title-only background link and record its review."""
    suggestion = ed.suggestions()[0]
    ed.accept_suggestion(
        suggestion.claim,
        suggestion.reference,
        stance="background",
        directness="indirect",
        basis="title",
        rationale=RATIONALE,
        curator="test curator",
    )
    link_id = f"{suggestion.claim}--{suggestion.reference}"
    ed.record_review(link_id, Judgement(stance="background", directness="indirect"))
    return suggestion.claim, suggestion.reference


def test_accept_suggestion_edit_rationale_save(tmp_path: Path) -> None:
    """Accepting a suggestion and editing another link's rationale change exactly those records:
    links.yaml and reviews.yaml are rewritten, no other file changes, and `kb check` passes."""
    inputs = copy_inputs(tmp_path)
    before_files = _files(inputs.ws)
    before = read_checked(inputs.ws)
    ed = Editor.open(inputs.ws, inputs.bib)
    claim, ref = _accept_one(ed)
    edited = before.links[0].id
    new_rationale = before.links[0].rationale + " Checked again by the test curator."
    ed.edit_link(edited, rationale=new_rationale)
    assert ed.save() == ["links.yaml", "reviews.yaml"]
    after = read_checked(inputs.ws)
    assert {n for n, b in _files(inputs.ws).items() if before_files.get(n) != b} == {
        "links.yaml",
        "reviews.yaml",
    }
    old = {x.id: x for x in before.links}
    new = {x.id: x for x in after.links}
    assert set(new) - set(old) == {f"{claim}--{ref}"}
    changed = [i for i in old if old[i] != new[i]]
    assert changed == [edited]
    assert new[edited].rationale == new_rationale
    assert len(after.reviews) == len(before.reviews) + 1
    check = run_kb("--bib", inputs.bib, "--data", inputs.data, "check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_stale_save_is_refused(tmp_path: Path) -> None:
    """A second editor who read the files before the first one saved cannot overwrite them."""
    inputs = copy_inputs(tmp_path)
    first, second = Editor.open(inputs.ws, inputs.bib), Editor.open(inputs.ws, inputs.bib)
    _accept_one(first)
    first.save()
    saved = _files(inputs.ws)
    link = second.data.links[0].id
    second.edit_link(link, rationale=second.data.links[0].rationale + " A later thought.")
    with pytest.raises(KbError, match="changed on disk since it was read"):
        second.save()
    assert _files(inputs.ws) == saved


def test_undo_restores_the_files(tmp_path: Path) -> None:
    """Undo puts back the bytes of every file the last save wrote."""
    inputs = copy_inputs(tmp_path)
    before = _files(inputs.ws)
    ed = Editor.open(inputs.ws, inputs.bib)
    _accept_one(ed)
    ed.save()
    assert _files(inputs.ws) != before
    assert ed.undo().files == ["links.yaml", "reviews.yaml"]
    assert _files(inputs.ws) == before
    with pytest.raises(KbError, match="nothing to undo: the undo history is empty"):
        ed.undo()


def test_save_that_breaks_a_rule_writes_nothing(tmp_path: Path) -> None:
    """An accepted link without its review is refused with `kb check`'s message; nothing written."""
    inputs = copy_inputs(tmp_path)
    before = _files(inputs.ws)
    ed = Editor.open(inputs.ws, inputs.bib)
    s = ed.suggestions()[0]
    ed.accept_suggestion(
        s.claim, s.reference, stance="background", directness="indirect", basis="title",
        rationale=RATIONALE, curator="test curator",
    )  # fmt: skip
    with pytest.raises(KbError, match=r"not saved: .*have no review") as info:
        ed.save()
    assert "creating-secure-attachment/" in str(info.value)
    assert str(tmp_path) not in str(info.value)  # the worksheet's file, never a server path
    assert ".kb-edit-" not in str(info.value)
    assert _files(inputs.ws) == before


def test_bad_field_value_is_refused_at_once(tmp_path: Path) -> None:
    """An edit with a value the schema refuses fails when made, naming the link and field."""
    inputs = copy_inputs(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    link = ed.data.links[0].id
    with pytest.raises(KbError, match="field 'stance'"):
        ed.edit_link(link, stance="endorses")
    with pytest.raises(KbError, match="cannot edit claim"):
        ed.edit_link(link, claim="x")


def test_new_worksheet_is_curated_step_by_step(tmp_path: Path) -> None:
    """On a worksheet from `kb new`, accepting a topic, a skill and one of its claims saves (the
    SHACL findings it already had do not block it) and the accepted records are counted."""
    bib = tmp_path / "references.bib"
    shutil.copy(DEFAULT_BIB, bib)
    data = tmp_path / "data"
    data.mkdir()
    assert run_kb("--bib", bib, "--data", data, "new", "sheet", "--text", PAGE).returncode == 0
    ed = Editor.open(data / "sheet", bib)
    ed.define_topic("stress", "Stress", "site-topics")
    skill = ed.data.skills[-1]
    ed.accept_skill(skill.slug, facets=["behaviors"], topics=["stress"])
    claim = next(c for c in ed.data.claims if c.section == skill.slug)
    ed.accept_claim(claim.id)
    ed.edit_claim(claim.id, kind="empirical")
    assert ed.save() == ["claims.yaml", "skills.yaml", "topics.yaml"]
    check = run_kb("--bib", bib, "--data", data, "check", "--format", "json")
    assert '"skills": 1' in check.stdout
    assert '"claims": 1' in check.stdout

"""The Curate page's undo history (kb.curate.history): kept beside the data, several saves deep,
found again by a new editor (a reload), refused when the files changed since, and naming the
worksheet's files, never a server path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.curate.editor import Editor
from kb.curate.history import DEPTH, HISTORY_DIR, History
from kb.errors import KbError
from kb.paths import REPO_ROOT
from tests.helpers import copy_inputs

RATIONALE = "Read from the title only: it names attachment across the life span, the claim's theme."


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _edit(ed: Editor, n: int) -> None:
    """Change the first link's rationale (a different text per ``n``) and save."""
    link = ed.data.links[0]
    ed.edit_link(link.id, rationale=f"{RATIONALE} Edit number {n}.")
    assert ed.save(f"edit {n}") == ["links.yaml"]


def test_undo_goes_back_several_saves_and_survives_a_reload(tmp_path: Path) -> None:
    """Three saves are undone one by one, newest first, by a new editor opened afterwards (as
    after a page reload), each undo putting back the bytes before that save."""
    inputs = copy_inputs(tmp_path)
    states = [_files(inputs.ws)]
    ed = Editor.open(inputs.ws, inputs.bib)
    for n in range(3):
        _edit(ed, n)
        states.append(_files(inputs.ws))
    assert len(ed.history) == 3
    reloaded = Editor.open(inputs.ws, inputs.bib)  # a new session: nothing held in memory
    for n in (2, 1, 0):
        undone = reloaded.undo()
        assert undone.files == ["links.yaml"]
        assert undone.note == f"edit {n}"
        assert undone.left == n
        assert _files(inputs.ws) == states[n]
    with pytest.raises(KbError, match="nothing to undo") as info:
        reloaded.undo()
    assert "since the worksheet was opened" not in str(info.value)
    assert str(info.value).startswith(f"creating-secure-attachment/{HISTORY_DIR}: ")


def test_undo_is_refused_when_the_file_changed_since_and_writes_nothing(tmp_path: Path) -> None:
    """A file edited after the save (by hand or another editor) is never overwritten by undo:
    refused, one line naming the worksheet's file, nothing written, the step kept."""
    inputs = copy_inputs(tmp_path)
    ed = Editor.open(inputs.ws, inputs.bib)
    _edit(ed, 1)
    links = inputs.ws / "links.yaml"
    links.write_text(links.read_text(encoding="utf-8") + "# a hand edit\n", encoding="utf-8")
    before = _files(inputs.ws)
    with pytest.raises(KbError, match="changed since the save it would undo") as info:
        ed.undo()
    assert str(info.value).startswith("creating-secure-attachment/links.yaml: ")
    assert str(tmp_path) not in str(info.value)
    assert _files(inputs.ws) == before
    assert len(ed.history) == 1


def test_an_interrupted_undo_is_finished_not_refused(tmp_path: Path) -> None:
    """A step whose files already hold their earlier text (an undo stopped before it dropped the
    step) is dropped by the next undo, which restores nothing and writes nothing."""
    inputs = copy_inputs(tmp_path)
    before = _files(inputs.ws)
    ed = Editor.open(inputs.ws, inputs.bib)
    _edit(ed, 1)
    (inputs.ws / "links.yaml").write_bytes(before["links.yaml"])  # restored, step not dropped
    undone = ed.undo()
    assert undone.files == []
    assert len(ed.history) == 0
    assert _files(inputs.ws) == before


def test_the_history_keeps_at_most_depth_steps(tmp_path: Path) -> None:
    """Past DEPTH saves the oldest steps are dropped; the newest are kept, numbered in order."""
    folder = tmp_path / "ws"
    folder.mkdir()
    history = History(folder)
    for n in range(DEPTH + 3):
        history.record({"links.yaml": f"v{n}\n"}, {"links.yaml": f"v{n + 1}\n"}, f"save {n}")
    steps = sorted(p.name for p in (folder / HISTORY_DIR).iterdir())
    assert len(steps) == DEPTH
    assert steps[-1] == f"{DEPTH + 3:06d}.json"
    (folder / "links.yaml").write_text(f"v{DEPTH + 3}\n", encoding="utf-8")
    assert history.undo().note == f"save {DEPTH + 2}"
    assert (folder / "links.yaml").read_text(encoding="utf-8") == f"v{DEPTH + 2}\n"


@pytest.mark.parametrize(
    "name",
    [
        "../outside.txt",
        "/etc/passwd",
        "notes.md",
        "review-rounds/round-1/returns-b.yaml",
        "review-rounds/round-1/../../outside.txt",
    ],
    ids=["up", "absolute", "other", "a-return", "up-from-a-round"],
)
def test_a_step_naming_another_file_is_refused(tmp_path: Path, name: str) -> None:
    """A step (say, in a folder handed over) may name only the worksheet's own files and the
    three files a round starts with: any other name (a reviewer's return included) is refused
    with the step's file named, and nothing is written."""
    folder = tmp_path / "ws"
    (folder / HISTORY_DIR).mkdir(parents=True)
    step = {"note": "x", "files": {name: {"before": "owned\n", "after_sha256": "0" * 64}}}
    (folder / HISTORY_DIR / "000001.json").write_text(json.dumps(step), encoding="utf-8")
    with pytest.raises(KbError, match="not a worksheet file") as info:
        History(folder).undo()
    assert str(info.value).startswith(f"ws/{HISTORY_DIR}/000001.json: ")
    assert not (tmp_path / "outside.txt").exists()


def test_a_history_that_is_a_link_is_refused(tmp_path: Path) -> None:
    """The history folder must be a real folder inside the worksheet, not a link elsewhere."""
    folder = tmp_path / "ws"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / HISTORY_DIR).symlink_to(elsewhere)
    with pytest.raises(KbError, match="not a folder"):
        History(folder).record({"links.yaml": None}, {"links.yaml": "x\n"}, "save")
    assert list(elsewhere.iterdir()) == []


def test_the_history_is_git_ignored() -> None:
    """The history never reaches a commit: .gitignore names its folder."""
    ignored = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert f"{HISTORY_DIR}/" in ignored

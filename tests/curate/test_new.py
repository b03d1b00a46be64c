"""`kb new`: a worksheet proposed from its page text, written whole or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kb.curate.new import DRAFT_NOTE
from kb.paths import DEFAULT_BIB
from kb.records.canonical import lint
from kb.records.worksheet import load_worksheet, read_checked
from tests.curate.helpers import PAGE, curated
from tests.helpers import run_kb

WS = "creating-secure-attachment"


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    bib = tmp_path / "references.bib"
    shutil.copy(DEFAULT_BIB, bib)
    data = tmp_path / "data"
    data.mkdir()
    return bib, data


def test_new_writes_a_proposed_worksheet_in_canonical_form(tmp_path: Path) -> None:
    """The folder holds the body, 7 proposed skills and proposed claims and reference notes, in
    canonical form; the bib is unchanged when every reference matched."""
    bib, data = _setup(tmp_path)
    result = run_kb("--bib", bib, "--data", data, "new", WS, "--text", PAGE, "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["skills"] == [s.title for s in curated().skills]
    folder = data / WS
    assert (folder / "text.txt").read_text(encoding="utf-8") == curated().text
    assert lint(folder, fix=False) == []
    sheet = read_checked(folder)
    records = [*sheet.skills, *sheet.claims, *sheet.references]
    assert {r.status for r in records} == {"proposed"}
    assert bib.read_bytes() == DEFAULT_BIB.read_bytes()
    accepted = load_worksheet(folder)  # what profiles, gaps and ratings are built from
    assert (accepted.skills, accepted.claims, accepted.references) == ([], [], [])


def test_text_output_says_what_was_left_out(tmp_path: Path) -> None:
    """The text report names the skills, the findings and every line left out."""
    bib, data = _setup(tmp_path)
    result = run_kb("--bib", bib, "--data", data, "new", WS, "--text", PAGE, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "left out: 6 lines before the title" in result.stdout
    assert "loading animation" in result.stdout
    assert "[metadata correction] journal" in result.stdout
    assert list(data.iterdir()) == []  # --dry-run writes nothing


def test_existing_folder_is_refused(tmp_path: Path) -> None:
    """A second `kb new` with the same id is refused and changes nothing."""
    bib, data = _setup(tmp_path)
    assert run_kb("--bib", bib, "--data", data, "new", WS, "--text", PAGE).returncode == 0
    before = (data / WS / "claims.yaml").read_bytes()
    again = run_kb("--bib", bib, "--data", data, "new", WS, "--text", PAGE)
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert (data / WS / "claims.yaml").read_bytes() == before


def test_unknown_reference_is_added_as_an_unverified_draft(tmp_path: Path) -> None:
    """A printed reference that matches nothing is appended to the bib as a draft, and its note
    says it is unverified."""
    bib, data = _setup(tmp_path)
    page = tmp_path / "page.txt"
    extra = "17. Nobody, A. (2031). A study that is not in the bib. Journal of Tests, 1(1), 1-9.\n"
    text = PAGE.read_text(encoding="utf-8").replace("\nloading animation", "\n" + extra)
    page.write_text(text, encoding="utf-8")
    result = run_kb("--bib", bib, "--data", data, "new", "other-sheet", "--text", page)
    assert result.returncode == 0, result.stderr
    assert "draft bib entry (unverified): nobody2031" in result.stdout
    added = bib.read_text(encoding="utf-8").removeprefix(DEFAULT_BIB.read_text(encoding="utf-8"))
    assert added.count("@article{") == 1
    assert "nobody2031" in added
    note = next(n for n in read_checked(data / "other-sheet").references if n.number == 17)
    assert (note.key, note.unverified, note.verification_note) == (
        "nobody2031",
        ["existence"],
        DRAFT_NOTE,
    )

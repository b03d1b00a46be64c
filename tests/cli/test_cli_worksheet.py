"""`--worksheet ID` on every listing command: one worksheet of a library answers as if alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import WORKSHEET, run_kb


@pytest.fixture(scope="module")
def library(synth3: Path) -> list[str]:
    """``--bib``/``--data`` of the three-worksheet library (the seed among them)."""
    return ["--bib", str(synth3 / "references.bib"), "--data", str(synth3 / "data")]


def _json(*args: str) -> object:
    done = run_kb(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "command",
    [["gaps"], ["profile"], ["profile", "3"], ["audit"], ["skills"], ["evidence", "3"], ["topics"]],
)
def test_seed_worksheet_of_a_library_answers_as_the_seed_alone(
    library: list[str], command: list[str]
) -> None:
    """The seed narrowed out of a library gives what the seed alone gives."""
    alone = _json(*command)
    narrowed = _json(*library, *command, "--worksheet", WORKSHEET)
    assert narrowed == alone
    if len(command) > 1:  # skill 3 of which worksheet? the library refuses to guess
        assert run_kb(*library, *command).returncode == 2  # a usage error, as everywhere
    else:
        assert _json(*library, *command) != alone  # the library itself holds more


def test_profile_of_another_worksheet_names_only_its_skills(library: list[str]) -> None:
    """Every profile under --worksheet belongs to that worksheet."""
    whole = _json(*library, "profile")
    assert isinstance(whole, dict)
    other = next(p["worksheet"] for p in whole["profiles"] if p["worksheet"] != WORKSHEET)
    narrowed = _json(*library, "profile", "--worksheet", other)
    assert isinstance(narrowed, dict)
    mine = [p for p in whole["profiles"] if p["worksheet"] == other]
    assert narrowed["profiles"] == mine


def test_report_of_one_worksheet(library: list[str], tmp_path: Path) -> None:
    """The evidence appendix of the seed narrowed out of a library is the seed's own."""
    alone, narrowed = tmp_path / "alone.md", tmp_path / "narrowed.md"
    assert run_kb("report", "-o", alone).returncode == 0
    done = run_kb(*library, "report", "--worksheet", WORKSHEET, "-o", narrowed)
    assert done.returncode == 0, done.stderr
    assert narrowed.read_text(encoding="utf-8") == alone.read_text(encoding="utf-8")


def test_unknown_worksheet_is_one_clear_line(library: list[str]) -> None:
    """An unknown id: a usage error (exit 2), one line naming it and known ids, no traceback."""
    done = run_kb(*library, "gaps", "--worksheet", "no-such-sheet")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no-such-sheet" in lines[0]
    assert WORKSHEET in lines[0]
    assert "Traceback" not in done.stderr

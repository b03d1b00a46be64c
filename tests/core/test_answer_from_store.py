"""A reopened persistent store whose digest matches answers the listing commands by itself:
the inputs are hashed, never parsed, and the output is the embedded store's."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

import kb.core.loader
from kb.cli import cli

COMMANDS = [["skills"], ["evidence", "creating-secure-attachment/1"], ["profile"], ["gaps"],
            ["search", "attachment"], ["authors"], ["authors", "hazan"], ["topics"],
            ["topics", "attachment-styles"], ["export", "turtle"],
            ["export", "bibtex"], ["export", "ris"], ["export", "csl-json"], ["export", "apa"],
            ["export", "bibtex", "--skill", "creating-secure-attachment/1"],
            ["export", "ris", "--topic", "attachment-styles", "--author", "hazan"]]  # fmt: skip


def _run(args: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(args=args, prog_name="kb", standalone_mode=False)
    return out.getvalue()


@pytest.mark.parametrize("command", COMMANDS, ids="-".join)
def test_listing_reads_only_the_reopened_store(
    command: list[str], synth3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build, the same command on the reopened store parses no input file and prints
    what the in-memory build prints."""
    inputs = ["--bib", str(synth3 / "references.bib"), "--data", str(synth3 / "data")]
    spec = ["--store", f"oxigraph:{tmp_path / 'oxi'}"]
    expected = _run([*inputs, *command])
    _run([*inputs, *spec, "skills"])  # builds the store

    def parse_nothing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the inputs were parsed")

    monkeypatch.setattr(kb.core.loader, "read_inputs", parse_nothing)
    monkeypatch.setattr(kb.core.loader, "load_bib", parse_nothing)
    assert _run([*inputs, *spec, *command]) == expected

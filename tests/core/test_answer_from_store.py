"""A reopened persistent store whose digest matches answers the listing commands by itself:
the inputs are hashed, never parsed, and the output is the embedded store's. So does the default
store answered from its cache (``kb.store.cache``)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

import kb.core.loader
import kb.records.bib
import kb.records.worksheet
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


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
@pytest.mark.parametrize("command", COMMANDS, ids="-".join)
def test_listing_reads_only_the_reopened_store(
    command: list[str], store: str, synth3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build, the same command on the reopened store (or on the default store, from its
    cache) parses no input file and prints what an in-memory build from the files prints."""
    inputs = ["--bib", str(synth3 / "references.bib"), "--data", str(synth3 / "data")]
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KB_STORE_CACHE", "off")
    expected = _run([*inputs, *command])
    monkeypatch.setenv("KB_STORE_CACHE", "on")
    spec = ["--store", f"oxigraph:{tmp_path / 'oxi'}" if store == "oxigraph" else "memory"]
    _run([*inputs, *spec, "skills"])  # builds the store (or the cached build)

    def parse_nothing(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the inputs were parsed")

    monkeypatch.setattr(kb.core.loader, "read_inputs", parse_nothing)
    monkeypatch.setattr(kb.records.bib, "load_bib", parse_nothing)
    monkeypatch.setattr(kb.records.worksheet, "load_worksheet", parse_nothing)
    assert _run([*inputs, *spec, *command]) == expected

"""The parallel build of a persistent store (kb.core.streaming): the same triples as the build in
one process, and the same first error, whichever of the bib and the worksheets is read first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import kb
from kb.core import loader
from kb.errors import KbError
from kb.store.oxigraph import OxigraphStore


def _triples(store: kb.KnowledgeBase) -> set[str]:
    inner = store.store
    assert isinstance(inner, OxigraphStore)
    return {
        str(q.triple) for q in inner.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def _build(
    lib: Path, store: Path, *, parallel: bool, monkeypatch: pytest.MonkeyPatch
) -> kb.KnowledgeBase:
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1 if parallel else 10**9)
    return kb.load(lib / "references.bib", lib / "data", f"oxigraph:{store}")


@pytest.fixture
def library(synth10: Path, tmp_path: Path) -> Path:
    """A copy of the 10x synthetic library, to break."""
    shutil.copytree(synth10, tmp_path / "lib")
    return tmp_path / "lib"


def test_parallel_build_holds_the_same_triples(
    synth10: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes making N-Triples give exactly the triples of the one-process build."""
    serial = _triples(_build(synth10, tmp_path / "a", parallel=False, monkeypatch=monkeypatch))
    parallel = _triples(_build(synth10, tmp_path / "b", parallel=True, monkeypatch=monkeypatch))
    assert parallel == serial
    assert len(serial) > 20_000


def test_parallel_build_keeps_the_same_reference_records(
    synth10: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both builds keep every bib record beside the triples, in bib order: the reopened store
    gives the bib's references without reading it."""
    expected = kb.load(synth10 / "references.bib", synth10 / "data").references
    for parallel, name in ((False, "a"), (True, "b")):
        _build(synth10, tmp_path / name, parallel=parallel, monkeypatch=monkeypatch)
        again = _build(synth10, tmp_path / name, parallel=parallel, monkeypatch=monkeypatch)
        assert again.from_store
        assert again._kept_references is not None  # not read from the bib
        assert list(again.references.items()) == list(expected.items())


def _first_error(lib: Path, store: Path, *, parallel: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    with pytest.raises(KbError) as caught:
        _build(lib, store, parallel=parallel, monkeypatch=monkeypatch)
    return str(caught.value)


def _break_bib(lib: Path) -> None:
    bib = lib / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@article{broken,\n", encoding="utf-8")


def _break_worksheet(lib: Path, index: int) -> None:
    folder = sorted((lib / "data").iterdir())[index]
    (folder / "claims.yaml").write_text("claims: [\n", encoding="utf-8")


def _cite_unknown_key(lib: Path, index: int) -> None:
    """Drop from the bib the first reference the worksheet at ``index`` cites."""
    folder = sorted((lib / "data").iterdir())[index]
    text = (folder / "references.yaml").read_text(encoding="utf-8")
    key = text.split("key: ", 1)[1].split("\n", 1)[0].strip('"')
    bib = lib / "references.bib"
    entries = bib.read_text(encoding="utf-8").split("\n@")
    kept = [e for e in entries if not e.split("{", 1)[-1].startswith(f"{key},")]
    assert len(kept) == len(entries) - 1
    bib.write_text("\n@".join(kept), encoding="utf-8")


@pytest.mark.parametrize(
    "breaks",
    [
        pytest.param([_break_bib, lambda lib: _break_worksheet(lib, 0)], id="bib-and-worksheet"),
        pytest.param(
            [lambda lib: _cite_unknown_key(lib, 2), lambda lib: _break_worksheet(lib, 5)],
            id="unknown-key-before-bad-yaml",
        ),
        pytest.param(
            [lambda lib: _break_worksheet(lib, 3), lambda lib: _cite_unknown_key(lib, 6)],
            id="bad-yaml-before-unknown-key",
        ),
    ],
)
def test_parallel_build_raises_the_first_error_of_the_serial_one(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, breaks: list
) -> None:
    """The bib's error comes first, then each worksheet's in folder order, as in one process."""
    for damage in breaks:
        damage(library)
    serial = _first_error(library, tmp_path / "a", parallel=False, monkeypatch=monkeypatch)
    parallel = _first_error(library, tmp_path / "b", parallel=True, monkeypatch=monkeypatch)
    assert parallel == serial

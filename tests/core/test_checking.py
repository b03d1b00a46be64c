"""Incremental SHACL per worksheet (``kb.checking``): the units hold exactly the whole graph, and
a later check re-validates exactly the units whose inputs changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kb.checking import check, state_path, unit_ntriples
from kb.core.loader import read_inputs
from kb.errors import KbError
from kb.paths import BUILD_DIR, DATA_DIR, DEFAULT_BIB
from kb.rdf.triples import iter_triples
from kb.records.worksheet import find_worksheet_dirs
from kb.store.http import ntriples_lines
from kb.store.spec import MEMORY, parse_spec
from tests.helpers import run_kb


def _whole(bib: Path, data: Path) -> set[str]:
    inputs = read_inputs(bib, data)
    return set(ntriples_lines(iter_triples(inputs.references.values(), inputs.worksheets,
                                           inputs.sources)))  # fmt: skip


@pytest.mark.parametrize("corpus", ["seed", "synth3"])
def test_units_hold_exactly_the_whole_graph(corpus: str, synth3: Path) -> None:
    """The union of the units' triples is the whole graph's, triple for triple: validating the
    units leaves nothing of the graph out and adds nothing to it."""
    bib, data = (DEFAULT_BIB, DATA_DIR) if corpus == "seed" else (
        synth3 / "references.bib", synth3 / "data")  # fmt: skip
    units = unit_ntriples(bib, [data])
    assert set().union(*map(set, units.values())) == _whole(bib, data)
    assert "agents" in units


@pytest.fixture
def library(synth3: Path, tmp_path: Path) -> Path:
    """A writable copy of the three-worksheet library."""
    shutil.copytree(synth3, tmp_path / "lib")
    return tmp_path / "lib"


def _check(lib: Path) -> tuple[list[str], int, bool]:
    folders = find_worksheet_dirs([lib / "data"])
    result = check(lib / "references.bib", folders, state=lib / "state" / "check.json")
    return sorted(Path(n).name for n in result.validated), result.triples, result.conforms


def test_uncited_reference_is_checked_in_a_library_unit(library: Path) -> None:
    """A reference no worksheet cites lands in a ``library:`` unit; the units still hold the
    whole graph, and the uncited reference fails SHACL as it does in the whole graph (no topic)."""
    bib = library / "references.bib"
    text = bib.read_text(encoding="utf-8")
    first = text[text.index("@") : text.index("\n}\n") + 3]
    key = first[first.index("{") + 1 : first.index(",")]
    bib.write_text(f"{text}\n{first.replace(key, 'uncited2000', 1)}", encoding="utf-8")
    units = unit_ntriples(bib, [library / "data"])
    assert set().union(*map(set, units.values())) == _whole(bib, library / "data")
    assert any("uncited2000" in line for line in units["library:0"])
    folders = find_worksheet_dirs([library / "data"])
    result = check(bib, folders, state=library / "state" / "check.json")
    assert [v.focus.rsplit("/", 1)[-1] for v in result.violations] == ["uncited2000"]


def test_second_check_validates_nothing_and_reports_the_same(library: Path) -> None:
    """Unchanged inputs: no unit is validated again, and the summary is identical."""
    first, triples, conforms = _check(library)
    assert conforms
    assert len(first) == 4  # three worksheets and the agents (every reference is cited)
    assert _check(library) == ([], triples, True)


def test_edited_worksheet_alone_is_validated_again(library: Path) -> None:
    """Editing a link's rationale re-validates that worksheet's unit and nothing else."""
    _check(library)
    folder = sorted((library / "data").iterdir())[0]
    links = yaml.safe_load((folder / "links.yaml").read_text(encoding="utf-8"))
    links["links"][0]["rationale"] += " (re-read)"
    (folder / "links.yaml").write_text(yaml.safe_dump(links, allow_unicode=True), "utf-8")
    validated, _triples, conforms = _check(library)
    assert (validated, conforms) == ([folder.name], True)


def test_edited_appraisal_revalidates_every_unit_holding_that_reference(library: Path) -> None:
    """A note about a reference (its design rationale) reaches every unit holding the reference:
    the worksheet, the other worksheets citing it, and its library chunk."""
    _check(library)
    folder = sorted((library / "data").iterdir())[0]
    notes = yaml.safe_load((folder / "references.yaml").read_text(encoding="utf-8"))
    note = notes["references"][0]
    note["search_note"] = "Looked again in a test."
    (folder / "references.yaml").write_text(yaml.safe_dump(notes, allow_unicode=True), "utf-8")
    units = unit_ntriples(library / "references.bib", [library / "data"])
    holding = sorted(
        Path(name).name
        for name, lines in units.items()
        if name != "agents" and any(f"/reference/{note['key']}>" in line for line in lines)
    )
    validated, _triples, conforms = _check(library)
    assert conforms
    assert validated == holding
    assert folder.name in holding


def test_bad_record_in_an_edited_worksheet_fails_as_a_full_check_does(library: Path) -> None:
    """A key missing from the bib in an edited worksheet gives the full check's error."""
    _check(library)
    folder = sorted((library / "data").iterdir())[0]
    key = yaml.safe_load((folder / "references.yaml").read_text("utf-8"))["references"][0]["key"]
    for path in folder.glob("*.yaml"):  # the key renamed everywhere in the worksheet
        path.write_text(path.read_text("utf-8").replace(key, "nosuchkey2000"), "utf-8")
    with pytest.raises(KbError) as incremental:
        _check(library)
    shutil.rmtree(library / "state")
    with pytest.raises(KbError) as full:
        _check(library)
    assert str(incremental.value) == str(full.value)
    assert "nosuchkey2000" in str(full.value)


def test_state_lives_beside_a_persistent_store_else_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``oxigraph:PATH`` keeps the digests at PATH.kb-check.json; other stores in build/cache,
    or in KB_CACHE_DIR when it is set."""
    folders = find_worksheet_dirs([DATA_DIR])
    beside = state_path(parse_spec(f"oxigraph:{tmp_path / 'oxi'}"), DEFAULT_BIB, folders)
    assert beside == tmp_path / "oxi.kb-check.json"
    monkeypatch.delenv("KB_CACHE_DIR", raising=False)
    assert state_path(MEMORY, DEFAULT_BIB, folders).parent == BUILD_DIR / "cache"
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "c"))
    assert state_path(MEMORY, DEFAULT_BIB, folders).parent == tmp_path / "c"


def test_cli_shows_progress_for_a_library(synth10: Path, tmp_path: Path) -> None:
    """`kb check` on ten worksheets prints its progress and what it validated on stderr, and
    the second run validates nothing."""
    args = ("--bib", synth10 / "references.bib", "--data", synth10 / "data",
            "--store", f"oxigraph:{tmp_path / 'oxi'}", "check")  # fmt: skip
    first = run_kb(*args)
    assert first.returncode == 0, first.stderr
    assert "kb check: SHACL 11/11 units" in first.stderr
    assert (tmp_path / "oxi.kb-check.json").exists()
    assert not (tmp_path / "oxi").exists()
    again = run_kb(*args)
    assert again.stdout == first.stdout
    assert "validated 0 of 11 units" in again.stderr

"""`kb import`: CSL-JSON and RIS merged into the bib; duplicates reported, never merged; fields
the bib cannot hold kept as findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.curate.importer import import_references, read_records
from kb.errors import KbError
from kb.paths import DEFAULT_BIB
from kb.records.bib import load_bib
from tests.helpers import run_kb


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    """A copy of references.bib a test may add to."""
    path = tmp_path / "references.bib"
    shutil.copy(DEFAULT_BIB, path)
    return path


def _export(fmt: str, tmp_path: Path) -> Path:
    result = run_kb("export", fmt)
    assert result.returncode == 0, result.stderr
    path = tmp_path / f"export.{fmt}"
    path.write_text(result.stdout, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csl-json", "ris"])
def test_own_export_round_trips(fmt: str, tmp_path: Path, bib: Path) -> None:
    """Importing our own export adds no entry, finds every record a duplicate with no difference,
    and reads back every field of every reference."""
    path = _export(fmt, tmp_path)
    report = import_references(path, bib)
    assert report.added == []
    assert len(report.duplicates) == report.read == 16
    assert [d for d in report.duplicates if d["differences"]] == []
    assert bib.read_bytes() == DEFAULT_BIB.read_bytes()
    originals = {r.key: r for r in load_bib(DEFAULT_BIB)}
    _, records, findings = read_records(path)
    assert findings == []
    for ref, rid in records:
        kind = {"news": "webpage"}.get(originals[rid].kind, originals[rid].kind)
        expected = originals[rid].model_copy(update={"key": ref.key, "line": 0, "kind": kind})
        assert ref.model_copy(update={"line": 0}) == expected


def test_one_new_reference_adds_one_entry(tmp_path: Path, bib: Path) -> None:
    """A file with one new reference (and one already known) adds exactly one entry."""
    items = json.loads(_export("csl-json", tmp_path).read_text(encoding="utf-8"))[:1]
    items.append(
        {
            "id": "new2030",
            "type": "article-journal",
            "author": [{"family": "Newcomer", "given": "A."}],
            "title": "A study of something new",
            "issued": {"date-parts": [[2030]]},
            "container-title": "Journal of Tests",
            "abstract": "An abstract the bib has no field for.",
        }
    )
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    report = import_references(path, bib)
    assert report.added == ["new2030"]
    assert len(load_bib(bib)) == len(load_bib(DEFAULT_BIB)) + 1
    assert [(f["record"], f["field"]) for f in report.findings] == [("new2030", "abstract")]


def test_duplicate_by_title_and_year_reports_differences(tmp_path: Path, bib: Path) -> None:
    """A record without a DOI but with a known title and year is a duplicate; its differing
    fields are listed, and the bib keeps its own."""
    path = tmp_path / "one.ris"
    path.write_text(
        "TY  - JOUR\nAU  - Davila, J.\nTI  - Why does attachment style change?\nPY  - 1997\n"
        "VL  - 74\nER  - \n",
        encoding="utf-8",
    )
    report = import_references(path, bib)
    assert report.added == []
    (dup,) = report.duplicates
    assert (dup["duplicate_of"], dup["by"]) == ("davila1997", "title and year")
    assert {"field": "volume", "file": "74", "bib": "73"} in dup["differences"]


@pytest.mark.parametrize(
    ("content", "code", "needle"),
    [
        ("@article{x, title={BibTeX is not an import format}}\n", 2, "neither CSL-JSON"),
        ("[1, 2, 3]", 2, "array of item objects"),
        ('[{"id": "a", "type": "book", "title": "T"}]', 1, "CSL type 'book'"),
        ('[{"id": "a", "type": "webpage"}]', 1, "field"),
    ],
    ids=["bibtex", "not-items", "unknown-type", "no-title"],
)
def test_bad_import_files(tmp_path: Path, bib: Path, content: str, code: int, needle: str) -> None:
    """A file of the wrong format or a record that cannot be mapped fails with one message."""
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KbError, match=needle) as info:
        import_references(path, bib)
    assert info.value.exit_code == code
    assert bib.read_bytes() == DEFAULT_BIB.read_bytes()

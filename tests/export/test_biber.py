"""biblatex's own data-model check, `biber --tool --validate-datamodel` (Debian `biber`), accepts
our BibLaTeX and BibTeX exports and references.bib itself, with exactly one documented warning:
manson_nd has no date, because the page is undated and no date may be invented."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import kb
from kb.export import export
from kb.paths import DEFAULT_BIB

BIBER = shutil.which("biber")
if BIBER is None:
    pytest.fail(
        "biber is not installed (Debian package `biber`; `make test` installs it through "
        "scripts/install-browser)",
        pytrace=False,
    )

ALLOWED = {("manson_nd", "Missing mandatory field - one of 'date, year' must be defined")}


def warnings(text: str, tmp_path: Path) -> set[tuple[str, str]]:
    """(entry key, message) of each data-model warning biber gives on ``text``."""
    path = tmp_path / "input.bib"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [BIBER, "--tool", "--validate-datamodel", "--output-directory", str(tmp_path), path.name],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.findall(r"WARN - Datamodel: Entry '([^']+)' \([^)]*\): (.+)", done.stdout)
    return {(key, message.strip()) for key, message in found}


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex"])
def test_export_is_valid_in_biblatex_data_model(fmt: str, tmp_path: Path) -> None:
    """Every exported entry fits biblatex's data model but for the undated page."""
    assert warnings(export(kb.load(), fmt), tmp_path) == ALLOWED


def test_references_bib_is_valid_in_biblatex_data_model(tmp_path: Path) -> None:
    """The curated bib itself fits biblatex's data model but for the undated page."""
    assert warnings(DEFAULT_BIB.read_text(encoding="utf-8"), tmp_path) == ALLOWED


def test_the_check_catches_a_publisher_on_online(tmp_path: Path) -> None:
    """The check is real: a `publisher` on @online (what the export wrote before) is flagged."""
    bad = "@online{k, author = {Ha, L.}, title = {T}, date = {2021}, publisher = {P}, url = {http://example.org/}}\n"
    assert warnings(bad, tmp_path) == {("k", "Invalid field 'publisher' for entrytype 'online'")}

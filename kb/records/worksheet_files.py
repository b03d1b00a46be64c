"""The files of a worksheet folder: which are required, which optional, and the text."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FILES", "OPTIONAL_FILES", "TEXT_FILE", "worksheet_files"]

FILES = {
    "worksheet": "worksheet.yaml",
    "skills": "skills.yaml",
    "claims": "claims.yaml",
    "links": "links.yaml",
    "references": "references.yaml",
    "topics": "topics.yaml",
}
# Files a worksheet may lack: what sources report (findings), and the links' second review.
OPTIONAL_FILES = {"findings": "findings.yaml", "reviews": "reviews.yaml"}
TEXT_FILE = "text.txt"


def worksheet_files(folder: Path) -> list[Path]:
    """Every curated file of a worksheet folder: the required ones, then optional ones present."""
    names = [*FILES.values(), TEXT_FILE]
    names += [name for name in OPTIONAL_FILES.values() if (folder / name).exists()]
    return [folder / name for name in names]

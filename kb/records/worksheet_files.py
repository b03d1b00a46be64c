"""The files of a worksheet folder: which are required, which optional, and the text; and the
worksheet folders a data folder holds (no file is parsed here: every command finds its folders
with this module alone)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kb.errors import UnreadableError, UsageError
from kb.files import refuse_link_out

__all__ = [
    "FILES",
    "OPTIONAL_FILES",
    "TEXT_FILE",
    "find_worksheet_dirs",
    "source_name",
    "worksheet_files",
]

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


def find_worksheet_dirs(paths: Iterable[Path]) -> list[Path]:
    """Each path is a worksheet folder or a folder of worksheet folders."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UnreadableError("no such data folder (check the path)", path=path)
        if not path.is_dir():
            raise UsageError("a data folder must be a folder, not a file", path=path)
        if (path / FILES["worksheet"]).exists():
            found.append(path)
            continue
        subs = sorted(p for p in path.iterdir() if (p / FILES["worksheet"]).exists())
        if not subs:
            raise UnreadableError(
                f"no {FILES['worksheet']} here or in its subfolders; is this a data folder?",
                path=path,
            )
        for sub in subs:
            refuse_link_out(sub, path, "worksheet folder")
        found.extend(subs)
    return found


def source_name(path: Path) -> str:
    """An input file's name in the build record, independent of where the repository is checked
    out: the bib by its file name, a worksheet's files as ``worksheet-folder/file`` (regression:
    the bib was named after the checkout's folder, so two clones built different graphs)."""
    return path.name if path.suffix == ".bib" else f"{path.parent.name}/{path.name}"

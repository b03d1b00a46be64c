"""The Curate page's undo history: every save's earlier files, kept beside the data.

A worksheet folder's history is the git-ignored folder ``.curate-history/`` inside it, one JSON
file per save (``000001.json``, ``000002.json``, ...), at most ``DEPTH`` of them. It lives in the
worksheet folder because that is the one folder the editor writes already, it travels with the
files it can put back, and it survives a reload or a restart of the dashboard (a new session
finds it there). The worksheet readers never look at it: they read the files they name.

A step is written (atomically, never over another step) *before* the save writes its files, and
holds for each file its earlier text (or "absent") and the digest of the text the save writes.
Undo puts back, file by file, each file that still holds what that save wrote; a file that
already holds its earlier text is left alone (an interrupted save or undo); a file that holds
anything else was changed since (by another editor, or by hand) and the undo is refused with
nothing written. Only the worksheet's own files can be named in a step, and the three files a
new review round starts with (``review-rounds/round-N/packet.md``, ``packet.sha256``,
``first.yaml``): a history handed over with a folder can put back those files and nothing else.
Undoing the start of a round removes its folder, and is refused once anything else (a
reviewer's return, a resolution) has been put in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import InvalidDataError, UnreadableError
from kb.files import read_input, write_atomic
from kb.records.review_rounds import FIRST_FILE, PACKET_FILE, ROUNDS_FOLDER, SHA_FILE
from kb.records.worksheet_files import FILES, OPTIONAL_FILES, TEXT_FILE

__all__ = ["DEPTH", "HISTORY_DIR", "History", "Undone"]

HISTORY_DIR = ".curate-history"
DEPTH = 20  # saves kept; older steps are dropped
_STEP = re.compile(r"^(\d{6})\.json$")
_NAMES = frozenset([*FILES.values(), *OPTIONAL_FILES.values(), TEXT_FILE])
_ROUND_FILE = re.compile(
    rf"^{re.escape(ROUNDS_FOLDER)}/round-\d+/"
    rf"({'|'.join(re.escape(n) for n in (PACKET_FILE, SHA_FILE, FIRST_FILE))})$"
)


@dataclass(frozen=True)
class Undone:
    """What an undo put back: the files, the save's note, and the steps left to undo."""

    files: list[str]
    note: str
    left: int


class History:
    """The undo history of one worksheet folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.dir = folder / HISTORY_DIR
        self.shown = f"{folder.name}/{HISTORY_DIR}"  # how messages name it (never a server path)

    def __len__(self) -> int:
        return len(self._steps())

    def record(self, before: dict[str, str | None], after: dict[str, str], note: str) -> None:
        """Keep one save's earlier files (``None``: the file did not exist) before it writes
        ``after``; drop the oldest steps beyond ``DEPTH``."""
        files = {
            name: {"before": before.get(name), "after_sha256": _sha(text.encode("utf-8"))}
            for name, text in sorted(after.items())
        }
        payload = json.dumps({"note": note, "files": files}, ensure_ascii=False, indent=1)
        self._make_dir()
        self._add(payload.encode("utf-8"))
        for old in self._steps()[:-DEPTH]:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()

    def undo(self) -> Undone:
        """Put back the files of the latest save still in the history; refused (nothing
        written) when one of them was changed since that save."""
        steps = self._steps()
        if not steps:
            raise InvalidDataError(
                "nothing to undo: the undo history is empty (no save kept here)",
                path=self.shown,
            )
        step = steps[-1]
        note, files = self._read(step)
        self._refuse_if_round_has_more(files, note)
        todo: dict[str, str | None] = {}
        for name, change in files.items():
            now = _file_sha(self.folder / name)
            before = change["before"]
            if now == change["after_sha256"]:
                todo[name] = before
            elif now != (None if before is None else _sha(before.encode("utf-8"))):
                raise InvalidDataError(
                    f"not undone: changed since the save it would undo ({note or 'a save'}); "
                    "undo only goes back over saves nobody changed since",
                    path=f"{self.folder.name}/{name}",
                )
        for name, text in todo.items():
            if text is None:
                (self.folder / name).unlink()
            else:
                write_atomic(self.folder / name, text)
        self._remove_emptied(files)
        step.unlink()
        return Undone(sorted(todo), note, len(steps) - 1)

    def _refuse_if_round_has_more(self, files: dict[str, Any], note: str) -> None:
        """A step that started a round (its files absent before) is not undone once the round
        folder holds anything else: a return or a resolution was added since."""
        for folder in {(self.folder / n).parent for n in files if "/" in n}:
            if not folder.is_dir():
                continue
            mine = {(self.folder / n).name for n, c in files.items() if c["before"] is None}
            extra = sorted(p.name for p in folder.iterdir() if p.name not in mine)
            if extra:
                raise InvalidDataError(
                    f"not undone: files were added to the round since the save it would undo "
                    f"({note or 'a save'}), e.g. {extra[0]}; a round with returns is kept",
                    path=f"{self.folder.name}/{folder.relative_to(self.folder)}",
                )

    def _remove_emptied(self, files: dict[str, Any]) -> None:
        """Remove the folders an undo left empty (a round's, then review-rounds/ itself)."""
        for name in files:
            parent = (self.folder / name).parent
            while parent != self.folder and parent.is_relative_to(self.folder):
                try:
                    parent.rmdir()  # only when empty
                except OSError:
                    break
                parent = parent.parent

    # --- the step files ---------------------------------------------------------------------
    def _steps(self) -> list[Path]:
        if not self.dir.exists():
            return []
        if self.dir.is_symlink() or not self.dir.is_dir():
            raise UnreadableError(
                "not a folder; move it away to start a new history", path=self.shown
            )
        return sorted(p for p in self.dir.iterdir() if _STEP.match(p.name))

    def _make_dir(self) -> None:
        self._steps()  # refuses a link or a file in its place
        try:
            self.dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise UnreadableError(f"cannot create: {exc.strerror}", path=self.shown) from None

    def _add(self, payload: bytes) -> None:
        """Write a new step file atomically, never over another one (two saves at once each
        get their own number: a hard link fails when the name is taken)."""
        fd, tmp = tempfile.mkstemp(prefix=".step.", suffix=".tmp", dir=self.dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            while True:
                last = self._steps()
                number = int(_STEP.match(last[-1].name)[1]) + 1 if last else 1  # type: ignore[index]
                try:
                    os.link(tmp, self.dir / f"{number:06d}.json")
                    break
                except FileExistsError:
                    continue
        finally:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()

    def _read(self, step: Path) -> tuple[str, dict[str, dict[str, Any]]]:
        shown = f"{self.shown}/{step.name}"
        if step.is_symlink() or not step.is_file():
            raise UnreadableError("not a regular file; move it away", path=shown)
        try:
            data = json.loads(read_input(step, "undo step", within=self.folder))
        except json.JSONDecodeError as exc:
            raise InvalidDataError(
                f"line {exc.lineno}: not JSON; move the file away", path=shown
            ) from None
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, dict) or not isinstance(data.get("note", ""), str):
            raise InvalidDataError("not an undo step; move the file away", path=shown)
        for name, change in files.items():
            if name not in _NAMES and not _ROUND_FILE.match(name):
                raise InvalidDataError(
                    f"names {name!r}, not a worksheet file; move the step away", path=shown
                )
            if (
                not isinstance(change, dict)
                or not isinstance(change.get("before"), str | None)
                or not isinstance(change.get("after_sha256"), str)
            ):
                raise InvalidDataError(f"{name}: not an undo step; move it away", path=shown)
        return str(data.get("note", "")), files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str | None:
    return _sha(path.read_bytes()) if path.exists() else None

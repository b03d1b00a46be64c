"""The errors a user sees: one line naming the file, the record and what to do.

Each kind carries its exit code: invalid data 1 (``KbError``, ``InvalidDataError``), unreadable
input 2 (``UnreadableError``), bad usage 2 (``UsageError``). The core names records by what they are
(``skill``, ``store``); the CLI and the dashboard say how a user gives them (``--skill``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

__all__ = [
    "EXIT_INVALID",
    "EXIT_UNREADABLE",
    "InvalidDataError",
    "KbError",
    "UnreadableError",
    "UsageError",
]

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


class KbError(Exception):
    """Bad input; this base class means invalid data (exit 1)."""

    exit_code: ClassVar[int] = EXIT_INVALID

    def __init__(
        self, message: str, *, path: Path | str | None = None, record: str | None = None
    ) -> None:
        self.path = str(path) if path is not None else None
        self.record = record
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as a single line: ``file: record: what is wrong (what to do)``."""
        parts = [p for p in (self.path, self.record) if p]
        text = ": ".join([*parts, self.message])
        return " ".join(text.split())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (worker processes send errors back): its kind, message and names."""
        return (_rebuild, (type(self), self.message, self.path, self.record))


class InvalidDataError(KbError):
    """The input was read but breaks a rule (exit 1)."""


class UnreadableError(KbError):
    """A file, folder, store or endpoint cannot be read or written (exit 2)."""

    exit_code: ClassVar[int] = EXIT_UNREADABLE


class UsageError(KbError):
    """An option or argument names nothing that exists, or is not allowed (exit 2)."""

    exit_code: ClassVar[int] = EXIT_UNREADABLE


def _rebuild(kind: type[KbError], message: str, path: str | None, record: str | None) -> KbError:
    return kind(message, path=path, record=record)

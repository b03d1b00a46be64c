"""The one error type a user sees: a message naming the file, the record and what to do."""

from __future__ import annotations

from pathlib import Path

__all__ = ["EXIT_INVALID", "EXIT_UNREADABLE", "KbError"]

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


class KbError(Exception):
    """Bad input: ``exit_code`` 1 for invalid data, 2 for unreadable input or bad usage."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        record: str | None = None,
        exit_code: int = EXIT_INVALID,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.record = record
        self.exit_code = exit_code
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as a single line: ``file: record: what is wrong (what to do)``."""
        parts = [p for p in (self.path, self.record) if p]
        text = ": ".join([*parts, self.message])
        return " ".join(text.split())

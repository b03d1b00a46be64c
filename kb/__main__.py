"""``python -m kb``."""

from kb.cli import entry

entry()

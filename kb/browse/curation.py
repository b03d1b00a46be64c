"""What the Curate page edits with: the worksheet editor (one save per press, an undo history
beside the data) and the blind second review, reached through this layer as every page reaches
the package."""

from __future__ import annotations

from kb.curate.editor import Editor, shown
from kb.curate.history import DEPTH
from kb.records.models import Judgement

__all__ = ["DEPTH", "Editor", "Judgement", "shown"]

"""What ``kb check`` keeps between runs: where (``state_path``), the state file, the hashes of
each unit's triples beside it, and the bib's entry spans (to parse only the entries needed)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kb.core.resolve import cited_keys
from kb.files import read_input
from kb.records.checks import awaiting_resolution
from kb.records.models import Finding, Reference, WorksheetData
from kb.settings import cache_dir
from kb.store.spec import StoreSpec

__all__ = [
    "STATE_VERSION",
    "Kept",
    "KeptHashes",
    "Sheet",
    "cited",
    "distinct",
    "hash_file",
    "read_state",
    "sheet_of",
    "spans",
    "state_path",
]

STATE_VERSION = 2


@dataclass
class Sheet:
    """What the state keeps of one worksheet: enough to check the others without reading it."""

    files: str
    id: str
    cited: list[str]
    notes: list[dict[str, Any]]  # its ReferenceNotes (what it says about references), as JSON
    topics: list[dict[str, Any]]  # its Topics, as JSON
    findings: dict[str, Any]
    counts: dict[str, Any]
    unit: str = ""  # digest of its unit when last clean
    data: WorksheetData | None = None  # parsed in this run


def cited(ws: WorksheetData) -> list[str]:
    return sorted({*cited_keys(ws), *(f.reference for f in ws.findings)})


def sheet_of(files: str, ws: WorksheetData) -> Sheet:
    return Sheet(
        files=files,
        id=ws.worksheet.id,
        cited=cited(ws),
        notes=[n.model_dump(mode="json") for n in ws.references],
        topics=[t.model_dump(mode="json") for t in ws.topics],
        findings={f.id: f.model_dump(mode="json") for f in ws.findings},
        counts={
            "skills": len(ws.skills),
            "claims": len(ws.claims),
            "links": len(ws.links),
            "orphaned": [c.id for c in ws.claims if c.orphaned],
            "awaiting": awaiting_resolution(ws),
        },
        data=ws,
    )


def state_path(store: StoreSpec, bib: Path, folders: Sequence[Path]) -> Path:
    """Where the digests of the last check live: beside ``oxigraph:PATH``, else in the cache."""
    if store.kind == "oxigraph":
        path = store.path.expanduser().resolve()
        return path.parent / f"{path.name}.kb-check.json"
    key = "\n".join(str(p.resolve()) for p in [bib, *folders])
    cache = cache_dir()
    return cache / f"check-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def distinct(hashes: bytes) -> int:
    """How many distinct 64-bit hashes (a sort: numpy's hash-based unique took 2.5 s at 2M)."""
    values = np.sort(np.frombuffer(hashes, np.uint64))
    return int(values.size and 1 + np.count_nonzero(values[1:] != values[:-1]))


def spans(bib: Path, references: dict[str, Reference]) -> dict[str, list[int]] | None:
    """Each entry's first and last line, so a later check can parse only the entries it needs
    (None when the bib has @string or @preamble blocks: entries are then not self-contained)."""
    text = read_input(bib, "bib file")
    if re.search(r"^\s*@\s*(string|preamble)\b", text, re.IGNORECASE | re.MULTILINE):
        return None
    starts = sorted((r.line, r.key) for r in references.values())
    total = text.count("\n") + 1
    ends = [s - 1 for s, _ in starts[1:]] + [total]
    return {key: [start, end] for (start, key), end in zip(starts, ends, strict=True)}


def read_state(path: Path | None) -> dict[str, Any]:
    if path is None or not path.exists():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged state only costs a full check
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else {}


def hash_file(state: Path) -> Path:
    """Beside the state file: 64-bit hashes of each unit's triples (to count their union)."""
    return state.with_suffix(".triples")


class KeptHashes:
    """The triple hashes recorded by the last check, by unit digest (None if lost)."""

    def __init__(self, state: Path, old: dict[str, Any]) -> None:
        path = hash_file(state)
        self.index: dict[str, list[int]] = old.get("hashes", {}) if path.exists() else {}
        self.blob = path.read_bytes() if self.index else b""

    def get(self, digest: str) -> bytes | None:
        at, size = self.index.get(digest, (-1, 0))
        return self.blob[at : at + size] if at >= 0 and at + size <= len(self.blob) else None


class Kept:
    """A finding as the last check recorded it: equal to a Finding with the same fields (what
    ``check_appraisals`` compares), rebuilt from JSON only if a changed worksheet has its id."""

    def __init__(self, dump: dict[str, Any]) -> None:
        self.dump = dump

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Finding):
            return Finding.model_validate_json(json.dumps(self.dump)) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

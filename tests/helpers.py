"""Shared test helpers: the seed knowledge base (loaded once), a writable copy of the real inputs,
running the console script, and finding internal ids in what people read."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import kb
from kb.paths import DATA_DIR, DEFAULT_BIB, REPO_ROOT

WORKSHEET = "creating-secure-attachment"
KB_EXE = Path(sys.executable).parent / "kb"


@dataclass
class Inputs:
    """A copy of references.bib and kb/data that a test may break."""

    bib: Path
    data: Path

    @property
    def ws(self) -> Path:
        """The worksheet folder inside the copy."""
        return self.data / WORKSHEET


def copy_inputs(tmp: Path) -> Inputs:
    """Copy the real bib and curated data into ``tmp``."""
    bib = tmp / "references.bib"
    shutil.copy(DEFAULT_BIB, bib)
    data = tmp / "data"
    shutil.copytree(DATA_DIR, data)
    return Inputs(bib=bib, data=data)


def run_kb(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kb`` console script (``env``: settings added to the environment)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    return subprocess.run(
        [str(KB_EXE), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@functools.cache
def seed_kb() -> kb.KnowledgeBase:
    """The seed knowledge base, loaded once per test session (tests only read it)."""
    return kb.load()


def raw_ids(base: kb.KnowledgeBase, text: str) -> set[str]:
    """The internal ids in ``text``: claim, link and finding ids, bib keys, person ids, and our
    IRIs (people read "Claim 12" and "Hazan & Shaver (1987)")."""
    ids = set(base.references) | {a.person_id for r in base.references.values() for a in r.authors}
    for sheet in base.worksheets:
        ids |= {c.id for c in sheet.claims} | {x.id for x in sheet.links}
        ids |= {f.id for f in sheet.findings}
    found = {w for w in re.findall(r"[\w-]+", text) if w in ids}
    return found | set(re.findall(r"https?://example\.org/kb/\S*", text))

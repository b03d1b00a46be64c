"""The seed worksheet's page as copied from the site (raw text), and the curated records to
measure ``kb new`` against."""

from __future__ import annotations

import functools
from pathlib import Path

from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.records.bib import load_bib
from kb.records.models import Reference, WorksheetData
from kb.records.worksheet import read_checked

PAGE = Path(__file__).parents[1] / "fixtures" / "curate" / "creating-secure-attachment.page.txt"
SEED = DATA_DIR / "creating-secure-attachment"


@functools.cache
def curated() -> WorksheetData:
    """The curated seed worksheet, every record."""
    return read_checked(SEED)


@functools.cache
def bib() -> dict[str, Reference]:
    """references.bib by key."""
    return {r.key: r for r in load_bib(DEFAULT_BIB)}


def page_text() -> str:
    """The raw page text, as copied from the site (navigation and trailing lines included)."""
    return PAGE.read_text(encoding="utf-8")

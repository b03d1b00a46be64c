"""The dashboard's pages (key -> title in the navigation) and the source of its inputs."""

from __future__ import annotations

import os

import kb

Source = tuple[str | None, tuple[str, ...] | None, kb.StoreSpec]

PAGES = {
    "overview": "Overview",
    "worksheet": "Worksheet",
    "skills": "Skills",
    "gaps": "Gaps & Audit",
    "references": "References",
    "authors": "Authors",
    "topics": "Topics",
    "graph": "Graph",
    "query": "Query",
    "export": "Export",
}


def pages() -> dict[str, str]:
    """The pages of this run: the Curate page, which edits files, only with env KB_CURATE=1 (read
    at every run, as a reload reads it)."""
    return {**PAGES, "curate": "Curate"} if os.environ.get("KB_CURATE") == "1" else dict(PAGES)

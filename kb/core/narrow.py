"""One worksheet of a large library as a knowledge base of its own, for views that must stay quick.

The dashboard narrows every page to one worksheet once a library is large
(``LIBRARY_SCOPE_FROM`` worksheets). ``scoped(base, ws)`` gives that worksheet, the references it
prints or links and nothing else, in a small embedded store built from the records already
read: each page then computes over one worksheet (APA, networks, audit, profiles) whatever the
size of the library, and its store answers only for that worksheet. Whole-library questions
(search, the Query page, exports) still go to the full knowledge base.

>>> import kb
>>> from kb.core.narrow import scoped
>>> base = kb.load()
>>> len(scoped(base, base.worksheets[0].worksheet.id).references)
16
"""

from __future__ import annotations

from kb.core.knowledge_base import Inputs, KnowledgeBase
from kb.core.loader import ntriples_of
from kb.core.resolve import cited_keys
from kb.errors import KbError
from kb.store.spec import MEMORY, open_store

__all__ = ["LIBRARY_SCOPE_FROM", "scoped"]

# From this many worksheets on, the dashboard has no "All worksheets" scope: whole-library
# pages (every skill's profile, every author, the APA of every reference) take seconds there.
LIBRARY_SCOPE_FROM = 25


def scoped(base: KnowledgeBase, ws_id: str) -> KnowledgeBase:
    """The knowledge base of one worksheet of ``base`` (a clear KbError for an unknown id)."""
    sheet = base.worksheet(ws_id)
    ws_id = sheet.worksheet.id
    folders = [
        folder
        for folder, w in zip(base.inputs.folders, base.worksheets, strict=True)
        if w.worksheet.id == ws_id
    ]
    if len(folders) != 1:  # pragma: no cover - ids are unique (checked on read)
        raise KbError(f"worksheet '{ws_id}' is not in one folder", record="worksheet")
    references = {k: base.references[k] for k in cited_keys(sheet) if k in base.references}
    inputs = Inputs(base.bib_path, folders, references, [sheet])
    store = open_store(MEMORY)
    store.load_chunks(ntriples_of(inputs))
    return KnowledgeBase(store=store, bib_path=base.bib_path, data_dirs=folders, _inputs=inputs)

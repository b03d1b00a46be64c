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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = ["LIBRARY_SCOPE_FROM", "scoped"]

# From this many worksheets on, the dashboard has no "All worksheets" scope: whole-library
# pages (every skill's profile, every author, the APA of every reference) take seconds there.
LIBRARY_SCOPE_FROM = 25


def scoped(base: KnowledgeBase, ws_id: str) -> KnowledgeBase:
    """The knowledge base of one worksheet of ``base`` (``KnowledgeBase.narrow``; a clear
    error for an unknown id)."""
    return base.narrow(ws_id)

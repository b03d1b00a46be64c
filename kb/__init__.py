"""kb: the citation and evidence knowledge base behind "Creating Secure Attachment".

Public API::

    import kb
    base = kb.load()                 # references.bib + kb/data, validated, built, queryable
    base.skills                      # the 7 skills
    base.evidence_for("minimize-stressors")
    kb.load(store=kb.parse_spec("oxigraph:build/store"))  # a store spec, parsed once

The names are imported on first use (PEP 562): ``import kb.rdf.terms`` or ``kb skills`` does not
load the whole package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kb.version import __version__ as __version__

if TYPE_CHECKING:
    from kb.core.knowledge_base import EvidenceRow, FindingRow, KnowledgeBase, SkillRef
    from kb.core.loader import load
    from kb.errors import KbError
    from kb.store.spec import StoreSpec, parse_spec

__all__ = [
    "EvidenceRow",
    "FindingRow",
    "KbError",
    "KnowledgeBase",
    "SkillRef",
    "StoreSpec",
    "load",
    "parse_spec",
]

# name -> the module that defines it
_HOME = {
    "EvidenceRow": "kb.core.evidence_rows",
    "FindingRow": "kb.core.evidence_rows",
    "KnowledgeBase": "kb.core.knowledge_base",
    "SkillRef": "kb.core.resolve",
    "load": "kb.core.loader",
    "KbError": "kb.errors",
    "StoreSpec": "kb.store.spec",
    "parse_spec": "kb.store.spec",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

"""kb: the citation and evidence knowledge base behind "Creating Secure Attachment".

Public API::

    import kb
    base = kb.load()                 # references.bib + kb/data, validated, built, queryable
    base.skills                      # the 7 skills
    base.evidence_for("minimize-stressors")
    kb.load(store=kb.parse_spec("oxigraph:build/store"))  # a store spec, parsed once
"""

from kb.core.knowledge_base import EvidenceRow, FindingRow, KnowledgeBase, SkillRef
from kb.core.loader import load
from kb.errors import KbError
from kb.store.spec import StoreSpec, parse_spec
from kb.version import __version__ as __version__

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

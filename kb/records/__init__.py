"""Layer 1, records: curated files -> strict typed records (pydantic), checked and canonical.

``models`` (the record types), ``bib`` (references.bib), ``worksheet`` (a worksheet folder:
read, check, canonical form, lint, reanchor), ``link_rules`` (what a link may claim).
Imports only ``kb.errors``, ``kb.files`` and ``kb.paths``.
"""

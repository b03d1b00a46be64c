"""Layer 1, records: curated files -> strict typed records (pydantic), checked and canonical.

``models`` (the record types), ``names`` (the one name normaliser), ``bib`` (references.bib),
``worksheet_files`` (the files of a worksheet folder), ``worksheet`` (read a folder into
records), ``checks`` (the rules across records and files), ``link_rules`` (what a link may
claim), ``canonical`` (the one YAML form of each file: lint, reanchor). Imports only
``kb.errors``, ``kb.files`` and ``kb.paths``.
"""

"""Adding a worksheet: from a page's text to proposed records, and editing them.

``new`` (``kb new``) reads a page with ``body``, ``claims``, ``printed`` and ``match``;
``suggest`` ranks references per claim (``kb suggest``); ``importer`` merges Zotero exports into
the bib (``kb import``); ``editor`` is the data layer of the Curate page. Submodules are imported
by name: this package imports nothing on its own, so ``kb`` starts as fast as before.
"""

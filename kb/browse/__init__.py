"""Layer 8, browse: what each dashboard page and listing shows, as plain data (no streamlit).

One module per page: ``scope`` (worksheets, skills and counts a view covers), ``references``,
``skills``, ``query``, ``graph``; ``text`` (escaping, the one place), ``search`` (the library
index); ``views`` gathers their names for ``app.py``.
"""

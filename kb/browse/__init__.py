"""Layer 8, browse: what each dashboard page and listing shows, as plain data (no streamlit).

``views`` (the pages' tables, highlights and graph views), ``search`` (the library-wide search
index).
"""

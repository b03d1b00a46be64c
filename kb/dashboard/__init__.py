"""The dashboard's presentation layer: the only code under kb/ that imports streamlit.

`app.py` is the frame (navigation, URL state, the router); each page is a module of
`kb.dashboard.pages`, laying out what `kb.browse`, `kb.evidence`, `kb.export` and `kb.network`
return."""

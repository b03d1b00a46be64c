"""Layer 5, networks: NetworkX projections of the graph, their metrics, files and drawings.

``projections`` (the views and their metrics, bridges), ``pages`` (the author and topic pages'
data), ``draw`` (GraphML, GEXF, SVG and PNG).
"""

"""Layer 2, RDF: records -> triples over standard vocabularies, serialisation and SHACL.

``namespaces`` (the one prefix table), ``triples`` (IRIs minted from curated ids, every triple),
``serialize`` (canonical Turtle, sorted N-Triples, JSON-LD), ``shacl`` (the shapes, validated).
"""

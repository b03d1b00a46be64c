"""Layer 7, evidence: what the links add up to.

``rating`` (the rules: two certainty ratings per skill), ``profile`` (profiles and gaps from the
graph), ``queries`` (their SPARQL), ``review`` (the links' second review and its agreement),
``audit`` (printed references against the records), ``report`` (the printable evidence
appendix), ``wording`` (how a link's basis is put into words).
"""

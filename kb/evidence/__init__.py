"""Layer 7, evidence: what the links add up to.

``profile`` (two certainty ratings per skill, gaps), ``queries`` (their SPARQL), ``review`` (the
links' second review and its agreement), ``audit`` (printed references against the records),
``report`` (the printable evidence appendix), ``wording`` (how a link's basis is put in words).
"""

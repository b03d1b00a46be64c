"""kb.rdf.terms holds the vocabulary's IRIs as text, without rdflib: it must agree with rdflib's
namespaces and with our ontology, and importing it must not import rdflib."""

from __future__ import annotations

import subprocess
import sys

from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from kb.rdf import terms
from kb.rdf.namespaces import KB


def test_standard_prefixes_are_rdflibs() -> None:
    rdflib_own = {
        "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "dcterms": DCTERMS, "foaf": FOAF, "prov": PROV,
        "skos": SKOS,
    }  # fmt: skip
    assert {k: str(v) for k, v in rdflib_own.items()} == terms.STANDARD_PREFIXES
    assert str(XSD) == terms.XSD_BASE


def test_every_term_name_is_in_the_vocabulary() -> None:
    """KB is a DefinedNamespace that refuses unknown names: each table's names exist."""
    tables = [
        terms.STANCE_TERMS, terms.KIND_TERMS, terms.FACET_TERMS, terms.BASIS_TERMS,
        terms.PAGE_OWNER_TERMS, terms.RISK_OF_BIAS_TERMS, terms.FINDING_KIND_TERMS,
        terms.DIRECTNESS_TERMS,
    ]  # fmt: skip
    for table in tables:
        for name in table.values():
            assert str(KB[name]) == terms.kb_term(name)


def test_importing_terms_does_not_import_rdflib() -> None:
    code = "import sys, kb.rdf.terms; print('rdflib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

"""The one IRI validator and the links built from it: what N-Triples' IRIREF forbids is
refused, and a crafted DOI or URL never becomes an image or a foreign link on the page."""

from __future__ import annotations

import re

import pytest

from kb.iri import doi_problem, iri_problem
from kb.markup import doi_link, md_link


@pytest.mark.parametrize(
    "text",
    [
        "http://x.org/g> ; DROP ALL ; CREATE SILENT GRAPH <http://x.org/h",
        'https://x.org/"a',
        "https://x.org/{a}",
        "https://x.org/a b",
        "https://x.org/a\u202eb",
        "https://x.org/%zz",
        "https://",
        "x.org/a",
    ],
)
def test_not_an_iri(text: str) -> None:
    """Spaces, <>"{}|\\^`, bidi controls, a bad % escape, no host or no scheme: not an IRI."""
    assert iri_problem(text, schemes=("http", "https")) is not None


@pytest.mark.parametrize(
    "text", ["https://pubmed.ncbi.nlm.nih.gov/30714801/", "http://127.0.0.1:7878/query", "urn:x:y"]
)
def test_an_iri(text: str) -> None:
    """Ordinary web URLs and a URN are IRIs."""
    assert iri_problem(text) is None


def test_crafted_doi_link_stays_one_doi_org_link() -> None:
    """A DOI holding Markdown (an image to another host) is linked to doi.org only, its
    parentheses percent-encoded, its label escaped: no image, no second link."""
    doi = "10.1037/x)![i](https://evil.example/p.png"
    assert doi_problem(doi) is None  # DOIs may hold these characters
    link = doi_link(doi)
    targets = re.findall(r"\]\(([^)]*)\)", link)
    assert targets == ["https://doi.org/10.1037/x%29%21%5Bi%5D%28https://evil.example/p.png"]
    assert "![" not in link.replace("\\!\\[", "")


def test_url_that_is_not_an_iri_is_text_not_a_link() -> None:
    """A URL the validator refuses is shown as escaped text, never as a link."""
    assert "](" not in md_link("see", "javascript:alert(1)")
    assert "](" not in md_link("see", 'https://x.org/"onmouseover=')

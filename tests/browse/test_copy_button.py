"""The copy button's page (kb.browse.citations.copy_button_html) and citations in a style."""

from __future__ import annotations

import json
import re

import kb
from kb.browse.citations import citations, copy_button_html


def test_data_cannot_close_the_script_or_inject_markup() -> None:
    """Text and HTML travel as JSON with <, > and & escaped; the label is HTML-escaped."""
    page = copy_button_html("Copy <b>", "</script><script>alert(1)</script> & co", "<i>x</i>")
    assert page.count("</script>") == 2  # the page's own two scripts, nothing from the data
    assert "<b>" not in page
    assert "Copy &lt;b&gt;" in page
    data = re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)
    assert data is not None
    assert json.loads(data.group(1)) == {
        "text": "</script><script>alert(1)</script> & co",
        "html": "<i>x</i>",
    }


def test_citations_in_a_style_give_html_with_italics_and_no_narrative_outside_apa() -> None:
    """Chicago: entries as text and as HTML paragraphs with <i>; no narrative form."""
    base = kb.load()
    got = citations(base, [base.reference("hazan1987")], "chicago-author-date")
    assert got.entries[0].startswith("Hazan, C., and P. Shaver. 1987.")
    assert "<p>Hazan, C., and P. Shaver. 1987." in got.bibliography_html
    assert "<i>Journal of Personality and Social Psychology</i>" in got.bibliography_html
    assert got.parenthetical == "(Hazan and Shaver 1987)"
    assert got.narrative is None
    assert citations(base, [base.reference("hazan1987")]).narrative == "Hazan and Shaver (1987)"


def test_a_numbered_style_numbers_the_citations_within_the_list_shown() -> None:
    """Vancouver on a two-reference selection cites them as (1,2): their places in that list."""
    base = kb.load()
    refs = [base.reference("hazan1987"), base.reference("sbarra2008")]
    got = citations(base, refs, "vancouver")
    assert got.parenthetical == "(1,2)"
    assert got.entries[1].startswith("2. Sbarra DA, Hazan C.")

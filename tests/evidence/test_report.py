"""The evidence appendix (issue #4): Markdown and a printable, escaped HTML page in APA 7."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import kb
from kb.evidence.profile import profiles
from kb.evidence.rating import DISCLAIMER
from kb.evidence.report import render_report
from kb.export.apa import render_apa
from tests.helpers import copy_inputs, run_kb, seed_kb

BASE = seed_kb()
VOID = {"meta", "br", "hr", "img", "link", "input"}


class _Balance(HTMLParser):
    """Checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def page() -> str:
    """The HTML appendix of the real data."""
    return render_report(BASE, "html")


def test_html_is_a_balanced_standalone_page(page: str) -> None:
    """The HTML page declares its doctype and charset, and every element is closed in order."""
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    parser = _Balance()
    parser.feed(page)
    assert parser.errors == []
    assert parser.stack == []


def test_html_has_every_skill_quote_and_rating(page: str) -> None:
    """Each skill's title, words, claim quotes and rating (with reasons) are in the page."""
    parser = _Balance()
    parser.feed(page)
    text = "".join(parser.text)
    for ws in BASE.worksheets:
        for claim in ws.claims:
            if claim.section in {s.slug for s in ws.skills}:
                assert claim.quote in text, claim.id
    for prof in profiles(BASE):
        assert f"Skill {prof.order}. {prof.title}" in text
        for rating in (prof.advice, prof.premises):
            assert rating is not None
            assert f"Certainty, {rating.label}: {rating.rating}" in text
            assert all(reason in text for reason in rating.reasons)
    assert DISCLAIMER in text


def test_html_references_are_apa7_from_kb_cite(page: str) -> None:
    """Every reference appears in the page exactly as kb.export.apa renders it in APA 7 HTML."""
    apa = render_apa(BASE.references.values(), fmt="html")
    assert len(apa) == 16
    for key, entry in apa.items():
        assert entry in page, key
    assert "Hazan, C., &amp; Shaver, P. (1987)." in page


def test_markdown_report(tmp_path: Path) -> None:
    """The Markdown appendix has a section per skill, the rules and the APA reference list."""
    text = render_report(BASE, "md")
    for prof in profiles(BASE):
        assert f"## Skill {prof.order}. " in text
    assert "## References (APA 7)" in text
    apa = render_apa(BASE.references.values(), fmt="markdown")
    assert apa["hazan1987"] in text
    assert "Certainty ratings of a skill (GRADE-like" in text
    assert "How a link is judged" in text


def test_report_shows_what_each_link_rests_on() -> None:
    """Every finding a link rests on is in the report with its URL and date, and every
    title-only link says so; each link gives its review status."""
    text = render_report(BASE, "html")
    ws = BASE.worksheet()
    for finding in ws.findings:
        if any(finding.id in x.findings for x in ws.links):
            assert html.escape(finding.statement) in text, finding.id
            assert f'href="{html.escape(finding.url)}"' in text
    n_title = sum(x.basis == "title" for x in ws.links)
    assert text.count("What the source reports: unknown (title only") == n_title
    assert text.count("two reviewers agreed") == sum(
        r.agreed and not r.revision for r in ws.reviews
    )
    assert text.count("revised after review: ") == sum(bool(r.revision) for r in ws.reviews)
    assert text.count("resolved: ") >= sum(not r.agreed and not r.revision for r in ws.reviews)


def test_every_data_string_is_escaped(tmp_path: Path) -> None:
    """A rationale holding markup is shown as text in the HTML, never as markup."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "links.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    evil = "<script>alert('x')</script> & a rationale long enough to pass the schema"
    for link in data["links"]:
        if link["claim"] in {"opposite-anxious-independence", "summary-harmony-needs"}:
            link["rationale"] = evil
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = render_report(kb.load(bib=inputs.bib, data=inputs.data), "html")
    assert "<script>" not in out
    assert out.count(html.escape(evil)) == 3


def test_cli_report_writes_the_file(tmp_path: Path) -> None:
    """`kb report --format html -o FILE` writes the page; stdout stays empty."""
    target = tmp_path / "appendix.html"
    out = run_kb("report", "--format", "html", "-o", target)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = run_kb("report")
    assert md.stdout.startswith("# Evidence appendix: Creating Secure Attachment")


def test_cli_report_refuses_an_unknown_format() -> None:
    """An unknown --format is a usage error (exit 2)."""
    assert run_kb("report", "--format", "pdf").returncode == 2

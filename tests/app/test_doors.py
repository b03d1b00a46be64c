"""One question, one answer: the command line and the dashboard are asked the same questions
(a search, a topic, an author, a skill) and give the same answers."""

from __future__ import annotations

import json

import pytest

from tests.app.test_app import open_page, table, texts
from tests.helpers import run_kb

SEARCHES = ["Hazan", "hazan 1987", "Shaver Hazan", "lonfeldt", "Lønfeldt", "attachment style",
            "love", "2017", "Journal", "no-such-word"]  # fmt: skip


@pytest.mark.parametrize("text", SEARCHES)
def test_search_doors_agree(text: str) -> None:
    """`kb search TEXT` finds the references the References page's search box finds."""
    cli = run_kb("search", text, "--format", "json", "--limit", "1000")
    assert cli.returncode == 0, cli.stderr
    at = open_page("references", q=text)
    shown = set(table(at)["key"]) if at.dataframe else set()
    assert {row["key"] for row in json.loads(cli.stdout)} == shown


@pytest.mark.parametrize(("text", "near"), [("Hazen", "Hazan"), ("Lonfelt", "Lønfeldt")])
def test_suggestion_doors_agree(text: str, near: str) -> None:
    """A search that finds nothing suggests the same nearest search in both doors."""
    cli = run_kb("search", text)
    assert f"did you mean: {near}" in cli.stderr
    assert f"Did you mean “{near}”?" in texts(open_page("references", q=text))


@pytest.mark.parametrize("name", ["Attachment styles", "attachment-styles", "CONFLICT RESOLUTION"])
def test_topic_doors_agree(name: str) -> None:
    """`kb topics NAME` and ?topic=NAME open the same topic."""
    cli = json.loads(run_kb("topics", name, "--format", "json").stdout)
    at = open_page("topics", topic=name)
    assert at.query_params["topic"] == cli["id"]
    assert cli["label"] in texts(at)


@pytest.mark.parametrize("name", ["Hazan", "lonfeldt", "Lønfeldt, N.", "shaver-p"])
def test_author_doors_agree(name: str) -> None:
    """`kb authors NAME` and ?author=NAME open the same author."""
    cli = json.loads(run_kb("authors", name, "--format", "json").stdout)
    at = open_page("authors", author=name)
    assert at.query_params["author"] == cli["id"]
    assert not at.error


@pytest.mark.parametrize("name", ["7", "minimize-stressors", "Minimize stressors"])
def test_skill_doors_agree(name: str) -> None:
    """`kb evidence NAME` and ?skill=NAME open the same skill."""
    cli = json.loads(run_kb("evidence", name, "--format", "json").stdout)
    at = open_page("skills", skill=name)
    assert at.query_params["skill"] == cli["skill"]
    assert at.title[0].value.endswith(cli["title"])


def test_title_only_doors_agree() -> None:
    """`kb gaps` (text and JSON) names each title-only source's claims as the Gaps & Audit page
    does ("Claim 12 (background)"), never by claim id; the JSON keeps the id beside the name."""
    from kb.browse.views import title_only_sources
    from tests.helpers import seed_kb

    page = texts(open_page("gaps"))
    sources = title_only_sources(seed_kb())
    listed = json.loads(run_kb("gaps", "--format", "json").stdout)["title_only_references"]
    text = " ".join(run_kb("gaps").stdout.split())  # unwrapped
    text = text[text.index("Sources judged from their title only") :]
    assert [s["key"] for s in listed] == sorted(s.key for s in sources)
    for source in sources:
        cli = next(s for s in listed if s["key"] == source.key)
        assert [(x["claim"], x["claim_id"], x["stance"]) for x in cli["links"]] == [
            (x.shown, x.claim_id, x.stance) for x in source.links
        ]
        line = f"{source.name} [{source.key}]: " + ", ".join(x.text for x in source.links)
        assert line in text
        for link in source.links:
            assert link.text in page
            assert link.claim_id not in text

"""The dashboard in chromium on `--store sparql:` against Virtuoso (KB_STORE), not the embedded
store: the knowledge base pushed by `kb push`, every answer read over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

import kb
from kb.cli import main
from kb.store.push import VIRTUOSO_GRAPH
from scripts.servers import VIRTUOSO_CREDENTIALS, Server
from tests.app.test_browser import CHROMIUM, settle, start_dashboard, stop, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no chromium: run scripts/install-browser"),
]


@pytest.fixture(scope="module")
def virtuoso_dashboard(virtuoso_server: Server) -> Iterator[str]:
    """The seed pushed into Virtuoso; the dashboard started on KB_STORE=sparql:URL of it."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in VIRTUOSO_CREDENTIALS.items():
            env.setenv(name, value)
        assert main(["push", "--endpoint", virtuoso_server.query_url]) == 0
    graph = quote(VIRTUOSO_GRAPH, safe="")
    store = f"sparql:{virtuoso_server.query_url}?default-graph-uri={graph}"
    proc, url = start_dashboard({"KB_STORE": store})
    yield url
    stop(proc)


def test_skills_page_on_virtuoso(virtuoso_dashboard: str, page: Any) -> None:
    """The Skills page of one skill shows, read from Virtuoso, every claim's quote and each
    linked reference's stance, with no error."""
    base = kb.load()
    rows = [r for r in base.evidence_for(base.skill("minimize-stressors")) if r.key]
    visit(page, f"{virtuoso_dashboard}/?page=skills&skill=minimize-stressors")
    page.get_by_role("button", name="Stop").wait_for(state="detached", timeout=60_000)
    page.get_by_text(rows[0].quote[:40]).first.wait_for(timeout=60_000)  # read over HTTP
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "7. Minimize stressors"
    body = page.inner_text("body")
    for row in rows:
        assert row.quote in body
        assert f"{row.stance}, {row.directness}" in body
    assert "Sbarra, D. A., & Hazan, C. (2008)" in body
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0

"""Fixtures of the dashboard's browser tests: the dashboard on the embedded store, headless
chromium, and a tab that fails its test on any request to another host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.test_browser import CHROMIUM, CHROMIUM_ARGS, open_tab, start_dashboard, stop


@pytest.fixture(scope="module")
def dashboard() -> Iterator[str]:
    """The dashboard on the embedded default store."""
    proc, url = start_dashboard()
    yield url
    stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser tab with room for the wide layout; the test fails if the page asked any
    host but the dashboard's own for anything (fonts, icons, telemetry)."""
    context, tab, elsewhere = open_tab(browser, 1400)
    yield tab
    context.close()
    assert elsewhere == [], f"requests left the machine: {elsewhere[:5]}"

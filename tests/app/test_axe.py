"""Accessibility: axe-core (npm ``axe-core``, installed by ``make test`` into scripts/axe) finds
no serious or critical violation on any dashboard page, in chromium.

Every page is checked, with the selections other pages open (a reference, an author, a topic).
:data:`ALLOWED` lists the violations that come from Streamlit's own widgets and cannot be fixed
from the app, each by rule id and exact element; anything else fails the test, listed.
"""

from __future__ import annotations

from typing import Any

import pytest

from kb.paths import REPO_ROOT
from tests.app.test_browser import pytestmark as browser_marks
from tests.app.test_browser import visit

AXE_JS = REPO_ROOT / "scripts" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    *browser_marks,
    pytest.mark.skipif(
        not AXE_JS.exists(), reason="axe-core not installed: npm ci --prefix scripts/axe"
    ),
]
PAGES = {
    "overview": "page=overview",
    "worksheet": "page=worksheet",
    "skills": "page=skills",
    "references": "page=references",
    "a reference": "page=references&reference=hazan1987",
    "authors": "page=authors",
    "an author": "page=authors&author=hazan-c",
    "topics": "page=topics",
    "a topic": "page=topics&topic=attachment-styles",
    "gaps & audit": "page=gaps",
    "export": "page=export",
    "query": "page=query",
    "graph": "page=graph",
}
BLOCKING = ("serious", "critical")
# rules that fail the test whatever their impact: headings in order (h1, then h2, …; issue 24)
ALSO_BLOCKING = ("heading-order",)
# (rule id, CSS selector axe reports) of violations inside Streamlit's own widgets; see README.
ALLOWED: set[tuple[str, str]] = set()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands."""
    page.add_script_tag(path=str(AXE_JS))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return found


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """Serious and critical violations (and any heading-order one) not allowed by name, one line
    per element."""
    out = []
    for v in violations:
        if v["impact"] not in BLOCKING and v["id"] not in ALSO_BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if (v["id"], target) not in ALLOWED:
                summary = node.get("failureSummary", "").replace("\n", " ")
                out.append(f"{v['id']} ({v['impact']}) at {target}: {summary[:160]}")
    return out


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_accessibility_violation(
    dashboard: str, page: Any, name: str
) -> None:
    """axe-core reports no serious or critical violation, and no heading out of order, on the
    page (bar the listed ones)."""
    visit(page, f"{dashboard}/?{PAGES[name]}")
    problems = blocking(axe_violations(page))
    assert problems == [], f"{name}: {len(problems)} violations\n" + "\n".join(problems)


def test_the_check_fails_on_a_page_with_low_contrast_text(page: Any) -> None:
    """The same check flags grey-on-white text of 2.3:1 (color-contrast, serious)."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Low contrast</title></head><body><main>'
        '<h1>A page</h1><p style="color:#aaaaaa;background:#ffffff">Hard to read</p>'
        "</main></body></html>"
    )
    problems = blocking(axe_violations(page))
    assert len(problems) == 1
    assert problems[0].startswith("color-contrast (serious) at p:")


def test_the_check_fails_on_headings_out_of_order(page: Any) -> None:
    """The same check flags an h3 straight after the h1 (heading-order, moderate)."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Headings</title></head><body><main>'
        "<h1>A page</h1><h3>A section</h3><p>Text</p></main></body></html>"
    )
    problems = blocking(axe_violations(page))
    assert len(problems) == 1
    assert problems[0].startswith("heading-order (moderate) at h3")

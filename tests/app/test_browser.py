"""The dashboard in a real browser: `streamlit run` on a free port, driven by headless chromium.

Playwright for Python drives Debian's chromium (/usr/bin/chromium); `playwright install` is
never run. Install the browser with scripts/install-browser.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

import kb
from kb.browse import views
from kb.paths import REPO_ROOT
from tests.app.test_app import PAGES
from tests.app.test_app_inputs import write_hostile_inputs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no chromium: run scripts/install-browser"),
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_dashboard(env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run app.py` on a free port of 127.0.0.1; returns the process and its URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
               "127.0.0.1", "--server.port", str(port), "--server.headless", "true"]  # fmt: skip
    proc = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:  # noqa: S310
                if answer.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise RuntimeError("streamlit did not answer /_stcore/health within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started, by its own PID."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def settle(page: Any, timeout: float = 30) -> None:
    """Wait until Streamlit has finished running the script and the page text stops changing."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    # the script has drawn something (before its first run the page says only "Skip to main
    # content", which is stable too)
    page.wait_for_selector(
        '[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout * 1000
    )
    deadline, last, stable = time.monotonic() + timeout, None, 0
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]').count()
        text = page.inner_text("body")
        stable = stable + 1 if not busy and text == last else 0
        if stable >= 3:
            return
        last = text
        page.wait_for_timeout(150)
    raise AssertionError(f"page still changing after {timeout} s: {page.url}")


LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "about:")


def open_tab(browser: Any, width: int, height: int = 1000) -> tuple[Any, Any, list[str]]:
    """A fresh tab of the given size, and the list every request to another host lands in."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = context.new_page()
    elsewhere: list[str] = []
    tab.on("request", lambda r: None if r.url.startswith(LOCAL) else elsewhere.append(r.url))
    return context, tab, elsewhere


def visit(page: Any, url: str) -> None:
    """Open a URL and wait for the dashboard to settle."""
    page.goto(url)
    settle(page)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_in_chromium(dashboard: str, page: Any, name: str) -> None:
    """Each page renders in a real browser with its title and no error or exception."""
    visit(page, f"{dashboard}/?page={name}")
    assert page.locator("h1").first.inner_text().strip() == PAGES[name]
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def test_choose_a_skill(dashboard: str, page: Any) -> None:
    """Choosing a skill in its selectbox shows that skill and puts it in the URL."""
    visit(page, f"{dashboard}/?page=skills")
    page.locator('.st-key-choose-skill [role="combobox"]').click()
    page.get_by_role("option", name="7. Minimize stressors").click()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "7. Minimize stressors"
    assert "skill=minimize-stressors" in page.url
    assert "Sbarra, D. A., & Hazan, C. (2008)" in page.inner_text("body")


def test_skills_page_shows_what_each_link_rests_on(dashboard: str, page: Any) -> None:
    """For every claim of a skill: its quote, each reference's stance, the finding the link rests
    on with a working link to the page it was read on (or "title only"), and the review status."""
    base = kb.load()
    skill = base.skill("minimize-stressors")
    rows = [r for r in base.evidence_for(skill) if r.key]
    visit(page, f"{dashboard}/?page=skills&skill=minimize-stressors")
    body = page.inner_text("body")
    for row in rows:
        assert row.quote in body
        assert f"{row.stance}, {row.directness}" in body
        for finding in row.findings:
            assert finding.statement in body
            assert page.locator(f'a[href="{finding.url}"]').count() >= 1
        if row.title_only:
            assert "title only" in body.lower()
    assert body.count("two reviewers agreed") == sum(r.review == "agreed" for r in rows)
    resolved = [r for r in rows if r.review and r.review.startswith("resolved")]
    assert resolved  # minimize-stressors has one resolved link (sbarra2008 on proactive coping)
    for row in resolved:
        assert row.review is not None
        assert row.review.split(": ", 1)[1][:40] in body


def test_click_a_graph_node_shows_its_details(dashboard: str, page: Any) -> None:
    """A mouse click on a node of the interactive graph shows that node's details."""
    visit(page, f"{dashboard}/?page=graph")
    frame = page.frame_locator('iframe[title*="st_link_analysis"]')
    frame.locator("#cy canvas").first.wait_for()
    handle = page.locator('iframe[title*="st_link_analysis"]').element_handle()
    inner = handle.content_frame()
    inner.wait_for_function("() => document.getElementById('cy')?._cyreg?.cy?.nodes().length > 0")
    page.wait_for_timeout(800)  # the preset layout's fit animation
    point = inner.evaluate(
        "(label) => { const cy = document.getElementById('cy')._cyreg.cy;"
        " const n = cy.nodes().filter(x => x.data('label') === label)[0];"
        " const p = n.renderedPosition(); return [p.x, p.y]; }",
        "Hazan & Shaver (1987)",
    )
    box = handle.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.get_by_text("Open on the References page").wait_for(timeout=15_000)
    settle(page)
    assert "Hazan & Shaver (1987) · reference" in page.inner_text("body")


def test_download_bibtex_and_parse_it(dashboard: str, page: Any, tmp_path: Path) -> None:
    """The Export page's BibTeX download is a bibliography that parses, one entry per reference."""
    visit(page, f"{dashboard}/?page=export")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^\W*BibTeX \(\.bib\)")).click()
    path = tmp_path / "references.bib"
    info.value.save_as(path)
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert {e.key for e in library.entries} == set(kb.load().references)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_download_is_what_the_cli_exports(
    dashboard: str, page: Any, tmp_path: Path, fmt: str
) -> None:
    """The dashboard's graph download for a selection is byte for byte `kb export FMT` with the
    same filters (regression: the two built "the graph of a selection" by different rules)."""
    visit(page, f"{dashboard}/?page=export&skill=minimize-stressors")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(rf"\(\.{fmt}\)$")).click()
    path = tmp_path / f"kb.{fmt}"
    info.value.save_as(path)
    cli = subprocess.run(
        [sys.executable, "-m", "kb", "export", fmt, "--skill", "minimize-stressors"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    )
    assert path.read_bytes() == cli.stdout


def test_unknown_selection_is_a_message(dashboard: str, page: Any) -> None:
    """A URL naming an unknown skill shows a clear message and the first skill, no traceback."""
    visit(page, f"{dashboard}/?page=skills&skill=no-such-skill")
    assert "No skill named “no-such-skill”" in page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.fixture(scope="module")
def hostile_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on a copy of the inputs whose hazan1987 title carries script and links."""
    folder = tmp_path_factory.mktemp("hostile")
    bib = write_hostile_inputs(folder)
    proc, url = start_dashboard({"KB_BIB": str(bib), "KB_DATA": str(folder / "data")})
    yield url
    stop(proc)


@pytest.mark.parametrize(
    "query",
    [
        "page=references&reference=hazan1987",
        "page=references",
        "page=skills&skill=examine-your-beliefs",
        "page=authors&author=hazan-c",
        "page=export",
    ],
)
def test_hostile_title_renders_as_inert_text(hostile_dashboard: str, page: Any, query: str) -> None:
    """A title with <script>, an onerror image and javascript: links runs nothing, links nowhere."""
    visit(page, f"{hostile_dashboard}/?{query}")
    page.wait_for_timeout(500)
    for frame in page.frames:
        assert frame.evaluate("() => window.kbXss") is None, frame.url
        assert frame.locator('a[href^="javascript:" i]').count() == 0, frame.url
        assert frame.locator("script:not([src])", has_text="kbXss").count() == 0, frame.url
    if "reference=hazan1987" in query:
        assert "<script>window.kbXss=1</script>" in page.inner_text("h1")
        entry = page.locator('[data-testid="stCode"]').first.inner_text()
        assert "<script>window.kbXss=1</script>" in entry


@pytest.fixture(scope="module")
def library_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The dashboard on a synthetic library of 30 worksheets (over kb.core.narrow's threshold)."""
    from tests.conftest import load_synth

    out = tmp_path_factory.mktemp("library") / "x30"
    load_synth().generate(30, 1, out)
    proc, url = start_dashboard(
        {"KB_BIB": str(out / "references.bib"), "KB_DATA": str(out / "data")}
    )
    yield url, out
    stop(proc)


def test_library_shows_one_worksheet_and_searches_them_all(
    library_dashboard: tuple[str, Path], page: Any
) -> None:
    """A library of 30: the first worksheet, a table of all 30, and a library-wide search that
    finds references of other worksheets; another worksheet opens from the URL."""
    url, corpus = library_dashboard
    visit(page, f"{url}/?page=overview")
    page.get_by_text("The library: 30 worksheets").wait_for(timeout=60_000)  # first load
    settle(page)
    body = page.inner_text("body")
    assert "A library of 30 worksheets" in body
    assert "The library: 30 worksheets" in body
    assert page.locator('[data-testid="stException"]').count() == 0
    visit(page, f"{url}/?page=references")
    page.get_by_text("Search the whole library").click()
    settle(page)
    box = page.get_by_role("textbox", name="Search")
    box.fill("attachment")
    box.press("Enter")
    settle(page)
    found = re.search(r"([\d,]+) references? found", page.inner_text("body"))
    assert found is not None
    everything = kb.load(bib=corpus / "references.bib", data=corpus / "data")
    expected = {
        k for k, r in everything.references.items() if "attachment" in r.title.lower()
    }  # every title match is a hit (authors and venues can add more)
    assert int(found.group(1).replace(",", "")) >= len(expected) > 16
    other = everything.worksheets[-1]
    visit(page, f"{url}/?page=skills&worksheet={other.worksheet.id}")
    first = min(other.skills, key=lambda s: s.order)
    assert page.locator("h1").first.inner_text().strip() == f"{first.order}. {first.title}"
    assert page.locator('[data-testid="stException"]').count() == 0


# --- the users' questions (issue: the dashboard answers its users' questions) ------------------


def nav(page: Any, name: str) -> Any:
    """The navigation's button for a page (one tap opens it)."""
    return page.locator(".st-key-choose-page button").filter(has_text=name).first


def test_list_the_unsupported_claims_of_the_worksheet(dashboard: str, page: Any) -> None:
    """The annotated worksheet marks exactly the claims `kb gaps` lists as having no supporting
    link, and the grey-only ones, across every section; its legend gives the same counts."""
    from kb.evidence.profile import gaps

    found = gaps(kb.load())
    visit(page, f"{dashboard}/?page=worksheet")
    marked = page.locator("a.kb-c.kb-s-none, a.kb-c.kb-s-background-only")
    # by id: a claim with a sub-claim inside is marked in pieces (its first piece numbered)
    ids = [str(i).removeprefix("claim-") for i in marked.evaluate_all("es => es.map(e => e.id)")]
    assert sorted(ids) == sorted(c["claim"] for c in found.unsupported_claims)
    assert page.locator("a.kb-s-grey-only").count() == len(found.grey_only_claims)
    sections = {c["section"] for c in found.unsupported_claims}
    assert {"introduction", "summary"} & sections  # not only the skills' paragraphs
    legend = page.locator(".kb-legend").first.inner_text()
    n_none = sum(not c["other_links"] for c in found.unsupported_claims)
    assert f"no reference linked ({n_none})" in legend
    assert f"supported by grey literature only ({len(found.grey_only_claims)})" in legend


def test_a_marked_claim_opens_its_evidence(dashboard: str, page: Any) -> None:
    """Clicking a highlighted claim shows its links, and the URL says which claim (shareable)."""
    visit(page, f"{dashboard}/?page=worksheet")
    page.locator("#claim-stress-worsens-attachment").click()
    settle(page)
    assert "claim=stress-worsens-attachment" in page.url
    body = page.inner_text("body")
    assert "Stress can worsen attachment issues" in body
    assert "Sbarra & Hazan (2008)" in body
    assert "background, indirect" in body


def test_the_audits_corrections_on_one_page(dashboard: str, page: Any) -> None:
    """The Gaps & Audit page lists every metadata correction of the printed references by
    "Author (year)": a replaced title or author list whole, old above new; a short value word by
    word (issue 24: never letter by letter); the unconfirmed rows apart."""
    from kb.evidence.audit import audit

    corrections = [f for f in audit(kb.load()) if f.category == "metadata correction"]
    assert corrections
    visit(page, f"{dashboard}/?page=gaps")
    table = page.locator("table.kb-audit").first
    rows = table.locator("tbody tr")
    assert rows.count() == len(corrections)
    names = views.reference_names(kb.load())
    for i, finding in enumerate(corrections):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[:2] == [names[finding.key].shown, finding.field]
        if len(finding.printed.split()) > 3 or len(finding.corrected.split()) > 3:
            assert cells[2] == f"printed {finding.printed}\ncorrected {finding.corrected}"
        else:  # word by word: struck-through printed words, underlined corrected ones
            row = rows.nth(i)
            assert row.locator("del").count() + row.locator("ins").count() >= 1
    assert "Fields only as printed, not confirmed" in page.inner_text("body")


def test_copy_an_in_text_citation(dashboard: str, page: Any) -> None:
    """A reference's page shows its APA entry and in-text citations; the copy button puts the
    parenthetical citation on the clipboard exactly as `kb cite` gives it."""
    cli = subprocess.run(
        [sys.executable, "-m", "kb", "cite", "hazan1987"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = "(Hazan & Shaver, 1987)"
    assert expected in cli.stdout
    visit(page, f"{dashboard}/?page=references&reference=hazan1987")
    block = page.locator('[data-testid="stCode"]').filter(has_text=expected).first
    block.scroll_into_view_if_needed()
    block.hover()
    block.get_by_role("button", name="Copy to clipboard").click(force=True)
    assert page.evaluate("navigator.clipboard.readText()") == expected
    body = page.inner_text("body")
    assert "Hazan and Shaver (1987)" in body  # narrative
    assert "Hazan, C., & Shaver, P. (1987). Romantic love" in body  # the APA entry


def test_graph_centred_on_hazan_1987_with_stance_coloured_edges(dashboard: str, page: Any) -> None:
    """From Hazan & Shaver's page, "Show in graph" centres the graph on it: its neighbourhood,
    evidence edges coloured and labelled by stance, claims by their words, the view in the URL."""
    visit(page, f"{dashboard}/?page=references&reference=hazan1987")
    page.get_by_role("button", name=re.compile("Show in graph")).click()
    settle(page)
    assert "focus=reference%3Ahazan1987" in page.url or "focus=reference:hazan1987" in page.url
    assert "Centred on Hazan & Shaver (1987)" in page.inner_text("body")
    handle = page.locator('iframe[title*="st_link_analysis"]').element_handle()
    inner = handle.content_frame()
    inner.wait_for_function("() => document.getElementById('cy')?._cyreg?.cy?.nodes().length > 0")
    drawn = inner.evaluate(
        "() => { const cy = document.getElementById('cy')._cyreg.cy;"
        " return cy.edges().map(e => [e.data('stance'), e.style('line-color'), e.data('label'),"
        " e.source().data('label'), e.target().data('label')]); }"
    )
    base = kb.load()
    links = [x for x in base.worksheets[0].links if x.reference == "hazan1987"]
    evidence = [d for d in drawn if d[0]]
    assert len(evidence) == len(links)
    assert {d[0] for d in evidence} == {x.stance for x in links}
    colours = {d[0]: d[1] for d in evidence}
    assert colours["supports"] == "rgb(0,158,115)"  # the legend's green
    assert len(set(colours.values())) == len(colours)  # one colour per stance
    assert all(d[2] == d[0] for d in evidence)  # labelled by stance
    quotes = {c.quote for c in base.worksheets[0].claims}
    assert all(any(q.startswith(d[3].rstrip("…")) for q in quotes) for d in evidence)
    assert "supports (" in page.locator("div", has_text="supports (").last.inner_text()


@pytest.mark.parametrize(("text", "key", "title"), [
    ("hazan 1987", "hazan1987", "Romantic love conceptualized as an attachment process"),
    ("lonfeldt", "nielsen2017", None),
])  # fmt: skip
def test_search_finds_and_a_row_opens_the_reference(
    dashboard: str, page: Any, text: str, key: str, title: str | None
) -> None:
    """The References page finds "hazan 1987" and "lonfeldt" (Lønfeldt); clicking the row opens
    the reference; a search that matches nothing says so."""
    visit(page, f"{dashboard}/?page=references")
    box = page.get_by_role("textbox", name="Search")
    box.fill(text)
    box.press("Enter")
    settle(page)
    assert "1 of 16 references" in page.inner_text("body")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator("canvas").first.wait_for()
    for _ in range(3):  # the grid draws on a canvas: click its first row's selection cell
        page.wait_for_timeout(500)
        if "reference=" in page.url:  # the last click opened it (the URL can follow late)
            break
        bounds = grid.bounding_box()
        page.mouse.click(bounds["x"] + 10, bounds["y"] + 35 + 17)
        settle(page)
        if "reference=" in page.url:
            break
    assert f"reference={key}" in page.url
    ref = kb.load().references[key]
    assert page.locator("h1").first.inner_text().strip() == (title or ref.title)
    visit(page, f"{dashboard}/?page=references&q=qqzzxx")
    assert "No reference matches “qqzzxx”" in page.inner_text("body")


def test_reload_keeps_the_view(dashboard: str, page: Any) -> None:
    """Search text and filters live in the URL: a reload shows the same rows and widgets."""
    visit(page, f"{dashboard}/?page=references")
    box = page.get_by_role("textbox", name="Search")
    box.fill("attachment")
    box.press("Enter")
    settle(page)
    page.locator(".st-key-type [role='combobox']").click()
    page.get_by_role("option", name="article").click()
    settle(page)
    before = page.inner_text("body")
    assert "q=attachment" in page.url
    assert "type=article" in page.url
    page.reload()
    settle(page)
    assert page.get_by_role("textbox", name="Search").input_value() == "attachment"
    caption = re.search(r"\d+ of 16 references", before)
    assert caption is not None
    assert caption.group(0) in page.inner_text("body")


def test_back_and_forward_walk_the_pages(dashboard: str, page: Any) -> None:
    """Each page change is a history entry: Back and Forward return to the pages seen."""
    visit(page, f"{dashboard}/?page=overview")
    nav(page, "Skills").click()
    settle(page)
    nav(page, "Gaps & Audit").click()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Gaps & Audit"
    page.go_back()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == PAGES["skills"]
    page.go_forward()
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Gaps & Audit"


@pytest.mark.parametrize("width", [400, 1920])
def test_small_and_large_screens(dashboard: str, browser: Any, width: int) -> None:
    """At 400 and 1920 px: a page change is one tap, and no page scrolls sideways."""
    context, tab, elsewhere = open_tab(browser, width, 900)
    try:
        visit(tab, f"{dashboard}/?page=overview")
        nav(tab, "Gaps & Audit").click()  # one tap
        settle(tab)
        assert tab.locator("h1").first.inner_text().strip() == "Gaps & Audit"
        for name in PAGES:
            visit(tab, f"{dashboard}/?page={name}")
            scroll, client = tab.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client, (name, scroll, client)
            main = tab.locator('[data-testid="stMain"]')
            assert main.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), name
    finally:
        context.close()
    assert elsewhere == []

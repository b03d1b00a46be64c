"""APA 7 from kb (citeproc-py + our fixes) against citeproc-js, the engine behind Zotero, run on
our own CSL-JSON with the same apa.csl and locale.

citeproc-js's output is kept in ``fixtures/export/citeproc-js-apa.json`` so that the comparison
runs everywhere; where node and ``scripts/citeproc_js/node_modules`` exist (``npm ci --prefix
scripts/citeproc_js``), a test re-runs citeproc-js and checks the stored output is current.
Regenerate it with ``KB_UPDATE_CITEPROC_FIXTURE=1 pytest tests/export/test_export_citeproc_js.py``.

One difference is deliberate (:data:`RETRIEVED_WITHOUT_DATE`): for an undated web page without an
access date, apa.csl (and so citeproc-js) prints "Retrieved https://…". APA 7 writes "Retrieved
Month D, YYYY, from URL" only with a retrieval date; we have none and never invent one, so kb
prints the URL alone.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

import kb
from kb.export.apa import (
    apa_style_path,
    cite_in_text,
    locale_path,
    narrative_style_xml,
    render_apa,
    to_csl_json,
)
from kb.paths import REPO_ROOT
from kb.records.bib import load_bib
from kb.records.models import Reference

FIXTURES = Path(__file__).parents[1] / "fixtures" / "export"
FIXTURE = FIXTURES / "citeproc-js-apa.json"
CITEPROC_DIR = REPO_ROOT / "scripts" / "citeproc_js"
RETRIEVED_WITHOUT_DATE = {"manson_nd", "hazan_nd_a", "hazan_nd_b"}
CLUSTERS = {
    "worksheet": [["antonucci2004", "hazan1987", "sbarra2008"]],
    "synthetic": [["hazan_nd_a", "hazan_nd_b", "hazan2012a", "hazan2012z", "question1999"]],
}


def reference_sets() -> dict[str, list[Reference]]:
    """The worksheet's 16 references, and the made-up ones that provoke citeproc-py's defects."""
    return {
        "worksheet": list(kb.load().references.values()),
        "synthetic": load_bib(FIXTURES / "synthetic.bib"),
    }


def run_citeproc_js(
    refs: Iterable[Reference], fmt: str, style: Path, clusters: list[list[str]]
) -> dict[str, Any]:
    """citeproc-js's bibliography and citations for ``refs`` (scripts/citeproc_js/render.js)."""
    payload = json.dumps({"items": to_csl_json(refs), "clusters": clusters})
    done = subprocess.run(
        ["node", str(CITEPROC_DIR / "render.js"), str(style), str(locale_path()), fmt],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def citeproc_js_outputs(tmp: Path) -> dict[str, Any]:
    """Every output the comparison needs, freshly made by citeproc-js."""
    narrative = tmp / "apa-narrative.csl"
    narrative.write_bytes(narrative_style_xml())
    out: dict[str, Any] = {}
    for name, refs in reference_sets().items():
        clusters = CLUSTERS[name]
        out[name] = {
            "text": run_citeproc_js(refs, "text", apa_style_path(), clusters),
            "html": run_citeproc_js(refs, "html", apa_style_path(), clusters),
            "narrative": run_citeproc_js(refs, "text", narrative, [])["citations"],
        }
    return out


def _node_ready() -> bool:
    installed = (CITEPROC_DIR / "node_modules" / "citeproc").is_dir()
    return shutil.which("node") is not None and installed


STORED: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.exists() else {}
CASES = [
    (name, key)
    for name, data in STORED.get("sets", {}).items()
    for key in data["text"]["bibliography"]
]


@pytest.fixture(scope="module")
def sets() -> dict[str, dict[str, Reference]]:
    """Both reference sets, keyed by citation key."""
    return {name: {r.key: r for r in refs} for name, refs in reference_sets().items()}


@pytest.fixture(scope="module")
def ours(sets: dict[str, dict[str, Reference]]) -> dict[tuple[str, str], dict[str, str]]:
    """kb's APA reference list of each set, in text and HTML, rendered once."""
    return {
        (name, fmt): render_apa(refs.values(), fmt)  # type: ignore[arg-type]
        for name, refs in sets.items()
        for fmt in ("text", "html")
    }


@pytest.mark.skipif(not _node_ready(), reason="run `npm ci --prefix scripts/citeproc_js` first")
def test_stored_citeproc_js_output_is_current(tmp_path: Path) -> None:
    """citeproc-js run now gives exactly the stored output (set KB_UPDATE_CITEPROC_FIXTURE=1)."""
    fresh = citeproc_js_outputs(tmp_path)
    if os.environ.get("KB_UPDATE_CITEPROC_FIXTURE") == "1":
        version = json.loads((CITEPROC_DIR / "node_modules/citeproc/package.json").read_text())
        document = {
            "note": "citeproc-js output on kb's CSL-JSON; made by "
            "tests/export/test_export_citeproc_js.py",
            "citeproc": version["version"],
            "sets": fresh,
        }
        FIXTURE.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", "utf-8")
        pytest.skip(f"wrote {FIXTURE}; run the tests again without KB_UPDATE_CITEPROC_FIXTURE")
    assert fresh == STORED["sets"], "stale: rerun with KB_UPDATE_CITEPROC_FIXTURE=1"


def test_every_reference_is_compared() -> None:
    """The stored comparison covers all 16 worksheet references and every synthetic one."""
    assert sum(name == "worksheet" for name, _ in CASES) == 16
    assert {k for n, k in CASES if n == "synthetic"} == {
        r.key for r in load_bib(FIXTURES / "synthetic.bib")
    }


def _expected(theirs: str, key: str) -> str:
    """citeproc-js's entry with our one deliberate correction applied, where it applies."""
    fixed = theirs.replace("Retrieved https://", "https://")
    assert (fixed != theirs) == (key in RETRIEVED_WITHOUT_DATE), key
    return fixed


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_apa_text_matches_citeproc_js(
    ours: dict[tuple[str, str], dict[str, str]], name: str, key: str
) -> None:
    """Each plain-text APA entry equals citeproc-js's (bar the documented "Retrieved" fix)."""
    theirs = STORED["sets"][name]["text"]["bibliography"][key]
    assert ours[name, "text"][key] == _expected(theirs, key)


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_apa_html_matches_citeproc_js(
    ours: dict[tuple[str, str], dict[str, str]], name: str, key: str
) -> None:
    """Each HTML entry has the same markup and text as citeproc-js's (entities may differ)."""
    entry = ours[name, "html"][key]
    theirs = _expected(STORED["sets"][name]["html"]["bibliography"][key], key)
    assert html.unescape(entry) == html.unescape(theirs)
    assert "<script" not in entry
    assert "<script" not in theirs


@pytest.mark.parametrize("name", ["worksheet", "synthetic"])
def test_reference_list_order_matches_citeproc_js(
    ours: dict[tuple[str, str], dict[str, str]], name: str
) -> None:
    """The reference list is in the same order as citeproc-js's."""
    assert list(ours[name, "text"]) == list(STORED["sets"][name]["text"]["bibliography"])


@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_in_text_citations_match_citeproc_js(
    sets: dict[str, dict[str, Reference]], name: str, key: str
) -> None:
    """Parenthetical and narrative citations of each reference equal citeproc-js's."""
    refs = sets[name]
    stored = STORED["sets"][name]
    assert cite_in_text([refs[key]], context=refs.values()) == stored["text"]["citations"][key]
    narrative = cite_in_text([refs[key]], narrative=True, context=refs.values())
    assert narrative == stored["narrative"][key]


@pytest.mark.parametrize("name", ["worksheet", "synthetic"])
def test_multi_reference_citations_match_citeproc_js(
    sets: dict[str, dict[str, Reference]], name: str
) -> None:
    """Citing several works at once, with same-author collapsing, equals citeproc-js's."""
    refs = sets[name]
    for keys, theirs in zip(CLUSTERS[name], STORED["sets"][name]["text"]["clusters"], strict=True):
        assert cite_in_text([refs[k] for k in keys], context=refs.values()) == theirs

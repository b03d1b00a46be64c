"""The console script: every core command on the real files (bad input: test_bad_inputs.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kb
from tests.helpers import copy_inputs, run_kb


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_on_real_data_prints_summary() -> None:
    """`kb check` on the real files exits 0 and summarises skills, claims, references and SHACL."""
    result = run_kb("check")
    assert result.returncode == 0, result.stderr
    assert "7 skills" in result.stdout
    assert "16 references" in result.stdout
    assert "SHACL conforms" in result.stdout


def test_check_json() -> None:
    """`kb check --format json` gives the same summary as data."""
    data = json.loads(run_kb("check", "--format", "json").stdout)
    assert data["skills"] == 7
    assert data["references"] == 16
    assert data["shacl_conforms"] is True


def test_build_writes_three_serialisations(tmp_path: Path) -> None:
    """`kb build --out DIR` writes Turtle, N-Triples and JSON-LD."""
    result = run_kb("build", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.jsonld", "kb.nt", "kb.ttl"]


def test_skills_table_and_json() -> None:
    """`kb skills` lists 7 skills with counts; --format json gives the same rows."""
    text = run_kb("skills")
    assert text.returncode == 0
    assert "minimize-stressors" in text.stdout
    rows = json.loads(run_kb("skills", "--format", "json").stdout)
    assert [r["#"] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    from kb.evidence.profile import profiles

    expected = [len(p.supporting_references) for p in profiles(kb.load())]
    assert [r["supporting"] for r in rows] == expected


@pytest.mark.parametrize("skill", ["7", "minimize-stressors"])
def test_evidence_by_number_or_slug(skill: str) -> None:
    """`kb evidence` accepts a number or a slug and shows quotes, stances and rationales."""
    result = run_kb("evidence", skill)
    assert result.returncode == 0, result.stderr
    assert "Stress can worsen attachment issues" in result.stdout
    assert "sbarra2008" in result.stdout
    assert "curator" in result.stdout


def test_evidence_unknown_skill() -> None:
    """An unknown skill is one line naming the argument, and exit 2 (as `--skill` gives)."""
    result = run_kb("evidence", "fly-to-the-moon")
    assert result.returncode == 2
    assert result.stderr.startswith("kb: error: SKILL: unknown skill")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown skill" in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
        ("LOAD <http://example.org/x.ttl>", "updates"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT ?s WHERE { ?s ?p ", "syntax"),
    ],
)
def test_query_refuses_writes_and_remote_access(query: str, message: str) -> None:
    """Updates, LOAD, SERVICE, FROM and malformed queries are refused in one line."""
    result = run_kb("query", query)
    assert result.returncode in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_select_json_and_construct() -> None:
    """SELECT prints rows (JSON on request); CONSTRUCT prints Turtle."""
    rows = json.loads(
        run_kb(
            "query", "SELECT ?t WHERE { ?s a kb:Skill ; rdfs:label ?t }", "--format", "json"
        ).stdout
    )
    assert len(rows) == 7
    ttl = run_kb("query", "CONSTRUCT { ?s a kb:Skill } WHERE { ?s a kb:Skill }")
    assert ttl.returncode == 0
    assert "kb:Skill" in ttl.stdout


def test_query_from_file(tmp_path: Path) -> None:
    """A path to a .rq file is read as the query."""
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?c a kb:Claim }", encoding="utf-8")
    result = run_kb("query", rq)
    assert result.stdout.strip() == "true"


def test_python_m_kb_works() -> None:
    """`python -m kb --help` works like the console script."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "kb", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "Commands:" in result.stdout


def test_lint_reports_noncanonical_file(tmp_path: Path) -> None:
    """`kb lint` finds a hand-edited file and `kb lint --fix` restores canonical form."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "topics.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  label:", "  label:  "), encoding="utf-8"
    )
    bad = run_kb("--data", inputs.data, "lint")
    assert bad.returncode == 1
    assert "topics.yaml" in bad.stdout
    fixed = run_kb("--data", inputs.data, "lint", "--fix")
    assert fixed.returncode == 0
    assert run_kb("--data", inputs.data, "lint").returncode == 0


def test_lint_fix_anchors_a_new_claim(tmp_path: Path) -> None:
    """A new claim without offsets gets them from `kb lint --fix` when its quote is unique."""
    inputs = copy_inputs(tmp_path)
    path = inputs.ws / "claims.yaml"
    new = (
        "- id: intro-suggestions\n  section: introduction\n  kind: recommendation\n"
        "  quote: Below are some suggestions for how to do this.\n"
    )
    path.write_text(path.read_text(encoding="utf-8") + new, encoding="utf-8")
    before = run_kb("--bib", inputs.bib, "--data", inputs.data, "check")
    assert before.returncode == 1
    assert "kb lint --fix" in before.stderr
    assert run_kb("--data", inputs.data, "lint", "--fix").returncode == 0
    assert "start:" in path.read_text(encoding="utf-8").split("intro-suggestions")[1]


def test_changed_text_names_moved_claims_and_reanchor_never_moves_silently(tmp_path: Path) -> None:
    """After the text changes, `kb check` names moved claims; `kb reanchor` reports each move
    and marks a vanished quote orphaned, which `kb check` then names and fails on."""
    inputs = copy_inputs(tmp_path)
    _replace(inputs.ws / "text.txt", "Healthy relationships require", "Truly healthy bonds require")
    _replace(inputs.ws / "text.txt", "Below are some", "Below, are some")
    broken = run_kb("--bib", inputs.bib, "--data", inputs.data, "check")
    assert broken.returncode == 1
    assert "moved: intro-insecure-imbalance" in broken.stderr
    assert "vanished: intro-intimacy-independence" in broken.stderr
    moved = run_kb("--data", inputs.data, "reanchor")
    assert moved.returncode == 0
    assert "moved     intro-insecure-imbalance" in moved.stdout
    assert "orphaned  intro-intimacy-independence" in moved.stdout
    claims = (inputs.ws / "claims.yaml").read_text(encoding="utf-8")
    assert "orphaned: true" in claims.split("intro-intimacy-independence")[1][:600]
    after = run_kb("--bib", inputs.bib, "--data", inputs.data, "check")
    assert after.returncode == 1
    assert "intro-intimacy-independence" in after.stdout
    assert run_kb("--bib", inputs.bib, "--data", inputs.data, "skills").returncode == 0

"""What people read from `kb gaps`, `kb profile` and `kb report` names claims by number ("Claim
12") and references as "Author (year)", never by claim id or bib key; JSON keeps the ids beside
the names (``claim_id``, ``key``). Among several worksheets a claim is named after its
worksheet's id ("creating-secure-attachment, Claim 12")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kb
from kb.browse.labels import claim_names, reference_names
from kb.evidence.profile import gaps, reference_info
from tests.helpers import WORKSHEET, copy_inputs, raw_ids, run_kb, seed_kb

CLAIM_LINES = re.compile(r"^  claims (?:with no support|on grey literature only): (.*)$", re.M)
REPORT_CLAIM = re.compile(r"” \((\w[\w-]*); ([^)]*)\)")


@pytest.fixture(scope="module")
def library(synth3: Path) -> list[str]:
    """``--bib``/``--data`` of the three-worksheet library (the seed among them)."""
    return ["--bib", str(synth3 / "references.bib"), "--data", str(synth3 / "data")]


def _out(*args: str) -> str:
    done = run_kb(*args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_gaps_text_shows_no_internal_id() -> None:
    """Every section of `kb gaps` names claims by number and references as "Author (year)"."""
    text = " ".join(_out("gaps").split())
    assert raw_ids(seed_kb(), text) == set()
    assert "- Claim 20 (Skill 3. Act opposite to your anxious or avoidant style): " in text
    assert "[only Zhang (2012, may not exist) (background)]" in text
    assert "- Sbarra & Hazan (2008): review article" in text


def test_gaps_json_keeps_the_ids_beside_the_names() -> None:
    """Each claim row carries its name and its ``claim_id`` (the ids `kb.evidence.profile.gaps`
    gives), each reference its name and ``key``."""
    base = seed_kb()
    listed = json.loads(_out("gaps", "--format", "json"))
    found = gaps(base)
    names, refs = claim_names(base), reference_names(base)
    for name, core in (
        ("unsupported_claims", found.unsupported_claims),
        ("grey_only_claims", found.grey_only_claims),
    ):
        rows = listed[name]
        assert [r["claim_id"] for r in rows] == [c["claim"] for c in core], name
        for row in rows:
            assert row["claim"] == names[row["worksheet"], row["claim_id"]].shown
            assert re.fullmatch(r"Claim \d+", row["claim"])
            for link in row["links"]:
                assert link["reference"] == refs[link["key"]].shown
    unused = listed["unused_references"]
    assert [r["key"] for r in unused] == [r["key"] for r in found.unused_references]
    assert all(r["reference"] == refs[r["key"]].shown for r in unused)
    assert [r["skill"] for r in listed["very_low_skills"]] == [
        r["skill"] for r in found.very_low_skills
    ]


def test_profile_names_claims_by_number() -> None:
    """`kb profile` lists a skill's unsupported and grey-only claims by number, in number
    order; its JSON keeps the claim ids."""
    text = _out("profile")
    lines = CLAIM_LINES.findall(text)
    assert len(lines) == 2 * len(seed_kb().skills)
    named = [n for line in lines if line != "none" for n in line.split(", ")]
    assert named
    assert all(re.fullmatch(r"Claim \d+", n) for n in named), named
    for line in lines:
        numbers = [int(n.removeprefix("Claim ")) for n in line.split(", ") if n != "none"]
        assert numbers == sorted(numbers), line
    assert raw_ids(seed_kb(), "\n".join(lines)) == set()
    profiles = json.loads(_out("profile", "--format", "json"))["profiles"]
    ids = {c.id for c in seed_kb().claims}
    assert {c for p in profiles for c in p["unsupported_claims"]} <= ids


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_names_claims_by_number(fmt: str) -> None:
    """The evidence appendix names each claim by its number ("(empirical; Claim 10)"), never
    by its id."""
    text = _out("report", "--format", fmt)
    found = REPORT_CLAIM.findall(text)
    assert len(found) == len(seed_kb().claims)
    assert all(re.fullmatch(r"Claim \d+", name) for _, name in found), found
    assert sorted(int(n.removeprefix("Claim ")) for _, n in found) == list(range(1, len(found) + 1))


def test_a_library_names_the_worksheet_of_each_claim(library: list[str], synth3: Path) -> None:
    """In a library of three worksheets, `kb gaps` and `kb report` name a claim after its
    worksheet's id; `kb profile` need not (each skill's heading names its worksheet)."""
    base = kb.load(bib=synth3 / "references.bib", data=synth3 / "data")
    sheets = [w.worksheet.id for w in base.worksheets]
    alternatives = "|".join(map(re.escape, sheets))
    qualified = re.compile(rf"(?:{alternatives}), Claim \d+")
    text = " ".join(_out(*library, "gaps").split())
    unsupported = text[: text.index("Claims supported only by grey literature")]
    rows = re.findall(rf"- ((?:{alternatives}), Claim \d+) \(", unsupported)
    assert len(rows) == len(gaps(base).unsupported_claims)
    every = re.findall(r"Claim \d+", text)  # never a number without its worksheet
    assert len(qualified.findall(text)) == len(every)
    skills = text[text.index("Skills whose advice") : text.index("Sources judged")]
    assert len(re.findall(rf"- (?:{alternatives}), Skill \d+\. ", skills)) == len(
        gaps(base).very_low_skills
    )
    report = REPORT_CLAIM.findall(_out(*library, "report"))
    assert len(report) == len(base.claims)
    assert all(qualified.fullmatch(name) for _, name in report)
    profile = CLAIM_LINES.findall(_out(*library, "profile"))
    named = [n for line in profile if line != "none" for n in line.split(", ")]
    assert named
    assert all(re.fullmatch(r"Claim \d+", n) for n in named)
    alone = _out(*library, "gaps", "--worksheet", WORKSHEET)
    assert alone == _out("gaps")


def _hazan_unconfirmed(tmp: Path) -> list[str]:
    """``--bib``/``--data`` of a copy of the seed where Hazan & Shaver (1987), which supports
    claims (so rating reasons name it), is marked ``unverified: existence``."""
    inputs = copy_inputs(tmp)
    refs = inputs.ws / "references.yaml"
    text = refs.read_text(encoding="utf-8")
    start = text.index("- key: hazan1987")
    at = text.index("  design: cross-sectional", start)
    note = "  unverified:\n  - existence\n  verification_note: Existence not confirmed (a test).\n"
    refs.write_text(text[:at] + note + text[at:], encoding="utf-8")
    return ["--bib", str(inputs.bib), "--data", str(inputs.data)]


def test_unconfirmed_reference_has_one_label_at_every_door(tmp_path: Path) -> None:
    """A reference whose existence is unconfirmed has one label, "Hazan & Shaver (1987, may not
    exist)" (``kb.records.names.reference_label``), in `kb profile`'s rating reasons, `kb gaps`,
    the report and the dashboard's label function, and no other wording anywhere."""
    args = _hazan_unconfirmed(tmp_path)
    label = "Hazan & Shaver (1987, may not exist)"
    base = kb.load(bib=args[1], data=args[3])
    assert reference_names(base)["hazan1987"].shown == label  # the dashboard's reference_labels
    assert reference_info(base)["hazan1987"].label == label  # rating reasons
    for command in (["profile"], ["gaps"], ["report"]):
        text = " ".join(_out(*args, *command).split())
        if command == ["report"]:
            text = text.replace("\\", "")  # Markdown escapes
        assert label in text, command
        assert "(1987, unconfirmed)" not in text, command
        assert "(1987) — may not exist" not in text, command

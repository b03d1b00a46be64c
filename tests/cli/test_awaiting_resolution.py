"""A link awaiting resolution on the command line: `kb check` counts it and still exits 0,
`kb evidence` and `kb review` say "awaiting resolution", and `kb review resolve` records the
resolution (refusing a resolver who made either judgement), after which nothing is pending."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import Inputs, copy_inputs, run_kb

LINK = "style-four-styles--hazan1987"  # skill 1; its two judgements differ in the seed
SKILL = "learn-your-attachment-style"


def unresolve(ws: Path, link: str) -> None:
    """Drop the resolution of ``link``'s review (as a blind second review leaves it)."""
    path = ws / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- link: {link}\n")
    end = text.find("\n- link: ", start + 1)
    block = text[start:end]
    cut = re.sub(r"\n  resolution: .*?(?=\n  [a-z_]+:|\Z)", "", block, flags=re.DOTALL)
    assert cut != block, "the seed's review of this link has no resolution to drop"
    path.write_text(text[:start] + cut + text[end:], encoding="utf-8")


@pytest.fixture
def pending(tmp_path: Path) -> Inputs:
    """A copy of the seed with one disagreement awaiting resolution."""
    inputs = copy_inputs(tmp_path)
    unresolve(inputs.ws, LINK)
    return inputs


def kb(inputs: Inputs, *args: str) -> tuple[int, str, str]:
    done = run_kb("--bib", inputs.bib, "--data", inputs.data, *args)
    return done.returncode, done.stdout, done.stderr


def test_check_counts_pending_resolutions_and_passes(pending: Inputs) -> None:
    """`kb check` exits 0 (the data is valid), names the link awaiting resolution on a line of
    its own, and lists it in the JSON; the seed's check has no such line."""
    code, out, err = kb(pending, "check")
    assert code == 0, out + err
    assert "1 link awaiting resolution" in out
    assert LINK in out
    code, out, _ = kb(pending, "check", "--format", "json")
    assert code == 0
    assert json.loads(out)["awaiting_resolution"] == [LINK]
    seed = run_kb("check")
    assert seed.returncode == 0
    assert "awaiting resolution" not in seed.stdout


def test_evidence_and_review_say_awaiting_resolution(pending: Inputs) -> None:
    """The link's review status reads "awaiting resolution" in `kb evidence` (text and JSON)
    and in `kb review`, which counts it among the disagreements."""
    code, out, err = kb(pending, "evidence", SKILL)
    assert code == 0, err
    (line,) = [x for x in out.splitlines() if "hazan1987, judged from" in x]
    assert line.rstrip().endswith("two reviewers differ, awaiting resolution")
    code, out, _ = kb(pending, "evidence", SKILL, "--format", "json")
    assert "awaiting resolution" in [
        row.get("review") for row in _rows(json.loads(out)) if row.get("key") == "hazan1987"
    ]
    code, out, _ = kb(pending, "review")
    assert code == 0
    assert "1 awaiting resolution" in out
    flat = " ".join(out.split())
    assert re.search(rf"- {LINK}: first \S+, second \S+ -> awaiting resolution", flat)


def _rows(data: object) -> list[dict[str, object]]:
    """Every dict in a JSON document that has a ``review`` key."""
    found: list[dict[str, object]] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "review" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_review_resolve_records_the_resolution(pending: Inputs) -> None:
    """`kb review resolve` refuses the link's curator as resolver (exit 1, one line naming the
    reviews file and the link, nothing written); a third person's resolution is recorded with
    their name and the date, the link takes the final judgement, and `kb check` then has
    nothing pending. Resolving it again is refused."""
    reviews = pending.ws / "reviews.yaml"
    links = yaml.safe_load((pending.ws / "links.yaml").read_text(encoding="utf-8"))["links"]
    curator = next(x["curator"] for x in links if f"{x['claim']}--{x['reference']}" == LINK)
    args = ["review", "resolve", LINK, "--stance", "qualifies", "--directness", "indirect",
            "--reason", "Adopted qualifies: three styles limit a claim of four."]  # fmt: skip
    before = reviews.read_bytes()
    code, _, err = kb(pending, *args, "--resolver", curator)
    assert code == 1
    assert f"reviews.yaml: {LINK}: " in err
    assert "resolver is the link's curator" in err
    assert len(err.strip().splitlines()) == 1
    assert reviews.read_bytes() == before
    code, _, err = kb(pending, *args, "--resolver", "Third Person")
    assert code == 0, err
    assert "reviews.yaml" in err
    assert "links.yaml" in err
    (review,) = [
        r
        for r in yaml.safe_load(reviews.read_text(encoding="utf-8"))["reviews"]
        if r["link"] == LINK
    ]
    assert review["resolver"] == "Third Person"
    assert review["resolution"].startswith("Adopted qualifies")
    assert "resolved" in review
    links = yaml.safe_load((pending.ws / "links.yaml").read_text(encoding="utf-8"))["links"]
    (link,) = [x for x in links if f"{x['claim']}--{x['reference']}" == LINK]
    assert (link["stance"], link["directness"]) == ("qualifies", "indirect")
    code, out, _ = kb(pending, "check")
    assert code == 0
    assert "awaiting resolution" not in out
    code, _, err = kb(pending, *args, "--resolver", "Third Person")
    assert code == 1
    assert "nothing to resolve: it is resolved already" in err

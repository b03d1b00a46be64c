"""scripts/synth.py: deterministic synthetic corpora shaped like the seed, valid for kb."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import kb
from kb.paths import DATA_DIR, DEFAULT_BIB, REPO_ROOT
from tests.conftest import load_synth

SYNTH = REPO_ROOT / "scripts" / "synth.py"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_scale_and_seed_give_identical_files(tmp_path: Path) -> None:
    """Two runs with the same scale and seed write byte-identical corpora; another seed differs."""
    synth = load_synth()
    synth.generate(4, 7, tmp_path / "a")
    synth.generate(4, 7, tmp_path / "b")
    synth.generate(4, 8, tmp_path / "c")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_scale_one_is_the_seed_itself(tmp_path: Path) -> None:
    """At 1x the corpus is the real references.bib and worksheet, byte for byte."""
    load_synth().generate(1, 1, tmp_path / "x1")
    assert (tmp_path / "x1" / "references.bib").read_bytes() == DEFAULT_BIB.read_bytes()
    seed = DATA_DIR / "creating-secure-attachment"
    assert _digest(tmp_path / "x1" / "data" / seed.name) == _digest(seed)


def test_ten_times_loads_and_validates(synth10: Path) -> None:
    """The 10x corpus passes every check of kb.load: 10 worksheets, about 160 references."""
    base = kb.load(bib=synth10 / "references.bib", data=synth10 / "data")
    assert len(base.worksheets) == 10
    assert 120 <= len(base.references) <= 220
    for ws in base.worksheets:
        assert 5 <= len(ws.skills) <= 9
        assert len(ws.links) >= len(ws.skills)
    rows = base.skills_table()
    assert all(r["supporting"] for r in rows if r["worksheet"] != "creating-secure-attachment")


def test_authors_overlap_like_a_real_literature(synth10: Path) -> None:
    """Some authors write several references (preferential attachment); most write one."""
    bib = (synth10 / "references.bib").read_text(encoding="utf-8")
    names = [
        name.strip()
        for line in re.findall(r"author = \{(.+)\},", bib)
        for name in line.split(" and ")
    ]
    papers = Counter(names)
    assert max(papers.values()) >= 3
    assert sum(1 for n in papers.values() if n == 1) > len(papers) / 2


def test_topics_spread_over_the_seed_scheme(synth10: Path) -> None:
    """Synthetic references use many of the seed's topics, the common ones more often."""
    base = kb.load(bib=synth10 / "references.bib", data=synth10 / "data")
    used = Counter(t for ws in base.worksheets[1:] for n in ws.references for t in n.topics)
    assert len(used) >= 8
    top, *_ = used.most_common(1)
    assert top[1] > 3 * min(used.values())


def test_the_script_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path: Path) -> None:
    """A non-empty OUT without the synth marker is never replaced, even with --force."""
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(SYNTH), "--scale", "2", "--out", str(tmp_path), "--force"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "not empty" in run.stderr
    assert (tmp_path / "keep.txt").exists()


@pytest.mark.parametrize("scale", [0, -3])
def test_scale_must_be_positive(tmp_path: Path, scale: int) -> None:
    """A scale below 1 is an error."""
    with pytest.raises(ValueError, match="at least 1"):
        load_synth().generate(scale, 1, tmp_path / "x")

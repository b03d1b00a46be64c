"""Every output is a function of the inputs alone: each `kb export` format (each graph format in
every view), `kb build`'s files, `kb report` and every golden command give the same bytes with
the clock moved decades apart (Debian `faketime`), in time zones 26 hours apart, in two locales
and under two hash seeds; and the golden outputs hold with the clock a year ahead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.export.formats import EXPORT_FORMATS, GRAPH_FORMATS
from tests.golden_runner import GOLDEN_DIR, ROOT, commands

FAKETIME = shutil.which("faketime")
if FAKETIME is None:
    pytest.fail(
        "faketime is not installed (Debian package `faketime`; `make test` installs it through "
        "scripts/install-browser)",
        pytrace=False,
    )

# (clock, time zone, locale, hash seed): each differs between the two
SETTINGS = {
    "2027-12-08": ("2027-12-08 10:00:00", "UTC", "C.UTF-8", "1"),
    "2061-06-30": ("2061-06-30 23:59:30", "Pacific/Kiritimati", "POSIX", "4242"),
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The driver's folder for each setting, written by a faked-clock process."""
    folders = {}
    for name, (clock, tz, locale, seed) in SETTINGS.items():
        out = tmp_path_factory.mktemp(f"outputs-{name}")
        env = {**os.environ, "TZ": tz, "LC_ALL": locale, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        done = subprocess.run(
            [FAKETIME, clock, sys.executable, "-m", "tests.reproducible_driver", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        folders[name] = out
    return folders


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_faked_clock_is_really_moved(tmp_path: Path) -> None:
    """faketime moves Python's clock (else the comparison below would prove nothing)."""
    done = subprocess.run(
        [FAKETIME, "2061-06-30 23:59:30", sys.executable, "-c",
         "import datetime; print(datetime.date.today())"],
        capture_output=True, text=True, check=True, env={**os.environ, "TZ": "UTC"},
    )  # fmt: skip
    assert done.stdout.strip() == "2061-06-30"


def test_every_output_is_byte_identical_under_both_settings(written: dict[str, Path]) -> None:
    """The same data gives the same bytes whatever the clock, zone, locale and hash seed."""
    first, second = (_files(folder) for folder in written.values())
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_every_export_format_in_the_help_is_covered(written: dict[str, Path]) -> None:
    """Each format `kb export --help` lists is written by the driver (graph formats in every
    view), and the help lists every format kb has."""
    text = " ".join(CliRunner().invoke(cli, ["export", "--help"]).output.split())
    listed = re.search(r"FORMAT is (.+?)\.\s", text)
    assert listed is not None
    names = set(re.findall(r"[a-z][a-z-]*[a-z]", listed.group(1))) - {"or", "a", "graph", "view",
                                                                      "as"}  # fmt: skip
    assert names == set(EXPORT_FORMATS) | set(GRAPH_FORMATS)
    made = set(_files(next(iter(written.values()))))
    for fmt in names:
        assert any(n == f"export-{fmt}" or n.startswith(f"export-{fmt}-") for n in made), fmt


@pytest.mark.parametrize("case", commands(), ids=[c["name"] for c in commands()])
def test_golden_output_holds_a_year_ahead(written: dict[str, Path], case: dict[str, str]) -> None:
    """Each golden command, run with the clock a year ahead, prints its golden bytes."""
    got = (written["2027-12-08"] / f"golden-{case['name']}").read_bytes()
    assert got == (GOLDEN_DIR / f"{case['name']}.out").read_bytes(), case["args"]


def test_source_date_epoch_dates_the_gexf(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH, when set, is the date GEXF carries; unset, the data's latest
    provenance date is."""
    runner = CliRunner()
    fixed = runner.invoke(cli, ["export", "gexf"], env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert 'lastmodifieddate="2023-11-14"' in fixed.stdout
    own = runner.invoke(cli, ["export", "gexf"], env={"SOURCE_DATE_EPOCH": None})
    date = re.search(r'lastmodifieddate="([\d-]+)"', own.stdout)
    assert date is not None
    turtle = runner.invoke(cli, ["export", "turtle"]).stdout
    assert max(re.findall(r'"(\d{4}-\d{2}-\d{2})"\^\^xsd:date', turtle)) == date.group(1)


def test_a_bad_source_date_epoch_is_one_line_naming_it() -> None:
    """A SOURCE_DATE_EPOCH that is not a number of seconds: exit 2, one line naming it."""
    done = subprocess.run(
        [sys.executable, "-m", "kb", "export", "gexf"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "yesterday"},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "SOURCE_DATE_EPOCH" in done.stderr

"""Write every output kb makes from the seed into one folder, in one process: each `kb export`
format (each graph format in every view, each bibliography format in every style), `kb build`'s
files, `kb report` in both formats, and every golden command. tests/test_reproducible.py runs
this under moved clocks, time zones, locales and hash seeds and compares the folders byte for
byte.

Usage: python -m tests.reproducible_driver OUT_DIR
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from kb.cli import cli
from kb.export.formats import EXPORT_FORMATS, GRAPH_FORMATS
from kb.export.styles import STYLES
from kb.network.projections import VIEWS
from tests.golden_runner import commands


def outputs() -> dict[str, list[str]]:
    """Output name -> the arguments after `kb` that write it to stdout."""
    runs: dict[str, list[str]] = {f"export-{fmt}": ["export", fmt] for fmt in EXPORT_FORMATS}
    runs |= {
        f"export-{fmt}-{style}": ["export", fmt, "--style", style]
        for fmt in EXPORT_FORMATS
        if fmt.startswith("bibliography")
        for style in STYLES
    }
    runs |= {
        f"export-{fmt}-{view}": ["export", fmt, "--view", view]
        for fmt in GRAPH_FORMATS
        for view in VIEWS
    }
    runs |= {"report-md": ["report"], "report-html": ["report", "--format", "html"]}
    runs |= {f"golden-{case['name']}": list(case["args"]) for case in commands()}
    return runs


def main(out: Path) -> None:
    """Write each output as OUT/NAME (stdout, stderr and exit code, as the golden files hold
    them), and `kb build`'s files as OUT/build/."""
    runner = CliRunner()
    for name, args in outputs().items():
        done = runner.invoke(cli, args, catch_exceptions=False)
        record = done.stdout_bytes + b"\n--- stderr\n" + done.stderr_bytes
        (out / name).write_bytes(record + f"--- exit {done.exit_code}\n".encode())
    with tempfile.TemporaryDirectory() as tmp:
        done = runner.invoke(cli, ["build", "--out", tmp], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        (out / "build").mkdir()
        for path in sorted(Path(tmp).iterdir()):
            (out / "build" / path.name).write_bytes(path.read_bytes())


if __name__ == "__main__":
    main(Path(sys.argv[1]))

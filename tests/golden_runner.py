"""Run one golden command on the seed: `kb ARGS` in a fresh process; stdout, then stderr and the
exit code, as one byte string (so a changed message or code is a changed output too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DIR = ROOT / "tests" / "golden" / "out"


def commands() -> list[dict[str, Any]]:
    """The golden commands, in file order."""
    text = (ROOT / "tests" / "golden" / "commands.yaml").read_text(encoding="utf-8")
    cases: list[dict[str, Any]] = yaml.safe_load(text)
    return cases


def run(args: list[str]) -> bytes:
    """``kb ARGS`` on the seed (the default bib and data) in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-m", "kb", *args], cwd=ROOT, capture_output=True, check=False
    )
    return done.stdout + b"\n--- stderr\n" + done.stderr + f"--- exit {done.returncode}\n".encode()

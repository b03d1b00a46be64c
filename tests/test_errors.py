"""Error kinds carry their exit codes, survive pickling whole, and the core names no CLI flags."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

from kb.errors import InvalidDataError, KbError, UnreadableError, UsageError
from kb.paths import PACKAGE_DIR
from tests.helpers import run_kb


@pytest.mark.parametrize(
    ("kind", "code"),
    [(KbError, 1), (InvalidDataError, 1), (UnreadableError, 2), (UsageError, 2)],
    ids=["KbError", "InvalidDataError", "UnreadableError", "UsageError"],
)
def test_each_kind_carries_its_exit_code(kind: type[KbError], code: int) -> None:
    """Invalid data exits 1; unreadable input and bad usage exit 2."""
    assert kind("x").exit_code == code


@pytest.mark.parametrize("kind", [KbError, UnreadableError, UsageError])
def test_errors_pickle_whole(kind: type[KbError]) -> None:
    """A worker process can send an error back as it is: kind, message, path and record."""
    error = kind("what is wrong", path="data/x.yaml", record="claim-1")
    again = pickle.loads(pickle.dumps(error))  # noqa: S301  (our own bytes)
    assert type(again) is kind
    assert (again.message, again.path, again.record) == ("what is wrong", "data/x.yaml", "claim-1")
    assert again.one_line() == error.one_line()


def test_the_core_names_no_cli_flags() -> None:
    """No error raised in kb/ outside kb/cli names a command-line flag (`--something`); a
    whole command suggested as what to do (`kb push --endpoint URL`) is fine."""
    found = []
    for path in PACKAGE_DIR.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE_DIR).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise):
                continue
            for inner in ast.walk(node):
                text = inner.value if isinstance(inner, ast.Constant) else None
                flag = isinstance(text, str) and re.search(r"(^|[\s(])--[a-z][a-z-]+", text)
                if flag and "`kb " not in str(text):
                    found.append(f"{Path(path).name}: {text[:40]}")
    assert found == []


def test_the_cli_says_which_option_named_nothing() -> None:
    """An unknown --topic is reported against the option the user typed."""
    out = run_kb("export", "bibtex", "--topic", "no-such-topic")
    assert out.returncode == 2
    assert out.stderr.startswith("kb: error: --topic: unknown topic 'no-such-topic'")

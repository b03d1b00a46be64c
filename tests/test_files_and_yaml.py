"""The one input reader (kb.files.read_input) and the one YAML loader (kb.safe_yaml): regular
files only, a byte cap enforced while reading, no link out of the folder; no anchors, aliases or
duplicate keys, refused in milliseconds."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import yaml

from kb.errors import UnreadableError
from kb.files import read_input, read_input_bytes
from kb.paths import DATA_DIR
from kb.safe_yaml import load_yaml


def test_dev_zero_is_refused_before_reading() -> None:
    """/dev/zero (st_size 0, endless) is not a regular file: refused, nothing read."""
    with pytest.raises(UnreadableError, match="device"):
        read_input_bytes(Path("/dev/zero"))


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO with no writer is refused at once (the open does not wait for a writer)."""
    fifo = tmp_path / "text.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_input(fifo)
        except UnreadableError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in str(outcome[0])


def test_cap_is_enforced_while_reading(tmp_path: Path) -> None:
    """A file one byte over the cap is refused; one at the cap is read."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(UnreadableError, match="too large"):
        read_input(path, limit=1000)
    assert read_input(path, limit=1001) == "x" * 1001


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    """A link leading outside its folder is refused naming the link; one inside is read."""
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "real.txt").write_text("inside", encoding="utf-8")
    (folder / "in.txt").symlink_to(folder / "real.txt")
    (folder / "out.txt").symlink_to("/etc/passwd")
    assert read_input(folder / "in.txt", within=folder) == "inside"
    with pytest.raises(UnreadableError, match="link leading outside") as caught:
        read_input(folder / "out.txt", within=folder)
    assert "out.txt" in str(caught.value)


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("levels", "width"), [(6, 40), (9, 9)])
def test_alias_bombs_are_refused_in_milliseconds(levels: int, width: int) -> None:
    """An alias bomb (6 x 40, 9 x 9) is refused at its first anchor, in well under a second."""
    started = time.perf_counter()
    with pytest.raises(yaml.YAMLError, match="anchor"):
        load_yaml(_bomb(levels, width))
    assert time.perf_counter() - started < 0.5


def test_alias_without_anchor_is_refused() -> None:
    """An alias is refused (with its line) even where its anchor would be undefined."""
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml("a: 1\nb: *x\n")
    assert caught.value.problem_mark is not None


@pytest.mark.parametrize(
    "text",
    ["worksheet: {id: a}\nworksheet: {id: b}\n", "claims:\n- id: a\n  kind: x\n  kind: y\n"],
    ids=["top-level", "in-a-record"],
)
def test_duplicate_keys_are_refused_with_the_line(text: str) -> None:
    """A key given twice in one mapping is refused, naming the second line, never last-wins."""
    with pytest.raises(yaml.YAMLError, match="given twice") as caught:
        load_yaml(text)
    mark = caught.value.problem_mark
    assert mark is not None
    assert mark.line + 1 == text.count("\n")


def test_loader_reads_what_the_safe_loader_reads() -> None:
    """Plain curated YAML loads exactly as yaml.safe_load reads it."""
    text = (DATA_DIR / "creating-secure-attachment" / "links.yaml").read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)

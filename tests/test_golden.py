"""Golden outputs: every CLI command and export format on the seed gives exactly the bytes in
tests/golden/out/ (a refactor must not change what users see; regenerate deliberately with
`scripts/golden --update` and read the diff)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.golden_runner import GOLDEN_DIR, commands, run

CASES = commands()


def test_every_command_has_a_golden_file() -> None:
    """Each listed command has its golden output, and no stale golden file is left over."""
    names = {c["name"] for c in CASES}
    assert len(names) == len(CASES)
    assert {p.stem for p in GOLDEN_DIR.glob("*.out")} == names


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_output_is_byte_identical(case: dict[str, Any]) -> None:
    """`kb ARGS` prints exactly its golden output (stdout, stderr and exit code)."""
    expected = (GOLDEN_DIR / f"{case['name']}.out").read_bytes()
    got = run(case["args"])
    assert got == expected, f"kb {' '.join(case['args'])} changed; scripts/golden --update"

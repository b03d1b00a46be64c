"""One command-line surface: every command is named in ``kb.cli.COMMANDS``, lives in a module
named after it, and the options commands share read the same on every command's ``--help``."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import click
import pytest

from kb.cli import COMMANDS, LISTING, cli, main

CLI_DIR = Path(importlib.import_module("kb.cli").__file__ or "").parent
HELPERS = {"__init__", "base"}


def _help(capsys: pytest.CaptureFixture[str], name: str) -> str:
    assert main([name, "--help"]) == 0
    return capsys.readouterr().out


def test_every_command_module_is_named_after_a_command_it_holds() -> None:
    """Each module of kb/cli/ (but the base) defines the command it is named after."""
    modules = {p.stem for p in CLI_DIR.glob("*.py")} - HELPERS
    holds = {target.split(":")[0].rsplit(".", 1)[1] for target in COMMANDS.values()}
    assert modules == holds
    for module in modules:
        assert module.removesuffix("_") in COMMANDS, f"kb/cli/{module}.py names no command"


def test_every_command_defined_is_registered() -> None:
    """Every click command defined under kb/cli/ is named in COMMANDS, under its own name (a
    group's subcommands, such as `kb review packet`, are reached through their group)."""
    found = [
        obj
        for module in {t.split(":")[0] for t in COMMANDS.values()}
        for obj in vars(importlib.import_module(module)).values()
        if isinstance(obj, click.Command)
    ]
    subcommands = {
        id(sub) for obj in found if isinstance(obj, click.Group) for sub in obj.commands.values()
    }
    defined = {obj.name for obj in found if id(obj) not in subcommands}
    assert defined == set(COMMANDS)
    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == sorted(COMMANDS)
    assert all(cli.get_command(ctx, name).name == name for name in COMMANDS)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", LISTING)
def test_listing_commands_share_worksheet_and_format(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A listing command's --help offers --worksheet ID and --format with text and json."""
    text = _help(capsys, name)
    assert re.search(r"--worksheet ID\b", text), text
    choices = re.search(r"--format \[([a-z|-]+)\]", text)
    assert choices is not None, text
    assert {"text", "json"} <= set(choices.group(1).split("|"))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_writes_with_o(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every command's --help offers -o (a file, or for build a folder) for what it writes."""
    text = _help(capsys, name)
    assert re.search(r"^\s+-o, --(output FILE|out DIR)\b", text, re.MULTILINE), text


def test_minus_o_writes_what_stdout_would_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o FILE` writes exactly the bytes the command prints, and says so on stderr."""
    assert main(["skills", "--format", "csv"]) == 0
    shown = capsys.readouterr().out
    out = tmp_path / "skills.csv"
    assert main(["skills", "--format", "csv", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == shown


def test_minus_o_writes_nothing_on_bad_input(tmp_path: Path) -> None:
    """A command that fails on bad input leaves no -o file behind."""
    out = tmp_path / "evidence.txt"
    assert main(["evidence", "no-such-skill", "-o", str(out)]) == 2
    assert not out.exists()


def test_new_writes_into_a_folder_named_by_into() -> None:
    """`kb new` names its target folder --into, apart from the global --data it reads."""
    command = cli.get_command(click.Context(cli), "new")
    assert command is not None
    options = {o for p in command.params for o in p.opts}
    assert "--into" in options
    assert "--data" not in options

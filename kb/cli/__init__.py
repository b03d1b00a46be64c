"""The ``kb`` command line: a thin shell over the package.

Commands live in ``kb/cli/cmd_*.py`` modules, each registering on the group in ``base.py``;
they are imported here, so a new command needs no edit of this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from kb.cli.base import cli
from kb.errors import EXIT_UNREADABLE, KbError

__all__ = ["cli", "main"]

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("cmd_")):
    importlib.import_module(f"{__name__}.{_module}")


# Records the core names that a user gives as an option of the same name.
OPTION_RECORDS = frozenset({"skill", "topic", "author", "view", "worksheet", "store"})


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; bad input is one line on stderr and exit 1 or 2, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="kb", standalone_mode=False)
    except KbError as exc:
        if exc.record in OPTION_RECORDS:  # the core names what it is; the CLI, how it is given
            exc.record = f"--{exc.record}"
        click.echo(f"kb: error: {exc.one_line()}", err=True)
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message() if hasattr(exc, "format_message") else str(exc))
        return 0
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
        click.echo(f"kb: error: {' '.join(exc.format_message().split())}{hint}", err=True)
        return EXIT_UNREADABLE
    except click.exceptions.Abort:
        click.echo("kb: aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"kb: error: {' '.join(exc.format_message().split())}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        click.echo("kb: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())

"""The ``kb`` command line: a thin shell over the package.

Every command is named here, with the module that defines it (a module is named after its
command); the group in ``base.py`` imports a command's module only when that command runs, so
``kb skills`` loads neither the export nor the curation code. The options commands share
(``--worksheet``, ``--format``, ``-o``) are defined once, in ``base.py``.
"""

from __future__ import annotations

import sys

import click

from kb.cli.base import cli
from kb.errors import EXIT_UNREADABLE, KbError

__all__ = ["COMMANDS", "LISTING", "cli", "main"]

# name -> module:function, in the order of the README's table
COMMANDS = {
    "check": "kb.cli.check:check",
    "lint": "kb.cli.lint:lint_cmd",
    "reanchor": "kb.cli.lint:reanchor_cmd",
    "build": "kb.cli.build:build",
    "skills": "kb.cli.skills:skills",
    "evidence": "kb.cli.evidence:evidence",
    "profile": "kb.cli.profile:profile",
    "gaps": "kb.cli.gaps:gaps",
    "review": "kb.cli.review:review",
    "report": "kb.cli.report:report",
    "authors": "kb.cli.authors:authors",
    "topics": "kb.cli.topics:topics",
    "search": "kb.cli.search:search",
    "query": "kb.cli.query:query",
    "audit": "kb.cli.audit:audit_cmd",
    "cite": "kb.cli.cite:cite",
    "export": "kb.cli.export:export_cmd",
    "suggest": "kb.cli.suggest:suggest_cmd",
    "new": "kb.cli.new:new",
    "import": "kb.cli.import_:import_cmd",
    "push": "kb.cli.push:push",
}
# The listing commands: each takes --worksheet, --format (text, json; csv where tabular) and -o.
LISTING = (
    "skills", "evidence", "profile", "gaps", "review", "authors", "topics", "search", "query",
    "audit", "suggest",
)  # fmt: skip
cli.register(COMMANDS)


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

"""The click group every command module registers on, and the shared options and output.

Bad input never shows a traceback: a KbError (or a click usage error) becomes one line on
stderr, ``kb: error: FILE: RECORD: what is wrong (what to do)``, and exit 1 (invalid data) or 2
(unreadable input or bad usage).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from kb.errors import EXIT_INVALID, UsageError
from kb.files import refuse_overwriting, write_atomic
from kb.paths import DATA_DIR, DEFAULT_BIB
from kb.store.spec import StoreSpec, parse_spec

if TYPE_CHECKING:
    from kb.core.knowledge_base import KnowledgeBase

__all__ = [
    "Commands",
    "Context",
    "cli",
    "curated_paths",
    "display_width",
    "dump_json",
    "emit",
    "format_option",
    "get_kb",
    "listing_options",
    "output_option",
    "plural",
    "print_table",
    "table_text",
    "worksheet_option",
    "wrap",
]

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Global options, and the knowledge base loaded on first use."""

    def __init__(self, bib: Path | None, data: Sequence[Path], store: StoreSpec) -> None:
        self.bib = bib
        self.data = list(data) or None
        self.store = store
        self._kb: KnowledgeBase | None = None

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base, loaded and validated once per command."""
        if self._kb is None:
            from kb.core.loader import load

            self._kb = load(bib=self.bib, data=self.data, store=self.store)
        return self._kb


class Commands(click.Group):
    """A group whose commands are listed by name in a table (``kb.cli.COMMANDS``: name ->
    ``module:function``) and imported only when one is run or listed: ``kb skills`` does not
    import the export, curation or push code."""

    table: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = {}

    def register(self, table: dict[str, str]) -> None:
        """Name the commands and where each is defined."""
        self.table.update(table)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.table, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.table:
            module, _, name = self.table[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--bib",
    type=click.Path(path_type=Path),
    default=None,
    help="BibTeX file of references (default: references.bib).",
)
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Worksheet folder, or folder of worksheet folders; repeatable (default: kb/data).",
)
@click.option(
    "--store",
    default="memory",
    envvar="KB_STORE",
    show_default=True,
    help="Where queries run: memory, oxigraph:PATH or sparql:URL (env KB_STORE).",
)
@click.version_option(package_name="kb")
@click.pass_context
def cli(ctx: click.Context, bib: Path | None, data: tuple[Path, ...], store: str) -> None:
    """kb: the citation and evidence knowledge base behind "Creating Secure Attachment".

    Every claim -> reference link is a curator's judgement: the worksheet prints 16 references
    but no in-text citations.
    """
    ctx.obj = Context(bib, data, parse_spec(store))  # parsed here, passed through as it is


def curated_paths(ctx: click.Context) -> tuple[Path, list[Path]]:
    """The bib and the data folders of this invocation (the defaults where none was given)."""
    obj: Context = ctx.find_object(Context)  # type: ignore[assignment]
    return obj.bib or DEFAULT_BIB, list(obj.data or [DATA_DIR])


def get_kb(ctx: click.Context, worksheet: str | None = None) -> KnowledgeBase:
    """The loaded knowledge base of this invocation, or one worksheet of it (``kb.core.narrow``;
    a knowledge base of that worksheet alone is itself)."""
    obj: Context = ctx.find_object(Context)  # type: ignore[assignment]
    if worksheet is None:
        return obj.kb
    from kb.core.resolve import resolve_worksheet

    sheet = resolve_worksheet(obj.kb, worksheet, given_as="--worksheet")
    if len(obj.kb.worksheets) == 1:
        return obj.kb
    return obj.kb.narrow(sheet.worksheet.id)


def worksheet_option(func: F) -> F:
    """``--worksheet ID``: only that worksheet, its claims and the references it cites."""
    return click.option(
        "--worksheet",
        default=None,
        metavar="ID",
        help="Only this worksheet (number, id or title): its skills, claims and the references "
        "it cites.",
    )(func)


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """``--format`` with ``text`` first (the default) and ``json`` always available."""
    values = list(dict.fromkeys([default, *choices, "json"]))
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(values),
        default=default,
        show_default=True,
        help="Output format.",
    )


def output_option(func: F) -> F:
    """``-o FILE``: what the command prints goes to FILE instead, atomically. Bad input writes
    nothing; a report that ends in exit 1 (``kb check`` finding violations) is written."""

    @functools.wraps(func)
    def run(*args: Any, output: Path | None = None, **kwargs: Any) -> Any:
        if output is None:
            return func(*args, **kwargs)
        refuse_input_as_output(output)  # before the command runs: nothing is written over an input
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n", write_through=True)
        try:
            with contextlib.redirect_stdout(stream):
                result = func(*args, **kwargs)
        except click.exceptions.Exit as exc:
            if exc.exit_code in (0, EXIT_INVALID):
                _write(output, buffer.getvalue())
            raise
        _write(output, buffer.getvalue())
        return result

    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        metavar="FILE",
        help="Write to FILE (atomically) instead of stdout.",
    )(cast("F", run))


def listing_options(*choices: str) -> Callable[[F], F]:
    """The options every listing command shares: ``--worksheet``, ``--format`` (text, json and
    ``choices``) and ``-o``."""

    def decorate(func: F) -> F:
        return worksheet_option(format_option(*choices)(output_option(func)))

    return decorate


def _write(output: Path, data: bytes) -> None:
    write_atomic(output, data)
    click.echo(f"wrote {output}", err=True)


def emit(text: str | bytes) -> None:
    """Print text (a line break added if missing) or bytes; ``-o`` sends it to a file."""
    if isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def dump_json(value: Any) -> None:
    """``value`` as indented JSON (UTF-8 kept) on stdout."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def plural(count: int, noun: str) -> str:
    """``3 links``, ``1 link``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def wrap(text: str, indent: str = "    ") -> str:
    """``text`` wrapped at 96 columns, continuation lines indented two more."""
    return textwrap.fill(
        text, 96, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


def refuse_input_as_output(output: Path, option: str = "-o") -> None:
    """No command writes over an input of the knowledge base: the bib, or any file in a data
    folder (compared by resolved path and by inode)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Context) if ctx is not None else None
    bib = (obj.bib if obj is not None else None) or DEFAULT_BIB
    folders = (obj.data if obj is not None else None) or [DATA_DIR]
    refuse_overwriting(output, [bib], option)
    real = os.path.realpath(output)
    for folder in folders:
        home = os.path.realpath(folder)
        if os.path.commonpath([real, home]) == home:
            raise UsageError(
                f"{option} is inside the data folder {Path(folder).name}/, an input of the "
                "knowledge base; write somewhere else",
                path=output,
            )


def print_table(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> None:
    """Rows as a table (text), a JSON array (json) or CSV (csv), on stdout."""
    click.echo(table_text(rows, fmt, headers), nl=False)


def table_text(
    rows: Sequence[dict[str, Any]], fmt: str, headers: Sequence[str] | None = None
) -> str:
    """Rows as a table (text), a JSON array (json) or CSV with a header row (csv); ends with a
    line break."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n"
    keys = list(headers or (rows[0].keys() if rows else []))
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(keys)
        writer.writerows([["" if r.get(k) is None else r.get(k) for k in keys] for r in rows])
        return buf.getvalue()
    if not rows:
        return "(no rows)\n"
    return text_table([[r.get(k) for k in keys] for r in rows], keys) + "\n"


def text_table(cells: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """tabulate's "simple" table of plain values (numbers not parsed), drawn here: tabulate
    spent 0.3 s guessing the column types of a 7,000-row `kb skills` whose values are already
    typed. Widths are measured as tabulate measures them (:func:`display_width`). A cell
    holding a line break goes to tabulate itself (multi-line rows)."""
    text = [["" if v is None else str(v).strip() for v in row] for row in cells]
    if any("\n" in v for row in text for v in row) or any("\n" in h for h in headers):
        from tabulate import tabulate

        return str(tabulate(cells, headers=list(headers), disable_numparse=True))
    head = [str(h) for h in headers]
    widths = [display_width(h) + 2 for h in head]
    for row in text:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value))
    lines = [head, ["-" * w for w in widths], *text]
    return "\n".join(
        "  ".join(
            v + " " * (w - display_width(v)) for v, w in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal, as tabulate counts them: ``wcwidth.wcswidth``
    (wide East Asian characters count 2, combining marks 0). Printable Latin text up to
    U+02FF is one column a character, so wcwidth (28 ms to import) is loaded only for the
    rest. A string wcwidth cannot measure (control characters) counts its characters."""
    if all(" " <= c <= "~" or "\xa0" <= c <= "\u02ff" for c in text):
        return len(text)
    import wcwidth

    width = int(wcwidth.wcswidth(text))
    return len(text) if width < 0 else width

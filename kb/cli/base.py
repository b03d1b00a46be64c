"""The click group every command module registers on, and the shared options and output.

Bad input never shows a traceback: a KbError (or a click usage error) becomes one line on
stderr, ``kb: error: FILE: RECORD: what is wrong (what to do)``, and exit 1 (invalid data) or 2
(unreadable input or bad usage).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from kb.errors import UsageError
from kb.files import refuse_overwriting, write_atomic
from kb.knowledge_base import KnowledgeBase
from kb.loader import load
from kb.paths import DATA_DIR, DEFAULT_BIB

__all__ = [
    "Context",
    "cli",
    "display_width",
    "emit",
    "format_option",
    "get_kb",
    "output_option",
    "print_table",
    "table_text",
    "worksheet_option",
]

F = TypeVar("F", bound=Callable[..., Any])


class Context:
    """Global options, and the knowledge base loaded on first use."""

    def __init__(self, bib: Path | None, data: Sequence[Path], store: str) -> None:
        self.bib = bib
        self.data = list(data) or None
        self.store = store
        self._kb: KnowledgeBase | None = None

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base, loaded and validated once per command."""
        if self._kb is None:
            self._kb = load(bib=self.bib, data=self.data, store=self.store)
        return self._kb


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    ctx.obj = Context(bib, data, store)


def get_kb(ctx: click.Context, worksheet: str | None = None) -> KnowledgeBase:
    """The loaded knowledge base of this invocation, or one worksheet of it (``kb.narrow``)."""
    obj: Context = ctx.find_object(Context)  # type: ignore[assignment]
    if worksheet is None:
        return obj.kb

    return obj.kb.narrow(worksheet)


def worksheet_option(func: F) -> F:
    """``--worksheet ID``: only that worksheet, its claims and the references it cites."""
    return click.option(
        "--worksheet",
        default=None,
        help="Only this worksheet (id): its skills, claims and the references it cites.",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` with ``text`` first (the default) and ``json`` always available."""
    values = list(dict.fromkeys(["text", *choices, "json"]))
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(values),
        default="text",
        show_default=True,
        help="Output format.",
    )


def output_option(func: F) -> F:
    """``-o FILE``: write atomically instead of to stdout."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=None,
        help="Write to FILE (atomically) instead of stdout.",
    )(func)


def emit(text: str | bytes, output: Path | None) -> None:
    """Print, or write atomically to ``output``."""
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    refuse_input_as_output(output)
    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


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

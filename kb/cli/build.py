"""``kb build``: the graph written as Turtle, N-Triples and JSON-LD."""

from __future__ import annotations

from pathlib import Path

import click

from kb.cli.base import get_kb, refuse_input_as_output
from kb.errors import UsageError
from kb.files import write_atomic
from kb.paths import BUILD_DIR


@click.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=BUILD_DIR,
    show_default=True,
    metavar="DIR",
    help="Folder for kb.ttl, kb.nt and kb.jsonld.",
)
@click.pass_context
def build(ctx: click.Context, out: Path) -> None:
    """Build the RDF graph and write it as Turtle, N-Triples and JSON-LD."""
    base = get_kb(ctx)
    if out.exists() and not out.is_dir():
        raise UsageError("--out must be a folder", path=out)
    out.mkdir(parents=True, exist_ok=True)
    outputs = {"kb.ttl": "turtle", "kb.nt": "n-triples", "kb.jsonld": "json-ld"}
    from kb.rdf.serialize import graph_as

    rendered = {name: graph_as(base.graph, fmt) for name, fmt in outputs.items()}
    for name in rendered:
        refuse_input_as_output(out / name, "--out")
    for name, text in rendered.items():
        write_atomic(out / name, text)
        click.echo(f"wrote {out / name}")
    click.echo(f"{len(base.graph)} triples")

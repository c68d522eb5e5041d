"""Reading the project's documents: list them with their status, print one."""

from __future__ import annotations

import sys

import click

from workbench.cli.context import Context, document_of, layer_of
from workbench.cli.output import emit_json
from workbench.cli.terminal import use_visual, visual_text
from workbench.core.store import documents


@click.command()
@click.option("--annotator", help="Whose status to show (default: the project's current user).")
@click.option("--status", type=click.Choice(documents.STATUSES), help="Only documents with this status.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, title, chars, sha256, status}.")
@click.pass_obj
def docs(obj: Context, annotator, status, limit, offset, as_json) -> None:
    """List the project's documents: id, title, characters, status."""
    project = obj.project(reading=True)
    rows = documents.summaries(
        project.db,
        project.current_annotator if annotator is None else layer_of(project, annotator),
        status=status,
        offset=offset,
        limit=limit or -1,
    )
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    if not rows:
        click.echo("No documents." if not status else f"No documents with status {status}.")
        return
    id_width = max(len("ID"), *(len(r.id) for r in rows))
    click.echo(f"{'ID':<{id_width}}  {'CHARS':>7}  {'STATUS':<11}  TITLE")
    for row in rows:
        click.echo(f"{row.id:<{id_width}}  {row.chars:>7}  {row.status:<11}  {obj.shown(row.title)}")


@click.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print the document and its metadata as JSON.")
@click.pass_obj
def show(obj: Context, doc_id: str, as_json: bool) -> None:
    """Print a document's stored text (exactly as stored when piped)."""
    document = document_of(obj.project(reading=True), doc_id)
    if as_json:
        emit_json(document.__dict__)
    elif use_visual(sys.stdout, obj.bidi):
        click.echo(visual_text(document.text))
    else:
        sys.stdout.write(document.text)
        if sys.stdout.isatty() and not document.text.endswith("\n"):
            sys.stdout.write("\n")  # only for the prompt's sake: a pipe gets the exact text


COMMANDS = (docs, show)

"""Spans and statuses, one at a time: list a document's spans, add or delete one, set a status.

Each command translates its arguments into an intent of :mod:`workbench.core.intents`
and runs the one action it returns, as the window does.
"""

from __future__ import annotations

import click

from workbench.cli.context import Context, document_of, layer_of
from workbench.cli.output import emit_json
from workbench.core import intents
from workbench.core.store import documents
from workbench.core.store import spans as span_store


@click.command(name="spans")
@click.argument("doc_id")
@click.option("--annotator", help="Whose spans (default: the current user); 'gold' for the gold layer.")
@click.option("--all", "everyone", is_flag=True, help="Every annotator's spans.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of spans.")
@click.pass_obj
def spans_list(obj: Context, doc_id: str, annotator: str | None, everyone: bool, as_json: bool) -> None:
    """List a document's spans in reading order: id, start, end, label, text, attributes."""
    project = obj.project(reading=True)
    document = document_of(project, doc_id)
    layer = None if everyone else layer_of(project, annotator)
    rows = [s.to_json(document.text) for s in span_store.for_document(project.db, doc_id, layer)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("No spans.")
        return
    for row in rows:
        attributes = " ".join(f"{k}={v}" for k, v in row["attributes"].items())
        click.echo(
            f"{row['id'][:8]}  {row['start']:>6} {row['end']:>6}  {row['label']:<9} "
            f"{obj.shown(row['text'])}  {attributes}".rstrip()
        )


@click.group()
def span() -> None:
    """Create or delete one span (the same operations as the window)."""


def _parse_attrs(pairs: tuple[str, ...]) -> dict[str, str]:
    attributes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--attr")
        attributes[key.strip()] = value
    return attributes


@span.command(name="add")
@click.argument("doc_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@click.option("--annotator", help="Whose span (default: the current user); 'gold' for the gold layer.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="An attribute, e.g. count=4 kind=killed.")
@click.option("--note", default="", help="A note on the span.")
@click.option("--unsure", is_flag=True, help="Flag the span as unsure.")
@click.option(
    "--no-values", "no_values", is_flag=True, help="Do not fill the attributes the value engines read in the text."
)
@click.option("--json", "as_json", is_flag=True, help="Print the new span as JSON.")
@click.pass_obj
def span_add(obj: Context, doc_id, start, end, label, annotator, attrs, note, unsure, no_values, as_json) -> None:
    """Create a span over code points [START, END) of DOC_ID (END exclusive).

    The attributes not given with --attr are filled from the text as the window
    fills them (a DATE's value and precision, a CASUALTY's count and kind, a name's
    canonical form), unless --no-values is given or suggestions are off in the project.
    Refused with a message if the range is outside the text, cuts a letter from
    its marks, or the label or an attribute is unknown. The same annotator, range
    and label is one span: if it is already tagged, the command says so ("already
    tagged"), adds nothing and exits with status 1.
    """
    project = obj.project()
    text = document_of(project, doc_id).text
    action = intents.tag(
        project,
        doc_id,
        layer_of(project, annotator),
        start,
        end,
        label.upper(),
        snap=intents.EXACT,
        attributes=_parse_attrs(attrs),
        note=note,
        unsure=unsure,
        values=not no_values,
    )
    action.do(project)
    made = action.span
    if as_json:
        emit_json(made.to_json(text))
    else:
        values = "  " + " ".join(f"{k}={v}" for k, v in made.attributes.items()) if made.attributes else ""
        click.echo(f"{made.id}  {made.label}  {obj.shown(text[made.start : made.end])}{values}")


@span.command(name="delete")
@click.argument("span_id", metavar="ID")
@click.pass_obj
def span_delete(obj: Context, span_id: str) -> None:
    """Delete a span by id, or by the start of its id that 'spans' prints (at least 4
    characters, naming one span only); the change log keeps it."""
    project = obj.project()
    found = intents.span_by_id(project, span_id)
    intents.delete(project, found).do(project)
    click.echo(f"Deleted {found.id}.")


@click.command(name="status")
@click.argument("doc_id")
@click.argument("new_status", type=click.Choice(documents.STATUSES))
@click.option("--annotator", help="Whose status (default: the current user).")
@click.pass_obj
def status_cmd(obj: Context, doc_id: str, new_status: str, annotator: str | None) -> None:
    """Set a document's status for an annotator: done, in-progress or not-started."""
    project = obj.project()
    document_of(project, doc_id)
    name = layer_of(project, annotator)
    intents.set_status(project, doc_id, name, new_status).do(project)
    click.echo(f"{doc_id}: {new_status} for {obj.shown(name)}.")


COMMANDS = (spans_list, span, status_cmd)

"""Values and suggestions: what the engines read in a document, its publication date (the anchor
of relative dates), and whether the project offers suggestions at all."""

from __future__ import annotations

import click

from workbench.cli.context import Context, document_of, layer_of, split_list
from workbench.cli.output import emit_json
from workbench.core import suggestions


@click.command(name="suggest")
@click.argument("doc_id")
@click.option(
    "--engine",
    type=click.Choice(suggestions.ENGINES),
    default=suggestions.ALL,
    show_default=True,
    help="rules: dates and casualties; gazetteer: canonical names; all: both.",
)
@click.option("--labels", "labels", help="Comma-separated labels to suggest (default: all of the schema's).")
@click.option("--annotator", help="Whose layer: what it already has, or rejected, is not suggested again.")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.pass_obj
def suggest(obj: Context, doc_id: str, engine: str, labels: str | None, annotator: str | None, as_json: bool) -> None:
    """Suggest spans with their values for a document (nothing is saved).

    \b
    workbench-cli suggest 002_af682284de1024ff --json
    {"doc_id": ..., "suggestions": [{"start", "end", "label", "text", "attributes", "source", "confidence"}]}
    Offsets are code points, END exclusive. Accept them in the window (Enter), or with 'span add'.
    """
    project = obj.project(reading=True)
    text = document_of(project, doc_id).text
    layer = layer_of(project, annotator) if annotator or project.current_annotator else None
    wanted = [label.upper() for label in split_list(labels)] if labels else None
    found = suggestions.suggest(project, doc_id, layer or "", engine=engine, labels=wanted)
    if not suggestions.enabled(project) and not as_json:
        click.echo("Suggestions are off in this project ('workbench-cli suggestions on' turns them on).", err=True)
    if as_json:
        emit_json({"doc_id": doc_id, "suggestions": [f.to_json(text) for f in found]})
        return
    for f in found:
        values = " ".join(f"{k}={v}" for k, v in f.attributes.items())
        click.echo(
            f"{f.start:>6} {f.end:>6}  {f.label:<9} {f.confidence:.2f}  {obj.shown(text[f.start : f.end])}"
            + (f"  {values}" if values else "")
            + f"  ({f.source})"
        )


@click.command(name="date")
@click.argument("doc_id")
@click.argument("published", required=False)
@click.option("--clear", is_flag=True, help="Forget the document's publication date.")
@click.pass_obj
def date_cmd(obj: Context, doc_id: str, published: str | None, clear: bool) -> None:
    """Show or set a document's publication date (YYYY-MM-DD), the anchor of its relative dates
    (أمس، الخميس الماضي، العام الماضي).

    \b
    workbench-cli date 002_af682284de1024ff             # what it is, and where it comes from
    workbench-cli date 002_af682284de1024ff 2019-04-05
    """
    project = obj.project(reading=published is None and not clear)
    document = document_of(project, doc_id)
    if published is None and not clear:
        if document.published:
            click.echo(f"{doc_id}: published {document.published}")
        else:
            found = suggestions.anchor(project, doc_id)
            click.echo(
                f"{doc_id}: no publication date; its dateline says {found.isoformat()}"
                if found
                else f"{doc_id}: no publication date, and no dateline: relative dates stay without a value"
            )
        return
    if published is not None and clear:
        raise click.UsageError("give a date or --clear, not both")
    actor = project.current_annotator or "lead"
    suggestions.SetPublished(doc_id, None if clear else published, actor).do(project)
    click.echo(f"{doc_id}: " + ("publication date cleared." if clear else f"published {published}."))


@click.command(name="suggestions")
@click.argument("state", type=click.Choice(["on", "off", "status"]), default="status")
@click.pass_obj
def suggestions_cmd(obj: Context, state: str) -> None:
    """Switch the project's suggestions (and the values filled when tagging) on or off.

    Off is for measuring unassisted annotation; the export's data card says which it was.
    """
    project = obj.project(reading=state == "status")
    if state != "status":
        suggestions.set_enabled(project, state == "on")
    click.echo(f"Suggestions are {'on' if suggestions.enabled(project) else 'off'} in this project.")


COMMANDS = (suggest, date_cmd, suggestions_cmd)

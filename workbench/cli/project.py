"""The project itself: create it, describe it, its current user, labels and annotators."""

from __future__ import annotations

import click

from workbench.cli.context import Context
from workbench.cli.output import emit_json
from workbench.core import intents
from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store.annotators import check_name
from workbench.core.store.labels import ATTRIBUTE_TYPES, Label
from workbench.core.store.project import Project
from workbench.resources import sample_corpus_files


@click.command()
@click.option("--name", help="Project name (default: the file name).")
@click.option("--with-sample", is_flag=True, help="Also import the bundled sample corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def init(obj: Context, name: str | None, with_sample: bool, as_json: bool) -> None:
    """Create a new project file (refused if the file exists)."""
    with Project.create(obj.db_path, name=name) as project:
        imported = 0
        if with_sample:
            imported = len(import_paths(project, list(sample_corpus_files())).imported)
        info = {
            "path": str(project.path),
            "name": project.name,
            "project_id": project.setting("project_id"),
            "schema_version": project.schema_version,
            "documents": imported,
        }
    if as_json:
        emit_json(info)
    else:
        click.echo(
            f"Created project {info['name']!r} at {info['path']}"
            + (f" with {imported} sample documents." if with_sample else ".")
        )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def info(obj: Context, as_json: bool) -> None:
    """Show the project's file, name, id, schema version, documents and annotators."""
    project = obj.project(reading=True)
    data = {
        "path": str(project.path),
        "name": project.name,
        "project_id": project.setting("project_id"),
        "schema_version": project.schema_version,
        "documents": documents.count(project.db),
        "annotators": project.annotators(),
        "current_annotator": project.current_annotator,
    }
    if as_json:
        emit_json(data)
        return
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(value)
        value = "-" if value in (None, "") else value
        click.echo(f"{key.replace('_', ' '):<18} {obj.shown(str(value))}")


@click.command()
@click.argument("name", required=False)
@click.pass_obj
def user(obj: Context, name: str | None) -> None:
    """Show the project's current user, or set it to NAME (who is annotating in this copy)."""
    project = obj.project()
    if name is not None:
        project.set_current_annotator(name)
    click.echo(obj.shown(project.current_annotator or "(no current user)"))


@click.group()
def labels() -> None:
    """The project's label schema."""


@labels.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the schema as JSON.")
@click.pass_obj
def labels_list(obj: Context, as_json: bool) -> None:
    """List labels with their colour, key and attributes."""
    schema = obj.project(reading=True).labels()
    if as_json:
        emit_json(
            [
                {
                    "name": label.name,
                    "color": label.color,
                    "key": label.key,
                    "description": label.description,
                    "attributes": [a.to_json() for a in label.attributes],
                }
                for label in schema
            ]
        )
        return
    for label in schema:
        attributes = ", ".join(f"{a.name} ({a.type})" for a in label.attributes) or "-"
        click.echo(f"{label.key or ' '}  {label.name:<10} {label.color}  {attributes}")


@labels.command(name="add")
@click.argument("name")
@click.option("--color", required=True, help="Highlight colour, #RRGGBB.")
@click.option("--key", default="", help="Keyboard key that applies the label.")
@click.option("--description", default="", help="Shown as the label's tooltip.")
@click.pass_obj
def labels_add(obj: Context, name: str, color: str, key: str, description: str) -> None:
    """Add a label to the schema."""
    obj.project().add_label(Label(name, color, key, description))
    click.echo(f"Added label {name}.")


@labels.group(name="attr")
def labels_attr() -> None:
    """A label's attributes (the fields of its spans' attribute form)."""


@labels_attr.command(name="add")
@click.argument("label")
@click.argument("name")
@click.option(
    "--type",
    "kind",
    type=click.Choice(ATTRIBUTE_TYPES),
    default=None,
    help="count (a number or a range such as 10-15), choice (one of --values), flag (true or false), "
    "date (ISO 8601: 2019-01-19, 2019-01 or 2019) or text. Default: choice with --values, else text.",
)
@click.option(
    "--values",
    default="",
    metavar="V1,V2,...",
    help="A choice's values, separated by commas (Latin or Arabic).",
)
@click.option("--description", default="", help="Shown as the field's tooltip in the attribute form.")
@click.pass_obj
def labels_attr_add(obj: Context, label: str, name: str, kind: str | None, values: str, description: str) -> None:
    """Add an attribute NAME to LABEL: a new field of its spans.

    \b
    Names are Latin letters, digits, - or _, starting with a letter (such
    as role or Negated, as brat writes them). Spans already tagged keep
    their attributes; the new one is empty until it is filled in. An
    import that brings attributes a label lacks names the commands to add
    them (or import with --ignore-attributes).

    \b
    Examples:
      workbench-cli labels attr add ACTOR role --type choice --values commander,fighter,civilian
      workbench-cli labels attr add CASUALTY Negated --type flag
      workbench-cli labels attr add LOCATION gazetteer_id
    """
    project = obj.project()
    action = intents.add_attribute(project, label, name, kind, values, description)
    action.do(project)
    attribute = action.attribute
    kind_shown = attribute.type + (f": {', '.join(attribute.choices)}" if attribute.choices else "")
    click.echo(obj.shown(f"Added attribute {attribute.name} ({kind_shown}) to {action.label}."))


@click.group()
def annotators() -> None:
    """The project's annotators."""


@annotators.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of names.")
@click.pass_obj
def annotators_list(obj: Context, as_json: bool) -> None:
    """List annotators in the order they joined."""
    names = obj.project(reading=True).annotators()
    if as_json:
        emit_json(names)
    else:
        for name in names:
            click.echo(obj.shown(name))


@annotators.command(name="add")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def annotators_add(obj: Context, names: tuple[str, ...]) -> None:
    """Add annotators (names already present are left as they are)."""
    project = obj.project()
    checked = [check_name(name) for name in names]  # every name checked first: all are added or none
    for name in checked:
        project.add_annotator(name)
    click.echo(f"{len(project.annotators())} annotators.")


COMMANDS = (init, info, user, labels, annotators)

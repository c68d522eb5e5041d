"""``gazetteer``: the project's own canonical names of actors and places (import a CSV, list)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.context import Context
from workbench.cli.output import EXIT_REFUSED, emit_json
from workbench.core.errors import InvalidInput
from workbench.core.store import gazetteer as names_store
from workbench.core.values import project_names


@click.group()
def gazetteer() -> None:
    """The project's gazetteer: canonical names of ACTORs and LOCATIONs.

    \b
    Suggestions and 'span add' give a name its canonical form from, strongest first: the
    project's own gazetteer (imported here), the names the team already gave in its spans,
    the shipped list of the Libyan conflict's actors and places, and GeoNames' places.
    """


@gazetteer.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def gazetteer_import(obj: Context, file: Path, as_json: bool) -> None:
    """Import names from a CSV file (UTF-8) into the project's gazetteer.

    \b
    The first line names the columns: name,label,canonical,aliases
      بنغازي,LOCATION,Benghazi,بنغازى|Benghazi
      قوات حفتر,ACTOR,Libyan National Army,الجيش الوطني الليبي|LNA
    aliases (optional) are separated by |. The label is one with a canonical name (ACTOR,
    LOCATION). A name already in the project's gazetteer is replaced. Refused rows are
    listed with their line; the rest is imported. Exit status: 0 when nothing was refused,
    2 otherwise.
    """
    project = obj.project()
    report = project_names.import_gazetteer(project, file)
    if as_json:
        emit_json(report.to_json())
    else:
        for item in report.refused:
            click.echo(f"refused: {file}: line {item['line']}: {item['reason']}", err=True)
        click.echo(report.summary() + ".")
    if report.refused:
        sys.exit(EXIT_REFUSED)


@gazetteer.command(name="list")
@click.option("--label", help="Only this label's names (ACTOR, LOCATION, ...).")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every name the project knows: its own, the team's and the shipped ones (default: its own).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the names as JSON.")
@click.pass_obj
def gazetteer_list(obj: Context, label: str | None, everything: bool, as_json: bool) -> None:
    """List the project's gazetteer: name, label, canonical name (and where it comes from)."""
    project = obj.project(reading=True)
    label = label.upper() if label else None
    if label is not None and label not in project_names.name_labels(project):
        known = ", ".join(project_names.name_labels(project))
        raise InvalidInput(f"{label!r} is not a label with canonical names in this project (those are: {known})")
    if everything:
        rows = [
            {"name": e.name, "label": e.label, "canonical": e.canonical, "source": e.source, "origin": e.origin}
            for e in project_names.gazetteer_of(project).entries()
            if label is None or e.label == label
        ]
        rows.sort(key=lambda r: (r["label"], r["canonical"], r["name"]))
    else:
        rows = [row.to_json() for row in names_store.names(project.db, label)]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("The project's gazetteer is empty; import one with 'workbench-cli gazetteer import FILE'.")
        return
    for row in rows:
        where = row.get("origin") or row["source"]
        click.echo(f"{row['label']:<9} {obj.shown(row['name'])}  →  {row['canonical']}  ({where})")


COMMANDS = (gazetteer,)

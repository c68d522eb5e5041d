"""``guidelines``: the project's annotation guidelines (Markdown), shown and set by the lead."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.context import Context
from workbench.cli.output import emit_json
from workbench.core import intents
from workbench.core.store.project import MAX_GUIDELINES_BYTES, is_annotator_copy

STDIN = "-"


@click.group()
def guidelines() -> None:
    """The project's annotation guidelines, in Markdown.

    \b
    The lead sets them; each project bundle carries them to the annotators, whose
    copies show them read-only (F1 in the window).
    """


@guidelines.command(name="show")
@click.option("--json", "as_json", is_flag=True, help='Print {"guidelines": TEXT, "editable": true|false} as JSON.')
@click.pass_obj
def guidelines_show(obj: Context, as_json: bool) -> None:
    """Print the guidelines as stored (Markdown source); nothing when there are none."""
    project = obj.project(reading=True)
    text = project.guidelines
    if as_json:
        emit_json({"guidelines": text, "editable": not is_annotator_copy(project)})
        return
    if text:
        click.echo(text if text.endswith("\n") else f"{text}\n", nl=False)


@guidelines.command(name="set")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help='Print {"changed": true|false, "chars": N} as JSON.')
@click.pass_obj
def guidelines_set(obj: Context, file: Path, as_json: bool) -> None:
    """(Lead) Replace the guidelines with the Markdown in FILE ('-': standard input).

    \b
    workbench-cli guidelines set guidelines.md
    FILE is decoded like an imported article (UTF-8, UTF-16, Windows-1256 or ISO-8859-6);
    a binary, empty or larger than 1 MB file is refused and nothing changes. The change is
    logged, and reaches the annotators with their next project bundle ('bundle export').
    An annotator's copy cannot set them: they come from the lead.
    """
    project = obj.project()
    if str(file) == STDIN:
        data = sys.stdin.buffer.read(MAX_GUIDELINES_BYTES + 1)
        action = intents.set_guidelines(project, data, "standard input")
    else:
        action = intents.set_guidelines(project, file)
    if action is not None:
        action.do(project)
    text = project.guidelines
    if as_json:
        emit_json({"changed": action is not None, "chars": len(text)})
    elif action is None:
        click.echo("The guidelines already are this text; nothing changed.")
    else:
        click.echo(f"Guidelines set: {len(text)} characters. They reach the annotators with their next project bundle.")


COMMANDS = (guidelines,)

"""``workbench-cli``: the project's core operations from the command line.

A thin layer: every command parses its options, calls ``workbench.core`` and
prints the result, as a table for people or as JSON (``--json``) for scripts.

This module holds the group: its global options (``--db``, ``--bidi``), the one
place where the core's user-facing errors become ``Error: ...`` and exit status 1,
and :func:`main`. The commands live in one module per concern and are added here.
"""

from __future__ import annotations

from pathlib import Path

import click

from workbench import __version__
from workbench.cli import (
    agreement,
    documents,
    export,
    gazetteer,
    guidelines,
    importing,
    project,
    report,
    spans,
    team,
    values,
)
from workbench.cli.context import Context
from workbench.cli.terminal import AUTO, LOGICAL, VISUAL
from workbench.core.errors import WorkbenchError
from workbench.core.paths import default_project_path
from workbench.core.store.project import user_error

EXIT_ERROR = 1


class WorkbenchGroup(click.Group):
    """Turns the core's user-facing errors into a message and exit status 1, no traceback.

    The one error handler of the command line: commands let :class:`WorkbenchError`
    (and its subclasses) rise. The database errors a user can meet (a damaged, read-only or
    full project file, a write lock held too long) become sentences too
    (:func:`~workbench.core.store.project.user_error`). Anything else escaping is a bug and
    keeps its traceback.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as exc:
            obj = ctx.obj if isinstance(ctx.obj, Context) else None
            error = user_error(obj.db_path, exc) if obj is not None else None
            if error is None:
                raise
            click.echo(f"Error: {error}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=WorkbenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="WORKBENCH_DB",
    default=None,
    help=f"Project file to use (env WORKBENCH_DB). Default: the user's default project, {default_project_path()}.",
)
@click.option(
    "--bidi",
    type=click.Choice([AUTO, VISUAL, LOGICAL]),
    default=AUTO,
    show_default=True,
    help="How Arabic is printed. 'visual' reshapes and reorders it for terminals that cannot "
    "(most Linux terminals, the Windows console); 'logical' prints the stored text. 'auto' is "
    "visual for a terminal and logical for a pipe or file (env WORKBENCH_BIDI sets the default).",
)
@click.version_option(__version__, prog_name="workbench-cli")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, bidi: str) -> None:
    """Annotate Arabic conflict news: manage a project's documents from the command line.

    A project is one SQLite file. Create one with 'init', add articles with
    'import', list them with 'docs' and read one with 'show'.
    """
    ctx.obj = Context(db or default_project_path(), bidi)
    ctx.call_on_close(ctx.obj.close)


for _module in (project, importing, documents, spans, values, gazetteer, guidelines, team, agreement, export, report):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="workbench-cli")

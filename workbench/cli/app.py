"""``workbench-cli``: the project's core operations from the command line.

A thin layer: every command parses its options, calls ``workbench.core`` and
prints the result, as a table for people or as JSON (``--json``) for scripts.

This module holds the group: its global options (``--db``, ``--bidi``), the one
place where the core's user-facing errors become ``Error: ...`` and exit status 1,
and :func:`main`. The commands live in one module per concern (``COMMANDS`` in each),
imported only when one of theirs runs (:class:`LazyGroup`): ``docs --json`` does not
pay for the agreement measures, the exporters or the value engines. ``--help`` lists
every command from :data:`COMMANDS` here, without importing them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from workbench import __version__
from workbench.cli.context import Context
from workbench.cli.terminal import AUTO, LOGICAL, VISUAL
from workbench.core.errors import WorkbenchError
from workbench.core.paths import default_project_path
from workbench.core.store.project import user_error

EXIT_ERROR = 1

# Every top-level command: the module of workbench.cli that defines it (in its COMMANDS) and
# the first sentence of its help, which `workbench-cli --help` shows (shortened as click
# shortens it). tests/test_cli_lazy.py checks both against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("project", "Create a new project file (refused if the file exists)."),
    "info": ("project", "Show the project's file, name, id, schema version, documents and annotators."),
    "user": ("project", "Show the project's current user, or set it to NAME (who is annotating in this copy)."),
    "labels": ("project", "The project's label schema."),
    "annotators": ("project", "The project's annotators."),
    "import": ("importing", "Import text files, folders of them (recursively), JSON Lines or CSV."),
    "docs": ("documents", "List the project's documents: id, title, characters, status."),
    "show": ("documents", "Print a document's stored text (exactly as stored when piped)."),
    "spans": ("spans", "List a document's spans in reading order: id, start, end, label, text, attributes."),
    "span": ("spans", "Create or delete one span (the same operations as the window)."),
    "status": ("spans", "Set a document's status for an annotator: done, in-progress or not-started."),
    "suggest": ("values", "Suggest spans with their values for a document (nothing is saved)."),
    "train": (
        "values",
        "Train the layer's suggestion model now, on its done documents, and print its own held-out figures.",
    ),
    "date": (
        "values",
        "Show or set a document's publication date (YYYY-MM-DD), the anchor of its relative dates"
        " (أمس، الخميس الماضي، العام الماضي).",
    ),
    "suggestions": (
        "values",
        "Switch the project's suggestions (and the values filled when tagging) on or off, or split them"
        " A/B to measure the time they save.",
    ),
    "gazetteer": ("gazetteer", "The project's gazetteer: canonical names of ACTORs and LOCATIONs."),
    "guidelines": ("guidelines", "The project's annotation guidelines, in Markdown."),
    "assign": ("team", "Assign documents: k annotators per document, balanced and reproducible, or by hand."),
    "progress": (
        "team",
        "Each annotator's assigned documents: not started, in progress, done; and adjudication: documents"
        " with complete gold, with incomplete gold (open clusters), without gold.",
    ),
    "bundle": ("team", "Move work between machines: project bundles out, work bundles back."),
    "agreement": (
        "agreement",
        "Inter-annotator agreement: span F1 (strict and relaxed), Krippendorff's alpha-U, token kappas.",
    ),
    "adjudicate": ("agreement", "Build the gold layer: --auto-unanimous accepts every span all annotators agree on."),
    "export": ("export", "Write a training set: the files, a data card (README.md) and manifest.json."),
    "report": ("report", "Reports on the team's work."),
}


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


class LazyGroup(WorkbenchGroup):
    """The top-level group: a command's module is imported when that command is asked for
    (:data:`COMMANDS` says which module), and the command list of ``--help`` is written from
    the table. ``commands`` (click's mapping, read by ``docs/make_guide.py`` and tests) imports
    them all."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        self._lazy = dict(lazy)
        self._loaded: dict[str, click.Command] = {}
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        for name in self._lazy:
            self._load(name)
        return self._loaded

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._loaded = dict(value)

    def _load(self, name: str) -> click.Command | None:
        if name not in self._loaded and name in self._lazy:
            module = importlib.import_module(f"workbench.cli.{self._lazy[name][0]}")
            for command in module.COMMANDS:
                if command.name in self._lazy:
                    self._loaded.setdefault(command.name, command)
        return self._loaded.get(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._lazy, *self._loaded})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self._loaded.get(name)
            if command is None:  # shortened as click shortens a command's help, nothing imported
                command = click.Command(name, help=self._lazy[name][1])
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> None:
    cli(prog_name="workbench-cli")

"""The command line loads a command's module only when that command runs (issue 16): the table
of ``cli/app.py`` names every command, its module and its short help, checked here against the
commands themselves; ``docs`` does not import the agreement measures, exporters or engines."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap

import click
import pytest
from click.testing import CliRunner

from workbench.cli import app
from workbench.cli.app import COMMANDS, cli
from workbench.core.importer import import_paths
from workbench.core.store.project import Project
from workbench.resources import sample_corpus_files

MODULES = sorted({module for module, _ in COMMANDS.values()})


def test_the_table_names_every_command_of_every_module_and_its_short_help():
    defined = {}
    for module in MODULES:
        for command in importlib.import_module(f"workbench.cli.{module}").COMMANDS:
            defined[command.name] = (module, command)
    assert set(defined) == set(COMMANDS)
    for name, (module, short) in COMMANDS.items():
        assert defined[name][0] == module
        command = defined[name][1]
        for limit in (20, 45, 60, 80, 120, 400):  # shortened alike, whatever the terminal's width
            assert click.Command(name, help=short).get_short_help_str(limit) == command.get_short_help_str(limit)


@pytest.mark.parametrize("width", ["60", "80", "200"])
def test_help_lists_every_command_as_the_commands_would(width):
    runner = CliRunner(env={"COLUMNS": width})
    lazy = runner.invoke(cli, ["--help"], terminal_width=int(width))
    eager = click.Group(
        name=cli.name,
        params=cli.params,
        callback=cli.callback,
        help=cli.help,
        commands=cli.commands,  # every module imported
        context_settings=cli.context_settings,
    )
    assert lazy.exit_code == 0
    assert lazy.output == runner.invoke(eager, ["--help"], terminal_width=int(width)).output
    for name in COMMANDS:
        assert f"  {name} " in lazy.output


def test_every_command_help_and_an_unknown_command():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"], prog_name="workbench-cli")
        assert result.exit_code == 0, (name, result.output)
        assert f"Usage: workbench-cli {name}" in result.output
    result = runner.invoke(cli, ["tag"])
    assert result.exit_code == 2 and "No such command 'tag'" in result.output


def test_errors_of_a_lazily_loaded_command_are_sentences(tmp_path):
    missing = tmp_path / "لا يوجد.wbproj"
    result = CliRunner().invoke(cli, ["--db", str(missing), "show", "nothing"])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    result = CliRunner().invoke(cli, ["--db", str(missing), "docs", "--json"])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output


def test_docs_imports_only_what_it_needs(tmp_path):
    path = tmp_path / "p.wbproj"
    with Project.create(path, name="lazy") as project:
        import_paths(project, list(sample_corpus_files()))
    script = textwrap.dedent(
        f"""
        import json, sys
        from workbench.cli.app import main
        sys.argv = ["workbench-cli", "--db", {str(path)!r}, "docs", "--json", "--annotator", "gold"]
        try:
            main()
        except SystemExit:
            pass
        heavy = ["workbench.cli.agreement", "workbench.cli.export", "workbench.cli.values",
                 "workbench.core.values.gazetteer", "workbench.core.suggestions", "workbench.core.importer"]
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)), file=sys.stderr)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
    assert len(json.loads(done.stdout)) == 5


def test_a_command_added_by_hand_is_listed_and_runs():
    group = app.LazyGroup(name="g", lazy={"docs": ("documents", COMMANDS["docs"][1])})

    @click.command(name="hello")
    def hello() -> None:
        """Say مرحبا."""
        click.echo("مرحبا")

    group.add_command(hello)
    assert group.list_commands(click.Context(group)) == ["docs", "hello"]
    assert CliRunner().invoke(group, ["hello"]).output == "مرحبا\n"

"""The user guide (docs/guide.md) keeps up with the app: shortcuts, commands, screenshots."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click

from workbench.cli import cli
from workbench.ui.commands import COMMANDS, shortcuts_markdown

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide.md"
TEXT = GUIDE.read_text(encoding="utf-8")


def block(name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", TEXT, re.S)
    assert match, f"the guide lacks the <!-- {name}:start --> ... <!-- {name}:end --> block"
    return match.group(1)


def walk(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from walk(sub, (*path, name))


def test_every_shortcut_of_the_app_is_in_the_guide():
    table = block("shortcuts")
    assert table == shortcuts_markdown(), "the shortcut table is stale: run python docs/make_guide.py"
    for command in COMMANDS:
        for keys in command.shortcuts:
            assert f"`{keys}`" in table, f"{keys} ({command.id}) is not in the guide"
    assert "1-4" in table and "Alt+1" in table  # label keys and adjudication keys


def test_every_cli_command_is_described_in_the_guide():
    reference = block("cli")
    missing = []
    for path, command in walk(cli):
        if not path:
            continue
        name = " ".join(path)
        if f"`{name}" not in TEXT:
            missing.append(name)
        if not isinstance(command, click.Group):
            assert f"| `{name}" in reference, f"{name} is not in the command reference: run python docs/make_guide.py"
    assert missing == [], f"commands not in docs/guide.md: {missing}"


def test_every_command_and_option_has_help():
    """`workbench-cli --help` and every subcommand's help are complete."""
    incomplete = []
    for path, command in walk(cli):
        name = " ".join(("workbench-cli", *path))
        if not (command.help or "").strip():
            incomplete.append(f"{name}: no help text")
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                incomplete.append(f"{name} {param.opts[-1]}: no help text")
    assert incomplete == []


def test_the_generated_blocks_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_guide.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_every_image_the_guide_shows_exists_in_english_and_arabic():
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", TEXT)
    assert images, "the guide has no screenshots"
    for image in images:
        assert (GUIDE.parent / image).is_file(), f"{image} is missing: run python docs/make_screenshots.py"
    english = {i for i in images if i.endswith("-en.png")}
    assert english and {i.replace("-en.png", "-ar.png") for i in english} <= set(images)

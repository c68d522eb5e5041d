"""Refresh the generated parts of docs/guide.md from the app itself.

    .venv/bin/python docs/make_guide.py          # rewrite the generated blocks
    .venv/bin/python docs/make_guide.py --check  # exit 1 if the guide is out of date

Two blocks are generated, each between its markers:

- the keyboard shortcuts (``<!-- shortcuts:start -->`` ... ``<!-- shortcuts:end -->``), from
  the window's own command table, :func:`workbench.ui.commands.shortcuts_markdown`;
- the command line reference (``<!-- cli:start -->`` ... ``<!-- cli:end -->``), from the
  ``workbench-cli`` click group: every command and subcommand with its usage and the first
  paragraph of its help.

Everything else in the guide is written by hand. The screenshots come from
docs/make_screenshots.py.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import click  # noqa: E402

from workbench.cli import cli  # noqa: E402
from workbench.ui.commands import shortcuts_markdown  # noqa: E402

GUIDE = ROOT / "docs" / "guide.md"


def walk(command: click.Command, path: tuple[str, ...] = ()):
    """Every command under ``command`` (itself first), with its path of names."""
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name], (*path, name))


def first_paragraph(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "").replace("\b\n", "").replace("\b", "")
    paragraph = text.split("\n\n")[0]
    return " ".join(paragraph.split())


def usage(path: tuple[str, ...], command: click.Command) -> str:
    context = click.Context(command, info_name=" ".join(path))
    pieces = command.collect_usage_pieces(context)
    return " ".join([*path, *pieces])


def cli_markdown() -> str:
    rows = ["| command | what it does |", "| --- | --- |"]
    for path, command in walk(cli):
        if not path or isinstance(command, click.Group):
            continue
        shown = usage(path, command).replace("|", "\\|")
        described = first_paragraph(command).replace("|", "\\|")
        rows.append(f"| `{shown}` | {described} |")
    return "\n".join(rows)


BLOCKS = {"shortcuts": shortcuts_markdown, "cli": cli_markdown}


def refreshed(text: str) -> str:
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{GUIDE}: the markers <!-- {name}:start --> / <!-- {name}:end --> are missing")
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    text = GUIDE.read_text(encoding="utf-8")
    new = refreshed(text)
    if "--check" in argv:
        if new != text:
            print(f"{GUIDE.relative_to(ROOT)} is out of date: run python docs/make_guide.py", file=sys.stderr)
            return 1
        return 0
    if new != text:
        GUIDE.write_text(new, encoding="utf-8")
        print(f"updated {GUIDE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

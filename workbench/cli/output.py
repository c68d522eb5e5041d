"""How commands print results: JSON for scripts, refused inputs on stderr, exit status 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import click

EXIT_REFUSED = 2  # the command ran, but some input was refused (and reported)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def print_refused(refused: Iterable[dict[str, Any]]) -> None:
    """One ``refused: PATH: REASON`` line on stderr for each refused input."""
    for item in refused:
        click.echo(f"refused: {item['path']}: {item['reason']}", err=True)


def exit_if_refused(refused: list[Any]) -> None:
    """Exit with :data:`EXIT_REFUSED` when anything was refused."""
    if refused:
        sys.exit(EXIT_REFUSED)

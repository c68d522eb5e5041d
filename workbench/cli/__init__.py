"""Command line: ``workbench-cli``."""

from workbench.cli.commands import cli, main

__all__ = ["cli", "main"]

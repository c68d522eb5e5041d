"""Command line: ``workbench-cli``."""

from workbench.cli.app import cli, main

__all__ = ["cli", "main"]

"""Command line: ``workbench-cli``."""

from .commands import cli, main

__all__ = ["cli", "main"]

"""The guard rails of pyproject.toml hold: ruff (lint and format), mypy on the core, import-linter.

Each check runs the tool installed next to this Python (the ``test`` extra pins them), from the
repository root, with the configuration in pyproject.toml; nothing is downloaded.
``.pre-commit-config.yaml`` runs the same four commands before a commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtual environment's bin (Scripts on Windows)


def run_tool(tool: str, *args: str) -> None:
    executable = BIN / (tool + (".exe" if sys.platform == "win32" else ""))
    if not executable.exists():
        pytest.fail(
            f"{tool} is not installed next to {sys.executable}: install the test extra (pip install -e '.[test]')"
        )
    result = subprocess.run(
        [str(executable), *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, f"`{tool} {' '.join(args)}` failed (exit {result.returncode}):\n{output}"


def test_ruff_lint():
    run_tool("ruff", "check", "--no-cache", ".")


def test_ruff_format():
    run_tool("ruff", "format", "--no-cache", "--check", ".")


def test_mypy_core(tmp_path):
    # files, strictness and the override list come from [tool.mypy]; a fresh cache keeps it honest
    run_tool("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))


def test_import_contracts():
    # the contracts of [tool.importlinter]: no Qt in core or cli, the layers, SQLite in the store only
    run_tool("lint-imports", "--no-cache")

"""Core logic has no Qt in it: importing every core module (and the CLI) loads no Qt."""

import pkgutil
import subprocess
import sys

import workbench.core


def test_core_and_cli_import_no_qt():
    modules = [f"workbench.core.{m.name}" for m in pkgutil.iter_modules(workbench.core.__path__)]
    assert len(modules) >= 8
    code = (
        "import importlib, sys\n"
        f"for name in {modules + ['workbench.cli', 'workbench.resources']!r}:\n"
        "    importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Qt imported by core: {result.stdout}"

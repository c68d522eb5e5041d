"""Core logic has no Qt in it: importing every core and CLI module, subpackages included, loads no Qt.

import-linter checks the imports written in the code (tests/test_guard_rails.py); this test
imports the modules for real, so an import made at run time (importlib, a plugin) is caught too.
"""

import pkgutil
import subprocess
import sys

import workbench.cli
import workbench.core

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _fail(name: str) -> None:
    # walk_packages imports each subpackage to walk it; by default it skips one that fails
    raise ImportError(f"{name} cannot be imported") from sys.exc_info()[1]


def every_module(package) -> list[str]:
    """The package and all its modules, in subpackages too (not ``__main__``: it runs the program)."""
    found = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.", onerror=_fail):
        if info.name.rpartition(".")[2] != "__main__":
            found.append(info.name)
    return found


def test_every_module_is_walked():
    core = every_module(workbench.core)
    assert "workbench.core.store.spans" in core  # a module of a subpackage
    assert "workbench.core.agreement.alpha_u" in core
    assert "workbench.core.text.fold" in core
    assert "workbench.cli.terminal" in every_module(workbench.cli)


def test_core_and_cli_import_no_qt():
    modules = every_module(workbench.core) + every_module(workbench.cli) + ["workbench.resources"]
    assert len(modules) > 60, modules  # every module of core and cli, not only the top level
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"qt = sorted(m for m in sys.modules if m.split('.')[0] in {QT!r})\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"importing the core and cli modules failed:\n{result.stderr}"
    assert result.stdout.strip() == "", f"Qt imported by core or cli: {result.stdout}"


def test_lazy_package_faces_resolve_every_name():
    """workbench.core.export and workbench.core.agreement load their modules on first use
    (start-up stays light); every name they list must still be there."""
    import importlib

    for package in ("workbench.core.export", "workbench.core.agreement"):
        module = importlib.import_module(package)
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{package}.{name}"
        try:
            module.no_such_name  # noqa: B018
        except AttributeError:
            pass
        else:  # pragma: no cover
            raise AssertionError(f"{package} invents attributes")

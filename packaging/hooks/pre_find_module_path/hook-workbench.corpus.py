"""workbench.corpus lives in corpus/ at the top of the checkout (pyproject.toml maps it with
[tool.setuptools.package-dir]); PyInstaller looks for it in workbench/ and would miss it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def pre_find_module_path(api):
    api.search_dirs = [str(ROOT)]

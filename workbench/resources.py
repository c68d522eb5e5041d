"""The one place that finds files shipped inside the package (icons, styles, sample corpus).

Everything goes through :func:`importlib.resources`, so it works from a source
checkout, an installed wheel and a frozen bundle alike.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(package: str, *parts: str) -> Path:
    """Filesystem path of a resource shipped in ``workbench.<package>``.

    Qt needs real paths (fonts, icons), and every way this package is installed
    (source tree, wheel, PyInstaller folder) keeps resources as real files.
    """
    root = resources.files(f"workbench.{package}")
    return Path(str(root.joinpath(*parts)))


def sample_corpus_files() -> list[Path]:
    """The bundled sample articles, in file-name order."""
    root = resource_path("corpus")
    return sorted(p for p in root.iterdir() if p.suffix == ".txt")

"""How this copy of Workbench was installed, and how to add an optional extra to it.

There are three ways, told apart in one place, :func:`installation`:

- ``FROZEN``: the desktop bundle (PyInstaller sets ``sys.frozen``). It has no pip: an extra is
  either inside the bundle or not in this build.
- ``CHECKOUT``: the package is imported from a git checkout that has ``scripts/bootstrap.sh``
  (an editable install, or ``python -m workbench`` in the tree). ``bootstrap.sh`` installs every
  extra into the checkout's ``.venv``.
- ``PIP``: installed from a wheel or an sdist under the distribution name :data:`DISTRIBUTION`.
  The import package and the commands are ``workbench`` and ``workbench-cli``, but the
  distribution is not called ``workbench``: on PyPI that name is an unrelated project, and
  ``pip install workbench[spacy]`` would install it.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

# The name on PyPI (pyproject.toml's [project] name); tests/test_packaging.py checks they agree.
DISTRIBUTION = "arabic-annotation-workbench"

# The optional extras of pyproject.toml and what each one brings (tests/test_packaging.py checks
# that every extra but the bundle's and the tests' is here).
EXTRAS = {
    "spacy": "spaCy",
    "hf": "Hugging Face datasets",
    "xmi": "dkpro-cassis",
}


class Installation(StrEnum):
    FROZEN = "frozen"
    CHECKOUT = "checkout"
    PIP = "pip"


def _package_dir() -> Path:
    return Path(__file__).resolve().parents[1]  # .../workbench


def checkout_root(package_dir: Path | None = None) -> Path | None:
    """The git checkout the ``workbench`` package is imported from, or ``None``."""
    root = (package_dir or _package_dir()).resolve().parent
    if (root / ".git").exists() and (root / "scripts" / "bootstrap.sh").is_file():
        return root
    return None


def installation(*, frozen: bool | None = None, package_dir: Path | None = None) -> Installation:
    """How this copy was installed: the desktop bundle, a source checkout, or pip.

    ``frozen`` and ``package_dir`` stand in for ``sys.frozen`` and the package's folder (tests).
    """
    if frozen is None:
        frozen = bool(getattr(sys, "frozen", False))
    if frozen:
        return Installation.FROZEN
    if checkout_root(package_dir) is not None:
        return Installation.CHECKOUT
    return Installation.PIP


def pip_requirement(extra: str) -> str:
    """``arabic-annotation-workbench[EXTRA]``, quoted for the shell (zsh reads brackets)."""
    return f"'{DISTRIBUTION}[{extra}]'"


def extra_hint(extra: str, *, how: Installation | None = None, package_dir: Path | None = None) -> str:
    """How to get ``extra`` for this installation: the end of a sentence that said what is missing.

    >>> extra_hint("spacy", how=Installation.PIP)
    "install it with: pip install 'arabic-annotation-workbench[spacy]'"
    """
    if extra not in EXTRAS:
        raise ValueError(f"no optional extra named {extra!r}; the extras are {', '.join(EXTRAS)}")
    how = how or installation(package_dir=package_dir)
    if how is Installation.FROZEN:
        return (
            "this build of the desktop app does not include it; for this, use Workbench installed with "
            f"Python: pip install {pip_requirement(extra)}"
        )
    if how is Installation.CHECKOUT:
        root = checkout_root(package_dir)
        return (
            f"install it by starting the app with bash scripts/bootstrap.sh in {root} "
            f"(it installs every extra into .venv), or with: pip install -e '{root}[{extra}]'"
        )
    return f"install it with: pip install {pip_requirement(extra)}"

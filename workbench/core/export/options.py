"""What an export is asked to do, what it reports, and its errors.

The formats and boundary policies themselves are in :mod:`.formats`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.export.formats import BOUNDARIES, DEFAULT_BOUNDARY, FORMATS
from workbench.core.install import extra_hint

# Names only, in registry order (see .formats for what each one is).
BOUNDARY_POLICIES: tuple[str, ...] = tuple(BOUNDARIES)
TOKEN_FORMATS: tuple[str, ...] = tuple(name for name, info in FORMATS.items() if info.tokens)


class ExportError(WorkbenchError, ValueError):
    """An export that cannot be made as asked; nothing was written.

    Also a ``ValueError``, so that option parsing (``parse_split``) can be caught as one.
    """


# The form writers used before the distribution was renamed ("...; install it with: pip install
# workbench[spacy]"): the name on PyPI is not "workbench", so the end is rewritten for the way
# this copy was installed (see workbench.core.install).
_OLD_HINT = re.compile(r"install it with: pip install workbench\[(\w+)\]$")


class MissingExtra(ExportError):
    """The format needs an optional package that is not installed.

    Made with :meth:`needs`, the message ends with what to do for this installation: the pip
    command with the real distribution name, the checkout's bootstrap script, or, in the desktop
    bundle (no pip), that this build does not include the format.
    """

    def __init__(self, message: str, extra: str | None = None) -> None:
        old = _OLD_HINT.search(message)
        if extra is None and old is not None:
            extra = old.group(1)
            message = message[: old.start()] + extra_hint(extra)
        super().__init__(message)
        self.extra = extra

    @classmethod
    def needs(cls, what: str, extra: str) -> MissingExtra:
        """``what`` ("the spaCy format needs spaCy") is not installed; say how to get ``extra``."""
        return cls(f"{what}, which is not installed; {extra_hint(extra)}", extra)


class ExportCancelled(ExportError):
    """The export was cancelled; nothing was written and the output folder is as it was."""


@dataclass
class ExportOptions:
    format: str
    source: str = "gold"
    split: tuple[int, ...] = (80, 10, 10)
    seed: int = 0
    boundary: str = DEFAULT_BOUNDARY
    stratify: bool = False


@dataclass
class ExportReport:
    out_dir: Path
    documents: dict[str, int]  # split -> documents
    spans: dict[str, int]  # split -> spans written (entities, for the token formats)
    files: dict[str, str]  # relative path (with /) -> SHA-256 of every file written
    counts: dict[str, Any] = field(default_factory=dict)  # boundary policy, nested spans, ...
    notes: list[str] = field(default_factory=list)  # e.g. documents with incomplete gold left out
    # the data card's agreement figures: as of which change, computed when and in how long, and
    # whether this export read them back from the project (``from_cache``); empty if they failed
    agreement: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "out_dir": str(self.out_dir),
            "documents": dict(self.documents),
            "spans": dict(self.spans),
            "files": dict(self.files),
            "counts": dict(self.counts),
            "notes": list(self.notes),
            "agreement_figures": dict(self.agreement),
        }

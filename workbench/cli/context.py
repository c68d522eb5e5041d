"""What every command works with: the project named by ``--db``, the bidi mode, and the
arguments several commands resolve the same way (an annotator's layer, a document, a list)."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.cli.terminal import use_visual, visual_line
from workbench.core.errors import InvalidInput, NotFound
from workbench.core.store import documents
from workbench.core.store.annotators import check_layer
from workbench.core.store.project import GOLD, Project


class Context:
    """The group's options, handed to every command (``click.pass_obj``); opens the project once."""

    def __init__(self, db: Path, bidi: str):
        self.db_path = db
        self.bidi = bidi
        self._project: Project | None = None

    def project(self, *, reading: bool = False) -> Project:
        """The project at ``--db``. A command that only reads passes ``reading=True`` and
        skips the whole-file damage check (``PRAGMA quick_check``: about half a second
        on a 400 MB project); damage its statements meet is still reported in words, and
        every command that writes checks the file first."""
        if self._project is None:
            self._project = Project.open(self.db_path, check=not reading)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()

    def shown(self, text: str) -> str:
        """A line for stdout: reordered for a terminal that cannot shape Arabic."""
        return visual_line(text) if use_visual(sys.stdout, self.bidi) else text


def layer_of(project: Project, name: str | None) -> str:
    """The layer to work on: ``--annotator`` (a human annotator of the project, or ``gold``),
    else the project's current user."""
    if name is None:
        if not project.current_annotator:
            raise InvalidInput(
                "no annotator given and the project has no current user; "
                "pass --annotator NAME or set one with 'workbench-cli user NAME'"
            )
        return project.current_annotator
    name = check_layer(name)
    if name != GOLD and name not in project.annotators():
        raise InvalidInput(
            f"{name!r} is not an annotator of this project; add them with 'workbench-cli annotators add {name}'"
        )
    return name


def document_of(project: Project, doc_id: str) -> documents.Document:
    """The document ``doc_id``, or :class:`NotFound` with a sentence."""
    document = documents.get(project.db, doc_id)
    if document is None:
        raise NotFound(f"there is no document {doc_id!r} in this project (see 'docs')")
    return document


def split_list(value: str) -> list[str]:
    """A comma-separated option as a list, blanks dropped."""
    return [part.strip() for part in value.split(",") if part.strip()]

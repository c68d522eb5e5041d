"""User actions as undoable commands: each ``do`` and each ``undo`` is one transaction.

The window wraps these in a ``QUndoStack``; the command line and the tests call
them directly. Both ways run the same code, write the same rows and log the
same changes, and an action either commits whole or leaves the project as it
was (an exception rolls its transaction back).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workbench.core.store import documents, spans, status
from workbench.core.store.project import Project
from workbench.core.store.spans import Span, SpanError


class Action:
    """Base: ``text`` names the action for the Edit menu ("Undo Add ACTOR")."""

    text = ""

    def document(self) -> str | None:
        """The document this action changes (the window follows it on undo and redo)."""
        if getattr(self, "doc_id", None):
            return self.doc_id
        span = getattr(self, "span", None) or getattr(self, "before", None)
        return span.doc_id if span is not None else None

    def do(self, project: Project) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def undo(self, project: Project) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def _document_text(project: Project, doc_id: str) -> str:
    row = project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise SpanError(f"there is no document {doc_id!r} in this project")
    return row[0]


class CreateSpan(Action):
    """Add a span. Starting work on a document also marks it in progress (and undo reverts that)."""

    def __init__(self, span: Span, actor: str | None = None):
        self.span = span
        self.actor = actor or span.annotator
        self.text = f"Add {span.label}"
        self._previous_status: str | None = None

    def do(self, project: Project) -> None:
        text = _document_text(project, self.span.doc_id)
        checked = spans.check(text, project.labels(), self.span)
        known = project.db.execute("SELECT 1 FROM annotators WHERE name = ?", [self.span.annotator]).fetchone()
        if known is None:
            raise SpanError(f"{self.span.annotator!r} is not an annotator of this project")
        with project.transaction() as db:
            self.span = spans.insert(db, checked, self.actor)
            previous = status.get(db, self.span.doc_id, self.span.annotator)
            if previous == status.NOT_STARTED:
                status.set_status(db, self.span.doc_id, self.span.annotator, status.IN_PROGRESS, self.actor)
                self._previous_status = previous

    def undo(self, project: Project) -> None:
        with project.transaction() as db:
            spans.delete(db, self.span.id, self.actor)
            if self._previous_status is not None:
                status.set_status(db, self.span.doc_id, self.span.annotator, self._previous_status, self.actor)
                self._previous_status = None


class DeleteSpan(Action):
    def __init__(self, span: Span, actor: str | None = None):
        self.span = span
        self.actor = actor or span.annotator
        self.text = f"Delete {span.label}"

    def do(self, project: Project) -> None:
        with project.transaction() as db:
            self.span = spans.delete(db, self.span.id, self.actor)

    def undo(self, project: Project) -> None:
        with project.transaction() as db:
            spans.insert(db, self.span, self.actor)


class EditSpan(Action):
    """Change a span's edges, label, attributes, note or unsure flag."""

    EDGES = ("start", "end")

    def __init__(self, before: Span, actor: str | None = None, text: str = "", **changes: Any):
        unknown = set(changes) - {"start", "end", "label", "attributes", "note", "unsure"}
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a span")
        self.before = before
        self.after = replace(before, **changes)
        self.actor = actor or before.annotator
        self.text = text or self._describe(changes)

    @staticmethod
    def _describe(changes: dict[str, Any]) -> str:
        if set(changes) <= {"start", "end"}:
            return "Adjust span"
        if "label" in changes:
            return f"Relabel as {changes['label']}"
        return "Edit " + ", ".join(sorted(changes))

    def do(self, project: Project) -> None:
        text = _document_text(project, self.after.doc_id)
        self.after = spans.check(text, project.labels(), self.after)
        with project.transaction() as db:
            self.after = spans.update(db, self.before, self.after, self.actor)

    def undo(self, project: Project) -> None:
        with project.transaction() as db:
            self.before = spans.update(db, self.after, self.before, self.actor)

    def merge(self, other: EditSpan) -> bool:
        """Fold a following edge nudge of the same span into this one (one undo step)."""
        if other.before.id != self.after.id or not (self.text == other.text == "Adjust span"):
            return False
        self.after = other.after
        return True


class SetStatus(Action):
    def __init__(self, doc_id: str, annotator: str, new_status: str, actor: str | None = None):
        if new_status not in documents.STATUSES:
            raise ValueError(f"status must be one of {', '.join(documents.STATUSES)}, not {new_status!r}")
        self.doc_id = doc_id
        self.annotator = annotator
        self.new_status = new_status
        self.actor = actor or annotator
        self.previous: str | None = None
        self.text = {"done": "Mark done", "in-progress": "Mark in progress"}.get(new_status, "Mark not started")

    def do(self, project: Project) -> None:
        _document_text(project, self.doc_id)
        with project.transaction() as db:
            self.previous = status.set_status(db, self.doc_id, self.annotator, self.new_status, self.actor)

    def undo(self, project: Project) -> None:
        with project.transaction() as db:
            status.set_status(db, self.doc_id, self.annotator, self.previous or status.NOT_STARTED, self.actor)

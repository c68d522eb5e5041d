"""User actions as undoable commands: each ``do`` and each ``undo`` is one transaction.

The window runs these through its undo stack; the command line and the tests
call them directly. Both ways run the same code, write the same rows and log
the same changes, and an action either commits whole or leaves the project as
it was (an exception rolls its transaction back).

``do`` and ``undo`` return a :class:`Change`: what they changed, so that every
view can refresh itself from one signal instead of guessing from the action's
type. Which action answers which user intent is decided in
:mod:`workbench.core.intents`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.errors import InvalidInput
from workbench.core.store import annotators, changelog, documents, spans, status
from workbench.core.store import labels as label_store
from workbench.core.store.labels import Attribute
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span, SpanError


@dataclass(frozen=True)
class Change:
    """What one ``do`` or ``undo`` changed in the project.

    ``added``, ``removed`` and ``updated`` hold spans as they now are (``removed``:
    as they were); ``statuses`` the ``(doc_id, annotator)`` pairs whose status
    changed; ``gold`` is true when the gold layer or its provenance changed; ``labels`` names the
    labels whose definition changed (an attribute added or taken back).
    """

    doc_ids: tuple[str, ...] = ()
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    updated: tuple[Span, ...] = ()
    statuses: tuple[tuple[str, str], ...] = ()
    gold: bool = False
    labels: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def doc_id(self) -> str | None:
        """The (first) document changed: the one a window follows on undo and redo."""
        return self.doc_ids[0] if self.doc_ids else None

    @property
    def spans_changed(self) -> bool:
        return bool(self.added or self.removed or self.updated)

    def __or__(self, other: Change) -> Change:
        return Change(
            tuple(dict.fromkeys(self.doc_ids + other.doc_ids)),
            self.added + other.added,
            self.removed + other.removed,
            self.updated + other.updated,
            tuple(dict.fromkeys(self.statuses + other.statuses)),
            self.gold or other.gold,
            tuple(dict.fromkeys(self.labels + other.labels)),
            {**self.extra, **other.extra},
        )

    @classmethod
    def of_spans(
        cls, added: tuple[Span, ...] = (), removed: tuple[Span, ...] = (), updated: tuple[Span, ...] = ()
    ) -> Change:
        every = added + removed + updated
        return cls(
            tuple(dict.fromkeys(s.doc_id for s in every)),
            added,
            removed,
            updated,
            gold=any(s.annotator == GOLD for s in every),
        )


class Action:
    """Base: ``text`` names the action for the Edit menu ("Undo Add ACTOR")."""

    text = ""

    def document(self) -> str | None:
        """The document this action changes (the window follows it on undo and redo)."""
        doc_id = getattr(self, "doc_id", None)
        if doc_id:
            return str(doc_id)
        span = getattr(self, "span", None) or getattr(self, "before", None)
        return span.doc_id if span is not None else None

    def do(self, project: Project) -> Change:  # pragma: no cover - interface
        raise NotImplementedError

    def undo(self, project: Project) -> Change:  # pragma: no cover - interface
        raise NotImplementedError


def _document_text(project: Project, doc_id: str) -> str:
    document = documents.get(project.db, doc_id)
    if document is None:
        raise SpanError(f"there is no document {doc_id!r} in this project")
    return document.text


class CreateSpan(Action):
    """Add a span. Starting work on a document also marks it in progress (and undo reverts that)."""

    def __init__(self, span: Span, actor: str | None = None):
        self.span = span
        self.actor = actor or span.annotator
        self.text = f"Add {span.label}"
        self._previous_status: str | None = None

    def do(self, project: Project) -> Change:
        text = _document_text(project, self.span.doc_id)
        checked = spans.check(text, project.labels(), self.span)
        if not annotators.exists(project.db, self.span.annotator):
            raise SpanError(f"{self.span.annotator!r} is not an annotator of this project")
        statuses: tuple[tuple[str, str], ...] = ()
        with project.transaction() as db:
            # In the write transaction: two processes tagging the same text cannot both add it.
            spans.refuse_duplicate(db, checked)
            self.span = spans.insert(db, checked, self.actor)
            previous = status.get(db, self.span.doc_id, self.span.annotator)
            if previous == status.NOT_STARTED:
                status.set_status(db, self.span.doc_id, self.span.annotator, status.IN_PROGRESS, self.actor)
                self._previous_status = previous
                statuses = ((self.span.doc_id, self.span.annotator),)
        return replace(Change.of_spans(added=(self.span,)), statuses=statuses)

    def undo(self, project: Project) -> Change:
        statuses: tuple[tuple[str, str], ...] = ()
        with project.transaction() as db:
            removed = spans.delete(db, self.span.id, self.actor)
            if self._previous_status is not None:
                status.set_status(db, self.span.doc_id, self.span.annotator, self._previous_status, self.actor)
                self._previous_status = None
                statuses = ((self.span.doc_id, self.span.annotator),)
        return replace(Change.of_spans(removed=(removed,)), statuses=statuses)


class DeleteSpan(Action):
    """Delete a span; the change log keeps it, and undo brings it back under its id."""

    def __init__(self, span: Span, actor: str | None = None):
        self.span = span
        self.actor = actor or span.annotator
        self.text = f"Delete {span.label}"

    def do(self, project: Project) -> Change:
        with project.transaction() as db:
            self.span = spans.delete(db, self.span.id, self.actor)
        return Change.of_spans(removed=(self.span,))

    def undo(self, project: Project) -> Change:
        with project.transaction() as db:
            restored = spans.insert(db, self.span, self.actor)
        return Change.of_spans(added=(restored,))


class EditSpan(Action):
    """Change a span's edges, label, attributes, note or unsure flag."""

    EDGES = ("start", "end")
    FIELDS = frozenset({"start", "end", "label", "attributes", "note", "unsure"})

    def __init__(self, before: Span, actor: str | None = None, text: str = "", **changes: Any):
        unknown = set(changes) - self.FIELDS
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a span")
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

    def do(self, project: Project) -> Change:
        text = _document_text(project, self.after.doc_id)
        self.after = spans.check(text, project.labels(), self.after)
        with project.transaction() as db:
            spans.refuse_duplicate(db, self.after)  # an edit must not make it a copy of another span
            self.after = spans.update(db, self.before, self.after, self.actor)
        return Change.of_spans(updated=(self.after,))

    def undo(self, project: Project) -> Change:
        with project.transaction() as db:
            self.before = spans.update(db, self.after, self.before, self.actor)
        return Change.of_spans(updated=(self.before,))

    def merge(self, other: EditSpan) -> bool:
        """Fold a following edge nudge of the same span into this one (one undo step)."""
        if other.before.id != self.after.id or not (self.text == other.text == "Adjust span"):
            return False
        self.after = other.after
        return True


class SetStatus(Action):
    """Set one annotator's status of a document (not started, in progress, done)."""

    TEXT = {status.DONE: "Mark done", status.IN_PROGRESS: "Mark in progress", status.NOT_STARTED: "Mark not started"}

    def __init__(self, doc_id: str, annotator: str, new_status: str, actor: str | None = None):
        status.check(new_status)
        self.doc_id = doc_id
        self.annotator = annotator
        self.new_status = new_status
        self.actor = actor or annotator
        self.previous: str | None = None
        self.text = self.TEXT[new_status]

    def _change(self) -> Change:
        return Change((self.doc_id,), statuses=((self.doc_id, self.annotator),), gold=self.annotator == GOLD)

    def do(self, project: Project) -> Change:
        _document_text(project, self.doc_id)
        with project.transaction() as db:
            self.previous = status.set_status(db, self.doc_id, self.annotator, self.new_status, self.actor)
        return self._change()

    def undo(self, project: Project) -> Change:
        with project.transaction() as db:
            status.set_status(db, self.doc_id, self.annotator, self.previous or status.NOT_STARTED, self.actor)
        return self._change()


class AddAttribute(Action):
    """Add an attribute definition to a label of the schema (logged in the change log). Undo
    takes it out again, refused while a span holds a value of it."""

    def __init__(self, label: str, attribute: Attribute, actor: str):
        self.label = label
        self.attribute = attribute
        self.actor = actor
        self.text = f"Add attribute {label}.{attribute.name}"

    def _entry(self) -> dict[str, Any]:
        return {"label": self.label, "attribute": self.attribute.to_json()}

    def do(self, project: Project) -> Change:
        with project.transaction() as db:
            label_store.add_attribute(db, self.label, self.attribute)
            changelog.record(db, "label.attribute.add", self.actor, after=self._entry())
        return Change(labels=(self.label,))

    def undo(self, project: Project) -> Change:
        name = f"{self.label}.{self.attribute.name}"
        with project.transaction() as db:
            held = spans.count_with_attribute(db, self.label, self.attribute.name)
            if held:
                raise InvalidInput(
                    f"cannot take {name} back: "
                    + (f"1 span has a value of {name}" if held == 1 else f"{held} spans have values of {name}")
                    + "; clear those values first"
                )
            label_store.remove_attribute(db, self.label, self.attribute.name)
            changelog.record(db, "label.attribute.remove", self.actor, before=self._entry())
        return Change(labels=(self.label,))

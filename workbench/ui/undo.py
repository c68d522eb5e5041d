"""The bridge between the core's undoable actions and Qt's undo stack."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.core.actions import Action, EditSpan
from workbench.core.errors import WorkbenchError
from workbench.core.store.project import Project


class ActionCommand(QUndoCommand):
    """Wraps a core :class:`Action` that has already been done once.

    ``after`` is called with the action after every redo and undo so the window
    can show the new state; ``failed`` with the error if the database refused
    (for example, a span another window deleted) - the command then becomes
    obsolete and leaves the stack.
    """

    def __init__(
        self,
        project: Project,
        action: Action,
        after: Callable[[Action], None],
        failed: Callable[[Exception], None],
    ):
        super().__init__(action.text)
        self.project = project
        self.action = action
        self._after = after
        self._failed = failed
        self._done = True  # pushed after the action ran: the first redo() does nothing

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self.action.do)

    def undo(self) -> None:
        self._run(self.action.undo)

    def _run(self, step) -> None:
        try:
            step(self.project)
        except WorkbenchError as exc:
            self.setObsolete(True)
            self._failed(exc)
            return
        self._after(self.action)

    def id(self) -> int:
        return 1 if isinstance(self.action, EditSpan) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        return (
            isinstance(other, ActionCommand)
            and isinstance(self.action, EditSpan)
            and isinstance(other.action, EditSpan)
            and self.action.merge(other.action)
        )

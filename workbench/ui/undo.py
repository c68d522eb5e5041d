"""The bridge between the core's undoable actions and Qt's undo stack.

An :class:`ActionCommand` is the Qt idiom for one core action: the stack calls
its ``redo()`` when it is pushed (that runs ``Action.do``) and again on redo,
and its ``undo()`` on undo. Each step hands the :class:`~workbench.core.actions.Change`
it returned to ``changed``; a step the project refuses hands the error to
``failed`` and makes the command obsolete, so the stack drops it and stays usable.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.core.actions import Action, Change, EditSpan
from workbench.core.store.project import Project

EDGE_NUDGE_ID = 1  # commands with this id may merge (consecutive edge nudges of one span)


class ActionCommand(QUndoCommand):
    """Runs a core :class:`Action` on the stack's ``redo()`` / ``undo()``.

    ``changed`` is called with the :class:`Change` of every step that went through;
    ``failed`` with the exception of a step that failed (a :class:`WorkbenchError`
    when the database refused it, for example undoing the deletion of a span another
    window deleted again): the command then becomes obsolete and leaves the stack,
    which stays usable.
    """

    def __init__(
        self,
        project: Project,
        action: Action,
        changed: Callable[[Change], None],
        failed: Callable[[BaseException], None],
    ):
        super().__init__(action.text)
        self.project = project
        self.action = action
        self._changed = changed
        self._failed = failed

    def redo(self) -> None:
        self._run(self.action.do)

    def undo(self) -> None:
        self._run(self.action.undo)

    def _run(self, step: Callable[[Project], Change]) -> None:
        try:
            change = step(self.project)
        except Exception as exc:  # (an exception must not cross Qt's virtual call)
            self.setObsolete(True)
            self._failed(exc)
            return
        self._changed(change if isinstance(change, Change) else Change())

    def id(self) -> int:
        return EDGE_NUDGE_ID if isinstance(self.action, EditSpan) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        return (
            isinstance(other, ActionCommand)
            and not other.isObsolete()
            and isinstance(self.action, EditSpan)
            and isinstance(other.action, EditSpan)
            and self.action.merge(other.action)
        )

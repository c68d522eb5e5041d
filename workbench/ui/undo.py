"""The bridge between the core's undoable actions and Qt's undo stack.

An :class:`ActionCommand` is the Qt idiom for one core action: the stack calls
its ``redo()`` when it is pushed (that runs ``Action.do``) and again on redo,
and its ``undo()`` on undo. Each step hands the :class:`~workbench.core.actions.Change`
it returned to ``changed``; a step the project refuses hands the error to
``failed``. What happens to the command then depends on why:

- the first ``do`` failed, or the project refuses the step for good (a
  :class:`WorkbenchError` about the project's content, for example undoing the
  deletion of a span another window deleted again): the command becomes obsolete
  and leaves the stack, which stays usable;
- the project could not be written just now (another program held the write lock
  past the busy timeout, a full disk, a read-only or damaged file: a
  :class:`~workbench.core.errors.ProjectError`), or an unexpected error: nothing was
  written (the step's transaction rolled back), so the command stays where it was
  and :attr:`ActionCommand.failed_step` asks the runner to put the stack's index
  back (Qt has already moved it); the step can be tried again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.core.actions import Action, Change, EditSpan
from workbench.core.errors import ProjectError, WorkbenchError
from workbench.core.store.project import Project

EDGE_NUDGE_ID = 1  # commands with this id may merge (consecutive edge nudges of one span)


class ActionCommand(QUndoCommand):
    """Runs a core :class:`Action` on the stack's ``redo()`` / ``undo()`` (see the module doc).

    ``changed`` is called with the :class:`Change` of every step that went through;
    ``failed`` with the exception of a step that failed.
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
        self._pushed = False  # the first do() went through
        self.failed_step = False  # a later step failed: the runner puts the stack's index back
        self.skip_next = False  # the runner's index repair calls the opposite step: do nothing then

    def redo(self) -> None:
        if self.skip_next:
            self.skip_next = False
            return
        self._run(self.action.do, first=not self._pushed)
        self._pushed = self._pushed or not self.isObsolete()

    def undo(self) -> None:
        if self.skip_next:
            self.skip_next = False
            return
        self._run(self.action.undo, first=False)

    def _run(self, step: Callable[[Project], Change], *, first: bool) -> None:
        try:
            change = step(self.project)
        except Exception as exc:  # (an exception must not cross Qt's virtual call)
            if first or (isinstance(exc, WorkbenchError) and not isinstance(exc, ProjectError)):
                self.setObsolete(True)
            else:
                self.failed_step = True
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

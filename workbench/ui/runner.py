"""The one place the window runs core actions, and the one signal of what they changed.

:meth:`ActionRunner.run` pushes an action onto the undo stack, whose ``redo()``
runs ``Action.do`` (the Qt idiom); undo and redo go through the same stack. After
every step that went through, :attr:`ActionRunner.changed` carries the
:class:`~workbench.core.actions.Change` the action returned; each view and panel
subscribes and refreshes itself from it (no one asks what kind of action it was).
A step the project refuses is reported on :attr:`ActionRunner.refused`; the
command leaves the stack and the stack stays usable.

There is one runner per undo stack (:meth:`ActionRunner.for_stack`): the session
keeps its stack when it rebuilds the window (a language change), and the commands
on it keep reporting to the runner, whichever window listens now.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from workbench.core.actions import Action, Change
from workbench.core.errors import WorkbenchError
from workbench.core.store.project import Project
from workbench.ui.undo import ActionCommand


class ActionRunner(QObject):
    changed = Signal(object)  # a Change: after do, undo and redo
    refused = Signal(object)  # a WorkbenchError: the project refused the step; nothing changed

    def __init__(self, project: Project, stack: QUndoStack):
        super().__init__(stack)  # lives as long as the stack
        self.setObjectName("actionRunner")
        self.project = project
        self.stack = stack
        self._pushing: list[BaseException] | None = None  # failures of the do() being pushed
        self._last: Change | None = None

    @classmethod
    def for_stack(cls, project: Project, stack: QUndoStack) -> ActionRunner:
        """The runner of ``stack`` (made on first use)."""
        for child in stack.children():
            if isinstance(child, cls) and child.project is project:
                return child
        return cls(project, stack)

    def run(self, action: Action | None) -> Change | None:
        """Do ``action`` (one transaction) through the undo stack and return what it changed;
        ``None`` when there is no action or the project refused it (``refused`` says why)."""
        if action is None:
            return None
        self._last = None
        self._pushing = []
        try:
            # push() calls redo() -> action.do(); a command that failed is obsolete and dropped
            # (Qt then also drops the redo history, as after any new action).
            self.stack.push(ActionCommand(self.project, action, self._done, self._failed))
        finally:
            failures, self._pushing = self._pushing, None
        for exc in failures:
            if not isinstance(exc, WorkbenchError):
                raise exc  # a bug, not a refusal: let the app's error handler show it
        return None if failures else self._last

    def _done(self, change: Change) -> None:
        self._last = change
        self.changed.emit(change)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, WorkbenchError):
            self.refused.emit(exc)
        elif self._pushing is not None:
            self._pushing.append(exc)
        else:  # an undo or redo hit a bug: show it like any other unexpected error
            sys.excepthook(type(exc), exc, exc.__traceback__)

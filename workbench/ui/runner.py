"""The one place the window runs core actions, and the one signal of what they changed.

:meth:`ActionRunner.run` pushes an action onto the undo stack, whose ``redo()``
runs ``Action.do`` (the Qt idiom); undo and redo go through the same stack. After
every step that went through, :attr:`ActionRunner.changed` carries the
:class:`~workbench.core.actions.Change` the action returned; each view and panel
subscribes and refreshes itself from it (no one asks what kind of action it was).
A step the project refuses is reported on :attr:`ActionRunner.refused` (a sentence for the
status bar, never a crash dialog) and changes nothing: a refused action leaves the stack, a
refused undo or redo leaves the stack where it was (see :mod:`workbench.ui.undo`). A
read-only or damaged project refuses every action before it runs. On a full disk the runner
says so once and stays quiet until an action goes through again (editing is paused until
there is room; nothing confirmed is lost, the refused action is simply not saved).

There is one runner per undo stack (:meth:`ActionRunner.for_stack`): the session
keeps its stack when it rebuilds the window (a language change), and the commands
on it keep reporting to the runner, whichever window listens now.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QUndoStack

from workbench.core.actions import Action, Change
from workbench.core.errors import WorkbenchError
from workbench.core.store.project import DiskFull, Project
from workbench.ui.undo import ActionCommand


def write_notice(project: Project) -> tuple[str, str] | None:
    """Why the window cannot edit ``project``: a short word for its title and a sentence for its
    status bar; ``None`` when it can."""
    if project.damage is not None:
        return (
            QCoreApplication.translate("MainWindow", "damaged, read-only"),
            QCoreApplication.translate(
                "MainWindow",
                "This project file is damaged: it is open for reading only. Try an edit to see the ways out.",
            ),
        )
    if project.read_only is not None:
        return (
            QCoreApplication.translate("MainWindow", "read-only"),
            QCoreApplication.translate("MainWindow", "Read-only: %1. Editing is disabled.").replace(
                "%1", project.read_only
            ),
        )
    return None


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
        self.paused: DiskFull | None = None  # the disk is full: said once, until a step goes through
        self._repair = False  # a step failed: its command may ask for the index to be put back
        stack.indexChanged.connect(self._put_back_failed_step)

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
        try:
            self.project.check_writable()  # a read-only or damaged project: say why, run nothing
        except WorkbenchError as exc:
            self.refused.emit(exc)
            return None
        self._last = None
        self._pushing = []
        try:
            # push() calls redo() -> action.do(); a command that failed is obsolete and dropped
            # (Qt then also drops the redo history, as after any new action).
            self.stack.push(ActionCommand(self.project, action, self._done, self._failed))
        finally:
            failures, self._pushing = self._pushing, None
            self._repair = False  # a refused action is dropped by push(): nothing to put back
        for exc in failures:
            if not isinstance(exc, WorkbenchError):
                raise exc  # a bug, not a refusal: let the app's error handler show it
        return None if failures else self._last

    def _done(self, change: Change) -> None:
        self._last = change
        self.paused = None
        self.changed.emit(change)

    def _failed(self, exc: BaseException) -> None:
        self._repair = True
        exc = self.project.user_error(exc) or exc  # damaged, read-only, full, busy: a sentence
        if isinstance(exc, DiskFull):
            if self.paused is not None:
                return  # said already: one message, not one per key press
            self.paused = exc
        if isinstance(exc, WorkbenchError):
            self.refused.emit(exc)
        elif self._pushing is not None:
            self._pushing.append(exc)
        else:  # an undo or redo hit a bug: show it like any other unexpected error
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def _put_back_failed_step(self, index: int) -> None:
        """An undo or redo that failed changed nothing in the file: put the index back where it
        was (Qt has moved it already), so that the stack and the file agree."""
        if not self._repair:
            return
        self._repair = False
        for position, target in ((index, index + 1), (index - 1, index - 1)):
            if not 0 <= position < self.stack.count():
                continue
            command = self.stack.command(position)
            if isinstance(command, ActionCommand) and command.failed_step:
                command.failed_step = False
                command.skip_next = True  # setIndex runs the opposite step: it must do nothing
                self.stack.setIndex(target)
                return

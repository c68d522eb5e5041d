"""The project file's damage check, run on a worker once the window has painted.

``PRAGMA quick_check`` reads the whole file (about 1 s on a 500 MB project): the window opens
the project without it (``Project.open(path, check=False)``, :func:`workbench.ui.app.open_project`),
paints, and :class:`DamageCheck` then runs it on a worker's own connection
(:mod:`workbench.ui.background`). Until it is over, every write of the process to the file
waits for it (:meth:`~workbench.core.store.project.Project.hold_writes`): an edit made in that
second is held, neither refused for it nor lost, and never written into a file not known to be
sound. If the check finds damage, the file turns read-only on every connection and the window
says so, as when a damaged file is opened (``found``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication

from workbench.core.store.project import CheckStopped, Project
from workbench.ui.background import BackgroundTask


class DamageCheck(QObject):
    found = Signal(str)  # the damage found (the project is read-only now)
    done = Signal()  # the check is over, whatever it found

    def __init__(
        self, project: Project, after_paint: Callable[[Callable[[], object]], None], parent: QObject | None = None
    ):
        """Check ``project`` once the window's article has painted (``after_paint``, the window's
        :meth:`AfterFirstPaint.call`), or at the first write, if sooner (a second later if it
        does not paint: a window opened minimised)."""
        super().__init__(parent)
        self.project = project
        self._worker: Project | None = None  # the worker's connection while it checks, to interrupt it
        self._lock = threading.Lock()
        self._stopped = False
        self.task = BackgroundTask(project.path, self._check)
        self.task.done.connect(self._done)
        project.hold_writes(self.wait)
        after_paint(self.start)

    def start(self) -> None:
        """Start the check now (if it has not started). Callable from any thread."""
        with self._lock:
            if not self._stopped and not self.task.isRunning() and self.task.outcome is None:
                self.task.start()

    @property
    def started(self) -> bool:
        return self.task.isRunning() or self.task.outcome is not None

    def _check(self, project: Project, _progress, cancelled) -> str | None:  # (on the worker thread)
        with self._lock:
            if cancelled():
                return None
            self._worker = project
        try:
            return project.quick_check()
        finally:
            with self._lock:  # (before the worker closes it: never interrupted once closed)
                self._worker = None

    def wait(self) -> str | None:
        """Block until the check is over (starting it if it has not started); the damage it
        found (``None``: none, or it was stopped). Callable from any thread: a write on a
        worker's connection waits too."""
        self.start()
        if self.task.isRunning() and _on_ui_thread():
            # (an edit waits for the check: minutes from a cold disk on a large file)
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.task.wait()
            finally:
                QApplication.restoreOverrideCursor()
        else:
            self.task.wait()
        return _found(self.task.outcome)

    def _done(self) -> None:
        self.project.release_writes(self.wait, _found(self.task.outcome))
        if self.project.damage is not None:
            self.found.emit(self.project.damage)
        self.done.emit()

    def stop(self) -> None:
        """The window closes: interrupt the check and wait for its thread (no thread outlives
        the window); writes are no longer held for it, and the file stays unchecked unless the
        check was over."""
        with self._lock:
            self._stopped = True
            if self.task.delivered:
                return
            self.task.abandon()
            if self._worker is not None:
                self._worker.interrupt()  # (thread-safe: the check stops at once)
        self.task.wait()
        outcome = self.task.outcome
        found = _found(outcome)
        finished = outcome is not None and (outcome[0] or found is not None)  # (not interrupted)
        self.project.release_writes(self.wait, found, checked=finished)


def _on_ui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _found(outcome: tuple[bool, Any] | None) -> str | None:
    """What a finished check found: its result, or why the worker could not read the file
    (it opened a moment ago: a file that cannot be read now is treated as damaged)."""
    if outcome is None:
        return None
    ok, value = outcome
    if ok:
        return value
    if isinstance(value, CheckStopped):
        return None  # stopped: nothing found
    return str(value)

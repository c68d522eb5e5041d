"""Long work off the UI thread, on a project connection of its own, with progress and cancel.

    task = run_in_background(
        project.path,
        lambda project, progress, cancelled: import_work_bundles(
            project, files, progress=lambda done, total, _name: progress(done, total), cancelled=cancelled
        ),
        on_progress=bar.setValue2,   # (done, total)
        on_result=show_report,       # the value work() returned
        on_error=show_error,         # the exception work() (or opening the project) raised
    )
    task.cancel()                    # ask work() to stop: cancelled() turns true
    task.join()                      # block until it is over and its outcome delivered

``work(project, progress, cancelled)`` runs in a worker thread. ``project`` is a
:class:`~workbench.core.store.project.Project` opened in that thread on the
project file at ``project_path`` and closed when ``work`` returns (a SQLite
connection belongs to the thread that opened it; the window keeps its own).
``progress(done, total)`` may be called as often as ``work`` likes; ``cancelled()``
says whether the user asked to stop (``work`` decides what to return then). The
callbacks run on the UI thread, after the worker thread has ended: a result
handler may wait for the thread, delete the task or start another.

The signals of :class:`BackgroundTask` (``progressed``, ``succeeded``, ``failed``,
``done``) can be connected instead of the callbacks.

Work the window starts as it opens (the open document's suggestions, the team's progress, the
damage check) waits for the article's first paint (:class:`AfterFirstPaint`): a worker thread
that ran meanwhile would share the interpreter with that paint and delay it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QWidget

from workbench.core.store.project import Project

Work = Callable[[Project, Callable[[int, int], None], Callable[[], bool]], Any]

_RUNNING: set[BackgroundTask] = set()  # tasks are kept alive here until their outcome is delivered


def open_worker_project(project_path: Path) -> Project:
    """The worker's own connection: ``Project.open``, like every other connection (the
    policy is in :mod:`workbench.core.store.project`: only SQLite opens the file, so
    closing this connection leaves the window's locks alone). The window checks the file
    for damage once (:mod:`workbench.ui.damage_check`): the worker skips that whole-file read."""
    return Project.open(Path(project_path), check=False)


class BackgroundTask(QThread):
    """One piece of work on its own thread and project connection (see the module doc)."""

    progressed = Signal(int, int)  # done, total
    succeeded = Signal(object)  # what work() returned
    failed = Signal(object)  # the exception it raised
    done = Signal()  # after succeeded or failed

    def __init__(self, project_path: Path | str, work: Work, parent: QObject | None = None):
        # No Qt parent: a parent deleted while the thread runs would abort the process.
        # The task keeps itself alive until its outcome is delivered.
        super().__init__(None)
        self.project_path = Path(project_path)
        self.work = work
        self._cancel = threading.Event()
        self._abandoned = False
        self._outcome: tuple[bool, Any] | None = None
        self.delivered = False
        self.finished.connect(self._deliver)  # queued to the UI thread: the thread has ended

    # --- the UI thread's side -----------------------------------------------------------

    def start(self, *args) -> None:
        _RUNNING.add(self)
        super().start(*args)

    def cancel(self) -> None:
        """Ask ``work`` to stop (its ``cancelled()`` turns true); its outcome is still delivered."""
        self._cancel.set()

    def abandon(self) -> None:
        """Cancel and deliver nothing: the caller is no longer interested."""
        self._abandoned = True
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def outcome(self) -> tuple[bool, Any] | None:
        """``(True, value)`` or ``(False, exception)`` once ``work`` is over, ``None`` before;
        readable from any thread once the thread has ended (``wait()``)."""
        return self._outcome

    def join(self, timeout_ms: int | None = None) -> bool:
        """Block until the thread is over and its outcome delivered (``False`` on timeout)."""
        if not (self.wait() if timeout_ms is None else self.wait(timeout_ms)):
            return False
        self._deliver()  # now, rather than when the queued delivery comes round
        return True

    def _deliver(self) -> None:
        if self.delivered or self._outcome is None:
            return
        self.wait()  # ("finished" is sent just before the thread ends)
        self.delivered = True
        ok, value = self._outcome
        if not self._abandoned:
            (self.succeeded if ok else self.failed).emit(value)
            self.done.emit()
        # Let go of it on a later turn of the event loop, not inside its own signal.
        QTimer.singleShot(0, lambda: _RUNNING.discard(self))

    # --- the worker thread's side --------------------------------------------------------

    def run(self) -> None:
        try:
            project = open_worker_project(self.project_path)
            try:
                value = self.work(project, self._progress, self._cancel.is_set)
            finally:
                project.close()
        except Exception as exc:  # handed to the UI thread: failed / on_error
            self._outcome = (False, exc)
        else:
            self._outcome = (True, value)

    def _progress(self, done: int, total: int) -> None:
        if not self._abandoned:
            self.progressed.emit(int(done), int(total))


def run_in_background(
    project_path: Path | str,
    work: Work,
    *,
    on_progress: Callable[[int, int], Any] | None = None,
    on_result: Callable[[Any], Any] | None = None,
    on_error: Callable[[BaseException], Any] | None = None,
    on_done: Callable[[], Any] | None = None,
) -> BackgroundTask:
    """Start ``work(project, progress, cancelled)`` on a worker thread with its own connection
    to ``project_path``; the callbacks run on the UI thread. Returns the running task."""
    task = BackgroundTask(project_path, work)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    if on_result is not None:
        task.succeeded.connect(on_result)
    if on_error is not None:
        task.failed.connect(on_error)
    if on_done is not None:
        task.done.connect(on_done)
    task.start()
    return task


class AfterFirstPaint(QObject):
    """Holds what need not come before ``widget``'s first paint: :meth:`call` runs a function at
    once if the widget has painted, else just after its first paint (queued behind it), or after
    ``fallback_ms`` if no paint comes (a window opened minimised), whichever is first. A worker
    started meanwhile would take turns with the paint for the interpreter (the GIL) and delay it."""

    def __init__(self, widget: QWidget, fallback_ms: int = 1000, parent: QObject | None = None):
        super().__init__(parent if parent is not None else widget)
        self._widget = widget
        self._pending: list[Callable[[], object]] = []
        self.painted = False
        self._cancelled = False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._release)

    def call(self, function: Callable[[], object], *, first: bool = False) -> None:
        """``function()`` now if the widget has painted, else once it has (never once cancelled);
        ``first``: before what was asked earlier (the rest of a window, which that work needs)."""
        if self._cancelled:
            return
        if self.painted:
            function()
        elif first:
            self._pending.insert(0, function)
        else:
            self._pending.append(function)

    def cancel(self) -> None:
        """Drop what waits and run nothing more (the window closes: its project may close next)."""
        self._pending = []
        self._cancelled = True
        self._widget.removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._release)  # (once this paint is over)
        return False

    def _release(self) -> None:
        if self.painted or self._cancelled:
            return
        self.painted = True
        self._widget.removeEventFilter(self)
        pending, self._pending = self._pending, []
        for function in pending:
            function()

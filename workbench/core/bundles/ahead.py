"""One item of a run worked on ahead, on a thread of its own, while the caller uses the one before.

A run of work bundles is checked one bundle ahead of its merge (``work_bundle.import_work_bundles``):
the check (unzipping, hashing, parsing and checking rows: Python) runs while SQLite writes the
bundle before it, which lets go of Python's lock (the GIL) while it works. The thread reads the
project through a connection of its own, opened and closed on it (one connection per thread:
see ``core/store/project.py``); it never writes.

At most one item is worked on ahead of the one the caller took last, begun when the caller says
(:meth:`Ahead.go_on`): memory holds two. Whatever
the work raises is the work's to keep in what it returns; if the thread cannot run at all (its
connection cannot be opened), :meth:`Ahead.take` gives ``None`` and the caller does the work
itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from workbench.core.store.project import Project

T = TypeVar("T")


class Ahead(Generic[T]):
    """``work(project, index, stop)`` for ``index`` in ``range(count)``, in order, one ahead of
    :meth:`take`; then ``then(project)``, if given, once the last item is made (while the caller
    uses it). ``discard`` is given each item made but never taken. Use it as a context manager:
    leaving the block stops the thread (``stop`` is set: the work may give up) and waits for it."""

    def __init__(
        self,
        path: Path,
        count: int,
        work: Callable[[Project, int, threading.Event], T],
        discard: Callable[[T], None],
        then: Callable[[Project], None] | None = None,
    ):
        self._path, self._count, self._work, self._discard, self._then = path, count, work, discard, then
        self._ready: dict[int, T] = {}
        self._allowed = 0  # items below this index may be made
        self._over = False  # the thread made what it could
        self._stop = threading.Event()
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="bundle-check-ahead", daemon=True)
        self._thread.start()

    def __enter__(self) -> Ahead[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        try:
            project = Project.open(self._path, check=False)
        except Exception:  # (the caller works without it: take() gives None)
            self._finish()
            return
        try:
            project.reads_only()  # (it reads: SQLite holds it to that)
            for index in range(self._count):
                with self._lock:
                    while index >= self._allowed and not self._stop.is_set():
                        self._lock.wait()
                if self._stop.is_set():
                    return
                item = self._work(project, index, self._stop)
                with self._lock:
                    self._ready[index] = item
                    self._lock.notify_all()
            if self._then is not None and not self._stop.is_set():
                self._then(project)  # (the last item made: the thread would wait for nothing)
        finally:
            project.close()
            self._finish()

    def _finish(self) -> None:
        with self._lock:
            self._over = True
            self._lock.notify_all()

    def take(self, index: int) -> T | None:
        """Item ``index`` (waiting for it); ``None`` if the thread could not make it. The next
        one is begun when the caller says so (:meth:`go_on`), or when it is taken."""
        with self._lock:
            self._allowed = max(self._allowed, index + 1)
            self._lock.notify_all()
            while index not in self._ready and not self._over:
                self._lock.wait()
            return self._ready.pop(index, None)

    def go_on(self, index: int) -> None:
        """Begin item ``index`` now (the caller is done with what it had to do alone: reads that
        go row by row, and would wait for Python's lock at each row while the thread works)."""
        with self._lock:
            self._allowed = max(self._allowed, index + 1)
            self._lock.notify_all()

    def close(self) -> None:
        """Stop the thread, wait for it, and discard what it made that was not taken."""
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        self._thread.join()
        for item in self._ready.values():
            self._discard(item)
        self._ready.clear()

"""Long writes in batches: a transaction that commits every so many rows, whose parts
(one input file each) are written whole or not at all."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from types import TracebackType

from workbench.core.store.project import Project


class Batches:
    """``with Batches(project, size) as batch:`` then ``with batch.part():`` per file and
    ``batch.done(n)`` after it. A part that raises is rolled back alone (a savepoint);
    the transaction commits when ``size`` rows are pending and at the end, so a
    killed run loses at most the batch in flight. Writes start with ``BEGIN IMMEDIATE``
    (they wait for another writer); a read-only or damaged project refuses before the
    first one, and SQLite errors a user can meet become sentences (``Project.user_error``).
    The WAL is checkpointed at the end, so a large import leaves it small.
    """

    def __init__(self, project: Project, size: int):
        self.project = project
        self.db = project.db
        self.size = size
        self.pending = 0

    def __enter__(self) -> Batches:
        self.project.check_writable()
        with self.project._errors():
            self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self.db.rollback()
            if isinstance(exc, sqlite3.DatabaseError):
                error = self.project.user_error(exc)
                if error is not None:
                    raise error from exc
            return
        with self.project._errors():
            try:
                self.db.execute("COMMIT")
            except BaseException:
                self.db.rollback()
                raise
        self.project.checkpoint()

    @contextlib.contextmanager
    def part(self) -> Iterator[None]:
        """One part, all or nothing (a savepoint inside the batch's transaction)."""
        with self.db.atomic():
            yield

    def done(self, rows: int) -> None:
        """Count ``rows`` written by the last part; commit when the batch is full."""
        self.pending += rows
        if self.pending >= self.size:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN IMMEDIATE")
            self.pending = 0

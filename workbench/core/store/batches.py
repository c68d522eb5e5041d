"""Long writes in batches: a transaction that commits every so many rows, whose parts
(one input file each) are written whole or not at all."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import TracebackType

from sqlite_utils import Database


class Batches:
    """``with Batches(db, size) as batch:`` then ``with batch.part():`` per file and
    ``batch.done(n)`` after it. A part that raises is rolled back alone (a savepoint);
    the transaction commits when ``size`` rows are pending and at the end, so a
    killed run loses at most the batch in flight. Writes start with ``BEGIN IMMEDIATE``.
    """

    def __init__(self, db: Database, size: int):
        self.db = db
        self.size = size
        self.pending = 0

    def __enter__(self) -> Batches:
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.rollback()

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

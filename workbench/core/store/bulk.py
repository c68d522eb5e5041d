"""Many rows in few statements: ``INSERT … VALUES (…), (…), …``.

``executemany`` runs its statement once per row, and the sqlite3 module lets go of Python's lock
(the GIL) around each run. When another thread of the process is computing meanwhile (a run of
work bundles checks the next bundle while this one is merged: ``core/bundles/work_bundle.py``),
each row then waits to get the lock back. One statement for many rows gives the lock back once,
and costs SQLite a little less too. A statement that SQLite refuses (a constraint) is taken back
whole; the statements before it stay, in the caller's transaction.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from workbench.core.store.database import Database

# Rows in one statement, at most (SQLite's limit on parameters may make it fewer).
MOST_ROWS = 4000


def batches(db: Database, rows: Sequence[Sequence[Any]], width: int) -> Iterator[tuple[int, Sequence[Sequence[Any]]]]:
    """``(index of its first row, rows)`` of each statement that writes ``rows`` of ``width`` values."""
    limit = db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    size = max(1, min(MOST_ROWS, limit // width))
    for first in range(0, len(rows), size):
        yield first, rows[first : first + size]


@functools.lru_cache(maxsize=32)
def _values(width: int, count: int) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)


def run(db: Database, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """``head VALUES (…), … tail`` for this batch of ``rows`` (all of one width), one statement."""
    width = len(rows[0])
    db.conn.execute(f"{head} VALUES {_values(width, len(rows))}{tail}", list(itertools.chain.from_iterable(rows)))


def write(db: Database, head: str, rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """Every row of ``rows`` (each of the same width), by as few statements as SQLite allows.

    ``head`` is the statement up to ``VALUES`` (``INSERT INTO t (a, b)``), ``tail`` what follows
    the rows (an ``ON CONFLICT`` clause)."""
    if not rows:
        return
    for _, batch in batches(db, rows, len(rows[0])):
        run(db, head, batch, tail)

"""The store's connection to a project file: ``sqlite3`` with sqlite-utils' transaction rules.

Every statement of the store is SQL of its own, run through :meth:`Database.execute`; what the
store asked of ``sqlite_utils.Database`` was that method, :meth:`atomic`, :meth:`rollback` and
:meth:`table_names`. They are kept here with the same behaviour, so that opening a project
(every start of the window, every CLI command) does not import sqlite-utils: about 35 ms, 17 ms
of which compile a case-insensitive pattern over 65,000 characters that this project never
matches. sqlite-utils still applies the schema's migrations (:mod:`.migrations` imports it when
a file is created or upgraded). ``tests/test_store_database.py`` runs the same statements
through both classes and compares what they leave in the file.

The rules (as ``sqlite_utils.Database`` 4.2 has them):

- A statement that opens an implicit transaction (Python's ``sqlite3`` does before ``INSERT``,
  ``UPDATE``, ``DELETE`` and ``REPLACE`` outside a transaction) is committed at once, unless it
  returns rows or is itself transaction control; a failed one is rolled back. Inside a
  transaction a statement is part of it.
- ``PRAGMA recursive_triggers = ON`` (sqlite-utils sets it on every connection it wraps; the
  schema's triggers were written under it).
"""

from __future__ import annotations

import contextlib
import importlib
import secrets
import sqlite3
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (named for the import contracts: sqlite-utils is imported on use, below)
    import sqlite_utils as _sqlite_utils  # noqa: F401


class _ImportedOnUse(types.ModuleType):
    """Stands in ``sys.modules`` for a module while another module that only names it is
    imported; the first attribute read imports the real module (through the import system,
    thread-safe) and reads it there. Used for ``dateutil.parser``, which sqlite-utils'
    conversion recipes import at import time (13 ms of every start) and call only when asked
    to convert dates, as this project never does."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:  # (read while the import it serves still runs)
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _import_quietly(module: str) -> Any:
    """Import ``module`` with pandas and numpy hidden and ``dateutil.parser`` imported on use
    while it loads, then put them back.

    sqlite-utils imports pandas and numpy at import time when they are installed (the
    ``[hf]`` extra brings pandas): 300-700 ms on every command and at start-up, for
    conversions this project never asks of it. A ``None`` entry in ``sys.modules`` makes
    its ``import pandas`` fail as if pandas were missing; the entries are removed again
    afterwards, so ``datasets`` (the HF export) still imports the real pandas when used.
    Its date recipes get an :class:`_ImportedOnUse` ``dateutil.parser``; the entry is removed
    again too, so ``dateparser`` (the DATE values) imports the real one."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    deferred = [name for name in ("dateutil.parser",) if name not in sys.modules]
    for name in deferred:
        sys.modules[name] = _ImportedOnUse(name)
    try:
        return importlib.import_module(module)
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
        for name in deferred:
            if isinstance(sys.modules.get(name), _ImportedOnUse):
                del sys.modules[name]


def sqlite_utils() -> types.ModuleType:
    """sqlite-utils, imported the first time with pandas and numpy hidden and
    ``dateutil.parser`` imported on use (:func:`_import_quietly`). Nothing in the project
    imports ``sqlite_utils`` but through this."""
    return sys.modules.get("sqlite_utils") or _import_quietly("sqlite_utils")


# Statements that control the transaction themselves: never committed after.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def first_keyword(sql: str) -> str:
    """The first keyword of a statement, upper case, after what ``sqlite3`` skips before it:
    white space, ``;``, a byte order mark, ``--`` and ``/* */`` comments (``""``: none)."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


class Database:
    """One ``sqlite3`` connection (:attr:`conn`, opened by the caller in Python's default
    transaction handling) with the store's statement and transaction rules (module doc)."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.execute("PRAGMA recursive_triggers = ON")

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the connection."""
        return self.conn.in_transaction

    def execute(self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; outside a transaction a write commits at once (module doc)."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                # (the failed statement opened a transaction that nothing would end: it would
                # take in every later write)
                conn.execute("ROLLBACK")
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction (``BEGIN``), or a savepoint inside one: all of it or nothing."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"store_{secrets.token_hex(16)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # (an error such as RAISE(ROLLBACK) in a trigger may have ended the whole
                # transaction: rolling back to a savepoint that is gone would hide it)
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        """Roll back the open transaction, if one is open (an error may have ended it)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        """The names of the file's tables."""
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()

"""The store's connection keeps sqlite-utils' rules, and opening a project does not import it.

Each scenario runs the same statements through ``workbench.core.store.database.Database`` and
through ``sqlite_utils.Database`` on two files, and compares what each step returned or raised,
whether a transaction was left open, and what another connection then reads from the file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils
import sqlite_utils.db
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.store import migrations
from workbench.core.store.database import Database, first_keyword
from workbench.core.store.project import Project

SCHEMA = [
    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)",
    "CREATE TABLE log (n INTEGER)",
    # (fires itself again only with recursive triggers on)
    "CREATE TABLE chain (n INTEGER)",
    "CREATE TRIGGER chain_on AFTER INSERT ON chain WHEN NEW.n < 3 BEGIN INSERT INTO chain VALUES (NEW.n + 1); END",
    "CREATE TRIGGER no_bad BEFORE INSERT ON t WHEN NEW.v = 'abort-all' BEGIN SELECT RAISE(ROLLBACK, 'no'); END",
]


def _outcome(call):
    try:
        result = call()
    except Exception as exc:  # (compared: the same class, the same sentence)
        return ("raised", type(exc).__name__, str(exc))
    if isinstance(result, sqlite3.Cursor):
        return ("rows", result.fetchall())
    return ("value", result)


def _run(kind: str, path, steps) -> list:
    conn = sqlite3.connect(path)
    db = Database(conn) if kind == "ours" else sqlite_utils.Database(conn, execute_plugins=False)
    seen = []
    for step in steps:
        seen.append((_outcome(lambda step=step: step(db)), conn.in_transaction))
    other = sqlite3.connect(path)  # what was committed
    seen.append(
        (
            other.execute("SELECT v FROM t ORDER BY v").fetchall(),
            other.execute("SELECT n FROM log").fetchall(),
            other.execute("SELECT n FROM chain ORDER BY n").fetchall(),
        )
    )
    other.close()
    conn.close()
    return seen


def _same(tmp_path, steps) -> list:
    ours = _run("ours", tmp_path / "ours.db", steps)
    theirs = _run("sqlite-utils", tmp_path / "theirs.db", steps)
    assert ours == theirs
    return ours


def _schema(db) -> None:
    for statement in SCHEMA:
        db.execute(statement)


def _abort_all(db):
    with db.atomic():  # a savepoint in the open transaction, which the trigger ends
        db.execute("INSERT INTO t (v) VALUES ('third')")
        db.execute("INSERT INTO t (v) VALUES ('abort-all')")


def _atomic_then_fail(db, tag: str, n: int):
    """A block that keeps ``{tag}-kept`` and ``n`` in the log, with a nested block that fails
    after inserting ``{tag}-dropped`` and is rolled back alone."""
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES (?)", [f"{tag}-kept"])
        try:
            with db.atomic():  # a savepoint
                db.execute("INSERT INTO t (v) VALUES (?)", [f"{tag}-dropped"])
                db.execute("INSERT INTO t (v) VALUES (?)", [f"{tag}-kept"])  # unique: fails
        except sqlite3.IntegrityError:
            pass
        db.execute("INSERT INTO log VALUES (?)", [n])


def test_writes_outside_a_transaction_commit_at_once_and_failed_ones_leave_nothing_open(tmp_path):
    seen = _same(
        tmp_path,
        [
            _schema,
            lambda db: db.execute("INSERT INTO t (v) VALUES ('a')"),
            lambda db: db.execute("INSERT INTO t (v) VALUES ('a')"),  # unique: fails, rolled back
            lambda db: db.execute("-- a comment\nINSERT INTO t (v) VALUES (?)", ["b"]),
            lambda db: db.execute("UPDATE t SET v = :v WHERE v = 'b'", {"v": "c"}),
            lambda db: db.execute("SELECT v FROM t ORDER BY v"),
            lambda db: db.execute("INSERT INTO chain VALUES (1)"),  # recursive triggers: 1, 2, 3
            lambda db: db.execute("PRAGMA recursive_triggers"),
        ],
    )
    assert all(not open_ for _outcome, open_ in seen[:-1])  # nothing left open
    assert seen[2][0][0] == "raised"
    assert seen[-1] == ([("a",), ("c",)], [], [(1,), (2,), (3,)])


def test_explicit_transactions_savepoints_and_rollbacks(tmp_path):
    seen = _same(
        tmp_path,
        [
            _schema,
            lambda db: db.execute("BEGIN IMMEDIATE"),
            lambda db: db.execute("INSERT INTO t (v) VALUES ('in')"),  # part of it: still open
            lambda db: db.rollback(),
            lambda db: db.rollback(),  # (nothing open: nothing done)
            lambda db: _atomic_then_fail(db, "first", 1),
            lambda db: db.execute("BEGIN"),
            lambda db: _atomic_then_fail(db, "second", 2),  # the same, nested in a transaction
            lambda db: db.execute("COMMIT"),
            lambda db: db.execute("BEGIN"),
            lambda db: db.execute("INSERT INTO log VALUES (3)"),
            # the trigger ends the whole transaction: its error comes out, not "no such savepoint"
            lambda db: _abort_all(db),
            lambda db: sorted(db.table_names()),
        ],
    )
    assert seen[2][1] is True  # the insert in BEGIN IMMEDIATE kept it open
    assert seen[-3] == (("raised", "IntegrityError", "no"), False), seen[-3]
    assert seen[-1] == ([("first-kept",), ("second-kept",)], [(1,), (2,)], [])


@given(st.text(alphabet=st.sampled_from([" ", "\n", "\t", ";", "\ufeff", "-", "/", "*", "a", "B", "_", "1", "("])))
def test_the_first_keyword_is_read_as_sqlite_utils_reads_it(sql):
    assert first_keyword(sql) == sqlite_utils.db._first_keyword(sql)


@pytest.mark.parametrize("sql", ["  begin immediate", "/* x */ COMMIT", "--\nrelease s", "\ufeff;;SAVEPOINT a", "-- x"])
def test_the_first_keyword_of_transaction_control(sql):
    assert first_keyword(sql) == sqlite_utils.db._first_keyword(sql)


def test_the_applied_migrations_are_read_as_sqlite_utils_reads_them(tmp_path):
    assert sqlite_utils.Migrations.migrations_table == migrations.MIGRATIONS_TABLE
    with Project.create(tmp_path / "p.wbproj") as project:
        ours = migrations.applied(project.db)
    theirs = sqlite_utils.Migrations(migrations.MIGRATION_SET)
    names = [m.name for m in theirs.applied(sqlite_utils.Database(tmp_path / "p.wbproj"))]
    assert ours == names == migrations.known_names()
    assert migrations.applied(Database(sqlite3.connect(tmp_path / "empty.db"))) == []


def test_opening_a_project_and_reading_it_does_not_import_sqlite_utils(tmp_path):
    path = tmp_path / "p.wbproj"
    Project.create(path).close()
    script = textwrap.dedent(
        f"""
        import json, sys
        from workbench.core.store import documents
        from workbench.core.store.project import Project
        with Project.open({str(path)!r}) as project:
            count = documents.count(project.db)
            project.set_setting("name", "x")
        print(json.dumps([count, "sqlite_utils" in sys.modules]))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[0, false]"


def test_upgrading_an_older_file_imports_sqlite_utils_to_migrate_it(tmp_path):
    path = tmp_path / "old.wbproj"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before=migrations.known_names()[-1])
    db.close()
    script = textwrap.dedent(
        f"""
        import json, sys
        from workbench.core.store.project import Project
        with Project.open({str(path)!r}) as project:
            print(json.dumps([project.schema_version, "sqlite_utils" in sys.modules, "pandas" in sys.modules]))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == f"[{len(migrations.known_names())}, true, false]"

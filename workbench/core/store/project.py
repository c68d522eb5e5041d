"""A project is one SQLite file: open it, upgrade it, and read its settings and label schema.

The connection policy (the window, the command line and every background worker alike):

- **Only SQLite opens the project file.** No ``open()``, no header check through a file
  descriptor of our own: closing any descriptor of the file drops every POSIX lock the
  process holds on it, SQLite's included, and another process may then checkpoint and
  delete the WAL under a connection that is still writing (silent loss). :meth:`Project.open`
  looks at the file with ``os.stat``/``os.access`` only and lets SQLite say whether it is a
  database.
- **One connection per thread, always made by** :meth:`Project.open`. A background worker
  opens its own with ``Project.open(path, check=False)`` on its thread (the process checks
  the file once) and closes it when its work is done (``ui/background.py``); connections are
  never shared between threads.
- **Every write transaction takes the write lock first** (``BEGIN IMMEDIATE``, in
  :meth:`Project.transaction`, :class:`~workbench.core.store.batches.Batches` and every
  writing method here) and waits up to ``BUSY_TIMEOUT_MS`` for another writer. A deferred
  transaction that reads first would fail at once with "database is locked".
  Nested transactions are savepoints inside the outer one.
- **Nothing is written before the file is known to be a project** (the journal-mode switch
  to WAL writes the header), a read-only file or folder opens read-only
  (:attr:`Project.read_only`), and a damaged file (``PRAGMA quick_check`` on open, or a
  statement that finds damage later) is never written to. The window opens without the check
  (it reads the whole file: a second on a 500 MB project) and runs it on a worker's connection
  after its first paint (:meth:`Project.quick_check`); until it is over, every write of the
  process to that file waits for it (:meth:`Project.hold_writes`). SQLite errors a user can cause
  (read-only, damaged, full disk, busy) become :class:`ProjectError` sentences
  (:func:`user_error`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import stat
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from workbench.core.errors import ProjectError
from workbench.core.store import labels as _labels
from workbench.core.store import migrations as _migrations
from workbench.core.store.database import Database
from workbench.core.store.labels import DEFAULT_LABELS, Label

GOLD = "gold"  # the annotator name of the adjudicated layer
ROLE_ANNOTATOR = "annotator"  # the "role" setting of an annotator's copy (made from a project bundle)
BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER_SIZE = 100  # an SQLite file is at least its 100-byte header
# The WAL is checkpointed every 1000 pages (SQLite's default) and cut back to this size
# after a checkpoint, so it stays bounded however long the window stays open.
JOURNAL_SIZE_LIMIT = 8 * 1024 * 1024


# Files this process found damaged (realpath -> what was found): a connection opened
# without the check (a worker's) refuses to write into them too.
_DAMAGED: dict[str, str] = {}
# Files whose damage check runs on another connection of this process (realpath -> a wait for
# it that returns what it found): a write on any connection to that file waits for it first.
_HELD: dict[str, Callable[[], str | None]] = {}
# Writes on any thread release a hold as the UI thread's check does: one at a time (a check and
# a worker's write that both saw the hold would both take it away).
_HELD_LOCK = threading.Lock()


class ReadOnlyProject(ProjectError):
    """A write was asked of a project opened read-only."""


class DamagedProject(ProjectError):
    """The project file is damaged: Workbench reads what it can and writes nothing."""


class DiskFull(ProjectError):
    """The disk (or the file's size limit) is full: the action was not saved."""


class CheckStopped(ProjectError):
    """The damage check was stopped (:meth:`Project.interrupt`) before its end: it found nothing."""


class ProjectBusy(ProjectError):
    """Another program held the project's write lock for longer than the busy timeout."""


def now() -> str:
    """A UTC timestamp for the database: ISO 8601 with milliseconds."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds")


class Project:
    """An open project file. Use :meth:`open` or :meth:`create`; close it when done."""

    def __init__(self, path: Path, db: Database):
        self.path = path
        self.db = db

    # --- opening -------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Project:
        """Create a new, empty project file at ``path`` (which must not exist)."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; open it instead of creating it")
        path.parent.mkdir(parents=True, exist_ok=True)
        project = cls._connect(path, create=True)
        try:
            project._use_wal()
            with project.transaction():
                _migrations.apply(project.db)
                project._seed(name or path.stem)
        except BaseException:
            project.close()
            remove_project_file(path)
            raise
        return project

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, check: bool = True) -> Project:
        """Open an existing project, upgrading its schema (after a backup) if it is older.

        With ``create=True`` a missing file is created instead of refused. A file or folder
        that cannot be written opens read-only (:attr:`read_only`); a damaged file opens
        for reading only (:attr:`damage`). Only SQLite opens the file (see the module doc).

        ``check=False`` skips ``PRAGMA quick_check`` (it reads the whole file: about 1 s on
        a 500 MB project of 10,000 documents, ``benchmarks/open_bench.py``): for a second
        connection of a process that checks the file elsewhere, such as a background worker,
        or for the window, which checks on a worker after its first paint (:meth:`quick_check`,
        :meth:`hold_writes`). Damage met later by a statement is still caught, and a file
        whose schema must be upgraded is checked first, whatever ``check`` says.
        """
        path = Path(path)
        read_only = _check_file(path, create)
        if read_only is None and not path.exists():
            return cls.create(path)
        project = cls._connect(path, read_only=read_only)
        try:
            project._check_is_project()  # reads only: nothing is written into a file that is not ours
            if project.read_only is None:
                project._use_wal()
            if check:
                project.quick_check()
            elif project._key() in _DAMAGED:  # another connection of this process found damage
                project._mark_damaged(_DAMAGED[project._key()])
            project._upgrade()
        except BaseException:
            project.close()
            raise
        return project

    @classmethod
    def _connect(cls, path: Path, *, read_only: str | None = None, create: bool = False) -> Project:
        uri = "file:" + urllib.parse.quote(str(path.absolute()))
        try:
            if read_only is None:
                mode = "rwc" if create else "rw"
                conn = sqlite3.connect(f"{uri}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            else:
                conn = _connect_read_only(path, uri)
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # FULL: a commit survives a power cut, not only a killed process.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            # 32 MB of page cache (the default is 2 MB): merging bundles inserts hundreds of
            # thousands of spans under random ids, and the index pages must stay in memory.
            db.execute("PRAGMA cache_size = -32768")
            db.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path} cannot be opened as a project: {exc}") from None
        project = cls(path, db)
        project.read_only = read_only
        return project

    def _use_wal(self) -> None:
        try:
            mode = self.db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise self.user_error(exc) or ProjectError(f"{self.path} cannot be opened as a project: {exc}") from None
        if mode.lower() != "wal":
            raise ProjectError(f"{self.path}: cannot switch the project to WAL mode (got {mode})")

    def _check_is_project(self) -> None:
        """Refuse a file that is not a Workbench project, reading only (the WAL switch writes)."""
        try:
            self.db.execute("PRAGMA schema_version").fetchone()
            applied = _migrations.applied(self.db)
        except sqlite3.DatabaseError as exc:
            if _code(exc) == sqlite3.SQLITE_NOTADB:
                raise ProjectError(
                    f"{self.path} is not a Workbench project (not an SQLite file, or a damaged one: {exc})"
                ) from None
            raise ProjectError(f"{self.path} is damaged or not a project file: {exc}") from None
        if not applied:
            if self.db.table_names():
                raise ProjectError(f"{self.path} is an SQLite database but not a Workbench project")
            raise ProjectError(f"{self.path} is an empty file, not a Workbench project")

    def quick_check(self) -> str | None:
        """``PRAGMA quick_check`` on this connection: what it found, ``None`` when the file is
        sound. A damaged file is then open for reading only, on this connection and on every
        other one of this process (see :attr:`damage`). It reads the whole file (about 1 s on
        a 500 MB project): a worker may run it on its own connection while the window is
        shown (:meth:`hold_writes`). A check stopped by :meth:`interrupt` raises
        :class:`CheckStopped` and finds nothing."""
        try:
            rows = [row[0] for row in self.db.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            if _code(exc) == sqlite3.SQLITE_INTERRUPT:
                raise CheckStopped(f"the check of {self.path} was stopped before its end") from None
            rows = [str(exc)]
        self.checked = True
        if rows != ["ok"]:
            found = "; ".join(rows)
            self._mark_damaged(found)
            return found
        _DAMAGED.pop(self._key(), None)  # (a file put right since)
        return None

    def interrupt(self) -> None:
        """Stop the statement running on this connection now (callable from any thread, while
        the connection is open): it fails at once (the damage check: :class:`CheckStopped`)."""
        self.db.conn.interrupt()

    def hold_writes(self, until: Callable[[], str | None]) -> None:
        """Hold every write of this process to this file until the damage check that runs on
        another connection is over: a write (:meth:`check_writable`, on any connection and
        thread) first calls ``until()``, which blocks until the check is over and returns what
        it found (``None``: the file is sound; else the file turns read-only, as if the check
        had run on open). An edit made while the check runs waits for it; it is never written
        into a file not known to be sound, and never lost. :meth:`release_writes` ends the hold."""
        with _HELD_LOCK:
            _HELD[self._key()] = until

    def release_writes(self, until: Callable[[], str | None], found: str | None, *, checked: bool = True) -> None:
        """The check that :meth:`hold_writes` (``until``) waited for is over and found ``found``
        (``None``: nothing): writes go ahead again, or are refused if the file is damaged.
        ``checked`` false: the check was stopped before its end (the window closed); the file
        is unchecked. (A hold another check has taken since stays.)"""
        with _HELD_LOCK:
            if _HELD.get(self._key()) == until:
                del _HELD[self._key()]
        self.checked = self.checked or checked
        if found:
            self._mark_damaged(found)
        elif self.damage is None and self._key() in _DAMAGED:
            self._mark_damaged(_DAMAGED[self._key()])

    def _upgrade(self) -> None:
        known = _migrations.known_names()
        try:
            applied = _migrations.applied(self.db)
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path} is damaged or not a project file: {exc}") from None
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise ProjectError(
                f"{self.path} was written by a newer version of Workbench (schema version "
                f"{len(applied)}, this version knows {len(known)}); update Workbench to open it. "
                "The file was not changed."
            )
        if len(applied) < len(known):
            if not self.checked and self.read_only is None:
                self.quick_check()  # never upgrade a file not known to be sound
            self.check_writable()
            self.backup_path = self.backup(f"schema-v{len(applied)}")
            with self.transaction():
                _migrations.apply(self.db)

    # --- what may be written -------------------------------------------------

    read_only: str | None = None  # why the project cannot be written (None: it can)
    damage: str | None = None  # what quick_check or a failed statement found
    checked: bool = False  # whether quick_check ran on this connection (or the check it waited for is over)

    @property
    def writable(self) -> bool:
        return self.read_only is None and self.damage is None

    def check_writable(self) -> None:
        key = self._key()
        until = _HELD.get(key)
        if until is not None:  # the damage check runs elsewhere: wait for it, then as it ends
            self.release_writes(until, until())
        if self.damage is None and key in _DAMAGED:  # another connection of this process found damage
            self._mark_damaged(_DAMAGED[key])
        if self.damage is not None:
            raise DamagedProject(self._damage_message())
        if self.read_only is not None:
            raise ReadOnlyProject(
                f"this project is read-only: {self.read_only}. Nothing was changed; copy the file "
                "somewhere you can write (with its -wal file, if any) to edit it."
            )

    def reads_only(self) -> Project:
        """This connection refuses every write from now on (``PRAGMA query_only``): a worker's
        that only reads, held to it by SQLite. Returns the project."""
        self.db.execute("PRAGMA query_only = ON")
        return self

    def _key(self) -> str:
        return os.path.realpath(self.path)

    def _mark_damaged(self, detail: str) -> None:
        if self.damage is None:
            self.damage = detail
            _DAMAGED[self._key()] = detail
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA query_only = ON")  # belt and braces: SQLite refuses writes too

    def last_backup(self) -> Path | None:
        """The newest backup next to the project (see :meth:`backup`), if any."""
        backups = list(self.path.parent.glob(f"{self.path.stem}.backup-*{self.path.suffix}"))
        return max(backups, key=lambda p: p.stat().st_mtime) if backups else None

    def _damage_message(self) -> str:
        recovered = self.path.with_name(f"{self.path.stem}.recovered{self.path.suffix}")
        ways = []
        backup = self.last_backup()
        if backup is not None:
            ways.append(f"open the last backup, {backup}")
        ways.append(
            f"recover what SQLite can read into a new file: sqlite3 '{self.path}' .recover | sqlite3 '{recovered}'"
        )
        ways.append(f"or export what is readable: workbench-cli --db '{self.path}' export --help")
        return (
            f"the project file {self.path} is damaged ({self.damage}); Workbench will not write into it, "
            "so nothing was changed. Ways out: " + "; ".join(ways) + "."
        )

    def user_error(self, exc: BaseException) -> ProjectError | None:
        """The sentence for an SQLite error a user can meet (damaged file, read-only file,
        full disk, a write lock held too long); ``None`` for any other error (a bug)."""
        if isinstance(exc, ProjectError):
            return exc
        if not isinstance(exc, sqlite3.DatabaseError):
            return None
        code = _code(exc)
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc):
            self._mark_damaged(str(exc))
            return DamagedProject(self._damage_message())
        if code == sqlite3.SQLITE_READONLY:
            self.read_only = self.read_only or f"{exc}"
            return ReadOnlyProject(
                f"this project is read-only: {self.read_only}. Nothing was changed; copy the file "
                "somewhere you can write to edit it."
            )
        if code == sqlite3.SQLITE_FULL:
            return DiskFull(
                f"the disk holding {self.path} is full: the last action was not saved (everything before "
                "it is safe). Free some space; editing resumes when there is room again."
            )
        if code == sqlite3.SQLITE_BUSY:
            return ProjectBusy(
                f"another program has kept {self.path.name} busy for more than {BUSY_TIMEOUT_MS // 1000} s "
                "(a long import or merge?); nothing was changed. Try again when it is done."
            )
        return None

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            error = self.user_error(exc)
            if error is None:
                raise
            raise error from exc

    def checkpoint(self) -> None:
        """Copy the WAL into the file (after a large merge) so that it does not grow; never waits.

        Any connection may do it, one that only reads too (:meth:`reads_only`): it copies what
        was committed, while another connection goes on writing, and takes no lock a writer
        waits for."""
        if self.writable:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    @contextlib.contextmanager
    def bulk_writes(self, references_checked: bool = False) -> Iterator[None]:
        """A run of large transactions on this connection (merging work bundles: hundreds of
        thousands of spans), with the WAL copied into the file once, at its end, instead of
        after each commit.

        ``references_checked``: the caller checks, under the write lock of each transaction,
        that every row it writes names a document, annotator and label the project holds, and
        it deletes no row another one refers to; SQLite's own checks of the foreign keys are
        then off for the run (``PRAGMA foreign_keys``, this connection only). They cost a
        look-up in three tables for each span and, worse, make SQLite keep a copy of every page
        a many-row ``INSERT`` changes, in case it must take that statement back alone.

        SQLite's automatic checkpoint after each commit would copy into the file, and sync it,
        the index pages that every transaction of the run changes again (measured: about half
        the time of ten commits of 50,000 spans each); the one checkpoint at the end copies each
        page once. Each commit is as durable as before (``synchronous = FULL`` syncs the WAL at
        every commit); only the copy into the main file waits. A process killed meanwhile
        leaves a longer WAL, which SQLite reads back on the next open. The setting is put back
        after the run; a read-only project is left as it is.
        """
        if not self.writable:
            yield
            return
        db = self.db
        every = int(db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        db.execute("PRAGMA wal_autocheckpoint = 0")
        # (a no-op inside a transaction: the checks then stay on)
        keys = int(db.execute("PRAGMA foreign_keys").fetchone()[0])
        if references_checked and keys:
            db.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):  # (a connection closed meanwhile: nothing to put back)
                db.execute(f"PRAGMA wal_autocheckpoint = {every}")
                db.execute(f"PRAGMA foreign_keys = {'ON' if keys else 'OFF'}")
            self.checkpoint()

    def backup(self, tag: str) -> Path:
        """Copy the project, consistently, next to itself; return the copy's path."""
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.backup-{tag}-{stamp}{self.path.suffix}")
        counter = 1
        while target.exists():
            counter += 1
            target = target.with_name(f"{self.path.stem}.backup-{tag}-{stamp}-{counter}{self.path.suffix}")
        dest = sqlite3.connect(str(target))
        try:
            with self._errors():
                self.db.conn.backup(dest)
        except BaseException:
            dest.close()
            remove_project_file(target)
            raise
        dest.close()
        return target

    def _seed(self, name: str) -> None:
        self.set_setting("project_id", str(uuid.uuid4()))
        self.set_setting("name", name)
        self.set_setting("created_at", now())
        self.set_setting("guidelines", "")
        for label in DEFAULT_LABELS:
            _labels.insert(self.db, label)
        self.db.execute("INSERT INTO annotators (name, kind, created_at) VALUES (?, 'gold', ?)", [GOLD, now()])

    def close(self) -> None:
        self.db.close()
        self.closed = True

    closed: bool = False  # whether close() was called

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action: everything inside commits together or not at all.

        The outermost one starts with ``BEGIN IMMEDIATE``: it takes the write lock first and
        waits for another writer (up to the busy timeout) instead of failing half-way; nested
        ones are savepoints. A read-only or damaged project refuses with a sentence, and
        SQLite errors a user can meet become one (:meth:`user_error`)."""
        self.check_writable()
        with self._errors():
            if self.db.conn.in_transaction:
                with self.db.atomic():  # a savepoint
                    yield self.db
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            try:
                self.db.execute("COMMIT")
            except BaseException:
                self.db.rollback()
                raise

    # --- settings ------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )

    @property
    def name(self) -> str:
        return self.setting("name", self.path.stem)

    # --- guidelines (Markdown, not checked as Markdown) ------------------------

    @property
    def guidelines(self) -> str:
        return self.setting("guidelines", "") or ""

    def set_guidelines(self, text: str, actor: str, *, check: bool = True) -> None:
        """Store the guidelines and log who changed them, in one transaction. ``check``
        (:func:`check_guidelines`) refuses empty or too long text; undo writes back an
        earlier text, which may be empty, with ``check=False``."""
        if check:
            text = check_guidelines(text)
        from workbench.core.store import changelog

        before = self.guidelines
        with self.transaction() as db:
            self.set_setting("guidelines", text)
            changelog.record(db, "guidelines.set", actor, before={"chars": len(before)}, after={"chars": len(text)})

    @property
    def schema_version(self) -> int:
        return len(_migrations.applied(self.db))

    # --- labels --------------------------------------------------------------

    def labels(self) -> list[Label]:
        return _labels.read_all(self.db)

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels() if label.name == name), None)

    def add_label(self, label: Label) -> None:
        """Add a label to the schema; :class:`InvalidInput` says why one is refused."""
        _labels.check_label(label, self.labels())
        with self.transaction():
            _labels.insert(self.db, label)

    # --- annotators ----------------------------------------------------------

    def annotators(self) -> list[str]:
        """Human annotators, in the order they joined."""
        from workbench.core.store import annotators

        return annotators.humans(self.db)

    def add_annotator(self, name: str) -> None:
        """Add a human annotator (nothing if they are one already); :class:`InvalidInput`
        says why a name is refused."""
        from workbench.core.store import annotators

        with self.transaction():
            annotators.add(self.db, annotators.check_name(name))

    @property
    def current_annotator(self) -> str | None:
        """Who is working in this copy of the project (set on first run)."""
        return self.setting("current_annotator")

    def set_current_annotator(self, name: str) -> None:
        with self.transaction():
            self.add_annotator(name)
            self.set_setting("current_annotator", name.strip())


def is_annotator_copy(project: Project) -> bool:
    """Whether ``project`` is an annotator's copy, made from the lead's project bundle (its
    ``role`` setting), rather than the lead's project."""
    return project.setting("role") == ROLE_ANNOTATOR and project.current_annotator not in (None, GOLD)


MAX_GUIDELINES_BYTES = 1024 * 1024  # 1 MB of UTF-8: a long manual, not a corpus


def check_guidelines(text: str) -> str:
    """The guidelines as they will be stored (normalised like a document's text: ``\\n`` line
    ends, NFC), or :class:`InvalidInput` with a sentence for empty or too long text."""
    from workbench.core.errors import InvalidInput
    from workbench.core.text.normalise import normalize

    text = normalize(text)
    if not text.strip():
        raise InvalidInput("the guidelines are empty; nothing was changed (write at least one sentence)")
    size = len(text.encode("utf-8"))
    if size > MAX_GUIDELINES_BYTES:
        raise InvalidInput(
            f"the guidelines are {size / 1024**2:.1f} MB, more than the {MAX_GUIDELINES_BYTES // 1024**2} MB "
            "a project keeps; nothing was changed (link to long documents instead of pasting them)"
        )
    return text


def _code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (``-1`` when it has none)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else -1


def _check_file(path: Path, create: bool) -> str | None:
    """Look at the file without opening it (only SQLite opens a project file): refuse what
    cannot be a project; return why it cannot be written (``None``: it can, or it is missing
    and ``create`` says to make it)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if create:
            return None
        raise ProjectError(f"there is no project at {path}; create one with 'workbench-cli --db {path} init'") from None
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ProjectError(f"{path} is a folder, not a project file")
    if not stat.S_ISREG(info.st_mode):
        raise ProjectError(f"{path} is not a regular file, not a Workbench project")
    if info.st_size == 0:
        raise ProjectError(f"{path} is an empty file, not a Workbench project")
    if info.st_size < SQLITE_HEADER_SIZE:
        raise ProjectError(f"{path} is not a Workbench project (not an SQLite file)")
    if not os.access(path, os.R_OK):
        raise ProjectError(f"{path} cannot be read: permission denied")
    if not os.access(path, os.W_OK):
        return f"{path.name} cannot be written (the file is read-only)"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} cannot be written"
    return None


def _connect_read_only(path: Path, uri: str) -> sqlite3.Connection:
    """A read-only connection. A WAL project needs its -shm file: SQLite reads it (or makes
    one) when it can; in a read-only folder with no WAL left (a cleanly closed project) the
    file alone is the whole project and is opened ``immutable``."""
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if _code(exc) != sqlite3.SQLITE_CANTOPEN or Path(f"{path}-wal").exists():
            raise
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def user_error(path: Path | str, exc: BaseException) -> ProjectError | None:
    """:meth:`Project.user_error` for a front end that has no open project at hand."""
    project = Project.__new__(Project)
    project.path = Path(path)
    project.db = None  # type: ignore[assignment]
    if isinstance(exc, sqlite3.DatabaseError) and (
        _code(exc) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(exc)
    ):
        project.damage = str(exc)
        return DamagedProject(project._damage_message())
    return project.user_error(exc)


def remove_project_file(path: Path) -> None:
    """Delete a project file and its WAL companions (for a project that failed to be made)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

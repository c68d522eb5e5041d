"""A project is one SQLite file: open it, upgrade it, and read its settings and label schema."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from workbench.core.errors import ProjectError
from workbench.core.store import labels as _labels
from workbench.core.store import migrations as _migrations
from workbench.core.store.labels import DEFAULT_LABELS, Label

SQLITE_HEADER = b"SQLite format 3\x00"
GOLD = "gold"  # the annotator name of the adjudicated layer
BUSY_TIMEOUT_MS = 5000


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
        project = cls._connect(path)
        try:
            with project.db.atomic():
                _migrations.migrations.apply(project.db)
                project._seed(name or path.stem)
        except BaseException:
            project.close()
            remove_project_file(path)
            raise
        return project

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> Project:
        """Open an existing project, upgrading its schema (after a backup) if it is older.

        With ``create=True`` a missing file is created instead of refused.
        """
        path = Path(path)
        if not path.exists():
            if create:
                return cls.create(path)
            raise ProjectError(f"there is no project at {path}; create one with 'workbench-cli --db {path} init'")
        _check_is_sqlite(path)
        project = cls._connect(path)
        try:
            project._upgrade()
        except BaseException:
            project.close()
            raise
        return project

    @classmethod
    def _connect(cls, path: Path) -> Project:
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
            db = Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise ProjectError(f"{path}: cannot switch the project to WAL mode (got {mode})")
            # FULL: a commit survives a power cut, not only a killed process.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            # 32 MB of page cache (the default is 2 MB): merging bundles inserts hundreds of
            # thousands of spans under random ids, and the index pages must stay in memory.
            db.execute("PRAGMA cache_size = -32768")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{path} cannot be opened as a project: {exc}") from None
        return cls(path, db)

    def _upgrade(self) -> None:
        known = _migrations.known_names()
        try:
            applied = [m.name for m in _migrations.migrations.applied(self.db)]
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path} is damaged or not a project file: {exc}") from None
        if not applied:
            if self.db.table_names():
                raise ProjectError(f"{self.path} is an SQLite database but not a Workbench project")
            raise ProjectError(f"{self.path} is an empty file, not a Workbench project")
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise ProjectError(
                f"{self.path} was written by a newer version of Workbench (schema version "
                f"{len(applied)}, this version knows {len(known)}); update Workbench to open it. "
                "The file was not changed."
            )
        if len(applied) < len(known):
            self.backup_path = self.backup(f"schema-v{len(applied)}")
            _migrations.migrations.apply(self.db)

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
            self.db.conn.backup(dest)
        finally:
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

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One user action: everything inside commits together or not at all."""
        with self.db.atomic():
            yield self.db

    # --- settings ------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )

    @property
    def name(self) -> str:
        return self.setting("name", self.path.stem)

    @property
    def schema_version(self) -> int:
        return len(_migrations.migrations.applied(self.db))

    # --- labels --------------------------------------------------------------

    def labels(self) -> list[Label]:
        return _labels.read_all(self.db)

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels() if label.name == name), None)

    def add_label(self, label: Label) -> None:
        """Add a label to the schema; :class:`InvalidInput` says why one is refused."""
        _labels.check_label(label, self.labels())
        with self.db.atomic():
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

        with self.db.atomic():
            annotators.add(self.db, annotators.check_name(name))

    def annotator_secret(self, name: str) -> bytes | None:
        """The key that signs ``name``'s work bundles (``None`` for an unknown annotator)."""
        from workbench.core.store import annotators

        return annotators.secret(self.db, name)

    @property
    def current_annotator(self) -> str | None:
        """Who is working in this copy of the project (set on first run)."""
        return self.setting("current_annotator")

    def set_current_annotator(self, name: str) -> None:
        with self.db.atomic():
            self.add_annotator(name)
            self.set_setting("current_annotator", name.strip())


def _check_is_sqlite(path: Path) -> None:
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise ProjectError(f"{path} is not a Workbench project (not an SQLite file)")
    if not header:
        raise ProjectError(f"{path} is an empty file, not a Workbench project")


def remove_project_file(path: Path) -> None:
    """Delete a project file and its WAL companions (for a project that failed to be made)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

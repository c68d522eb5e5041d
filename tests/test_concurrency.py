"""Issue 11: the window and the command line share a project file, and nothing is lost.

- Only SQLite opens the project file: a worker's ``Project.open``/``close`` in the
  window's process must not drop the window's POSIX locks (a CLI process would then
  checkpoint and delete the WAL under the window, and the window's close would overwrite
  what the CLI wrote).
- Every write transaction takes the write lock first (``BEGIN IMMEDIATE``) and waits for
  the busy timeout while another connection writes, instead of failing at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.core import intents
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project

ANNOTATOR = "Salma"
MAIN = Path(__file__).resolve().parents[1]
HOLD_SECONDS = 1.5


def cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    """One ``workbench-cli`` command in a process of its own."""
    env = dict(os.environ, WORKBENCH_BIDI="logical")
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(path), *args],
        cwd=MAIN,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def shared(tmp_path, corpus_files) -> tuple[Path, list[str]]:
    path = tmp_path / "shared.wbproj"
    with Project.create(path) as project:
        import_paths(project, corpus_files[:2])
        project.set_current_annotator(ANNOTATOR)
        doc_ids = [row[0] for row in project.db.execute("SELECT id FROM documents ORDER BY rowid")]
    return path, doc_ids


def _words(project: Project, doc_id: str) -> list[tuple[int, int]]:
    import re

    text = intents.document_text(project, doc_id)
    return [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{3,}", text)]


def _tag(project: Project, doc_id: str, start: int, end: int, label: str = "ACTOR") -> str:
    action = intents.tag(project, doc_id, ANNOTATOR, start, end, label)
    action.do(project)
    return action.span.id


def _span_ids_in_file(path: Path) -> set[str]:
    conn = sqlite3.connect(str(path))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in conn.execute("SELECT id FROM spans")}
    finally:
        conn.close()


def test_worker_open_close_beside_the_cli_loses_nothing(shared):
    """The issue's core reproduction: window connection + worker open/close + CLI read/write."""
    path, (doc_id, _) = shared
    window = Project.open(path)
    words = _words(window, doc_id)
    written = [_tag(window, doc_id, *words[0])]

    worker = Project.open(path)  # what the agreement, export and team workers do
    worker.close()

    read = cli(path, "spans", doc_id)  # the CLI's last-connection checkpoint would drop the window's WAL
    assert read.returncode == 0, read.stderr
    written.append(_tag(window, doc_id, *words[1]))

    added = cli(path, "span", "add", doc_id, str(words[2][0]), str(words[2][1]), "LOCATION", "--json")
    assert added.returncode == 0, added.stderr
    written.append(json.loads(added.stdout)["id"])

    worker = Project.open(path)
    worker.close()
    written.append(_tag(window, doc_id, *words[3]))
    listed = cli(path, "spans", doc_id, "--json")
    assert listed.returncode == 0, listed.stderr
    window.close()

    assert set(written) <= _span_ids_in_file(path)


def test_cli_beside_the_window_connection_reads_and_writes_all(shared, corpus_files):
    """Several CLI processes read and write while the window's connection writes and a
    background worker opens and closes its own: every write is in the file at the end."""
    path, (doc_id, other_id) = shared
    window = Project.open(path)
    words = _words(window, doc_id)
    other_words = _words(window, other_id)
    written: list[str] = []
    for round_ in range(4):
        written.append(_tag(window, doc_id, *words[round_]))
        worker = Project.open(path)
        worker.close()
        added = cli(path, "span", "add", other_id, *map(str, other_words[round_]), "DATE", "--json")
        assert added.returncode == 0, added.stderr
        written.append(json.loads(added.stdout)["id"])
        for args in (("docs",), ("spans", doc_id), ("progress",)):
            result = cli(path, *args)
            assert result.returncode == 0, result.stderr
        written.append(_tag(window, other_id, *other_words[10 + round_]))
    imported = cli(path, "import", str(corpus_files[2]))
    assert imported.returncode == 0, imported.stderr
    written.append(_tag(window, doc_id, *words[10]))
    window.close()

    in_file = _span_ids_in_file(path)
    assert set(written) <= in_file
    with Project.open(path) as project:
        assert project.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3


def test_only_sqlite_opens_the_project_file(shared, monkeypatch):
    """``Project.open`` opens no descriptor of its own on the file (a closed one drops SQLite's locks)."""
    import builtins
    import io

    path, _ = shared
    opened: list[str] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def spy(real):
        def wrapper(file, *args, **kwargs):
            if str(file).startswith(str(path)):
                opened.append(str(file))
            return real(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_io_open))
    monkeypatch.setattr(os, "open", spy(real_os_open))
    with Project.open(path):
        pass
    assert opened == []


def test_background_worker_uses_the_public_open(shared, monkeypatch):
    from workbench.ui import background

    path, _ = shared
    calls: list[Path] = []
    real = Project.open.__func__

    def spy(cls, p, **kwargs):
        calls.append(Path(p))
        return real(cls, p, **kwargs)

    monkeypatch.setattr(Project, "open", classmethod(spy))
    background.open_worker_project(path).close()
    assert calls == [path]  # (with check=False: the window checked the file already)


# --- the write lock: every write transaction waits for it --------------------------------------


class Holder:
    """Another connection that holds the write lock for ``HOLD_SECONDS`` (a CLI merge, say)."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO settings (key, value) VALUES ('holder', '1') ON CONFLICT(key) DO NOTHING")
        self.thread = threading.Thread(target=self._release)

    def _release(self) -> None:
        time.sleep(HOLD_SECONDS)
        self.conn.execute("COMMIT")
        self.conn.close()

    def __enter__(self) -> Holder:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.thread.join()


@pytest.fixture
def window(shared):
    path, doc_ids = shared
    project = Project.open(path)
    # A read first, so the connection has a snapshot to go stale (as the window's does).
    yield project, doc_ids
    project.close()


def _span_of(project: Project, span_id: str):
    return span_store.get(project.db, span_id)


def test_relabel_waits_for_the_write_lock(window):
    project, (doc_id, _) = window
    span_id = _tag(project, doc_id, *_words(project, doc_id)[0])
    action = intents.relabel(project, _span_of(project, span_id), "LOCATION")
    with Holder(project.path):
        action.do(project)
    assert _span_of(project, span_id).label == "LOCATION"


def test_delete_and_undo_wait_for_the_write_lock(window):
    project, (doc_id, _) = window
    span_id = _tag(project, doc_id, *_words(project, doc_id)[0])
    action = intents.delete(project, _span_of(project, span_id))
    with Holder(project.path):
        action.do(project)
    assert _span_of(project, span_id) is None
    with Holder(project.path):
        action.undo(project)
    assert _span_of(project, span_id) is not None


def test_status_waits_for_the_write_lock(window):
    project, (doc_id, _) = window
    action = intents.set_status(project, doc_id, ANNOTATOR, "done")
    with Holder(project.path):
        action.do(project)
    result = cli(project.path, "progress", "--json")
    assert result.returncode == 0
    with Holder(project.path):
        status = cli(project.path, "status", doc_id, "in-progress")
    assert status.returncode == 0, status.stderr


def test_settings_labels_annotators_wait_for_the_write_lock(window):
    from workbench.core.store.labels import Label

    project, _ = window
    with Holder(project.path):
        project.set_setting("guidelines", "read them")
    with Holder(project.path):
        project.add_annotator("Karim")
    with Holder(project.path):
        project.add_label(Label("WEAPON", "#aa5500"))
    with Holder(project.path):
        project.set_current_annotator("Huda")
    assert project.setting("guidelines") == "read them"
    assert {"Karim", "Huda"} <= set(project.annotators())
    assert project.label("WEAPON") is not None


def test_cli_import_waits_for_the_write_lock(window, corpus_files):
    project, _ = window
    with Holder(project.path):
        result = cli(project.path, "import", str(corpus_files[3]))
    assert result.returncode == 0, result.stderr


def test_bundle_import_waits_for_the_write_lock(window, tmp_path):
    from workbench.core.assign import assign_by_hand
    from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
    from workbench.core.bundles.work_bundle import export_work_bundle

    project, (doc_id, _) = window
    project.add_annotator("Karim")
    assign_by_hand(project, [doc_id], "Karim")
    bundle = tmp_path / "karim.wbbundle"
    export_project_bundle(project, "Karim", bundle)
    copy = open_project_bundle(bundle, tmp_path / "karim.wbproj")
    action = intents.tag(copy, doc_id, "Karim", *_words(copy, doc_id)[0], "ACTOR")
    action.do(copy)
    work = tmp_path / "karim.wbwork"
    export_work_bundle(copy, work)
    copy.close()
    with Holder(project.path):
        result = cli(project.path, "bundle", "import", str(work))
    assert result.returncode == 0, result.stderr
    assert _span_of(project, action.span.id) is not None

"""Issue 11: damaged, read-only and full disks, and SQLite files that are not projects.

- A damaged page (an index leaf of ``spans`` overwritten) is found when the project is
  opened (``PRAGMA quick_check``) or when a statement meets it; nothing is written into the
  file, and the message names the ways out (the last backup, ``.recover``, an export).
- A read-only file or folder opens read-only and every write is refused with a sentence
  (the read-only cases use a read-only bind mount: the tests run as root, whom file modes
  do not stop; they are skipped where mounting is not allowed).
- A full disk (``PRAGMA max_page_count``, or a small tmpfs) is a sentence, nothing confirmed
  is lost, and the WAL stays bounded.
- An SQLite file that is not a project is refused without a byte written.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core import intents
from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store.project import DamagedProject, DiskFull, Project, ReadOnlyProject

ANNOTATOR = "Salma"
MAIN = Path(__file__).resolve().parents[1]


def cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, WORKBENCH_BIDI="logical")
    return subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(path), *args],
        cwd=MAIN,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _words(project: Project, doc_id: str) -> list[tuple[int, int]]:
    text = intents.document_text(project, doc_id)
    return [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{3,}", text)]


def tagged_project(path: Path, corpus_files: list[Path], spans: int) -> tuple[Path, str]:
    """A closed project at ``path`` with two articles and ``spans`` of Salma's ACTOR spans on
    the first one's words; the path and that article's id."""
    with Project.create(path) as project:
        import_paths(project, corpus_files[:2])
        project.set_current_annotator(ANNOTATOR)
        doc_id = project.db.execute("SELECT id FROM documents ORDER BY rowid").fetchone()[0]
        for start, end in _words(project, doc_id)[:spans]:
            intents.tag(project, doc_id, ANNOTATOR, start, end, "ACTOR").do(project)
    return path, doc_id


@pytest.fixture
def made(tmp_path, corpus_files) -> tuple[Path, str]:
    """A closed project (WAL checkpointed into the file) with a few spans."""
    path, doc_id = tagged_project(tmp_path / "made.wbproj", corpus_files, 20)
    assert not Path(f"{path}-wal").exists()
    return path, doc_id


def _corrupt_spans_index_leaf(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    name, root = conn.execute(
        "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' ORDER BY name"
    ).fetchone()
    conn.close()
    with path.open("r+b") as handle:  # (no connection is open: the test may touch the file)
        handle.seek((root - 1) * page_size)
        assert handle.read(1) == b"\x0a", f"{name}'s root is not an index leaf page"
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff" * (page_size - 8))


# --- damage ----------------------------------------------------------------------------------


def test_a_damaged_index_is_found_on_open_and_nothing_is_written(made, snapshot):
    path, doc_id = made
    with Project.open(path) as project:
        backup = project.backup("manual")
    _corrupt_spans_index_leaf(path)
    before = path.read_bytes()

    project = Project.open(path)
    assert project.damage is not None and not project.writable
    # The action refuses to write; a read on the damaged page may fail first, with SQLite's
    # error, which the front ends turn into the same sentence (Project.user_error).
    with pytest.raises((DamagedProject, sqlite3.DatabaseError)) as refused:
        intents.tag(project, doc_id, ANNOTATOR, *_words(project, doc_id)[30], "DATE").do(project)
    error = project.user_error(refused.value)
    assert isinstance(error, DamagedProject)
    message = str(error)
    assert "damaged" in message and "will not write" in message
    assert str(backup) in message and ".recover" in message and "export" in message
    with pytest.raises(DamagedProject):
        project.set_setting("guidelines", "x")
    assert doc_id in documents.ids(project.db)  # what is readable can still be read
    project.close()
    assert path.read_bytes() == before

    added = cli(path, "span", "add", doc_id, "0", "3", "DATE")
    assert added.returncode == 1
    assert added.stderr.startswith("Error: the project file") and "damaged" in added.stderr
    assert "Traceback" not in added.stderr
    assert path.read_bytes() == before


def test_damage_met_by_a_statement_stops_all_writing(made):
    path, doc_id = made
    project = Project.open(path)
    words = _words(project, doc_id)
    real = span_store.insert

    def malformed(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    span_store.insert = malformed  # type: ignore[assignment]
    try:
        with pytest.raises(DamagedProject):
            intents.tag(project, doc_id, ANNOTATOR, *words[30], "DATE").do(project)
    finally:
        span_store.insert = real  # type: ignore[assignment]
    with pytest.raises(DamagedProject, match=".recover"):
        intents.tag(project, doc_id, ANNOTATOR, *words[31], "DATE").do(project)
    project.close()


def test_an_sqlite_file_that_is_not_a_project_is_refused_without_a_byte_written(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE things (a)")
    conn.execute("INSERT INTO things VALUES (1)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"  # a rollback-journal file
    with pytest.raises(Exception, match="not a Workbench project"):
        Project.open(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()
    result = cli(path, "docs")
    assert result.returncode == 1 and "not a Workbench project" in result.stderr
    assert path.read_bytes() == before


# --- full disk -------------------------------------------------------------------------------


def test_a_full_disk_is_a_sentence_and_loses_nothing_confirmed(made):
    path, doc_id = made
    project = Project.open(path)
    words = _words(project, doc_id)
    confirmed = []
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages}")
    refusals = 0
    for start, end in words[30:130]:
        action = intents.tag(project, doc_id, ANNOTATOR, start, end, "DATE")
        try:
            action.do(project)
        except DiskFull as exc:
            assert "full" in str(exc)
            refusals += 1
        else:
            confirmed.append(action.span.id)
    assert refusals
    project.close()
    with Project.open(path) as again:
        assert all(span_store.get(again.db, span_id) for span_id in confirmed)


def test_the_wal_stays_bounded(made, corpus_files):
    from workbench.core.store.project import JOURNAL_SIZE_LIMIT

    path, doc_id = made
    window = Project.open(path)
    assert window.db.execute("PRAGMA journal_size_limit").fetchone()[0] == JOURNAL_SIZE_LIMIT
    with Project.open(path) as other:
        import_paths(other, corpus_files)
    # a large merge or import checkpoints: the WAL holds no more than the autocheckpoint's worth
    assert os.path.getsize(f"{path}-wal") <= JOURNAL_SIZE_LIMIT
    window.close()


# --- read-only -------------------------------------------------------------------------------


@pytest.fixture
def read_only_mount(tmp_path):
    """``(source, mounted)``: a folder and a read-only bind mount of it."""
    source, mounted = tmp_path / "src", tmp_path / "ro"
    source.mkdir()
    mounted.mkdir()
    yield source, mounted
    if subprocess.run(["umount", str(mounted)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mounted)], capture_output=True)  # busy: detach it


def _mount_read_only(source: Path, mounted: Path) -> None:
    for args in (["mount", "--bind", str(source), str(mounted)], ["mount", "-o", "remount,ro,bind", str(mounted)]):
        if subprocess.run(args, capture_output=True).returncode != 0:
            subprocess.run(["umount", str(mounted)], capture_output=True)
            pytest.skip("cannot make a read-only bind mount here")


def test_a_project_in_a_read_only_folder_opens_read_only(made, read_only_mount):
    path, doc_id = made
    source, mounted = read_only_mount
    shutil.copy(path, source / path.name)
    _mount_read_only(source, mounted)
    target = mounted / path.name

    project = Project.open(target)
    assert project.read_only and not project.writable
    assert len(span_store.for_document(project.db, doc_id, ANNOTATOR)) == 20
    with pytest.raises(ReadOnlyProject, match="^this project is read-only: "):
        intents.tag(project, doc_id, ANNOTATOR, 0, 3, "DATE").do(project)
    project.close()

    result = cli(target, "span", "add", doc_id, "0", "3", "DATE")
    assert result.returncode == 1 and result.stderr.startswith("Error: this project is read-only")
    assert "Traceback" not in result.stderr
    assert cli(target, "docs").returncode == 0


def test_a_read_only_folder_with_wal_files_opens_with_everything_in_them(made, read_only_mount, qtbot, dialogs):
    """The window holds the project open elsewhere (WAL not checkpointed): a copy of the
    three files on a read-only medium opens read-only with every span, and the window opens
    without the bogus 'already open in another window (process 0 on )'."""
    path, doc_id = made
    source, mounted = read_only_mount
    writer = Project.open(path)
    action = intents.tag(writer, doc_id, ANNOTATOR, *_words(writer, doc_id)[40], "DATE")
    action.do(writer)
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{path}{suffix}", source / f"{path.name}{suffix}")
    writer.close()
    _mount_read_only(source, mounted)
    target = mounted / path.name

    with Project.open(target) as project:
        assert project.read_only
        assert span_store.get(project.db, action.span.id) is not None

    from workbench.ui.app import Controller
    from workbench.ui.session import app_settings, make_application

    make_application()
    controller = Controller(app_settings())
    assert controller.open(target), dialogs
    try:
        window = controller.session.window
        assert "read-only" in window.windowTitle()
        assert window.findChild(type(window.saved), "writeNotice").text().startswith("Read-only")
        assert not [text for _kind, text in dialogs if "process 0" in text]
        opened = controller.session.project
        assert window.run(intents.tag(opened, doc_id, ANNOTATOR, 0, 3, "DATE")) is False
    finally:
        controller.close()

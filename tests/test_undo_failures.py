"""Issue 11: a step of the undo stack that the project refuses leaves the stack as it was.

Today a failed undo (another program holds the write lock past the busy timeout) drops the
command as if it had been undone while its span stays in the file; the stack and the file
disagree and Redo fails with a UNIQUE error. A refused step now changes nothing, says why
(``refused``, no crash dialog), and can be tried again.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from PySide6.QtGui import QUndoStack

from workbench.core import intents
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store.project import DiskFull, Project, ProjectBusy, ReadOnlyProject
from workbench.ui.runner import ActionRunner
from workbench.ui.session import make_application

ANNOTATOR = "Salma"


@pytest.fixture
def setup(qtbot, project_path, corpus_files):
    make_application()
    with Project.create(project_path) as project:
        import_paths(project, corpus_files[:1])
        project.set_current_annotator(ANNOTATOR)
    project = Project.open(project_path)
    stack = QUndoStack()
    runner = ActionRunner(project, stack)
    refused: list[Exception] = []
    runner.refused.connect(refused.append)
    doc_id = project.db.execute("SELECT id FROM documents").fetchone()[0]
    text = intents.document_text(project, doc_id)
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{3,}", text)]
    yield project, stack, runner, refused, doc_id, words
    project.close()


class Lock:
    """Another connection holding the write lock; the window's connection gives up at once."""

    def __init__(self, project: Project):
        project.db.execute("PRAGMA busy_timeout = 0")
        self.conn = sqlite3.connect(str(project.path), isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")
        self.conn.close()


def _in_file(project: Project, span_id: str) -> bool:
    return span_store.get(project.db, span_id) is not None


def test_a_failed_undo_leaves_the_stack_and_the_file_as_they_were(setup):
    project, stack, runner, refused, doc_id, words = setup
    change = runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[0], "ACTOR"))
    span_id = change.added[0].id
    lock = Lock(project)
    stack.undo()
    assert refused and isinstance(refused[-1], ProjectBusy)
    assert (stack.index(), stack.count()) == (1, 1)
    assert _in_file(project, span_id)
    lock.release()

    stack.undo()
    assert not _in_file(project, span_id) and stack.index() == 0
    stack.redo()
    assert _in_file(project, span_id) and stack.index() == 1
    assert len(refused) == 1


def test_a_failed_redo_leaves_the_stack_and_the_file_as_they_were(setup):
    project, stack, runner, refused, doc_id, words = setup
    change = runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[0], "ACTOR"))
    span_id = change.added[0].id
    stack.undo()
    lock = Lock(project)
    stack.redo()
    assert refused and isinstance(refused[-1], ProjectBusy)
    assert (stack.index(), stack.count()) == (0, 1)
    assert not _in_file(project, span_id)
    lock.release()
    stack.redo()
    assert _in_file(project, span_id) and stack.index() == 1
    stack.undo()
    assert not _in_file(project, span_id)


def test_a_failed_action_is_refused_and_the_stack_keeps_its_history(setup):
    project, stack, runner, refused, doc_id, words = setup
    runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[0], "ACTOR"))
    lock = Lock(project)
    assert runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[1], "DATE")) is None
    lock.release()
    assert isinstance(refused[-1], ProjectBusy)
    assert (stack.index(), stack.count()) == (1, 1)


def test_a_full_disk_gives_one_message_and_editing_resumes_when_there_is_room(setup):
    project, stack, runner, refused, doc_id, words = setup
    confirmed = [runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[0], "ACTOR")).added[0].id]
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on the next new page
    failures = 0
    for start, end in words[1:200]:
        change = runner.run(intents.tag(project, doc_id, ANNOTATOR, start, end, "ACTOR"))
        if change is None:
            failures += 1
        else:
            confirmed.append(change.added[0].id)
    assert failures > 0
    assert [type(exc) for exc in refused] == [DiskFull]  # one message, not one per key press
    assert "full" in str(refused[0])
    project.db.execute(f"PRAGMA max_page_count = {pages * 100}")  # space is back
    change = runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[300], "DATE"))
    assert change is not None
    confirmed.append(change.added[0].id)
    project.close()
    with Project.open(project.path) as again:
        assert all(_in_file(again, span_id) for span_id in confirmed)


def test_a_read_only_project_refuses_edits_in_words(setup):
    project, stack, runner, refused, doc_id, words = setup
    project.read_only = "test.wbproj cannot be written (the file is read-only)"
    assert runner.run(intents.tag(project, doc_id, ANNOTATOR, *words[0], "ACTOR")) is None
    assert isinstance(refused[-1], ReadOnlyProject)
    assert str(refused[-1]).startswith("this project is read-only")
    assert stack.count() == 0

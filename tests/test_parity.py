"""The window and the command line run the same intents: the same work done through
each, on two copies of one project, leaves the same rows in both files.

Tag two spans, tag a third and delete it, mark the document done: once by keys in
the real window, once by `workbench-cli` commands. Then every span, status and
change-log row is compared, with what must differ (random ids, clocks) left out.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store.project import Project
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"
SALMA = "Salma"
# (needle, occurrence, label key, label): whole words, so the window's snapping keeps them as they are
TAGS = [("خليفة حفتر", 0, Qt.Key.Key_1, "ACTOR"), ("الجمعة 5 أبريل 2019", 0, Qt.Key.Key_4, "DATE")]
DELETED = ("طرابلس", 0, Qt.Key.Key_2, "LOCATION")


def _find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def shared(tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    path = tmp_path / "salma.wbproj"
    with Project.create(path, name="ليبيا") as project:
        import_paths(project, corpus_files)
        project.set_current_annotator(SALMA)
        text = documents.get(project.db, DOC).text
    for needle, _nth, *_ in [*TAGS, DELETED]:
        assert needle in text, needle
    return path, text


def _cli(db, *args) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_BIDI": "logical"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _by_cli(db, text: str) -> None:
    for needle, nth, _key, label in TAGS:
        _cli(db, "span", "add", DOC, *map(str, _find(text, needle, nth)), label)
    needle, nth, _key, label = DELETED
    made = json.loads(_cli(db, "span", "add", DOC, *map(str, _find(text, needle, nth)), label, "--json"))
    _cli(db, "span", "delete", made["id"])
    _cli(db, "status", DOC, "done")


def _by_window(qtbot, db, text: str) -> None:
    make_application()
    project = Project.open(db)
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    try:
        window.open_document(DOC)
        for needle, nth, key, _label in [*TAGS, DELETED]:
            window.view.select_range(*_find(text, needle, nth))
            window.view.setFocus()
            QTest.keyClick(window.view, key)
        QTest.keyClick(window.view, Qt.Key.Key_Delete)  # the span just made is the selected one
        QTest.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    finally:
        window.close()
        project.close()


_SPAN_FIELDS = ("doc_id", "annotator", "start", "end", "label", "attributes", "note", "unsure")


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ("id", "created_at", "updated_at")}
    return value


def _rows(path) -> dict[str, list]:
    conn = sqlite3.connect(str(path))
    try:
        spans = sorted(
            conn.execute(
                'SELECT doc_id, annotator, start, "end", label, attributes, note, unsure FROM spans'
            ).fetchall()
        )
        statuses = sorted(conn.execute("SELECT doc_id, annotator, status FROM doc_status").fetchall())
        changes = [
            (
                action,
                actor,
                doc_id,
                _without_ids(json.loads(before or "null")),
                _without_ids(json.loads(after or "null")),
            )
            for action, actor, doc_id, before, after in conn.execute(
                "SELECT action, actor, doc_id, before, after FROM changes ORDER BY seq"
            )
        ]
        return {"spans": spans, "statuses": statuses, "changes": changes}
    finally:
        conn.close()


def test_the_window_and_the_cli_leave_the_same_rows(qtbot, tmp_path, shared):
    path, text = shared
    by_cli, by_window = tmp_path / "cli.wbproj", tmp_path / "window.wbproj"
    shutil.copy(path, by_cli)
    shutil.copy(path, by_window)
    before = _rows(path)

    _by_cli(by_cli, text)
    _by_window(qtbot, by_window, text)

    cli, window = _rows(by_cli), _rows(by_window)
    assert window == cli
    # and the work is really there: two spans, the third created then deleted, the document done
    assert [(s[4], text[s[2] : s[3]]) for s in sorted(cli["spans"], key=lambda s: s[2])] == sorted(
        [(label, needle) for needle, _n, _k, label in TAGS], key=lambda t: text.index(t[1])
    )
    assert (DOC, SALMA, "done") in cli["statuses"]
    new = cli["changes"][len(before["changes"]) :]
    assert [c[0] for c in new] == [
        "span.create",
        "status.set",
        "span.create",
        "span.create",
        "span.delete",
        "status.set",
    ]
    assert all(c[1] == SALMA for c in new)

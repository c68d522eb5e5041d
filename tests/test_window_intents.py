"""The window turns keys into the core's intents, runs them through one runner and refreshes
every view from the one Change signal; background work runs through one helper."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core import adjudication
from workbench.core.actions import CreateSpan, EditSpan, SetStatus
from workbench.core.errors import InvalidInput
from workbench.core.importer import import_paths
from workbench.core.intents import BACKWARD, FORWARD
from workbench.core.store import spans as span_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.ui.app import Session, app_settings, make_application
from workbench.ui.background import run_in_background
from workbench.ui.span_editing import LEFT, RIGHT, text_direction

DOC = "002_af682284de1024ff"


def _activate(qtbot, window):
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _find(text, needle, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture(autouse=True)
def _without_suggestions(monkeypatch):
    """These tests drive the editing paths with the spans they make by hand: the value engines'
    suggestions and filled values (tests/test_suggestions_gui.py, tests/test_values_in_window.py)
    are switched off here, as a lead may switch them off for a project."""
    from workbench.core import suggestions

    monkeypatch.setattr(suggestions, "enabled", lambda project: False)


@pytest.fixture
def casualty_project(tmp_path, monkeypatch, corpus_files):
    """Three annotators mark the same CASUALTY, with count 3, 4 and 4; the file is closed."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    path = tmp_path / "lead.wbproj"
    project = Project.create(path, name="ليبيا")
    import_paths(project, corpus_files)
    project.set_current_annotator("Lead")
    text = project_text(project)
    edges = _find(text, "30 من قواته", 1)
    for name, count in (("Salma", 3), ("Omar", 4), ("Huda", 4)):
        project.add_annotator(name)
        CreateSpan(Span(DOC, name, *edges, "CASUALTY", {"count": count, "kind": "captured"})).do(project)
        SetStatus(DOC, name, "done").do(project)
    project.close()
    return path


def project_text(project):
    from workbench.core.store import documents

    return documents.get(project.db, DOC).text


def _gold(path):
    with Project.open(path) as project:
        rows = []
        for span in span_store.for_document(project.db, DOC, GOLD):
            info = adjudication.provenance(project, span.id)
            rows.append(
                (span.start, span.end, span.label, span.attributes, sorted(info["agreed_by"]), info["adjudicator"])
            )
        return rows


def _window_on(qtbot, path):
    make_application()
    project = Project.open(path)
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    window._test_session = session  # the session owns the undo stack: keep it alive
    _activate(qtbot, window)
    return window, project


def _cli_unanimous(path):
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(path), "adjudicate", "--auto-unanimous"],
        capture_output=True,
        env={**os.environ},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()


def test_accept_all_unanimous_stores_the_same_gold_in_the_window_and_the_cli(qtbot, tmp_path, casualty_project):
    # Issue 11: versions that differ in their attributes (count 3, 4, 4) are an attribute
    # disagreement, not unanimous: neither the CLI nor Ctrl+Shift+U accepts them (before, both
    # accepted count 4 "agreed by" all three). The adjudicator accepts the majority (A): count
    # 4, agreed by the two who gave it.
    by_cli, by_window = tmp_path / "cli.wbproj", tmp_path / "window.wbproj"
    shutil.copy(casualty_project, by_cli)
    shutil.copy(casualty_project, by_window)
    with Project.open(by_cli) as project:  # make Huda's count 4 too, in the CLI's copy only
        salma = span_store.for_document(project.db, DOC, "Salma")[0]
        EditSpan(salma, "Lead", attributes={**salma.attributes, "count": 4}).do(project)
    _cli_unanimous(by_cli)
    assert [(g[3]["count"], g[4]) for g in _gold(by_cli)] == [(4, ["Huda", "Omar", "Salma"])]

    _cli_unanimous(by_window)
    assert _gold(by_window) == []  # an attribute disagreement is not unanimous

    window, project = _window_on(qtbot, by_window)
    try:
        window.adjudicate_document(DOC)
        assert window.annotator == GOLD
        assert [c.kind for c in window.adjudication.clusters] == ["attributes"]
        QTest.keyClick(
            window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        assert window.span_model.rowCount() == 0  # the window agrees with the CLI
        QTest.keyClick(window.view, Qt.Key.Key_A)  # accept the majority
        # The window shows the accepted span at once, from the change signal.
        assert [s.attributes["count"] for s in window.view.spans.values()] == [4]
        assert window.span_model.rowCount() == 1
    finally:
        window.close()
        project.close()

    gold = _gold(by_window)
    assert gold and gold[0][3]["count"] == 4  # the majority's attributes, not the first version's (3)
    assert gold[0][4] == ["Huda", "Omar"] and gold[0][5] == "Lead"  # Salma gave 3: she did not agree

    # Where the annotators agree on everything, the window's Ctrl+Shift+U stores what the CLI did.
    same = tmp_path / "same.wbproj"
    shutil.copy(casualty_project, same)
    with Project.open(same) as project:
        salma = span_store.for_document(project.db, DOC, "Salma")[0]
        EditSpan(salma, "Lead", attributes={**salma.attributes, "count": 4}).do(project)
    window, project = _window_on(qtbot, same)
    try:
        window.adjudicate_document(DOC)
        assert [c.kind for c in window.adjudication.clusters] == ["unanimous"]
        QTest.keyClick(
            window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        assert window.span_model.rowCount() == 1
    finally:
        window.close()
        project.close()
    window_gold, cli_gold = _gold(same), _gold(by_cli)
    assert [g[:5] for g in window_gold] == [g[:5] for g in cli_gold] and window_gold[0][5] == "Lead"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "annotate.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator("Salma")
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    _activate(qtbot, window)
    window.open_document(DOC)
    yield window
    session.window.close()
    project.close()


def _select_and_press(window, start, end, key):
    window.view.select_range(start, end)
    window.view.setFocus()
    QTest.keyClick(window.view, key)


def test_one_model_one_signal(window):
    """The view, the highlighter and the table read one model; each action emits one Change."""
    changes = []
    window.runner.changed.connect(changes.append)
    assert window.view.model is window.spans and window.span_model.source is window.spans
    start, end = _find(window.text, "خليفة حفتر")
    _select_and_press(window, start, end, "1")
    [created] = changes[-1].added
    assert window.spans.get(created.id) == created
    assert window.view.spans[created.id] == created  # no copy: the model's own mapping
    assert window.span_model.span(0) is window.spans.get(created.id)
    assert created.id in window.view.highlighter.view_spans
    assert window.selected_span == created.id
    QTest.keyClick(window.view, "2")  # relabel: one update
    assert [s.label for s in changes[-1].updated] == ["LOCATION"]
    assert window.spans.get(created.id).label == "LOCATION"
    assert window.span_model.data(window.span_model.index(0, 0)) == "LOCATION"
    window.undo_stack.undo()  # the undo stack's steps go through the same signal
    assert [s.label for s in changes[-1].updated] == ["ACTOR"]
    assert window.spans.get(created.id).label == "ACTOR"
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s.id for s in changes[-1].removed] == [created.id]
    assert len(window.spans) == 0 and window.span_model.rowCount() == 0
    assert window.view.highlighter.view_spans == {}
    assert window.selected_span is None


def test_edge_nudges_merge_into_one_undo_step(window):
    start, end = _find(window.text, "جيش شرق ليبيا")
    _select_and_press(window, start, end, "1")
    count = window.undo_stack.count()
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    span = window.spans.get(window.selected_span)
    assert window.text[span.start : span.end] == "بجيش شرق ليب"  # (snapping took the whole word)
    assert window.undo_stack.count() == count + 1
    window.undo_stack.undo()
    span = window.spans.get(window.selected_span)
    assert window.text[span.start : span.end] == "بجيش شرق ليبيا"


def test_a_refused_undo_is_reported_and_the_stack_stays_usable(window, dialogs):
    start, end = _find(window.text, "طرابلس")
    _select_and_press(window, start, end, "2")
    span = window.spans.get(window.selected_span)
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    # Someone else puts a span with that id back: undoing the delete must be refused.
    with window.project.transaction() as db:
        span_store.insert(db, span, "someone")
    before = window.undo_stack.count()
    window.undo_stack.undo()
    assert dialogs and dialogs[-1][0] == "warning"
    assert window.undo_stack.count() == before - 1  # the refused command left the stack
    # The stack still works: undo the creation, redo it.
    window.undo_stack.undo()
    assert span_store.for_document(window.project.db, DOC, "Salma") == []
    window.undo_stack.redo()
    assert len(span_store.for_document(window.project.db, DOC, "Salma")) == 1


def test_nothing_to_tag_is_said_in_the_status_bar(window, dialogs):
    start = window.text.index(" ")
    _select_and_press(window, start, start + 1, "1")
    assert "Nothing to tag" in window.statusBar().currentMessage()
    assert not dialogs and window.undo_stack.count() == 0


def test_screen_arrows_map_to_text_directions():
    assert text_direction(LEFT, rtl=True) == FORWARD
    assert text_direction(RIGHT, rtl=True) == BACKWARD
    assert text_direction(RIGHT, rtl=False) == FORWARD
    assert text_direction(LEFT, rtl=False) == BACKWARD


# --- the background helper ----------------------------------------------------------------


def test_background_work_runs_on_its_own_connection_with_progress(qtbot, project, project_path):
    make_application()
    project.close()
    seen = {}

    def work(worker_project, progress, cancelled):
        seen["thread"] = threading.current_thread()
        for n in range(3):
            progress(n + 1, 3)
        return worker_project.name

    steps, results = [], []
    task = run_in_background(
        project_path, work, on_progress=lambda d, t: steps.append((d, t)), on_result=results.append
    )
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert results == ["test"] and steps == [(1, 3), (2, 3), (3, 3)]
    assert seen["thread"] is not threading.main_thread()


def test_background_errors_and_cancel(qtbot, project, project_path):
    make_application()
    project.close()

    def failing(_project, _progress, _cancelled):
        raise InvalidInput("no such thing")

    errors = []
    task = run_in_background(project_path, failing, on_error=errors.append)
    task.join()
    assert [str(e) for e in errors] == ["no such thing"]

    started = threading.Event()

    def patient(_project, _progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        return "stopped"

    results = []
    task = run_in_background(project_path, patient, on_result=results.append)
    assert started.wait(10)
    task.cancel()
    assert task.join(10_000)
    assert results == ["stopped"]
    # Abandoned work delivers nothing.
    results.clear()
    task = run_in_background(project_path, patient, on_result=results.append)
    assert started.wait(10)
    task.abandon()
    task.join()
    QApplication.processEvents()
    assert results == []


def test_undo_after_the_window_is_rebuilt_reaches_the_new_window(window, qtbot):
    """The runner belongs to the session's undo stack: a rebuilt window (a language change)
    hears the changes of commands pushed by the old one."""
    start, end = _find(window.text, "طرابلس")
    _select_and_press(window, start, end, "2")
    stack, runner = window.undo_stack, window.runner
    session = stack.parent()  # the session owns the stack and rebuilds its window
    again = session.show()
    _activate(qtbot, again)
    assert again is not window and again.runner is runner
    assert len(again.spans) == 1
    stack.undo()
    assert len(again.spans) == 0 and again.span_model.rowCount() == 0
    stack.redo()
    assert len(again.spans) == 1 and again.span_model.rowCount() == 1

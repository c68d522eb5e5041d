"""What the window starts as it opens waits for the article's first paint.

A worker thread started before that paint (the open document's suggestions, the team's progress,
the damage check) takes turns with it for the interpreter and delays it; each is held by
:class:`~workbench.ui.background.AfterFirstPaint` until the article has painted, then runs.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTextEdit

from workbench.core.assign import assign_balanced
from workbench.core.importer import import_paths
from workbench.core.store.project import Project
from workbench.ui import background
from workbench.ui.background import AfterFirstPaint
from workbench.ui.session import Session, app_settings, make_application


class Recorder(QObject):
    """Notes each paint of ``widget`` in ``events``."""

    def __init__(self, widget, events: list[str]):
        super().__init__(widget)
        self.widget, self.events = widget, events
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.widget and event.type() == QEvent.Type.Paint:
            self.events.append("paint")
        return False


def test_work_waits_for_the_first_paint_then_runs_at_once(qtbot):
    view = QTextEdit()
    view.setPlainText("قُتل ثلاثة مدنيين في طرابلس أمس.")
    qtbot.addWidget(view)
    events: list[str] = []
    gate = AfterFirstPaint(view.viewport(), fallback_ms=60_000)
    Recorder(view.viewport(), events)
    gate.call(lambda: events.append("first"))
    gate.call(lambda: events.append("second"))
    QApplication.processEvents()
    assert events == [] and not gate.painted  # (not shown: no paint yet)
    view.show()
    qtbot.waitUntil(lambda: "second" in events)
    assert events[0] == "paint" and events.index("first") < events.index("second")
    assert gate.painted
    gate.call(lambda: events.append("later"))
    assert events[-1] == "later"  # painted already: at once


def test_a_widget_that_never_paints_lets_the_work_go_after_the_fallback(qtbot):
    view = QTextEdit()  # (never shown: a window opened minimised)
    qtbot.addWidget(view)
    ran: list[str] = []
    gate = AfterFirstPaint(view.viewport(), fallback_ms=50)
    gate.call(lambda: ran.append("work"))
    qtbot.waitUntil(lambda: ran == ["work"], timeout=5000)
    assert gate.painted


@pytest.fixture
def lead_project(tmp_path, corpus_files, monkeypatch):
    """A lead's project with assigned documents (the Team panel opens with the window) and
    suggestions on (the open document's are computed as it opens)."""
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    path = tmp_path / "lead.wbproj"
    with Project.create(path, name="Libya") as project:
        import_paths(project, corpus_files)
        project.set_current_annotator("Lead")
        for name in ("Salma", "Omar"):
            project.add_annotator(name)
        assign_balanced(project, ["Salma", "Omar"], k=1)
    return path


def _window_built_at_once(path):
    """The project opened as the app opens it (unchecked) and its window, built in one step."""
    make_application()
    project = Project.open(path, check=False)
    session = Session(project, app_settings())
    window = session.show()
    window._test_session = session  # (the session owns the undo stack: kept alive with the window)
    return project, window


def test_no_worker_starts_before_the_articles_first_paint_and_each_runs_after_it(qtbot, lead_project, monkeypatch):
    events: list[str] = []
    started = background.BackgroundTask.start

    def start(task, *args):
        events.append("worker")
        started(task, *args)

    monkeypatch.setattr(background.BackgroundTask, "start", start)
    project, window = _window_built_at_once(lead_project)
    try:
        Recorder(window.view.viewport(), events)
        assert "worker" not in events  # (built and shown: nothing started yet)
        assert window.feed.busy  # the suggestions are asked for, not forgotten
        qtbot.waitUntil(lambda: not window.feed.busy and window.team._filled, timeout=20_000)
        assert events[0] == "paint"
        assert events.count("worker") >= 3  # the damage check, the suggestions and the team's progress
        assert window.damage_check is not None and window.damage_check.started
        assert window.team.table.rowCount() == 3  # Lead, Salma and Omar
        assert window.spans.doc_id and window.feed._task is None
    finally:
        window.close()
        project.close()


def test_a_window_closed_before_its_first_paint_starts_no_worker_afterwards(qtbot, lead_project, monkeypatch):
    events: list[str] = []
    started = background.BackgroundTask.start
    monkeypatch.setattr(
        background.BackgroundTask, "start", lambda task, *args: (events.append("worker"), started(task, *args))
    )
    make_application()
    project = Project.open(lead_project, check=False)
    session = Session(project, app_settings())
    window = session.show()
    window.close()  # (before any paint)
    qtbot.wait(1500)  # past the fallback too
    assert events == []
    project.close()


def test_the_document_lists_progress_is_counted_after_the_first_paint(qtbot, lead_project, monkeypatch):
    """Counting every document's status grows with the project (7 ms at 10,000 documents): the
    list and its first page come with the window, the progress just after the article paints."""
    from workbench.core.store import status as doc_status

    events: list[str] = []
    counted = doc_status.progress
    monkeypatch.setattr(doc_status, "progress", lambda *args: (events.append("progress"), counted(*args))[1])
    project, window = _window_built_at_once(lead_project)
    try:
        Recorder(window.view.viewport(), events)
        assert "progress" not in events and window.documents.model.rowCount() > 0
        assert window.team_dock.isVisible()  # (documents are assigned: the lead's Team panel opens)
        qtbot.waitUntil(lambda: "progress" in events, timeout=5000)
        assert events.index("paint") < events.index("progress")
        total = window.documents.model.rowCount()
        assert window.documents.progress_label.text() == f"0 of {total} done · 0 in progress"
        assert window.documents.progress.maximum() == total
    finally:
        window.close()
        project.close()


def test_what_waits_for_the_first_paint_is_dropped_when_the_window_closes_first(qtbot):
    view = QTextEdit()
    qtbot.addWidget(view)
    ran: list[str] = []
    gate = AfterFirstPaint(view.viewport(), fallback_ms=50)
    gate.call(lambda: ran.append("before"))
    gate.cancel()  # (the window closed: its project may be closed next)
    gate.call(lambda: ran.append("after"))
    qtbot.wait(200)  # past the fallback
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    assert ran == []


# --- the app's window: what its first paint shows first, the rest just after -------------------


def _app_window(qtbot, path):
    """The window as the app opens it (workbench.ui.app.Controller)."""
    from workbench.ui.app import Controller

    controller = Controller(app_settings())
    assert controller.open(path)
    return controller, controller.session.window


def _modules_at_first_paint(path) -> list[str]:
    """The modules imported when the app's window first paints, in a fresh process."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import json, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from PySide6.QtCore import QEvent, QObject
        from workbench.ui.app import open_project
        from workbench.ui.session import Session, app_settings, make_application
        app = make_application()
        session = Session(open_project(Path({str(path)!r})), app_settings())
        window = session.show(rest_after_paint=True)
        class Painted(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    print(json.dumps([window.whole, sorted(sys.modules)]), flush=True)
                    os._exit(0)
                return False
        spy = Painted()
        window.view.viewport().installEventFilter(spy)
        app.exec()
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    import json

    whole, modules = json.loads(out.stdout.strip().splitlines()[-1])
    assert whole is False
    return modules


def test_the_apps_window_paints_its_article_before_the_rest_is_built_or_imported(lead_project):
    modules = _modules_at_first_paint(lead_project)
    assert "workbench.ui.annotation_view" in modules and "workbench.ui.document_panel" in modules
    for later in (
        "workbench.core.intents",
        "workbench.ui.span_editing",
        "workbench.ui.suggestion_feed",
        "workbench.ui.adjudication_panel",
        "workbench.ui.guidelines_editor",
        "workbench.core.assistance",
    ):
        assert later not in modules, later


def test_the_apps_window_shows_what_its_first_paint_needs_then_becomes_whole(qtbot, lead_project):
    events: list[str] = []
    controller, window = _app_window(qtbot, lead_project)
    try:
        Recorder(window.view.viewport(), events)
        # Built and shown, not yet painted: the article with its document, the list, the panels.
        assert not window.whole and not hasattr(window, "editor")
        assert window.spans.doc_id and window.view.toPlainText().strip()
        assert window.documents.model.rowCount() > 0 and window.team_dock.isVisible()
        titles = [action.text() for action in window.menuBar().actions()]
        assert len(titles) == 6 and "&File" in titles  # (their commands come with the rest)
        qtbot.waitUntil(lambda: window.whole, timeout=5000)
        events.append("whole")
        assert events.index("paint") < events.index("whole")
        assert window.actions["undo"] in window.menus["Edit"].actions()
        assert window.search_dock.widget() is window.search and window.adjudication_dock.widget() is window.adjudication
    finally:
        window.close()
        controller.close()


def test_a_click_made_before_the_rest_is_built_finds_the_window_whole(qtbot, lead_project, monkeypatch):
    """A label chosen as the window appears (after its first paint, before the rest of the window
    is built with the palette's wiring and the editing keys) builds the rest first, then tags
    the selection.
    (Keys take the same path: the first key, shortcut or click builds the rest before it is
    delivered; a click needs no active window in a test.)"""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from workbench.core.store import spans as span_store
    from workbench.ui.main_window import MainWindow

    # The click comes after the first paint, before the rest's turn: that turn is held back here.
    monkeypatch.setattr(MainWindow, "_rest_after_paint", lambda window: None)
    controller, window = _app_window(qtbot, lead_project)
    try:
        events: list[str] = []
        Recorder(window.view.viewport(), events)
        qtbot.waitUntil(lambda: "paint" in events)
        qtbot.wait(50)
        assert not window.whole
        doc_id, layer = window.spans.doc_id, window.spans.layer
        text = window.spans.text
        word = text.split()[0]
        start = text.index(word)
        window.view.select_range(start, start + len(word))
        QTest.mouseClick(window.palette_widget.buttons["ACTOR"], Qt.MouseButton.LeftButton)
        assert window.whole
        stored = span_store.for_document(window.project.db, doc_id, layer)
        assert [(s.start, s.end, s.label) for s in stored] == [(start, start + len(word), "ACTOR")]
        assert list(window.spans.spans) == [s.id for s in stored]  # the article shows it
    finally:
        window.close()
        controller.close()


def test_an_action_run_before_the_rest_is_built_reaches_every_part_of_the_window(qtbot, lead_project):
    from workbench.core import intents

    controller, window = _app_window(qtbot, lead_project)
    try:
        assert not window.whole
        doc_id, layer = window.spans.doc_id, window.spans.layer
        text = window.spans.text
        word = text.split()[1]
        start = text.index(word)
        assert window.run(intents.tag(window.project, doc_id, layer, start, start + len(word), "LOCATION"))
        assert window.whole  # built first: each part has seen the change
        assert [(s.start, s.label) for s in window.spans.spans.values()] == [(start, "LOCATION")]
        assert window.span_model.rowCount() == 1 and window.actions["undo"].isEnabled()
    finally:
        window.close()
        controller.close()

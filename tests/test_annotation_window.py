"""The annotation window driven like a user: select, press keys, edit attributes, undo, check the database."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox

from workbench.core.errors import WorkbenchError
from workbench.core.importer import import_paths
from workbench.core.store import changelog
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project
from workbench.ui.app import install_excepthook, lock_project
from workbench.ui.search_panel import SearchPanel
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"


@pytest.fixture(autouse=True)
def _without_suggestions(monkeypatch):
    """These tests drive the editing paths with the spans they make by hand: the value engines'
    suggestions and filled values (tests/test_suggestions_gui.py, tests/test_values_in_window.py)
    are switched off here, as a lead may switch them off for a project."""
    from workbench.core import suggestions

    monkeypatch.setattr(suggestions, "enabled", lambda project: False)


@pytest.fixture
def session(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "annotate.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator("Salma")
    project.set_setting("guidelines", "# Guidelines\n\nلا تُدرج حروف العطف في الكيان.")
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()  # the session owns its windows (it rebuilds them on a language change)
    activate(qtbot, window)
    window.open_document(DOC)
    yield session
    session.window.close()
    session.apply_language("en")  # no Arabic translator left behind for the next test
    project.close()


@pytest.fixture
def window(session):
    return session.window


def activate(qtbot, window):
    """Show the window as the active one: shortcuts only reach the active window."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def stored(window, doc=DOC):
    return [
        (s.label, window.text[s.start : s.end], s.attributes)
        for s in span_store.for_document(window.project.db, doc, "Salma")
    ]


def find(window, needle, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = window.text.index(needle, start + 1)
    return start, start + len(needle)


def select_and_press(window, start, end, key):
    window.view.select_range(start, end)
    window.view.setFocus()
    QTest.keyClick(window.view, key)


def test_select_with_the_cursor_and_press_a_label_key(window):
    start, end = find(window, "خليفة حفتر")
    select_and_press(window, start, end, "1")
    assert stored(window) == [("ACTOR", "خليفة حفتر", {})]
    # Highlighted at once, on the right letters: the block holds a format over exactly the span.
    block = window.view.document().findBlock(start)
    ranges = [(r.start + block.position(), r.length) for r in block.layout().formats()]
    assert (start, end - start) in ranges
    # Listed in the table and selected there; the document is now in progress.
    assert window.span_model.rowCount() == 1
    assert window.span_table.currentIndex().row() == 0
    assert doc_status.get(window.project.db, DOC, "Salma") == "in-progress"
    assert window.saved.text().startswith("✓")
    # Every action is in the change log too.
    assert [c["action"] for c in changelog.history(window.project.db, DOC)] == ["span.create", "status.set"]


def _caret_point(window, offset, *, after: bool):
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.offsets.to_utf16(offset))
    rect = window.view.cursorRect(cursor)
    # Press a little inside the letter next to the edge.
    return QPoint(rect.center().x() + (-3 if after else 3), rect.center().y())


def _drag(window, start, end):
    viewport = window.view.viewport()
    # In a right-to-left line the start of the text is on the right.
    a, b = _caret_point(window, start, after=False), _caret_point(window, end, after=True)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def test_a_mouse_drag_across_a_date_with_digits_gives_exactly_that_span(window):
    start, end = find(window, "الجمعة 5 أبريل 2019")
    _drag(window, start + 1, end - 1)  # from inside the first word to inside the year
    assert window.view.textCursor().hasSelection()
    QTest.keyClick(window.view, "4")
    assert stored(window) == [("DATE", "الجمعة 5 أبريل 2019", {})]


def test_a_span_ending_in_digits_next_to_punctuation(window):
    start, end = find(window, "اللواء المجحفل 106")
    select_and_press(window, start, end + 1, "1")  # the selection runs into the following space
    assert stored(window) == [("ACTOR", "اللواء المجحفل 106", {})]
    start, end = find(window, '"حفتر"')
    select_and_press(window, start, end + 1, "1")  # quotes and the comma after it are trimmed
    assert [t for _, t, _ in stored(window)] == ["اللواء المجحفل 106", "حفتر"] or [t for _, t, _ in stored(window)] == [
        "حفتر",
        "اللواء المجحفل 106",
    ]


def test_click_selects_the_innermost_span_and_rows_select_spans(window, qtbot):
    outer = find(window, 'المشير "خليفة حفتر"')
    select_and_press(window, *outer, "1")
    inner = find(window, "خليفة")
    select_and_press(window, inner[0], inner[1] + 5, "1")  # "خليفة حفتر" after snapping
    assert sorted(t for _, t, _ in stored(window)) == sorted(['المشير "خليفة حفتر', "خليفة حفتر"])
    window.clear_selection()
    # Click in the middle of the inner span: the inner one is selected.
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(inner[0] + 2)
    point = window.view.cursorRect(cursor).center()
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    selected = window.view.spans[window.selected_span]
    assert window.text[selected.start : selected.end] == "خليفة حفتر"
    assert window.view.highlighter.selected == selected.id
    # Selecting the outer span's row selects it in the text.
    outer_row = next(r for r in range(window.span_model.rowCount()) if window.span_model.span(r).id != selected.id)
    window.span_table.selectRow(outer_row)
    assert window.view.highlighter.selected == window.span_model.span(outer_row).id


def test_keyboard_edges_proclitic_relabel_delete_undo_redo(window):
    start, end = find(window, "جيش شرق ليبيا")
    select_and_press(window, start + 1, end, "1")  # snapping takes the whole first word, بجيش
    assert [t for _, t, _ in stored(window)] == ["بجيش شرق ليبيا"]
    QTest.keyClick(window.view, "p")  # remove the leading proclitic
    assert [t for _, t, _ in stored(window)] == ["جيش شرق ليبيا"]
    # Right-to-left paragraph: Alt+Left moves the end edge forward, Alt+Right back.
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert [t for _, t, _ in stored(window)] == ["جيش شرق ليبي"]
    QTest.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert [t for _, t, _ in stored(window)] == ["جيش شرق ليبيا"]
    # By a word: Ctrl+Alt+Right takes the end edge back one word.
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier)
    assert [t for _, t, _ in stored(window)] == ["جيش شرق"]
    # The start edge: Alt+Shift+Right moves it back (to the right, in this paragraph).
    QTest.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [t for _, t, _ in stored(window)] == ["بجيش شرق"]
    QTest.keyClick(window.view, "2")  # relabel the selected span
    assert [lab for lab, _, _ in stored(window)] == ["LOCATION"]
    QTest.keyClick(window.view, Qt.Key.Key_Delete)
    assert stored(window) == []
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("LOCATION", "بجيش شرق", {})]
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("ACTOR", "بجيش شرق", {})]
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert stored(window) == [("LOCATION", "بجيش شرق", {})]
    # Undo all the way back: nothing left, and redo brings the first span back with its id.
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert stored(window) == []
    window.undo_stack.redo()
    assert [t for _, t, _ in stored(window)] == ["بجيش شرق ليبيا"]
    assert doc_status.get(window.project.db, DOC, "Salma") == "in-progress"


def test_attributes_are_edited_in_the_form_and_checked(window, qtbot):
    start, end = find(window, "30 من قواته", 1)
    select_and_press(window, start, end, "3")
    count = window.form.fields["count"]
    assert isinstance(count, QLineEdit)
    count.setText("many")
    count.editingFinished.emit()
    assert stored(window)[0][2] == {}
    assert "not a count" in window.form.error.text()
    count = window.form.fields["count"]
    count.setText("30")
    count.editingFinished.emit()
    assert stored(window)[0][2] == {"count": 30}
    kind = window.form.fields["kind"]
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("captured"))
    kind.activated.emit(kind.currentIndex())
    assert stored(window)[0][2] == {"count": 30, "kind": "captured"}
    window.form.fields["unsure"].click()
    span = span_store.for_document(window.project.db, DOC, "Salma")[0]
    assert span.unsure
    note = window.form.fields["note"]
    note.setText("الأسرى من الكتيبة 107؟")
    note.editingFinished.emit()
    assert span_store.for_document(window.project.db, DOC, "Salma")[0].note == "الأسرى من الكتيبة 107؟"
    # Undo takes back the note, then the flag.
    window.undo_stack.undo()
    window.undo_stack.undo()
    span = span_store.for_document(window.project.db, DOC, "Salma")[0]
    assert (span.note, span.unsure) == ("", False)


def test_canonical_names_complete_from_the_project(window):
    start, end = find(window, "خليفة حفتر")
    select_and_press(window, start, end, "1")
    field = window.form.fields["canonical"]
    field.setText("Khalifa Haftar")
    field.editingFinished.emit()
    start, end = find(window, "حفتر", 2)
    select_and_press(window, start, end, "1")
    completer = window.form.fields["canonical"].completer()
    assert completer is not None
    assert "Khalifa Haftar" in completer.model().stringList()


def test_mark_done_goes_to_the_next_unfinished_and_the_filter_shows_it(window):
    QTest.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc_status.get(window.project.db, DOC, "Salma") == "done"
    assert window.current_doc_id == "003_ea1dba6c08793fa4"
    assert "1 of 5 done" in window.documents.progress_label.text()
    window.documents.filter.setCurrentIndex(window.documents.filter.findData("done"))
    assert window.documents.model.rowCount() == 1
    assert window.documents.model.doc_id(0) == DOC
    window.undo_stack.undo()
    assert doc_status.get(window.project.db, DOC, "Salma") == "not-started"
    # Keyboard navigation between documents.
    window.documents.filter.setCurrentIndex(0)
    window.open_document(DOC)
    QTest.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc_id == "003_ea1dba6c08793fa4"
    QTest.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc_id == DOC


def test_search_ignores_hamza_forms_and_harakat_and_opens_the_hit(window, qtbot):
    window.open_document("000_1d4f535c4afa2fda")
    QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_dock.isVisible()
    window.search.query.setText("احمد المسماري")  # no hamza: the text has أحمد
    window.search.run()
    assert window.search.results.count() >= 1
    window.search.next_hit()
    start, end = window.view.selected_range()
    assert window.text[start:end] == "أحمد المسماري"
    # The whole corpus, in a worker thread.
    window.search.scope.setCurrentIndex(SearchPanel.CORPUS)
    window.search.query.setText("طرابلس")
    with qtbot.waitSignal(window.search.results.model().rowsInserted, timeout=10_000):
        window.search.run()
    window.search.wait()
    qtbot.waitUntil(lambda: window.search.results.count() > 3)
    docs = {
        window.search.results.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(window.search.results.count())
    }
    assert len(docs) >= 3
    item = next(
        window.search.results.item(i)
        for i in range(window.search.results.count())
        if window.search.results.item(i).data(Qt.ItemDataRole.UserRole)[0] == DOC
    )
    window.search.results.itemClicked.emit(item)
    assert window.current_doc_id == DOC
    start, end = window.view.selected_range()
    assert window.text[start:end] == "طرابلس"


def test_zoom_is_remembered(session, qtbot):
    window = session.window
    size = window.zoom
    QTest.keyClick(window.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == size + 1
    again = session.show()
    assert again.zoom == size + 1


def test_undo_follows_the_action_into_its_document(window):
    start, end = find(window, "طرابلس")
    select_and_press(window, start, end, "2")
    window.open_document("004_81a9822a3aa30eff")
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_doc_id == DOC
    assert stored(window) == []


def test_text_outside_the_bmp_nbsp_and_zwj(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    text = "😀 قال 𝔸 المتحدث\u00a0باسم الجيش: ق\u200dتل 👨\u200d👩\u200d👧 أربعة في سرت.\n"
    source = tmp_path / "astral.txt"
    source.write_text(text, encoding="utf-8")
    project = Project.create(tmp_path / "astral.wbproj")
    [doc_id] = import_paths(project, [source]).imported
    project.set_current_annotator("Salma")
    session = Session(project, app_settings())
    window = session.show()
    qtbot.addWidget(window)
    activate(qtbot, window)
    window.open_document(doc_id)
    # Qt counts the emoji and 𝔸 as two units each: the Qt positions differ from the offsets.
    start, end = text.index("المتحدث"), text.index("الجيش") + len("الجيش")
    assert window.view.offsets.to_utf16(start) == start + 2
    select_and_press(window, start, end, "1")
    start, end = text.index("سرت"), text.index("سرت") + 3
    select_and_press(window, start, end, "2")
    rows = span_store.for_document(project.db, doc_id, "Salma")
    assert [(s.start, s.end) for s in rows] == [
        (text.index("المتحدث"), text.index("الجيش") + 5),
        (text.index("سرت"), text.index("سرت") + 3),
    ]
    assert text[rows[0].start : rows[0].end] == "المتحدث\u00a0باسم الجيش"  # the NBSP is kept
    window.close()
    project.close()


def test_a_second_window_on_the_same_project_is_refused(tmp_path):
    path = tmp_path / "locked.wbproj"
    Project.create(path).close()
    lock = lock_project(path)
    try:
        with pytest.raises(WorkbenchError, match="already open in another Workbench window"):
            lock_project(path)
    finally:
        lock.unlock()
    lock_project(path).unlock()  # free again once the first window is gone


def test_an_unexpected_error_shows_a_dialog_and_is_logged(tmp_path, monkeypatch):
    make_application()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    log = tmp_path / "workbench.log"
    import logging

    handler = logging.FileHandler(log)
    logging.getLogger().addHandler(handler)
    try:
        install_excepthook(log)
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        import sys

        sys.excepthook = sys.__excepthook__
    assert "boom" in shown[0] and str(log) in shown[0]
    assert "RuntimeError: boom" in log.read_text()


def test_guidelines_and_label_tooltips(window):
    QTest.keyClick(window.view, Qt.Key.Key_F1)
    assert window.guidelines_dock.isVisible()
    assert "حروف العطف" in window.guidelines.toPlainText()
    button = window.palette_widget.buttons["CASUALTY"]
    assert "killed, injured" in button.toolTip()


def test_screenshots_in_english_and_arabic(session, qtbot, tmp_path):
    window = session.window
    for needle, key, nth in [
        ("الجمعة 5 أبريل 2019", "4", 0),
        ('المشير "خليفة حفتر"', "1", 0),
        ("خليفة حفتر", "1", 0),
        ("طرابلس", "2", 0),
        ("30 من قواته", "3", 1),
        ("بوابة 27 غرب طرابلس", "2", 0),
        ("غرب طرابلس", "2", 0),
        ("أسر 20 جنديا", "3", 0),
        ("اللواء المجحفل 106", "1", 0),
    ]:
        select_and_press(window, *find(window, needle, nth), key)
    assert len(stored(window)) == 9
    window.step_span(1)
    window.step_span(1)
    window.guidelines_dock.show()
    shots = {}
    for language in ("en", "ar"):
        session.switch_language(language)
        window = session.window
        activate(qtbot, window)
        window.guidelines_dock.show()
        QApplication.processEvents()
        shots[language] = tmp_path / f"annotation-{language}.png"
        assert window.grab().save(str(shots[language]))
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.menuBar().actions()[0].text() != "&File"  # translated
    print("screenshots:", json.dumps({k: str(v) for k, v in shots.items()}))


def test_first_run_asks_who_is_annotating(tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from workbench.ui.app import ask_name

    make_application()
    project = Project.create(tmp_path / "first.wbproj")
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (asked.append(a[2]), ("سلمى", True))[1])
    assert ask_name(project)
    assert project.current_annotator == "سلمى" and project.annotators() == ["سلمى"]
    assert asked and "name" in asked[0]
    assert ask_name(project)  # not asked again
    assert len(asked) == 1
    project.close()


def test_every_command_has_a_shortcut_or_menu_entry_and_the_table_lists_them(window):
    from workbench.ui.commands import COMMANDS, shortcuts_markdown

    table = shortcuts_markdown()
    for command in COMMANDS:
        action = window.actions[command.id]
        assert [s.toString() for s in action.shortcuts()] == [QKeySequence(s).toString() for s in command.shortcuts]
        if command.shortcuts:
            assert command.text in table

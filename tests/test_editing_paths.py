"""The window's editing paths (issue 11), driven like a user with real key and mouse events:
choice lists that crashed the app, a choice that also set "unsure", attribute entry from the
keyboard alone, one span per annotator, range and label."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit

from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
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
def window(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "annotate.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator("Salma")
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_document(DOC)
    yield window
    window.close()
    project.close()


def stored(window):
    return span_store.for_document(window.project.db, DOC, "Salma")


def find(window, needle, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = window.text.index(needle, start + 1)
    return start, start + len(needle)


def tag(window, needle, key, nth=0):
    window.view.select_range(*find(window, needle, nth))
    window.view.setFocus()
    QTest.keyClick(window.view, key)


def key(key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key pressed where the focus is, as the keyboard sends it (shortcuts included)."""
    widget = QApplication.focusWidget()
    assert widget is not None
    QTest.keyClick(widget, key, modifier)


def choose_in_popup(qtbot, combo: QComboBox, steps: int) -> None:
    """Open the list, go down ``steps`` rows and press Return, as a user does."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # opens the list
    qtbot.waitUntil(lambda: combo.view().isVisible())
    for _ in range(steps):
        QTest.keyClick(combo.view(), Qt.Key.Key_Down)
    QTest.keyClick(combo.view(), Qt.Key.Key_Return)
    QTest.qWait(20)


# --- 1 and 2: a value chosen in a list ----------------------------------------------------


@pytest.mark.parametrize(
    ("needle", "label_key", "field", "value"),
    [
        ("الجمعة 5 أبريل 2019", "4", "precision", "day"),
        ("30 من قواته", "3", "kind", "killed"),
    ],
)
def test_choosing_from_a_list_with_the_keyboard_stores_only_that_value(window, qtbot, needle, label_key, field, value):
    # Opening "precision" (or "kind"), Down, Return crashed the app in libQt6Gui: the change
    # rebuilt the form and deleted the list inside its own key handling.
    tag(window, needle, label_key)
    combo = window.form.fields[field]
    choose_in_popup(qtbot, combo, 1)
    (span,) = stored(window)
    assert span.attributes == {field: value}
    assert span.unsure is False  # a choice never sets "unsure" too
    # The form shows the stored value, and the list is still the one the user is in.
    assert window.form.fields[field].currentData() == value
    # A second choice in the same list works too.
    choose_in_popup(qtbot, window.form.fields[field], 1)
    (span,) = stored(window)
    assert span.attributes[field] != value and span.unsure is False


def test_choosing_from_a_list_with_the_mouse_does_not_set_unsure(window, qtbot):
    tag(window, "30 من قواته", "3", 1)
    combo, unsure = window.form.fields["kind"], window.form.fields["unsure"]
    combo.showPopup()
    qtbot.waitUntil(lambda: combo.view().isVisible())
    view = combo.view()
    rect = view.visualRect(view.model().index(combo.findData("captured"), 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    QTest.qWait(20)
    (span,) = stored(window)
    assert span.attributes == {"kind": "captured"}
    assert span.unsure is False
    # The form was updated in place: the list and the checkbox under its popup are the same
    # widgets (a rebuild destroyed the popup inside its own mouse release).
    assert window.form.fields["kind"] is combo and window.form.fields["unsure"] is unsure
    assert combo.currentData() == "captured" and not unsure.isChecked()


# --- 3: attribute entry from the keyboard ------------------------------------------------


def test_a_casualty_with_count_kind_and_approximate_from_the_keyboard(window):
    window.view.select_range(*find(window, "30 من قواته", 1))  # a selection in the text
    window.view.setFocus()
    presses = 0

    def press(k, modifier=Qt.KeyboardModifier.NoModifier):
        nonlocal presses
        presses += 1
        key(k, modifier)

    press("3")  # CASUALTY
    press("e")  # into the attribute form, on its first field
    assert QApplication.focusWidget() is window.form.fields["count"]
    press("3")
    press("0")
    press(Qt.Key.Key_Tab)  # the count is kept, the focus on "kind"; the span stays selected
    (span,) = stored(window)
    assert span.attributes == {"count": 30}
    assert QApplication.focusWidget() is window.form.fields["kind"]
    press("c")  # type-ahead: captured
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.form.fields["approximate"]
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)  # done: back to the text
    (span,) = stored(window)
    assert span.attributes == {"count": 30, "kind": "captured", "approximate": True}
    assert span.unsure is False
    assert QApplication.focusWidget() is window.view
    assert window.selected_span == span.id
    assert presses == 9  # 2 of them the digits of the count (was: 8 mouse actions plus typing)


def test_tab_in_the_form_keeps_the_typed_value_and_the_span(window):
    tag(window, "خليفة حفتر", "1")
    tag(window, "30 من قواته", "3", 1)
    casualty = window.selected_span
    window.view.setFocus()
    key("e")
    count = window.form.fields["count"]
    assert QApplication.focusWidget() is count
    QTest.keyClicks(count, "12")
    key(Qt.Key.Key_Tab)  # was "next span": the typed value was thrown away
    assert window.selected_span == casualty
    assert span_store.get(window.project.db, casualty).attributes == {"count": 12}
    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back to the count
    assert QApplication.focusWidget() is window.form.fields["count"]
    assert window.selected_span == casualty
    # Letters that are window shortcuts (u: unsure, a, p, 1-4) are typed into the field.
    note = window.form.fields["note"]
    note.setFocus()
    QTest.keyClicks(note, "unsure 1")
    assert note.text() == "unsure 1"
    key(Qt.Key.Key_Escape)  # back to the text, the note kept, the span still selected
    assert QApplication.focusWidget() is window.view
    span = span_store.get(window.project.db, casualty)
    assert (span.note, span.unsure, span.label) == ("unsure 1", False, "CASUALTY")
    assert window.selected_span == casualty
    # Outside the form the keys are the window's again: Tab is the next span.
    key(Qt.Key.Key_Tab)
    assert window.selected_span != casualty


def test_type_ahead_in_a_choice_list(window):
    tag(window, "الجمعة 5 أبريل 2019", "4")
    key("e")
    precision = window.form.fields["precision"]
    while QApplication.focusWidget() is not precision:
        key(Qt.Key.Key_Tab)
    key("m")
    assert stored(window)[0].attributes == {"precision": "month"}
    assert isinstance(window.form.fields["value"], QLineEdit)
    assert isinstance(window.form.fields["unsure"], QCheckBox)


def test_the_attribute_key_is_in_the_command_table():
    from workbench.ui.commands import BY_ID, shortcuts_markdown

    assert BY_ID["edit_attributes"].shortcuts == ("E",)
    assert "`E`" in shortcuts_markdown()


# --- 5: one span per annotator, range and label -------------------------------------------


def test_the_same_range_and_key_twice_is_one_span(window):
    tag(window, "الجمعة 5 أبريل 2019", "4")
    first = window.selected_span
    window.clear_selection()
    tag(window, "الجمعة 5 أبريل 2019", "4")
    assert [s.id for s in stored(window)] == [first]
    assert window.selected_span == first  # the existing span is selected instead
    assert "already tagged" in window.statusBar().currentMessage().lower()
    assert window.undo_stack.count() == 1
    # Another label on the same range is another span.
    window.clear_selection()
    tag(window, "الجمعة 5 أبريل 2019", "2")
    assert sorted(s.label for s in stored(window)) == ["DATE", "LOCATION"]


def test_the_command_line_refuses_a_second_copy_of_a_span(tmp_path, corpus_files):
    """`span add` twice with the same range and label: the second prints a sentence, exits 1
    and adds nothing (the window selects the existing span instead)."""
    import json
    import os
    import subprocess
    import sys

    path = tmp_path / "cli.wbproj"
    with Project.create(path) as project:
        import_paths(project, corpus_files)
        project.set_current_annotator("Salma")

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "workbench.cli", "--db", str(path), *map(str, args)],
            capture_output=True,
            env=dict(os.environ),
            timeout=60,
        )

    first = cli("span", "add", DOC, 10, 20, "ACTOR")
    assert first.returncode == 0, first.stderr.decode()
    again = cli("span", "add", DOC, 10, 20, "actor", "--attr", "canonical=x")
    assert again.returncode == 1
    message = again.stderr.decode()
    assert "already tagged ACTOR by Salma" in message and "nothing was added" in message
    assert "Traceback" not in message
    rows = json.loads(cli("spans", DOC, "--json").stdout)
    assert [(r["start"], r["end"], r["label"]) for r in rows] == [(10, 20, "ACTOR")]
    # Another label on the same range, or another range, is another span.
    assert cli("span", "add", DOC, 10, 20, "LOCATION").returncode == 0
    assert cli("span", "add", DOC, 10, 21, "ACTOR").returncode == 0


# --- native crashes leave a trace ------------------------------------------------------------


def test_a_native_crash_leaves_its_trace_in_the_log(tmp_path):
    """A segmentation fault (as in the choice lists) left workbench.log empty."""
    import subprocess
    import sys

    log = tmp_path / "workbench.log"
    script = f"""
import faulthandler, logging, sys
from pathlib import Path
from workbench.ui import crashlog
handler = logging.FileHandler({str(log)!r}, encoding="utf-8")
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.INFO)
crashlog.install(Path({str(log)!r}), qt_messages=False)
import threading
thread = threading.Thread(target=lambda: 1 / 0, name="worker")
thread.start(); thread.join()
def crash_here():
    faulthandler._sigsegv()
crash_here()
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode != 0
    text = log.read_text(encoding="utf-8")
    assert "started" in text
    assert "unexpected error in thread worker" in text and "ZeroDivisionError" in text
    assert "Segmentation fault" in text and "crash_here" in text


# --- 4: a mouse drag takes in the glyphs it reached ---------------------------------------


def _glyph(window, offset):
    """The left and right x (viewport pixels) and the middle y of the glyph of the character at
    code point ``offset``, from the text layout (in a right-to-left line digits run left to right)."""
    from PySide6.QtGui import QTextLine

    view = window.view
    position = view.offsets.to_utf16(offset)
    block = view.document().findBlock(position)
    layout = block.layout()
    index = position - block.position()
    line = layout.lineForTextPosition(index)
    assert line.isValid()
    origin = view.document().documentLayout().blockBoundingRect(block).topLeft()
    a = line.cursorToX(index, QTextLine.Edge.Leading)
    b = line.cursorToX(index, QTextLine.Edge.Trailing)
    a, b = (a[0] if isinstance(a, tuple) else a), (b[0] if isinstance(b, tuple) else b)
    dx = origin.x() - view.horizontalScrollBar().value()
    dy = origin.y() - view.verticalScrollBar().value()
    y = int(dy + line.y() + line.height() / 2)
    return int(round(min(a, b) + dx)), int(round(max(a, b) + dx)), y


def _drag_to(window, press, release):
    from PySide6.QtCore import QPoint

    viewport = window.view.viewport()
    window.view.clear_text_selection()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*press))
    QTest.mouseMove(viewport, QPoint(*release))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*release))


def _open(window, doc):
    window.open_document(doc)
    window.view.setFocus()


@pytest.mark.parametrize("inside", [0, 1, 2, 4])
@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        (DOC, "الجمعة 5 أبريل 2019"),
        ("000_1d4f535c4afa2fda", "19 يناير 2019"),
        (DOC, "اللواء المجحفل 106"),
    ],
)
def test_a_drag_ending_on_the_outer_edge_of_a_number_keeps_the_number(window, doc, needle, inside):
    _open(window, doc)
    start, end = find(window, needle)
    window.view.select_range(start, end)  # scrolled into view (and laid out)
    window.view.ensureCursorVisible()
    QApplication.processEvents()
    first_right = _glyph(window, start)[1]  # the first letter: the right edge in this RTL line
    last = _glyph(window, end - 1)  # the last character of the number
    # The number runs left to right inside the RTL line: its outer edge is the left edge of its
    # first digit when the phrase ends with it.
    number_left = min(_glyph(window, i)[0] for i in range(end - 1, start, -1) if window.text[i].isdigit())
    y = last[2]
    _drag_to(window, (first_right - 3, _glyph(window, start)[2]), (number_left + inside, y))
    assert window.view.selected_range() is not None
    QTest.keyClick(window.view, "4")
    assert [window.text[s.start : s.end] for s in stored_in(window, doc)] == [needle]


def test_a_drag_from_the_number_back_to_the_first_word(window):
    start, end = find(window, "اللواء المجحفل 106")
    digits_left = min(_glyph(window, i)[0] for i in range(end - 3, end))
    first = _glyph(window, start)
    _drag_to(window, (digits_left + 1, first[2]), (first[1] - 1, first[2]))
    QTest.keyClick(window.view, "1")
    assert [window.text[s.start : s.end] for s in stored(window)] == ["اللواء المجحفل 106"]


def test_a_drag_next_to_quotes_and_a_comma_takes_the_word_only(window):
    start, end = find(window, '"حفتر"')
    word = (start + 1, end - 1)  # حفتر
    right, left = _glyph(window, word[0]), _glyph(window, word[1] - 1)
    _drag_to(window, (right[1], right[2]), (left[0], left[2]))  # on the outer edges of the word
    QTest.keyClick(window.view, "1")
    assert [window.text[s.start : s.end] for s in stored(window)] == ["حفتر"]
    start, end = find(window, "طرابلس،")
    right, left = _glyph(window, start), _glyph(window, end - 2)
    _drag_to(window, (right[1], right[2]), (left[0], left[2]))
    QTest.keyClick(window.view, "2")
    assert sorted(window.text[s.start : s.end] for s in stored(window)) == ["حفتر", "طرابلس"]


def stored_in(window, doc):
    return span_store.for_document(window.project.db, doc, "Salma")


# --- 6: the span table isolates each cell's text -------------------------------------------


def test_the_span_table_isolates_the_text_of_each_cell(qtbot):
    from workbench.core.store.spans import Span
    from workbench.ui.document_spans import DocumentSpans
    from workbench.ui.span_table import SpanTableModel

    make_application()
    text = "في 19 يناير 2019 قُتل 4، وأُصيب 18."
    date = Span("d", "Salma", 3, 16, "DATE", {"value": "2019-01-19"})
    count = Span("d", "Salma", text.index("4"), text.index("4") + 1, "CASUALTY", {"count": 4, "kind": "killed"})
    spans = DocumentSpans()
    spans.load("d", text, [date, count])
    model = SpanTableModel(spans)
    shown = model.data(model.index(0, SpanTableModel.TEXT))
    # Without isolation a left-to-right (English) table draws "19 2019 يناير": the cell's text
    # takes its direction from its own first strong letter (FSI ... PDI).
    assert shown == "\u2068" + "19 يناير 2019" + "\u2069"
    attributes = model.data(model.index(0, SpanTableModel.ATTRIBUTES))
    assert attributes.startswith("\u2068") and attributes.endswith("\u2069") and "2019-01-19" in attributes
    assert model.data(model.index(1, SpanTableModel.TEXT)) == "\u20684\u2069"


# --- 8: the panels leave the article at least half the width -------------------------------


def test_the_article_keeps_half_the_width_with_the_panels_open(window, qtbot, tmp_path):
    window.resize(1440, 900)
    QApplication.processEvents()
    assert window.view.width() >= window.width() // 2
    window.adjudicate_document(DOC)
    QApplication.processEvents()
    assert window.adjudication_dock.isVisible() and window.annotator == "gold"
    assert window.view.width() >= window.width() // 2  # was 170 px
    window.grab().save(str(tmp_path / "adjudication.png"))
    # Team and Agreement: one above the other's tab, each as wide as the window, not clipped.
    QTest.keyClick(window.view, Qt.Key.Key_F2)
    assert window.team_dock.isVisible()
    QTest.keyClick(window.view, Qt.Key.Key_F4)
    assert window.agreement_dock.isVisible()
    assert window.adjudication_dock.toggleViewAction().isChecked()  # still open, behind its tab
    assert window.annotator == "gold"  # switching tabs does not leave adjudication
    QApplication.processEvents()
    assert window.agreement_dock in window.tabifiedDockWidgets(window.team_dock)
    for dock in (window.agreement_dock,):
        assert dock.width() >= window.width() - 40
        assert dock.widget().width() >= dock.widget().minimumSizeHint().width()
    assert window.view.width() >= window.width() // 2
    window.grab().save(str(tmp_path / "team_agreement.png"))
    # Closing the adjudication panel (its tab's close, or F6) leaves the gold layer.
    window.adjudication_dock.hide()
    assert window.annotator == "Salma"


def test_the_panel_layout_is_remembered(window, qtbot):
    window.resize(1440, 900)
    QTest.keyClick(window.view, Qt.Key.Key_F2)
    QApplication.processEvents()
    window.close()
    assert window.settings.value("windowState") is not None

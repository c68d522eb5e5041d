"""Suggestions in the window (issue 13), driven like a user with real keys on a real project file:
pending spans drawn dashed with their values, Tab through spans and suggestions, Enter accepts,
Del rejects, a label key accepts with that label, the edge keys and P adjust and accept, accept
all above a confidence, suggestions switched off, an engine that fails, the publication date.

A fake engine (``_engines`` patched) proposes fixed phrases of article 002 so the window is
tested on its own; the last tests run the core's real engines when they are there."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from workbench.core import suggestions
from workbench.core.importer import import_paths
from workbench.core.store import changelog, documents
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
from workbench.core.values import Found
from workbench.ui.document_spans import is_suggestion
from workbench.ui.session import Session, app_settings, make_application
from workbench.ui.span_table import SpanTableModel
from workbench.ui.suggestion_feed import THRESHOLD_SETTING, AcceptAllDialog

DOC = "002_af682284de1024ff"
OTHER = "003_ea1dba6c08793fa4"
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))

# (text, label, attributes, confidence, source): what the fake engine finds in article 002
PROPOSALS = (
    ("الجمعة 5 أبريل 2019", "DATE", {"value": "2019-04-05", "precision": "day"}, 0.97, "rules:date"),
    ("بجيش شرق ليبيا", "ACTOR", {"canonical": "LNA"}, 0.7, "gazetteer"),
    ("خليفة حفتر", "ACTOR", {"canonical": "Khalifa Haftar"}, 0.92, "gazetteer"),
    ("بوابة 27 غرب طرابلس", "LOCATION", {"canonical": "Tripoli Gate 27"}, 0.95, "gazetteer"),
    ("أسر 20 جنديا", "CASUALTY", {"count": 20, "kind": "captured"}, 0.85, "rules:casualty"),
    ("مساء الخميس", "DATE", {"value": "2019-04-04", "precision": "day"}, 0.6, "rules:date"),
)
ENGINES_PRESENT = all(
    importlib.util.find_spec(f"workbench.core.values.{name}") is not None
    for name in ("dates", "casualties", "project_names")
)


class FakeEngine:
    """Proposes :data:`PROPOSALS` wherever they are in the text; remembers the anchors it was given."""

    def __init__(self):
        self.anchors: list[dt.date | None] = []
        self.fail: Exception | None = None

    def __call__(self, text: str, anchor: dt.date | None) -> list[Found]:
        self.anchors.append(anchor)
        if self.fail is not None:
            raise self.fail
        found = []
        for needle, label, attributes, confidence, source in PROPOSALS:
            start = text.find(needle)
            if start >= 0:
                found.append(Found(start, start + len(needle), label, dict(attributes), source, confidence))
        return sorted(found, key=lambda f: f.start)


@pytest.fixture
def engine(monkeypatch):
    fake = FakeEngine()
    monkeypatch.setattr(suggestions, "_engines", lambda project, which: [fake])

    return fake


def open_window(qtbot, project, language="en"):
    session = Session(project, app_settings())
    session.apply_language(language)
    window = session.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_document(DOC)
    settle(qtbot, window)
    return session, window


@pytest.fixture
def project(tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "annotate.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator("Salma")
    yield project
    project.close()


@pytest.fixture
def window(qtbot, project, engine):
    session, window = open_window(qtbot, project)
    yield window
    window.close()
    session.apply_language("en")


def settle(qtbot, window):
    """Wait until the open document's suggestions are computed and shown."""
    qtbot.waitUntil(lambda: not window.feed.busy, timeout=20000)
    QApplication.processEvents()


def find(window, needle, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = window.text.index(needle, start + 1)
    return start, start + len(needle)


def offered(window):
    """The suggestions shown: (label, text) in reading order."""
    model = window.spans
    return [
        (model.suggestion(key).label, window.text[model.suggestion(key).start : model.suggestion(key).end])
        for key in model.ordered_items()
        if is_suggestion(key)
    ]


def stored(window, doc=DOC):
    return [
        (s.label, window.text[s.start : s.end], s.attributes)
        for s in span_store.for_document(window.project.db, doc, "Salma")
    ]


def key_of(window, needle):
    start, end = find(window, needle)
    return next(k for k, f in window.spans.suggestions.items() if (f.start, f.end) == (start, end))


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier):
    window.view.setFocus()
    QTest.keyClick(window.view, key, modifier)


def choose(window, needle):
    """Tab from the start of the article until the suggestion over ``needle`` is selected."""
    window.view.setFocus()
    window.clear_selection()
    window.view.select_range(0, 0)
    target = key_of(window, needle)
    for _ in range(30):
        press(window, Qt.Key.Key_Tab)
        if window.selected_span == target:
            return target
    raise AssertionError(f"Tab never reached the suggestion {needle}")


def log_of(window, action):
    return [c for c in changelog.history(window.project.db, DOC) if c["action"] == action]


def plain(text):
    return str(text).translate(ISOLATES)


# --- shown ---------------------------------------------------------------------------------------


def test_an_opened_article_shows_its_suggestions_dashed_with_their_values(window, qtbot):
    assert offered(window) == [(label, text) for text, label, *_ in PROPOSALS]
    assert stored(window) == []  # pending: nothing is saved
    # In the span table, in reading order, with their values, source and confidence.
    table = window.span_model
    assert table.rowCount() == len(PROPOSALS)
    attributes = plain(table.data(table.index(0, SpanTableModel.ATTRIBUTES)))
    assert attributes == "suggested: value=2019-04-05 precision=day (rules:date, 0.97)"
    tip = plain(table.data(table.index(0, SpanTableModel.LABEL), Qt.ItemDataRole.ToolTipRole))
    assert "DATE suggestion, not saved" in tip and "الجمعة 5 أبريل 2019" in tip
    assert table.data(table.index(0, 0), Qt.ItemDataRole.FontRole).italic()
    # Drawn over the right letters: a frame per suggestion, where Qt draws its glyphs.
    view = window.view
    key = key_of(window, "الجمعة 5 أبريل 2019")
    rects = view.suggestion_rects(key)
    assert len(rects) == 1  # Arabic, digits and Arabic again: one frame, not three
    cursor_at = view.cursorForPosition(rects[0].center().toPoint()).position()
    start, end = find(window, "الجمعة 5 أبريل 2019")
    assert view.offsets.to_utf16(start) <= cursor_at <= view.offsets.to_utf16(end)
    assert view.suggestion_at(rects[0].center().toPoint()) == key
    # ... a dashed frame in the label's colour: along its top edge the colour comes and goes.
    image = view.viewport().grab().toImage()
    y = int(rects[0].top() + 1)
    date_color = QColor(window.colors["DATE"])
    coloured = [
        abs(QColor(image.pixel(x, y)).hue() - date_color.hue()) < 25 and QColor(image.pixel(x, y)).saturation() > 60
        for x in range(int(rects[0].left()) + 4, int(rects[0].right()) - 4)
    ]
    assert any(coloured) and not all(coloured)
    assert sum(a != b for a, b in zip(coloured, coloured[1:])) >= 6  # dashes, not a line


def test_tab_reaches_a_suggestion_and_enter_accepts_it_with_its_values(window, qtbot):
    key = choose(window, "الجمعة 5 أبريل 2019")
    assert window.view.current_suggestion == key
    heading = window.form.findChild(QLabel, "suggestionHeading")
    values = window.form.findChild(QLabel, "suggestionValues")
    assert heading is not None and "not saved" in heading.text()
    assert plain(values.text()) == "suggested: value=2019-04-05 precision=day (rules:date, 0.97)"
    press(window, Qt.Key.Key_Return)
    assert stored(window) == [("DATE", "الجمعة 5 أبريل 2019", {"value": "2019-04-05", "precision": "day"})]
    (row,) = log_of(window, "suggestion.accept")
    assert row["after"]["source"] == "rules:date" and row["after"]["confidence"] == 0.97
    # The new span is selected (its form is editable), and no longer offered.
    span = window.view.spans[window.selected_span]
    assert span.label == "DATE" and window.form.span == span
    assert key not in window.spans.suggestions
    settle(qtbot, window)
    assert ("DATE", "الجمعة 5 أبريل 2019") not in offered(window)
    # Tab goes on to the next item in reading order (an ACTOR suggestion).
    press(window, Qt.Key.Key_Tab)
    assert window.selected_span == key_of(window, "بجيش شرق ليبيا")
    # Ctrl+Z takes the span back, and the suggestion is offered again.
    press(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == []
    settle(qtbot, window)
    assert ("DATE", "الجمعة 5 أبريل 2019") in offered(window)


def test_del_rejects_a_suggestion_for_good_on_this_document(window, qtbot):
    choose(window, "أسر 20 جنديا")
    press(window, Qt.Key.Key_Delete)
    assert ("CASUALTY", "أسر 20 جنديا") not in offered(window)
    rows = window.project.db.execute(
        'SELECT doc_id, annotator, label, start, "end" FROM rejected_suggestions'
    ).fetchall()
    assert rows == [(DOC, "Salma", "CASUALTY", *find(window, "أسر 20 جنديا"))]
    assert stored(window) == []
    # As after deleting a span, the next item is selected; Esc, then Tab, comes back to it
    # (Tab with nothing selected goes on from the text cursor, not from the top).
    assert window.selected_span == key_of(window, "مساء الخميس")
    press(window, Qt.Key.Key_Escape)
    assert window.selected_span is None
    press(window, Qt.Key.Key_Tab)
    assert window.selected_span == key_of(window, "مساء الخميس")
    # Another document and back: still not offered.
    window.open_document(OTHER)
    settle(qtbot, window)
    window.open_document(DOC)
    settle(qtbot, window)
    assert ("CASUALTY", "أسر 20 جنديا") not in offered(window)
    assert len(offered(window)) == len(PROPOSALS) - 1
    # Undone, it is offered again.
    window.undo_stack.undo()
    settle(qtbot, window)
    assert ("CASUALTY", "أسر 20 جنديا") in offered(window)


def test_a_label_key_accepts_a_suggestion_with_that_label(window):
    choose(window, "خليفة حفتر")
    press(window, Qt.Key.Key_2)  # LOCATION, not ACTOR: the canonical name goes with it
    assert stored(window) == [("LOCATION", "خليفة حفتر", {"canonical": "Khalifa Haftar"})]
    (row,) = log_of(window, "suggestion.accept")
    assert row["after"]["suggested"]["label"] == "ACTOR"


def test_the_edge_keys_and_p_adjust_a_suggestion_and_accept_it(window):
    # In this right-to-left paragraph "right" is backward: the end edge goes back one word.
    choose(window, "أسر 20 جنديا")
    press(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert stored(window) == [("CASUALTY", "أسر 20", {"count": 20, "kind": "captured"})]
    (row,) = log_of(window, "suggestion.accept")
    assert (row["after"]["suggested"]["start"], row["after"]["suggested"]["end"]) == find(window, "أسر 20 جنديا")
    # P drops the proclitic and accepts.
    choose(window, "بجيش شرق ليبيا")
    press(window, Qt.Key.Key_P)
    assert ("ACTOR", "جيش شرق ليبيا", {"canonical": "LNA"}) in stored(window)
    # One undo step each.
    window.undo_stack.undo()
    assert [label for label, *_ in stored(window)] == ["CASUALTY"]


def test_accept_all_above_a_confidence_accepts_exactly_those_in_one_step(window, qtbot):
    press(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.findChild(AcceptAllDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.value() == 0.9  # the default
    assert plain(dialog.count.text()) == "3 suggestions at or above it, of 6 shown."
    dialog.accept()
    wanted = sorted((label, text) for text, label, _a, confidence, _s in PROPOSALS if confidence >= 0.9)
    assert sorted((label, text) for label, text, _ in stored(window)) == wanted
    assert len(log_of(window, "suggestion.accept")) == 3
    assert float(window.settings.value(THRESHOLD_SETTING)) == 0.9
    settle(qtbot, window)
    assert sorted(offered(window)) == sorted(
        (label, text) for text, label, _a, confidence, _s in PROPOSALS if confidence < 0.9
    )
    # One undo step takes them all back.
    window.undo_stack.undo()
    assert stored(window) == []
    # The threshold given is remembered for next time.
    settle(qtbot, window)
    dialog = window.accept_suggestions()
    dialog.threshold.setValue(0.8)
    dialog.accept()
    assert len(stored(window)) == 4
    assert float(window.settings.value(THRESHOLD_SETTING)) == 0.8
    dialog = window.accept_suggestions()
    assert dialog is not None and dialog.value() == 0.8
    dialog.reject()


def test_suggestions_switched_off_draw_nothing(window, qtbot, project, engine):
    offer = window.actions["suggestions_on"]
    assert offer.isCheckable() and offer.isChecked()
    offer.trigger()  # the menu item: off
    settle(qtbot, window)
    assert not suggestions.enabled(project)
    assert offered(window) == [] and window.span_model.rowCount() == 0
    # Opening a document computes nothing at all.
    calls = len(engine.anchors)
    window.open_document(OTHER)
    window.open_document(DOC)
    settle(qtbot, window)
    assert offered(window) == [] and len(engine.anchors) == calls
    # On again.
    offer.trigger()
    settle(qtbot, window)
    assert suggestions.enabled(project) and len(offered(window)) == len(PROPOSALS)


def test_a_project_with_suggestions_off_opens_without_them(qtbot, project, engine):
    suggestions.set_enabled(project, False)
    session, window = open_window(qtbot, project)
    try:
        assert not window.actions["suggestions_on"].isChecked()
        assert offered(window) == [] and engine.anchors == []
    finally:
        window.close()


def test_an_engine_that_fails_shows_no_suggestions_and_the_window_goes_on(qtbot, project, engine, caplog):
    engine.fail = RuntimeError("the gazetteer file is broken")
    session, window = open_window(qtbot, project)
    try:
        assert offered(window) == []
        assert "no suggestions" in window.statusBar().currentMessage().lower()
        assert any("could not be computed" in r.getMessage() for r in caplog.records)
        # Tagging, Tab and the other keys work as before.
        window.view.select_range(*find(window, "خليفة حفتر"))
        press(window, Qt.Key.Key_1)
        assert [label for label, *_ in stored(window)] == ["ACTOR"]
        window.clear_selection()
        press(window, Qt.Key.Key_Tab)
        assert window.selected_span == window.view.ordered_spans()[0].id
        # Accept all says why it cannot.
        window.accept_suggestions(0.5)
        assert len(stored(window)) == 1
        # The engine mended: the suggestions come.
        engine.fail = None
        window.open_document(OTHER)
        window.open_document(DOC)
        settle(qtbot, window)
        assert len(offered(window)) == len(PROPOSALS) - 1  # one is tagged already (same extent)
    finally:
        window.close()


def test_enter_in_the_search_field_searches_and_accepts_nothing(window, qtbot):
    choose(window, "خليفة حفتر")
    window.search_dock.show()
    window.search.query.setFocus()
    QTest.keyClick(window.search.query, Qt.Key.Key_Return)
    assert stored(window) == []


def test_a_click_on_a_suggestion_selects_it(window, qtbot):
    key = key_of(window, "مساء الخميس")
    window.view.ensureCursorVisible()
    window.view.select_range(*find(window, "مساء الخميس"))
    window.view.ensureCursorVisible()
    window.clear_selection()
    QApplication.processEvents()
    (rect,) = window.view.suggestion_rects(key)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.selected_span == key
    assert window.span_table.currentIndex().row() == window.span_model.row_of(key)


def test_a_span_tagged_over_a_suggestion_takes_its_place(window, qtbot):
    window.view.select_range(*find(window, "طرابلس", 1))  # inside "بوابة 27 غرب طرابلس"
    press(window, Qt.Key.Key_2)
    settle(qtbot, window)
    assert ("LOCATION", "بوابة 27 غرب طرابلس") not in offered(window)  # the core's rule: a LOCATION overlaps
    # The span deleted (Del), the suggestion is offered again.
    press(window, Qt.Key.Key_Delete)
    assert stored(window) == []
    settle(qtbot, window)
    assert ("LOCATION", "بوابة 27 غرب طرابلس") in offered(window)


def test_shift_tab_goes_back_and_e_says_a_suggestion_is_edited_once_accepted(window):
    last = key_of(window, "مساء الخميس")
    window.view.select_range(len(window.text), len(window.text))
    press(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_span == last  # nothing selected: the last item before the cursor
    press(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected_span == key_of(window, "أسر 20 جنديا")
    press(window, Qt.Key.Key_E)
    assert "accepted" in window.statusBar().currentMessage()
    assert window.view.hasFocus() and stored(window) == []


def test_the_publication_date_anchors_relative_dates(window, qtbot, engine):
    dateline = suggestions.anchor(window.project, DOC)  # (None until the dates engine reads datelines)
    dialog = window.publication_date()
    assert dialog is not None and dialog.isVisible()
    if dateline is None:
        assert dialog.none.isChecked() and "no publication date" in dialog.state.text()
    else:  # the dateline's date is offered: "الجمعة 5 أبريل 2019 01:04 م"
        assert dateline == dt.date(2019, 4, 5) and "dateline says 2019-04-05" in dialog.state.text()
        assert not dialog.none.isChecked()
    dialog.none.setChecked(False)
    dialog.date.setDate(dialog.date.date().fromString("2019-04-05", "yyyy-MM-dd"))
    engine.anchors.clear()
    dialog.accept()
    assert documents.get(window.project.db, DOC).published == "2019-04-05"
    settle(qtbot, window)
    assert dt.date(2019, 4, 5) in engine.anchors  # computed again against the new anchor
    again = window.publication_date()
    assert "2019-04-05" in again.state.text()
    again.reject()
    window.undo_stack.undo()
    assert documents.get(window.project.db, DOC).published is None


def test_the_arabic_window_draws_suggestions_right_to_left(qtbot, project, engine, tmp_path):
    session, window = open_window(qtbot, project, "ar")
    try:
        assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
        key = key_of(window, "الجمعة 5 أبريل 2019")
        (rect,) = window.view.suggestion_rects(key)
        viewport = window.view.viewport().rect()
        assert viewport.contains(rect.toRect().adjusted(2, 2, -2, -2))
        assert rect.right() > viewport.width() * 0.6  # the paragraph starts on the right
        press(window, Qt.Key.Key_Tab)
        assert window.selected_span == key
        values = window.form.findChild(QLabel, "suggestionValues")
        assert "value=2019-04-05" in plain(values.text()) and "suggested" not in values.text()  # translated
        assert window.grab().save(str(tmp_path / "suggestions-ar.png"))
    finally:
        window.close()
        session.apply_language("en")


# --- with the core's own engines -------------------------------------------------------------------


@pytest.mark.skipif(not ENGINES_PRESENT, reason="the value engines are not in the core yet")
def test_the_real_engines_suggest_the_dateline_and_enter_accepts_it(qtbot, project):
    session, window = open_window(qtbot, project)
    try:
        start, end = find(window, "الجمعة 5 أبريل 2019")
        dates = [f for f in window.spans.suggestions.values() if f.label == "DATE" and f.start <= start < f.end]
        assert dates, offered(window)
        (date,) = dates
        assert date.attributes.get("value") == "2019-04-05"
        assert any(label == "CASUALTY" for label, _ in offered(window))
        window.select_span(next(k for k, f in window.spans.suggestions.items() if f == date))
        press(window, Qt.Key.Key_Return)
        (span,) = span_store.for_document(window.project.db, DOC, "Salma")
        assert (span.start, span.end, span.attributes["value"]) == (date.start, date.end, "2019-04-05")
        assert log_of(window, "suggestion.accept")[0]["after"]["source"] == date.source
    finally:
        window.close()

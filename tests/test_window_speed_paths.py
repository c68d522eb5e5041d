"""What adding a span in the window does not do (issue 16): structural properties, counted in
calls and queries, never in time.

Adding a span must not read the document's spans from the store again, must not read every
span's attribute values (the attribute form's completions follow the actions instead), and must
not repaint the document list or re-count the progress when no status changed. The completions
it keeps must stay what the store would say. Start-up does not import or build what the first
paint does not show.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core.importer import import_paths
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project
from workbench.ui import document_list
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"
LAYER = "Salma"


@pytest.fixture(autouse=True)
def _without_suggestions(monkeypatch):
    """The paths under test are the editing ones (the suggestions have their own tests)."""
    from workbench.core import suggestions

    monkeypatch.setattr(suggestions, "enabled", lambda project: False)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "speed.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator(LAYER)
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


class Calls:
    """Counts the calls of some functions (wrapped in place, for one test)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.counts: dict[str, int] = {}

    def watch(self, owner, name: str) -> None:
        real = getattr(owner, name)
        key = f"{getattr(owner, '__name__', type(owner).__name__)}.{name}"
        self.counts[key] = 0

        def counted(*args, **kwargs):
            self.counts[key] += 1
            return real(*args, **kwargs)

        self.monkeypatch.setattr(owner, name, counted)


def tag(window, needle: str, key: str = "1", nth: int = 0) -> None:
    start = -1
    for _ in range(nth + 1):
        start = window.text.index(needle, start + 1)
    window.view.select_range(start, start + len(needle))
    window.view.setFocus()
    QTest.keyClick(window.view, key)


def truth(window, label: str, attribute: str) -> list[str]:
    return span_store.attribute_values(window.project.db, attribute, label)


def test_adding_spans_reads_no_span_of_the_document_again(window, monkeypatch):
    tag(window, "خليفة حفتر")  # the first: the document goes in progress
    calls = Calls(monkeypatch)
    calls.watch(span_store, "for_document")
    calls.watch(span_store, "attribute_counts")
    calls.watch(span_store, "attribute_values")
    calls.watch(doc_status, "progress")
    calls.watch(document_list.DocumentListModel, "refresh_row")
    for needle in ("طرابلس", "الزاوية", "الأناضول"):
        before = len(window.spans)
        tag(window, needle)
        assert len(window.spans) == before + 1  # added, shown and selected
        assert window.spans.get(window.selected_span).label == "ACTOR"
    assert calls.counts == {
        "workbench.core.store.spans.for_document": 0,  # no re-read of the document's spans
        "workbench.core.store.spans.attribute_counts": 0,  # the completions were read once, before
        "workbench.core.store.spans.attribute_values": 0,
        "workbench.core.store.status.progress": 0,  # no status changed: no list repaint, no re-count
        "DocumentListModel.refresh_row": 0,
    }
    # What the window shows is what the file holds.
    stored = span_store.stored_in_file(window.project.path, DOC)
    assert sorted((s.start, s.end, s.label) for s in window.spans) == sorted(stored)


def test_a_status_change_still_repaints_the_list_row(window):
    row = window.documents.model.find(DOC)
    index = window.documents.model.index(row, document_list.DocumentListModel.STATUS)
    assert "To do" in window.documents.model.data(index)
    tag(window, "خليفة حفتر")
    assert doc_status.get(window.project.db, DOC, LAYER) == "in-progress"
    assert "Started" in window.documents.model.data(index)
    window.undo_stack.undo()  # the first span taken back: not started again
    assert "To do" in window.documents.model.data(index)


def test_completions_follow_tags_edits_deletes_undo_and_other_writers(window):
    editor = window.editor
    tag(window, "خليفة حفتر")
    assert editor.completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical") == []
    window.form.fields["canonical"].setText("Khalifa Haftar")
    window.form.fields["canonical"].editingFinished.emit()  # an edit: read from the model, counted
    assert editor.completions.values("ACTOR", "canonical") == ["Khalifa Haftar"]
    tag(window, "حفتر", nth=1)
    window.form.fields["canonical"].setText("حفتر")
    window.form.fields["canonical"].editingFinished.emit()
    tag(window, "الأناضول")
    window.form.fields["canonical"].setText("Khalifa Haftar")
    window.form.fields["canonical"].editingFinished.emit()
    assert editor.completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical")
    assert truth(window, "ACTOR", "canonical")[0] == "Khalifa Haftar"  # most used first
    # The form offers them.
    assert "حفتر" in window.form.fields["canonical"].completer().model().stringList()
    # Deleted, undone, redone: still what the store says.
    window.editor.delete_selected()
    assert editor.completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical")
    for step in (window.undo_stack.undo, window.undo_stack.undo, window.undo_stack.redo):
        step()
        assert editor.completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical")
    # Another connection (another process) writes a value: it is read again.
    other = sqlite3.connect(str(window.project.path))
    with other:
        other.execute("UPDATE spans SET attributes = ? WHERE label = 'ACTOR'", ['{"canonical": "الجيش الوطني الليبي"}'])
    other.close()
    assert editor.completions.values("ACTOR", "canonical") == ["الجيش الوطني الليبي"]


def _off_thread(monkeypatch, window) -> list[str]:
    """Count a large project's values on a worker (this project is taken for one), noting the
    thread of each count."""
    from workbench.ui import span_editing

    monkeypatch.setattr(span_editing.Completions, "READ_OFF_THREAD", 0)
    threads: list[str] = []
    real = span_store.attribute_counts

    def counted(*args, **kwargs):
        threads.append("ui" if QThread.currentThread() is QApplication.instance().thread() else "worker")
        return real(*args, **kwargs)

    monkeypatch.setattr(span_store, "attribute_counts", counted)
    return threads


def test_in_a_large_project_the_values_are_counted_on_a_worker_and_reach_the_form(window, monkeypatch, qtbot):
    threads = _off_thread(monkeypatch, window)
    tag(window, "خليفة حفتر")
    window.form.fields["canonical"].setText("Khalifa Haftar")
    window.form.fields["canonical"].editingFinished.emit()
    tag(window, "حفتر", nth=1)  # a span of the same label: its form asks for the values
    field = window.form.fields["canonical"]
    qtbot.waitUntil(
        lambda: field.completer() is not None and "Khalifa Haftar" in field.completer().model().stringList()
    )
    assert threads and set(threads) == {"worker"}  # never on the UI thread
    assert window.editor.completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical")
    assert field.text() == ""  # (the new span's own field, untouched by the completers' arrival)


@pytest.mark.parametrize("reads", ["before the tags", "after the tags"])
def test_tags_made_while_the_values_are_counted_are_in_them_once(window, monkeypatch, qtbot, reads):
    """The worker's count says which change it holds: the tags made while it counted are added
    to it if it read before them, and not again if it read after them."""
    threads = _off_thread(monkeypatch, window)
    completions = window.editor.completions
    tag(window, "خليفة حفتر")
    window.form.fields["canonical"].setText("Khalifa Haftar")
    window.form.fields["canonical"].editingFinished.emit()
    qtbot.waitUntil(lambda: not completions.counting)  # (the first tag's count, over)
    go = threading.Event()
    real = span_store.attribute_counts_as_of

    def held(db, attribute, label=None):
        if reads == "after the tags":
            go.wait(10)
            return real(db, attribute, label)
        found = real(db, attribute, label)
        go.wait(10)
        return found

    monkeypatch.setattr(span_store, "attribute_counts_as_of", held)
    arrived: list[str] = []
    completions.loaded.connect(arrived.append)
    completions.clear()
    counted = len(threads)
    assert completions.values("ACTOR", "canonical") == []  # asked: on its way
    tag(window, "الأناضول")  # meanwhile: a new value, and one more of an old one
    window.form.fields["canonical"].setText("الأناضول")
    window.form.fields["canonical"].editingFinished.emit()
    tag(window, "حفتر", nth=1)
    window.form.fields["canonical"].setText("Khalifa Haftar")
    window.form.fields["canonical"].editingFinished.emit()
    go.set()
    qtbot.waitUntil(lambda: bool(arrived))
    assert threads[counted:] == ["worker"]  # one count, on the worker
    assert completions.values("ACTOR", "canonical") == ["Khalifa Haftar", "الأناضول"]  # kept: nothing read again
    assert threads[counted:] == ["worker"]
    assert completions.values("ACTOR", "canonical") == truth(window, "ACTOR", "canonical")
    kept = completions._ranked[("ACTOR", "canonical")].counts  # (each value's count, not only its place)
    stored = span_store.attribute_counts(window.project.db, "canonical", "ACTOR")
    assert {value: n for value, n in kept.items() if n} == dict(stored) == {"Khalifa Haftar": 2, "الأناضول": 1}


def test_a_window_closed_while_values_are_counted_waits_for_the_worker(window, monkeypatch):
    _off_thread(monkeypatch, window)
    tag(window, "خليفة حفتر")
    completions = window.editor.completions
    completions.clear()
    assert completions.values("ACTOR", "canonical") == []  # asked: on its way
    assert completions.counting
    loading = list(completions._loading.values())
    completions.clear()  # (let go, still counting: waited for all the same)
    assert completions.values("ACTOR", "canonical") == []
    loading += list(completions._loading.values())
    window.close()
    assert len(loading) == 2 and all(task.isFinished() for task in loading) and not completions.counting
    assert window.editor.completions.values("ACTOR", "canonical") == []  # (stopped: nothing more is read)


def test_attribute_values_as_counted_match_the_store(project):
    """``attribute_value`` counts a span's value as SQLite's ``json_extract`` gives it."""
    text = "أسر 30 مقاتلا قرب سرت في 19 يناير 2019"
    with project.transaction() as db:
        documents.insert(db, documents.NewDocument(text=text, id="d1"))
        project.add_annotator("Salma")
        for n, value in enumerate(["سرت", "سرت", 30, True, "", None, ["a", 1]]):
            attributes = {} if value is None else {"canonical": value}
            span_store.insert(db, span_store.Span("d1", "Salma", n, n + 2, "LOCATION", attributes), "Salma")
    counted: dict = {}
    for span in span_store.for_document(project.db, "d1"):
        value = span_store.attribute_value(span, "canonical")
        if value is not None:
            counted[value] = counted.get(value, 0) + 1
    assert sorted(counted.items(), key=repr) == sorted(
        span_store.attribute_counts(project.db, "canonical", "LOCATION"), key=repr
    )
    assert span_store.completion_list(counted.items()) == span_store.attribute_values(
        project.db, "canonical", "LOCATION"
    )


def test_finding_a_document_deep_in_the_list_inserts_its_rows_once(project):
    make_application()
    with project.transaction() as db:
        for n in range(3 * document_list.PAGE + 5):
            documents.insert(db, documents.NewDocument(text=f"تقرير رقم {n} عن الاشتباكات في بنغازي", id=f"d{n:04d}"))
    model = document_list.DocumentListModel(project, None)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    last = f"d{3 * document_list.PAGE + 4:04d}"
    assert model.find(last) == 3 * document_list.PAGE + 4
    assert inserted == [(document_list.PAGE, 3 * document_list.PAGE + 4)]  # one insertion, not three
    assert [model.doc_id(row) for row in range(model.rowCount())] == [
        f"d{n:04d}" for n in range(3 * document_list.PAGE + 5)
    ]
    assert model.find("not-there") == -1


def test_the_agreement_view_is_built_when_its_panel_is_shown(window):
    assert window._agreement is None  # not for the first paint
    window.agreement_dock.show()  # (as the View menu does)
    assert window._agreement is not None and window.agreement_dock.widget() is window._agreement
    window.agreement_dock.hide()


def test_start_up_imports_no_dialog_or_agreement_module():
    code = (
        "import sys; import workbench.ui.main_window; "
        "print(sorted(m for m in ('workbench.ui.agreement_view', 'workbench.ui.export_dialog', "
        "'workbench.ui.attribute_dialog', 'workbench.core.agreement.source') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_suggestion_frames_are_measured_once_and_again_after_a_change(qtbot, monkeypatch):
    """The glyph rectangles of a suggestion are kept between paints, and measured again when
    their paragraph is formatted again or the article is laid out at another width: always what
    a fresh measurement gives."""
    from workbench.core.store.spans import Span
    from workbench.core.values import Found
    from workbench.ui.annotation_view import AnnotationView

    make_application()
    text = "وقال مصدر عسكري إن 30 من قواته وقعوا في الأسر يوم 19 يناير 2019 قرب مدينة غريان\nسطر ثان عن طرابلس"
    view = AnnotationView()
    qtbot.addWidget(view)
    view.resize(420, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_document(text, [], {"DATE": "#009E73", "CASUALTY": "#CC79A7"})
    date = text.index("19 يناير 2019")
    view.model.set_suggestions([Found(date, date + len("19 يناير 2019"), "DATE", source="rules:date")])
    key = next(iter(view.model.suggestions))
    measured = Calls(monkeypatch)
    measured.watch(AnnotationView, "_measure")

    def fresh() -> list:
        kept, view._glyph_rects = view._glyph_rects, {}
        try:
            return [r.getRect() for r in view.suggestion_rects(key)]
        finally:
            view._glyph_rects = kept

    view.viewport().repaint()
    first = [r.getRect() for r in view.suggestion_rects(key)]
    assert first and first == fresh()
    view.viewport().repaint()
    view.viewport().repaint()
    assert measured.counts["AnnotationView._measure"] == 2  # the first paint and fresh(): not each paint
    # A span tagged in the same paragraph formats it again: measured again, still right.
    casualty = text.index("30 من قواته")
    view.put_span(Span("d", "a", casualty, casualty + 2, "CASUALTY", id="s1"))
    assert key not in view._glyph_rects
    view.viewport().repaint()
    assert [r.getRect() for r in view.suggestion_rects(key)] == fresh()
    # Narrower: the lines wrap elsewhere.
    view.resize(260, 300)
    view.viewport().repaint()
    assert [r.getRect() for r in view.suggestion_rects(key)] == fresh()


def test_tagging_formats_each_paragraph_it_touches_once(window, monkeypatch):
    """A tag formats the new span's paragraph for the span and for its selection in one pass (each
    formatting lays the paragraph out again); the one selected before is formatted once too."""
    from PySide6.QtGui import QSyntaxHighlighter

    tag(window, "خليفة حفتر")
    formatted: list[int] = []
    real = QSyntaxHighlighter.rehighlightBlock
    monkeypatch.setattr(
        type(window.view.highlighter),
        "rehighlightBlock",
        lambda self, block: (formatted.append(block.blockNumber()), real(self, block))[1],
    )
    before = window.view.highlighter.blocks_of(window.selected_span)
    tag(window, "الأناضول")
    after = window.view.highlighter.blocks_of(window.selected_span)
    assert before is not None and after is not None
    assert sorted(formatted) == sorted({*range(before[0], before[1] + 1), *range(after[0], after[1] + 1)})
    assert window.view.highlighter.selected == window.selected_span


def test_start_up_imports_no_bundle_merge_import_search_or_smoke_test_module():
    code = (
        "import sys; import workbench.ui.app, workbench.ui.session; "
        "print(sorted(m for m in ('workbench.core.sample', 'workbench.core.importer', 'workbench.ui.smoke', "
        "'workbench.core.bundles.work_bundle', 'workbench.core.annotated_import', 'workbench.core.search') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_completion_values = st.one_of(
    st.sampled_from(["سرت", "حفتر", "Haftar", " ", "", "30"]), st.integers(-2, 40), st.sampled_from([1.5, 30.0])
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_completion_values, st.integers(1, 3)), max_size=12),
    st.lists(st.tuples(_completion_values, st.sampled_from([-1, 1, 2])), max_size=40),
)
def test_a_ranking_kept_step_by_step_is_the_list_sorted_anew(start, steps):
    """Counting values one at a time (tags, deletes, edits, undo) keeps the completions in
    the order that sorting every count again gives, counts going to zero and below included."""
    ranking = span_store.CompletionRanking(start)
    counts: dict = {}
    for value, n in start:
        counts[value] = counts.get(value, 0) + n
    for value, step in steps:
        ranking.count(value, step)
        counts[value] = counts.get(value, 0) + step
        # most used first, then numbers before texts, in their order; no empty or unused value
        kept = [(value, n) for value, n in counts.items() if n > 0 and str(value).strip()]
        expected = [str(v) for v, n in sorted(kept, key=lambda item: (-item[1], isinstance(item[0], str), item[0]))]
        assert ranking.values() == expected
        assert span_store.completion_list(sorted(counts.items(), key=repr)) == expected

"""The annotator's model in the window (issue 14), driven with the window's own keys on a real
project file: marking a document done trains the model in the background (one run at a time, at
most one queued), the status bar shows the model's state, "Retrain the model now" queues a run,
a finished run leaves the open document's suggestions alone (the new model is used from the
next document opened), and a run that fails is said in the status bar, the window going on."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core import suggestions
from workbench.core.importer import import_paths
from workbench.core.store import models as models_store
from workbench.core.store.project import Project
from workbench.core.values import Found, training
from workbench.ui.commands import BY_ID
from workbench.ui.document_spans import is_suggestion
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"
OTHER = "003_ea1dba6c08793fa4"
ALWAYS = ("خليفة حفتر", "ACTOR", 0.92)  # proposed whatever the model
LEARNED = ("بوابة 27 غرب طرابلس", "LOCATION", 0.95)  # proposed once the layer has a model


def _found(text: str, needle: str, label: str, confidence: float) -> list[Found]:
    start = text.find(needle)
    return [] if start < 0 else [Found(start, start + len(needle), label, {}, "test", confidence)]


@pytest.fixture
def engine(monkeypatch):
    """A fake engine whose proposals change once Salma has a model: were the open document's
    suggestions asked again after a run, the list would change."""

    def engines(project, _which):
        has_model = models_store.get(project.db, "Salma", blob=False) is not None

        def run(text, _anchor):
            found = _found(text, *ALWAYS)
            if has_model:
                found += _found(text, *LEARNED)
            return found

        return [run]

    monkeypatch.setattr(suggestions, "_engines", engines)
    monkeypatch.setattr(suggestions, "fill", lambda project, span, text=None, **kwargs: span)


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
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_document(DOC)
    settle(qtbot, window)
    yield window
    window.close()


def settle(qtbot, window):
    qtbot.waitUntil(lambda: not window.feed.busy, timeout=20000)
    QApplication.processEvents()


def idle(qtbot, window):
    qtbot.waitUntil(lambda: not window.trainer.busy, timeout=60000)
    QApplication.processEvents()


def stored(window):
    return models_store.get(window.project.db, "Salma", blob=False)


def offered(window):
    model = window.spans
    return [
        (model.suggestion(key).label, window.text[model.suggestion(key).start : model.suggestion(key).end])
        for key in model.ordered_items()
        if is_suggestion(key)
    ]


def mark_done(window):
    """The window's key: Ctrl+Return marks the document done and opens the next unfinished one."""
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


@pytest.fixture
def gate(monkeypatch):
    """Training waits for ``gate.set()`` (so that "done" can come twice while a run goes on)."""
    event = threading.Event()
    real = training.train_layer

    def slow(project, layer=None, **kwargs):
        assert event.wait(30)
        return real(project, layer, **kwargs)

    monkeypatch.setattr(training, "train_layer", slow)
    yield event
    event.set()


def test_marking_a_document_done_trains_the_model_in_the_background(window, qtbot):
    label = window.trainer.label
    assert label.isVisible() and label.text() == "Model: none yet (mark documents done)"
    assert stored(window) is None
    mark_done(window)
    qtbot.waitUntil(lambda: stored(window) is not None, timeout=60000)
    idle(qtbot, window)
    model = stored(window)
    assert model.documents == 1 and window.trainer.runs == 1
    assert label.text() == "Model: quiet until two documents are done (one is held out to test it)"
    assert "Trained " in label.toolTip() and "on 1 documents" in label.toolTip()
    # A second document: held out, measured, figures in the label and its tooltip.
    mark_done(window)
    qtbot.waitUntil(lambda: stored(window).documents == 2, timeout=60000)
    idle(qtbot, window)
    precision = stored(window).evaluation["overall"]["relaxed"]["precision"]
    assert label.text() == (f"Model: quiet until its held-out precision reaches 0.8 (now {precision:.2f})")
    assert "overall: precision" in label.toolTip()


def test_the_status_label_shows_a_good_model_s_figures(window, qtbot):
    evaluation = {
        "documents": 3,
        "overall": {"relaxed": {"precision": 0.86, "recall": 0.7, "f1": 0.7723}},
        "labels": {"ACTOR": {"relaxed": {"precision": 0.9, "recall": 0.75, "f1": 0.8182}}},
    }
    model = models_store.StoredModel("Salma", "crf", "crf-1", "2026-12-07T10:00", 12, 1.5, evaluation, [])
    with window.project.transaction() as db:
        models_store.save(db, model)
    window.trainer.refresh()
    label = window.trainer.label
    assert label.text() == "Model: 12 documents, held-out F1 0.77"
    tip = label.toolTip()
    assert "Trained 2026-12-07T10:00 on 12 documents in 1.5 s." in tip
    assert "Held out: 3 documents" in tip
    assert "overall: precision 0.86, recall 0.70, F1 0.77" in tip
    assert "ACTOR: precision 0.90, recall 0.75, F1 0.82" in tip


def test_two_quick_dones_make_at_most_two_runs(window, qtbot, gate):
    mark_done(window)
    qtbot.waitUntil(lambda: window.trainer.runs == 1)
    assert window.trainer.label.text() == "Model: training…"
    mark_done(window)
    mark_done(window)  # (a third while the first runs: the one queued run takes it in)
    QApplication.processEvents()
    assert window.trainer.runs == 1 and window.trainer.busy
    gate.set()
    idle(qtbot, window)
    assert window.trainer.runs == 2
    assert stored(window).documents == 3  # the queued run learned from all three


def test_retrain_now_is_a_command_of_the_annotate_menu(window, qtbot, gate):
    command = BY_ID["retrain_model"]
    assert command.menu == "Annotate" and command.shortcuts == ()
    action = window.actions["retrain_model"]
    assert action.text() == "Retrain the model now"
    action.trigger()
    action.trigger()  # queued once
    action.trigger()  # nothing more
    gate.set()
    idle(qtbot, window)
    assert window.trainer.runs == 2
    assert stored(window) is not None and stored(window).documents == 0


def test_a_finished_run_does_not_change_the_open_document_s_suggestions(window, qtbot):
    assert offered(window) == [("ACTOR", ALWAYS[0])]
    computed = []
    window.feed.computed.connect(lambda: computed.append(window.current_doc_id))
    with qtbot.waitSignal(window.trainer.trained, timeout=60000):
        assert window.set_status("done")  # (Document menu: the open document stays open)
    idle(qtbot, window)
    QTest.qWait(100)
    settle(qtbot, window)
    assert stored(window) is not None
    assert computed == [] and offered(window) == [("ACTOR", ALWAYS[0])]
    # The new model is used from the next document opened.
    window.open_document(OTHER)
    settle(qtbot, window)
    window.open_document(DOC)
    settle(qtbot, window)
    assert offered(window) == [("ACTOR", ALWAYS[0]), ("LOCATION", LEARNED[0])]


def test_a_failing_run_is_said_and_the_window_goes_on(window, qtbot, monkeypatch):
    def broken(project, layer=None, **kwargs):
        raise RuntimeError("the model exploded")

    real = training.train_layer
    monkeypatch.setattr(training, "train_layer", broken)
    mark_done(window)
    qtbot.waitUntil(lambda: "the model exploded" in window.statusBar().currentMessage(), timeout=20000)
    assert window.statusBar().currentMessage() == "The model could not be trained: the model exploded"
    idle(qtbot, window)
    assert stored(window) is None and window.trainer.label.text() == "Model: none yet (mark documents done)"
    # The window goes on: another document, another run.
    assert window.current_doc_id != DOC
    window.open_document(OTHER)
    settle(qtbot, window)
    monkeypatch.setattr(training, "train_layer", real)
    window.actions["retrain_model"].trigger()
    qtbot.waitUntil(lambda: stored(window) is not None, timeout=60000)
    idle(qtbot, window)


def test_no_model_when_suggestions_are_off(window, qtbot):
    assert window.set_suggestions_on(False)
    assert not window.trainer.label.isVisible()
    mark_done(window)
    QTest.qWait(100)
    assert window.trainer.runs == 0 and stored(window) is None
    assert window.set_suggestions_on(True)
    assert window.trainer.label.isVisible()


def test_the_model_s_state_reads_in_arabic(qtbot, project, engine):
    session = Session(project, app_settings())
    session.apply_language("ar")
    try:
        window = session.show()
        qtbot.waitExposed(window)
        text = window.trainer.label.text()
        assert text and "Model" not in text
        assert window.actions["retrain_model"].text() != "Retrain the model now"
        window.close()
    finally:
        session.apply_language("en")


def test_editing_the_open_document_after_a_run_keeps_what_it_was_opened_with(window, qtbot, monkeypatch):
    """The core pins what the learning engines knew when the document was opened
    (suggestions.pin): a run finishing and then an edit of the open document (which asks for its
    suggestions again) must not bring the new model into it."""
    from workbench.core import intents

    class Learned:
        def predict(self, text):
            return _found(text, *LEARNED)

    real_model_of = training.model_of
    monkeypatch.setattr(
        training, "model_of", lambda project, layer: Learned() if real_model_of(project, layer) is not None else None
    )
    monkeypatch.setattr(suggestions, "model_ready", lambda project, layer: True)
    # (LEARNED comes from the model alone here, not from the fixture's engine)
    monkeypatch.setattr(suggestions, "_engines", lambda project, _which: [lambda text, _anchor: _found(text, *ALWAYS)])
    window.open_document(OTHER)
    settle(qtbot, window)
    window.open_document(DOC)
    settle(qtbot, window)
    assert ("LOCATION", LEARNED[0]) not in offered(window)
    with qtbot.waitSignal(window.trainer.trained, timeout=60000):
        assert window.set_status("done")
    idle(qtbot, window)
    assert stored(window) is not None
    # An edit of the open document: its suggestions are asked again, with what was pinned.
    start = window.text.index("طرابلس")
    with qtbot.waitSignal(window.feed.computed, timeout=20000):
        window.runner.run(
            intents.tag(window.project, DOC, "Salma", start, start + len("طرابلس"), "LOCATION", values=False)
        )
    settle(qtbot, window)
    assert ("LOCATION", LEARNED[0]) not in offered(window)
    window.open_document(OTHER)
    settle(qtbot, window)
    window.open_document(DOC)
    settle(qtbot, window)
    assert ("LOCATION", LEARNED[0]) in offered(window)

"""The window's "Add attribute to a label…" dialog: the same intent as `workbench-cli labels attr add`,
run through the undo stack; the attribute form shows the new field at once (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.core.actions import CreateSpan
from workbench.core.importer import import_paths
from workbench.core.store.labels import ATTRIBUTE_TYPES, CHOICE, TEXT
from workbench.core.store.project import Project
from workbench.core.store.spans import Span
from workbench.ui.attribute_dialog import AttributeDialog
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"


def _open(qtbot, tmp_path, corpus_files, language: str):
    make_application()
    project = Project.create(tmp_path / f"lead-{language}.wbproj", name="ليبيا")
    import_paths(project, corpus_files)
    project.set_current_annotator("Lead")
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [DOC]).fetchone()[0]
    start = text.index("حفتر")
    span = CreateSpan(Span(DOC, "Lead", start, start + len("حفتر"), "ACTOR"), "Lead")
    span.do(project)
    settings = app_settings()
    settings.clear()
    settings.setValue("language", language)
    session = Session(project, settings)
    window = session.show()
    qtbot.waitExposed(window)
    window.open_document(DOC)
    window.select_span(span.span.id)
    return session, window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    session, window = _open(qtbot, tmp_path, corpus_files, "en")
    yield window
    window.close()
    session.project.close()


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_the_dialog_adds_an_attribute_and_undo_takes_it_back(qtbot, window):
    project = window.project
    assert "role" not in window.form.fields
    window.actions["add_attribute"].trigger()
    dialog = window.findChild(AttributeDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.label.currentData() == "ACTOR"  # the selected span's label
    assert dialog.type.currentData() == TEXT and not dialog.values.isEnabled()
    _type(qtbot, dialog.name, "role")
    dialog.type.setCurrentIndex(dialog.type.findData(CHOICE))
    assert dialog.values.isEnabled()
    _type(qtbot, dialog.values, "commander, fighter")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.message.text() == ""
    assert project.label("ACTOR").attribute("role").choices == ("commander", "fighter")
    # The selected span's form has the new field at once, with its choices.
    field = window.form.fields["role"]
    assert [field.itemData(i) for i in range(field.count())] == [None, "commander", "fighter"]
    assert window.undo_stack.undoText() == "Add attribute ACTOR.role"
    window.actions["undo"].trigger()
    assert project.label("ACTOR").attribute("role") is None and "role" not in window.form.fields
    window.actions["redo"].trigger()
    assert project.label("ACTOR").attribute("role") is not None and "role" in window.form.fields


def test_a_refusal_is_shown_in_the_dialog_and_changes_nothing(qtbot, window, dialogs):
    project = window.project
    before = project.labels()
    dialog = window.add_attribute()
    dialog.label.setCurrentIndex(dialog.label.findData("ACTOR"))
    _type(qtbot, dialog.name, "canonical")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "ACTOR already has an attribute canonical" in dialog.message.text()
    dialog.name.clear()
    _type(qtbot, dialog.name, "role")
    dialog.type.setCurrentIndex(dialog.type.findData(CHOICE))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "lists no values" in dialog.message.text()
    assert project.labels() == before and window.undo_stack.count() == 0 and dialogs == []
    dialog.reject()


def test_the_dialog_in_arabic_is_translated_and_right_to_left(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    session, window = _open(qtbot, tmp_path, corpus_files, "ar")
    try:
        dialog = window.add_attribute()
        qtbot.waitExposed(dialog)
        assert dialog.isRightToLeft()
        assert dialog.windowTitle() == "إضافة خاصية إلى وسم"
        assert [dialog.type.itemData(i) for i in range(dialog.type.count())] == list(ATTRIBUTE_TYPES)
        assert all(dialog.type.itemText(i) != dialog.type.itemData(i) for i in range(dialog.type.count()))
        # Nothing clipped: every row's widget gets at least the width its text needs.
        for widget in (dialog.label, dialog.type, dialog.name, dialog.values, dialog.description):
            assert widget.width() >= widget.minimumSizeHint().width()
        dialog.reject()
    finally:
        session.apply_language("en")
        window.close()
        session.project.close()

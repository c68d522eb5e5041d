"""The project's guidelines: the lead sets them (core intent, `workbench-cli guidelines set`, the
window's editor), everyone reads them (`guidelines show`, F1), project bundles carry them, and an
annotator's copy shows them read-only."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from workbench.cli import cli
from workbench.core import intents
from workbench.core.assign import assign_balanced
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.errors import InvalidInput, RefusedInput
from workbench.core.importer import import_paths
from workbench.core.store import changelog
from workbench.core.store.project import MAX_GUIDELINES_BYTES, Project
from workbench.ui.guidelines_editor import GuidelinesEditor
from workbench.ui.session import Session, app_settings, make_application

GUIDELINES = (
    "# إرشادات الوسم\n\n"
    "لا تُدرج حروف العطف (و، ف) في الكيان: «وطرابلس» تُوسم «طرابلس».\n\n"
    "- **CASUALTY**: العدد كما ورد، مثل «مقتل أربعة» أو «إصابة 18».\n"
    "- **DATE**: التاريخ كما ورد، مثل 12 جانفي أو 19 يناير 2019.\n"
)


@pytest.fixture
def team(tmp_path, corpus_files):
    """A lead's project with two articles, both assigned to Salma, and Salma's copy made from
    her project bundle."""
    lead = Project.create(tmp_path / "lead.wbproj", name="Libya")
    import_paths(lead, corpus_files[:2])
    lead.set_current_annotator("Lead")
    lead.add_annotator("Salma")
    assign_balanced(lead, ["Salma"], k=1)
    intents.set_guidelines(lead, GUIDELINES).do(lead)
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbbundle")
    copy = open_project_bundle(tmp_path / "salma.wbbundle", tmp_path / "salma.wbproj")
    yield lead, copy
    copy.close()
    lead.close()


# --- the core ------------------------------------------------------------------------------


def test_setting_guidelines_is_a_logged_undoable_action(project):
    action = intents.set_guidelines(project, GUIDELINES.replace("\n", "\r\n"))
    assert action is not None
    action.do(project)
    assert project.guidelines == GUIDELINES  # normalised like a document: \n line ends
    [entry] = [c for c in changelog.history(project.db) if c["action"] == "guidelines.set"]
    assert entry["actor"] == "lead" and entry["after"] == {"chars": len(GUIDELINES)}
    assert intents.set_guidelines(project, GUIDELINES) is None  # the same text: nothing to do
    action.undo(project)
    assert project.guidelines == ""


def test_bad_guidelines_are_refused_and_change_nothing(project, snapshot):
    before = snapshot(project.path)
    with pytest.raises(InvalidInput, match="the guidelines are empty"):
        intents.set_guidelines(project, " \n\t\n")
    with pytest.raises(InvalidInput, match="more than the 1 MB"):
        intents.set_guidelines(project, "ا" * (MAX_GUIDELINES_BYTES // 2 + 1))
    with pytest.raises(RefusedInput, match="notes.md: this looks like a binary file"):
        intents.set_guidelines(project, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "notes.md")
    with pytest.raises(RefusedInput, match="notes.md: the file is empty"):
        intents.set_guidelines(project, b"", "notes.md")
    assert snapshot(project.path) == before


def test_guidelines_from_a_windows_1256_file(project, tmp_path):
    path = tmp_path / "guidelines.md"
    path.write_bytes(GUIDELINES.encode("cp1256"))
    intents.set_guidelines(project, path).do(project)
    assert project.guidelines == GUIDELINES


def test_the_leads_edit_reaches_the_annotator_with_the_next_bundle(team, tmp_path):
    lead, copy = team
    assert copy.guidelines == GUIDELINES
    with pytest.raises(InvalidInput, match="annotator's copy: its guidelines come from the lead"):
        intents.set_guidelines(copy, "نص آخر")
    revised = GUIDELINES + "\n- **ACTOR**: الاسم كاملًا، مثل «اللواء المجحفل 106».\n"
    intents.set_guidelines(lead, revised).do(lead)
    export_project_bundle(lead, "Salma", tmp_path / "salma-2.wbbundle")
    open_project_bundle(tmp_path / "salma-2.wbbundle", copy.path).close()
    assert copy.guidelines == revised


# --- the command line ----------------------------------------------------------------------


def _cli(db, *args, stdin=None):
    return CliRunner().invoke(cli, ["--db", str(db), "--bidi", "logical", *args], input=stdin)


def test_cli_sets_and_shows_the_guidelines(project, tmp_path):
    path = project.path
    project.close()
    source = tmp_path / "guidelines.md"
    source.write_text(GUIDELINES, encoding="utf-8")
    result = _cli(path, "guidelines", "set", str(source))
    assert result.exit_code == 0, result.output
    assert "Guidelines set" in result.output and "next project bundle" in result.output
    shown = _cli(path, "guidelines", "show")
    assert shown.exit_code == 0 and shown.output == GUIDELINES
    data = json.loads(_cli(path, "guidelines", "show", "--json").output)
    assert data == {"guidelines": GUIDELINES, "editable": True}
    again = json.loads(_cli(path, "guidelines", "set", str(source), "--json").output)
    assert again == {"changed": False, "chars": len(GUIDELINES)}
    piped = _cli(path, "guidelines", "set", "-", stdin="# قواعد\n\nالوسم على الكلمة كاملة.\n".encode("utf-16"))
    assert piped.exit_code == 0, piped.output
    assert _cli(path, "guidelines", "show").output == "# قواعد\n\nالوسم على الكلمة كاملة.\n"


def test_cli_refuses_to_set_an_annotators_guidelines(team):
    _lead, copy = team
    path = copy.path
    result = _cli(path, "guidelines", "set", "-", stdin="نص آخر")
    assert result.exit_code == 1 and "annotator's copy" in result.output
    assert json.loads(_cli(path, "guidelines", "show", "--json").output)["editable"] is False


# --- the window ----------------------------------------------------------------------------


def _window(qtbot, project, language="en"):
    make_application()
    session = Session(project, app_settings())
    session.apply_language(language)
    window = session.show()
    window._test_session = session  # the session owns the undo stack
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _type(widget, text: str) -> None:
    """Arabic typed as an input method commits it (qtbot.keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_the_lead_edits_the_guidelines_in_the_window(qtbot, tmp_path, monkeypatch, team, dialogs):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    lead, _copy = team
    window = _window(qtbot, lead, "ar")
    QTest.keyClick(window.view, Qt.Key.Key_F1)  # F1 shows them, with the lead's Edit button
    assert window.guidelines_dock.isVisible() and "حروف العطف" in window.guidelines.toPlainText()
    assert window.guidelines_panel.edit_button.isVisible() and not window.guidelines_panel.note.isVisible()
    assert window.actions["edit_guidelines"].isEnabled()

    window.actions["edit_guidelines"].trigger()  # Shift+F1, Edit → Edit guidelines…
    editor = window.findChild(GuidelinesEditor)
    assert editor is not None and editor.isVisible()
    assert editor.text() == GUIDELINES
    assert editor.source.layoutDirection() == Qt.LayoutDirection.RightToLeft  # Arabic source, right to left
    editor.source.moveCursor(editor.source.textCursor().MoveOperation.End)
    added = "\n- **LOCATION**: المكان بلا حرف الجر، مثل «بنغازي» من «ببنغازي»."
    _type(editor.source, added)
    assert editor.modified
    qtbot.waitUntil(lambda: "ببنغازي" in editor.preview.toPlainText())  # the preview follows
    assert "**" not in editor.preview.toPlainText()  # rendered, not the source
    editor.grab().save(str(tmp_path / "guidelines-editor.png"))
    editor.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not editor.isVisible()
    stored = Project.open(lead.path)
    assert stored.guidelines == GUIDELINES + added
    stored.close()
    assert "ببنغازي" in window.guidelines.toPlainText()  # the panel shows the new text
    window.undo_stack.undo()  # one undoable action
    assert lead.guidelines == GUIDELINES and "ببنغازي" not in window.guidelines.toPlainText()
    window.close()


def test_the_editor_asks_before_it_drops_unsaved_changes(qtbot, tmp_path, monkeypatch, project, dialogs):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    project.set_current_annotator("Lead")
    window = _window(qtbot, project)
    assert "no guidelines yet" in window.guidelines.toPlainText()
    editor = window.edit_guidelines()
    _type(editor.source, "Tag whole words.")
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    editor.reject()  # Cancel: keep editing
    assert editor.isVisible()
    editor.reject()  # Discard
    assert not editor.isVisible() and project.guidelines == ""
    editor = window.edit_guidelines()
    editor.source.setPlainText("   ")
    editor.save()  # refused by the core: the sentence, the dialog stays open
    assert editor.isVisible() and dialogs[-1][0] == "warning" and "the guidelines are empty" in dialogs[-1][1]
    editor.source.setPlainText("")
    editor.reject()  # nothing changed since it opened: closes without asking
    assert not editor.isVisible()
    window.close()


def test_an_annotator_reads_the_guidelines_read_only(qtbot, tmp_path, monkeypatch, team):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    _lead, copy = team
    window = _window(qtbot, copy)
    QTest.keyClick(window.view, Qt.Key.Key_F1)
    assert window.guidelines_dock.isVisible() and "حروف العطف" in window.guidelines.toPlainText()
    panel = window.guidelines_panel
    assert not panel.edit_button.isVisible() and panel.note.isVisible()
    assert "cannot be edited in your copy" in panel.note.text()
    assert not window.actions["edit_guidelines"].isEnabled()
    assert window.edit_guidelines() is None and window.findChild(GuidelinesEditor) is None
    window.close()

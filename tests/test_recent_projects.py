"""The start of the app and the recent-projects list: `workbench` opens the project used last,
`workbench FILE` does the right thing for a project, a project bundle and a work bundle, File →
Open Recent lists what was opened, and the first dialogs speak the language asked for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from workbench.core import intents, recent
from workbench.core.assign import assign_balanced
from workbench.core.bundles import signing
from workbench.core.bundles.project_bundle import export_project_bundle, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle
from workbench.core.importer import import_paths
from workbench.core.paths import default_project_path
from workbench.core.store.project import Project
from workbench.ui import app
from workbench.ui.session import app_settings, make_application
from workbench.ui.window_menus import fill_recent_menu, recent_projects, remember_project

# --- the list's rules (core/recent.py) -------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 1_000.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def test_most_recent_first_once_by_resolved_path(tmp_path):
    clock = Clock()
    a, b = tmp_path / "أ.wbproj", tmp_path / "b.wbproj"
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.wbproj"
    for path in (a, b):
        path.write_bytes(b"x")
    link.symlink_to(a)
    entries = recent.remember([], a, clock)
    entries = recent.remember(entries, b, clock)
    assert [e.path for e in entries] == [b, a]
    entries = recent.remember(entries, tmp_path / "sub" / ".." / "أ.wbproj", clock)  # the same file
    entries = recent.remember(entries, link, clock)  # and again, through a link
    assert [e.path for e in entries] == [a, b]
    assert entries[0].opened_at == clock.now
    assert recent.from_json(recent.to_json(entries)) == entries


@given(st.lists(st.integers(min_value=0, max_value=14), max_size=40))
def test_the_list_holds_at_most_ten_distinct_projects_newest_first(opened):
    clock = Clock()
    entries: list[recent.Recent] = []
    for n in opened:
        entries = recent.remember(entries, f"/projects/p{n}.wbproj", clock)
    paths = [e.path.name for e in entries]
    expected = list(dict.fromkeys(f"p{n}.wbproj" for n in reversed(opened)))[: recent.MAX_RECENT]
    assert paths == expected
    assert [e.opened_at for e in entries] == sorted((e.opened_at for e in entries), reverse=True)


def test_missing_projects_are_shown_greyed_and_not_opened_at_start(tmp_path):
    clock = Clock()
    kept, gone = tmp_path / "kept.wbproj", tmp_path / "gone.wbproj"
    kept.write_bytes(b"x")
    entries = recent.remember(recent.remember([], kept, clock), gone, clock)
    assert [(s.name, s.missing) for s in recent.shown(entries)] == [("gone.wbproj", True), ("kept.wbproj", False)]
    assert recent.last_project(entries) == (None, gone)  # the last one is gone: the default opens
    assert recent.last_project(recent.forget(entries, gone)) == (kept, None)
    assert recent.last_project([]) == (None, None)


@pytest.mark.parametrize("stored", ["", "not json", "{}", '[1, {"path": 3}, {"path": ""}]', None])
def test_unreadable_settings_give_an_empty_list(stored):
    assert recent.from_json(stored) == []


# --- the window and the start ----------------------------------------------------------------


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    return tmp_path / "home"


def _project(path: Path, corpus_files, user: str | None = "Lead") -> Path:
    project = Project.create(path, name=path.stem)
    import_paths(project, corpus_files[:2])
    if user:
        project.set_current_annotator(user)
    project.close()
    return path


@pytest.fixture
def controller(home):
    made = app.Controller(app_settings())
    yield made
    if made.session is not None:
        made.session.window.close()
    made.close()


def test_plain_workbench_opens_the_last_project_and_lists_it(qtbot, tmp_path, corpus_files, controller, dialogs):
    first = _project(tmp_path / "first.wbproj", corpus_files)
    second = _project(tmp_path / "second.wbproj", corpus_files)
    assert controller.start(first)
    assert controller.open(second)
    assert controller.session.project.path == second
    controller.session.window.close()
    controller.close()

    again = app.Controller(app_settings())
    assert again.start(None)  # `workbench`: the last project, not the default one
    try:
        window = again.session.window
        qtbot.waitUntil(lambda: window.whole)  # (its menus' commands come just after its first paint)
        assert again.session.project.path == second and not default_project_path().exists()
        # File → Open Recent, after Open…: most recent first; a project that is gone is greyed.
        remember_project(again.settings, tmp_path / "gone.wbproj")
        remember_project(again.settings, second)
        menu = window.recent_menu
        file_menu = window.menuBar().actions()[0].menu()
        names = [a.objectName() or (a.menu().objectName() if a.menu() else "") for a in file_menu.actions()]
        assert names.index("recentMenu") == names.index("action_open") + 1
        file_menu.popup(window.geometry().topLeft())
        menu.popup(window.geometry().center())  # (filled as it opens)
        QApplication.processEvents()
        menu.grab().save(str(tmp_path / "recent-menu.png"))
        menu.hide()
        file_menu.hide()
        fill_recent_menu(menu, again.settings, window.openRequested.emit)
        entries = [a for a in menu.actions() if a.objectName().startswith("recent_") and a.objectName()[7:].isdigit()]
        assert [(a.text(), a.isEnabled()) for a in entries] == [
            ("&1 second.wbproj", True),
            ("&2 gone.wbproj (not found)", False),
            ("&3 first.wbproj", True),
        ]
        assert str(tmp_path / "gone.wbproj") in entries[1].toolTip()
        entries[2].trigger()  # opens first.wbproj in place of second
        assert again.session.project.path == first
        assert [e.path.name for e in recent_projects(again.settings)][:2] == ["first.wbproj", "second.wbproj"]
        qtbot.waitUntil(lambda: again.session.window.whole)
        again.session.window.recent_menu.findChild(type(entries[0]), "recent_clear").trigger()
        assert recent_projects(again.settings) == []
    finally:
        again.session.window.close()
        again.close()


def test_a_missing_last_project_opens_the_default_one_and_says_so(qtbot, tmp_path, controller, monkeypatch):
    remember_project(controller.settings, tmp_path / "moved.wbproj")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Salma", True))  # the first-run name
    assert controller.start(None)
    assert controller.session.project.path == default_project_path()
    message = controller.session.window.statusBar().currentMessage()
    assert "moved.wbproj" in message and "default project" in message


def test_workbench_opens_a_project_bundle_as_the_annotators_copy(
    qtbot, tmp_path, corpus_files, controller, monkeypatch, dialogs
):
    lead = Project.open(_project(tmp_path / "lead.wbproj", corpus_files))
    lead.add_annotator("Salma")
    assign_balanced(lead, ["Salma"], k=1)
    first = export_project_bundle(lead, "Salma", tmp_path / "salma.wbbundle")
    asked = []
    chosen = tmp_path / "mine" / "salma-copy"  # no suffix typed: .wbproj is added

    def where(_parent, caption, suggested, *a, **k):
        asked.append((caption, suggested))
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", where)
    assert controller.start(tmp_path / "salma.wbbundle")
    copy = controller.session.project
    assert copy.path == chosen.with_suffix(".wbproj") and copy.current_annotator == "Salma"
    assert asked and asked[0][1].endswith("-Salma.wbproj")  # the data directory's place suggested
    kind, text = dialogs[-1]
    assert kind == "information" and f"Your lead's key: {first.fingerprint}" in text and "Compare it" in text

    # The lead moves to another computer: the next bundle is signed by a new key. Opening it
    # asks for the fingerprint the lead reads out (a wrong one is refused and asked again).
    lead.set_setting("signing_key", signing.new_private_key())
    second = export_project_bundle(lead, "Salma", tmp_path / "salma-2.wbbundle")
    lead.close()
    remember_project(controller.settings, copy.path)
    monkeypatch.setattr("workbench.ui.app.copy_path_for", lambda _bundle: copy.path)  # her copy is known
    typed = iter([("0000 1111", True), (second.fingerprint, True)])
    prompts = []
    monkeypatch.setattr(QInputDialog, "getText", lambda _p, _t, label, *a, **k: (prompts.append(label), next(typed))[1])
    assert controller.open(tmp_path / "salma-2.wbbundle")
    assert "signed by a different key" in prompts[0] and "--repin" not in prompts[0]
    assert "the fingerprint you typed is not" in prompts[1]
    assert f"Your lead's key: {second.fingerprint}" in dialogs[-1][1]


def test_workbench_imports_a_work_bundle_into_the_last_project(qtbot, tmp_path, corpus_files, controller, dialogs):
    lead_path = _project(tmp_path / "lead.wbproj", corpus_files)
    lead = Project.open(lead_path)
    lead.add_annotator("Salma")
    assign_balanced(lead, ["Salma"], k=1)
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbbundle")
    lead.close()
    copy = open_project_bundle(tmp_path / "salma.wbbundle", tmp_path / "salma.wbproj")
    doc_id = copy.db.execute("SELECT id FROM documents ORDER BY id").fetchone()[0]
    text = intents.document_text(copy, doc_id)
    start = text.index("طرابلس") if "طرابلس" in text else 0
    intents.tag(copy, doc_id, "Salma", start, start + 6, "LOCATION").do(copy)
    work = export_work_bundle(copy, tmp_path / "salma.wbwork")
    copy.close()

    assert controller.start(lead_path)  # the lead's last project, open in the window
    team = controller.session.window.team
    with qtbot.waitSignal(team.merged, timeout=20_000):
        assert controller.open(work.path)  # File → Open of a .wbwork, or `workbench salma.wbwork`
    team.wait()
    assert controller.session.project.path == lead_path  # the same window: not opened twice
    assert controller.session.window.team_dock.isVisible()
    assert team.last_report.merged[0]["added"] == 1
    kind, text = dialogs[-1]
    assert kind == "information" and "salma.wbwork: merged" in text and "pinned" in text


def test_the_first_run_dialog_speaks_arabic_right_to_left(qtbot, tmp_path, corpus_files, controller):
    controller.settings.setValue("language", "ar")
    path = _project(tmp_path / "new.wbproj", corpus_files, user=None)
    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        seen.update(title=dialog.windowTitle(), label=dialog.labelText(), direction=dialog.layoutDirection())
        dialog.grab().save(str(tmp_path / "first-run-ar.png"))
        dialog.setTextValue("سلمى")
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert controller.start(path)
    assert seen == {
        "title": "من يُعلِّق؟",
        "label": seen["label"],
        "direction": Qt.LayoutDirection.RightToLeft,
    }
    assert "اسمك" in seen["label"]
    assert controller.session.project.current_annotator == "سلمى"
    assert controller.language is None  # the start's translators gave way to the session's


def test_the_smoke_test_runs_in_the_language_asked_for(tmp_path, capsys):
    target = tmp_path / "smoke-ar.png"
    assert app.main(["--language", "ar", "--smoke-test", str(target)]) == 0
    out = capsys.readouterr().out
    assert "interface in Arabic" in out and "smoke test passed" in out
    assert target.stat().st_size > 10_000
    assert os.environ.get("WORKBENCH_HOME") != str(tmp_path)


def test_a_work_bundle_without_a_last_project_asks_which_project(
    qtbot, tmp_path, corpus_files, controller, monkeypatch, dialogs
):
    lead_path = _project(tmp_path / "lead.wbproj", corpus_files)
    lead = Project.open(lead_path)
    lead.add_annotator("Salma")
    assign_balanced(lead, ["Salma"], k=1)
    export_project_bundle(lead, "Salma", tmp_path / "salma.wbbundle")
    lead.close()
    copy = open_project_bundle(tmp_path / "salma.wbbundle", tmp_path / "salma.wbproj")
    work = export_work_bundle(copy, tmp_path / "salma.wbwork")
    copy.close()
    # No recent project: the window asks; the annotator's copy given first is refused with the
    # reason, and the lead's project given next receives the bundle.
    answers = iter([str(tmp_path / "salma.wbproj"), str(lead_path)])
    captions = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda _p, caption, *a, **k: (captions.append(caption), (next(answers), ""))[1]
    )
    assert controller.start(work.path)
    team = controller.session.window.team
    qtbot.waitUntil(lambda: team.last_report is not None, timeout=20_000)
    assert controller.session.project.path == lead_path
    assert all("salma.wbwork" in caption for caption in captions) and len(captions) == 2
    assert any(kind == "warning" and "salma.wbproj is an annotator's copy" in text for kind, text in dialogs)
    assert team.last_report.merged[0]["annotator"] == "Salma"


def test_a_missing_or_damaged_bundle_is_refused_with_its_reason(tmp_path, controller, dialogs):
    assert not controller.start(tmp_path / "gone.wbbundle")
    assert dialogs[-1][0] == "critical" and "gone.wbbundle" in dialogs[-1][1]
    broken = tmp_path / "broken.wbbundle"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert not controller.open(broken)
    assert dialogs[-1][0] == "critical" and "broken.wbbundle" in dialogs[-1][1] and "Traceback" not in dialogs[-1][1]
    assert controller.session is None

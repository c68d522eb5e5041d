"""The team workflow in the window: the lead assigns and exports, the annotator opens a bundle,
tags and exports work, the lead imports it in the background and sees the progress."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox

from workbench.core.assign import assign_balanced
from workbench.core.bundles.project_bundle import key_report, open_project_bundle
from workbench.core.bundles.work_bundle import export_work_bundle
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
from workbench.ui.app import Controller
from workbench.ui.session import app_settings, make_application
from workbench.ui.team_panel import AssignDialog


@pytest.fixture
def quiet(monkeypatch):
    """Record the message boxes instead of blocking on them."""
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, _n=name: shown.append((_n, args[2])))
    return shown


def _activate(qtbot, window):
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_lead_annotator_round_trip_through_the_window(qtbot, tmp_path, monkeypatch, corpus_files, quiet):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    lead_path = tmp_path / "lead.wbproj"
    lead = Project.create(lead_path, name="Libya")
    import_paths(lead, corpus_files)
    lead.set_current_annotator("Lead")
    for name in ("Salma", "Omar"):
        lead.add_annotator(name)
    lead.close()

    # The lead assigns through the dialog and exports one project bundle per annotator.
    controller = Controller(app_settings())
    assert controller.open(lead_path)
    window = controller.session.window
    _activate(qtbot, window)
    monkeypatch.setattr(AssignDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.team.assign()
    progress = {
        window.team.table.item(r, 0).text(): window.team.table.item(r, 1).text()
        for r in range(window.team.table.rowCount())
    }
    loads = [int(v) for v in progress.values()]
    assert set(progress) == {"Lead", "Salma", "Omar"}
    assert sum(loads) == 10 and max(loads) - min(loads) <= 1  # 5 documents x 2 annotators, balanced
    bundles = window.team.export_bundles(str(tmp_path / "out"))
    assert len(bundles) >= 2
    salma_bundle = next(p for p in bundles if p.name.endswith("Salma.wbbundle"))

    # The annotator opens the bundle (File → Open), keeps her copy where the app suggests, and
    # tags a span; only her documents are there.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _parent, _caption, suggested, *a, **k: (suggested, ""))
    assert controller.open(salma_bundle)
    window = controller.session.window
    _activate(qtbot, window)
    assert window.project.current_annotator == "Salma"
    assert window.actions["export_work"].isEnabled()
    text = window.text
    start = text.index("طرابلس") if "طرابلس" in text else 0
    window.view.select_range(start, start + 6)
    window.view.setFocus()
    QTest.keyClick(window.view, "2")
    tagged = span_store.for_document(window.project.db, window.current_doc_id, "Salma")
    assert len(tagged) == 1
    work = window.export_work(str(tmp_path / "salma.wbwork"))
    assert work is not None and work.exists()

    # The lead imports the work bundle in the background and sees it merged.
    assert controller.open(lead_path)
    window = controller.session.window
    _activate(qtbot, window)
    with qtbot.waitSignal(window.team.merged, timeout=20_000):
        window.team.import_work([str(work)])
    window.team.wait()
    assert window.team.last_report.merged[0]["added"] == 1
    merged = span_store.for_document(window.project.db, tagged[0].doc_id, "Salma")
    assert [(s.start, s.end, s.label) for s in merged] == [(s.start, s.end, s.label) for s in tagged]
    rows = {
        window.team.table.item(r, 0).text(): window.team.table.item(r, 3).text()
        for r in range(window.team.table.rowCount())
    }
    assert rows["Salma"] == "1"  # one document in progress
    # Her key was pinned from this first bundle: the Team view and the report show its fingerprint.
    copy = Project.open(
        tmp_path / "home" / "projects" / next(p.name for p in (tmp_path / "home" / "projects").glob("*.wbproj"))
    )
    salma_key = key_report(copy)["own"]
    copy.close()
    keys = {window.team.table.item(r, 0).text(): window.team.table.item(r, 5).text() for r in range(3)}
    assert keys == {"Lead": "no key yet", "Salma": salma_key, "Omar": "no key yet"}
    assert any(kind == "information" and f"pinned {salma_key}" in text for kind, text in quiet)
    window.team_dock.show()
    shot = tmp_path / "team.png"
    assert window.grab().save(str(shot))

    # Salma moves to a new laptop: her next bundle has a new key and is refused until the lead
    # re-pins it with the fingerprint she reads out, through the Team panel's button.
    laptop = open_project_bundle(salma_bundle, tmp_path / "laptop.wbproj")
    new_work = export_work_bundle(laptop, tmp_path / "laptop.wbwork")
    laptop.close()
    with qtbot.waitSignal(window.team.merged, timeout=20_000):
        window.team.import_work([str(new_work.path)])
    window.team.wait()
    assert "signed by a different key" in window.team.last_report.refused[0]["reason"]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(new_work.path), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("0000 0000", True))
    window.team.choose_repin()  # a wrong fingerprint: refused, nothing changes
    assert quiet[-1][0] == "warning" and "the fingerprint you typed is not" in quiet[-1][1]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (new_work.fingerprint, True))
    window.team.choose_repin()
    assert quiet[-1][0] == "information" and new_work.fingerprint in quiet[-1][1]
    assert window.team.table.item(1, 5).text() == new_work.fingerprint
    with qtbot.waitSignal(window.team.merged, timeout=20_000):
        window.team.import_work([str(new_work.path)])
    window.team.wait()
    assert window.team.last_report.refused == [] and window.team.last_report.merged[0]["documents"]
    controller.close()


def test_a_refused_work_bundle_is_reported_in_the_window(qtbot, tmp_path, monkeypatch, corpus_files, quiet):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    lead_path = tmp_path / "lead.wbproj"
    lead = Project.create(lead_path)
    import_paths(lead, corpus_files)
    lead.set_current_annotator("Lead")
    lead.add_annotator("Salma")
    assign_balanced(lead, ["Salma"], k=1)
    lead.close()
    bogus = tmp_path / "bogus.wbwork"
    bogus.write_bytes(b"PK\x03\x04 not really a zip")
    controller = Controller(app_settings())
    assert controller.open(lead_path)
    window = controller.session.window
    with qtbot.waitSignal(window.team.merged, timeout=20_000):
        window.team.import_work([str(bogus)])
    window.team.wait()
    assert window.team.last_report.refused and "not a bundle" in window.team.last_report.refused[0]["reason"]
    assert quiet[-1][0] == "warning" and "bogus.wbwork" in quiet[-1][1]
    controller.close()

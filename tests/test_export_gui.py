"""Export a training set from the window: background work, progress, the result on disk."""

from __future__ import annotations

import json

from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.importer import import_paths
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.ui.session import Session, app_settings, make_application


def test_export_dialog_writes_a_training_set_with_its_data_card(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "lead.wbproj", name="ليبيا")
    import_paths(project, corpus_files)
    project.set_current_annotator("Lead")
    for doc_id, text in project.db.execute("SELECT id, text FROM documents").fetchall():
        for needle, label in (("ليبيا", "LOCATION"), ("حفتر", "ACTOR")):
            if needle in text:
                start = text.index(needle)
                CreateSpan(Span(doc_id, GOLD, start, start + len(needle), label), actor="Lead").do(project)
        SetStatus(doc_id, GOLD, "done", actor="Lead").do(project)
    session = Session(project, app_settings())
    window = session.show()
    qtbot.waitExposed(window)
    dialog = window.export_training()
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    dialog.split.setText("60/20/20")
    out = tmp_path / "export"
    dialog.folder.setText(str(out))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
    assert not isinstance(dialog.result, Exception), dialog.result
    assert (out / "README.md").exists() and (out / "manifest.json").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest  # the data card's facts for machines
    assert sum(dialog.result.documents.values()) == 5
    assert "README.md" in dialog.message.text()
    # A bad split is refused in the dialog with its reason; nothing starts.
    dialog.split.setText("80/30")
    dialog.start()
    assert dialog.message.text() and dialog._task is None
    dialog.close()
    window.close()
    project.close()


def test_export_dialog_choices_come_from_the_registry(qtbot, tmp_path, monkeypatch, corpus_files):
    from workbench.core.export import BOUNDARIES, FORMATS
    from workbench.ui.export_dialog import ExportDialog

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    with Project.create(tmp_path / "lead.wbproj", name="ليبيا") as project:
        import_paths(project, corpus_files[:2])
        doc_id, text = project.db.execute("SELECT id, text FROM documents").fetchone()
        start = text.index("طرابلس")
        CreateSpan(Span(doc_id, GOLD, start, start + len("طرابلس"), "LOCATION")).do(project)
        SetStatus(doc_id, GOLD, "done").do(project)
        dialog = ExportDialog(project)
        qtbot.addWidget(dialog)
        formats = [(dialog.format.itemData(i), dialog.format.itemText(i)) for i in range(dialog.format.count())]
        assert formats == [(name, info.title) for name, info in FORMATS.items()]
        assert formats[0] == ("jsonl", "JSON Lines (character spans)")
        policies = [dialog.boundary.itemData(i) for i in range(dialog.boundary.count())]
        assert policies == list(BOUNDARIES) and dialog.boundary.currentData() == "split"
        assert dialog.boundary.itemText(1) == BOUNDARIES["expand"].title == "label the whole token"
        dialog.format.setCurrentIndex(dialog.format.findData("brat"))
        dialog.boundary.setCurrentIndex(dialog.boundary.findData("expand"))
        dialog.split.setText("100")
        dialog.folder.setText(str(tmp_path / "out"))
        dialog.start()
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
        assert not isinstance(dialog.result, Exception), dialog.result
        readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
        assert "- Format: brat" in readme and FORMATS["brat"].card in readme
        assert f"Boundary policy `expand`: {BOUNDARIES['expand'].card}." in readme

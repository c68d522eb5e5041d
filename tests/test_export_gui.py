"""Export a training set from the window: background work, progress, the result on disk."""

from __future__ import annotations

import json

from workbench.core.actions import CreateSpan, SetStatus
from workbench.core.importer import import_paths
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.ui.app import Session, app_settings, make_application


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
    assert dialog.message.text() and dialog._thread is None
    dialog.close()
    window.close()
    project.close()

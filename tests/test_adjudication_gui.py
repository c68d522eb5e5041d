"""The lead's agreement view and adjudication, driven through the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core import adjudication
from workbench.core.actions import CreateSpan, EditSpan, SetStatus
from workbench.core.importer import import_paths
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span, for_document
from workbench.ui.session import Session, app_settings, make_application

DOC = "002_af682284de1024ff"


@pytest.fixture
def lead(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "lead.wbproj", name="ليبيا")
    import_paths(project, corpus_files)
    project.set_current_annotator("Lead")
    text = project.db.execute("SELECT text FROM documents WHERE id = ?", [DOC]).fetchone()[0]

    def at(needle, nth=0):
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        return start, start + len(needle)

    date, haftar, tripoli = at("الجمعة 5 أبريل 2019"), at("خليفة حفتر"), at("طرابلس")
    captured = at("30 من قواته", 1)
    for name in ("Salma", "Omar", "Huda"):
        project.add_annotator(name)
        CreateSpan(Span(DOC, name, *date, "DATE")).do(project)  # unanimous
        CreateSpan(Span(DOC, name, *haftar, "ACTOR" if name != "Huda" else "LOCATION")).do(project)  # label, majority
        SetStatus(DOC, name, "done").do(project)
    CreateSpan(Span(DOC, "Salma", tripoli[0] - 1, tripoli[1], "LOCATION")).do(project)  # boundary / missing
    CreateSpan(Span(DOC, "Omar", *tripoli, "LOCATION")).do(project)
    CreateSpan(Span(DOC, "Salma", *captured, "CASUALTY")).do(project)  # missing for two
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    yield window
    window.close()
    project.close()


def test_agreement_view_shows_pairs_labels_documents_and_confusion(lead, qtbot, tmp_path):
    window = lead
    QTest.keyClick(window.view, Qt.Key.Key_F4)
    assert window.agreement_dock.isVisible()
    qtbot.waitUntil(lambda: window.agreement.data is not None, timeout=20_000)
    view = window.agreement
    assert view.matrix.rowCount() == 3 and view.matrix.columnCount() == 3
    names = [view.matrix.horizontalHeaderItem(i).text() for i in range(3)]
    assert sorted(names) == ["Huda", "Omar", "Salma"]
    cell = view.matrix.item(names.index("Salma"), names.index("Omar"))
    pair = view.data["pairs"].get("Salma|Omar") or view.data["pairs"].get("Omar|Salma")
    assert cell.text() == f"{pair['strict_f1']:.2f}"
    assert view.documents.rowCount() == 1
    assert view.documents.item(0, 0).data(Qt.ItemDataRole.UserRole) == DOC
    assert view.confusion.rowCount() == len(view.data["labels"]) + 1  # the "none" row
    # An undefined label shows n/a, not 0 or 1.
    labels = [view.labels.item(r, 0).text() for r in range(view.labels.rowCount())]
    assert (
        view.labels.item(labels.index("CASUALTY"), 1).text() in ("n/a",)
        or view.data["alpha_u_per_label"]["CASUALTY"] is not None
    )
    path = view.export_html(str(tmp_path / "agreement.html"))
    html = path.read_text(encoding="utf-8")
    assert "ليبيا" in html and "<svg" in html


def test_adjudicate_by_keys_with_undo_and_provenance(lead, qtbot, tmp_path, dialogs):
    window = lead
    window.adjudicate_document(DOC)
    assert window.adjudication_dock.isVisible()
    assert window.annotator == GOLD and "gold" in window.layer_info.text()
    panel = window.adjudication
    kinds = [c.kind for c in panel.clusters]
    assert "unanimous" in kinds and "label" in kinds
    # Accept every unanimous cluster with one key.
    QTest.keyClick(window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    gold = for_document(window.project.db, DOC, GOLD)
    assert [s.label for s in gold] == ["DATE"]
    info = adjudication.provenance(window.project, gold[0].id)
    assert sorted(info["agreed_by"]) == ["Huda", "Omar", "Salma"] and info["adjudicator"] == "Lead"
    # The label conflict: A accepts the majority (ACTOR, two of three).
    panel.queue.setCurrentRow(kinds.index("label"))
    QTest.keyClick(window.view, Qt.Key.Key_A)
    labels = sorted(s.label for s in for_document(window.project.db, DOC, GOLD))
    assert labels == ["ACTOR", "DATE"]
    # Alt+2 on the boundary cluster accepts the second version as it stands.
    row = next(
        i
        for i, c in enumerate(panel.clusters)
        if c.kind in ("boundary", "missing") and not c.gold and len(c.versions) == 2
    )
    panel.queue.setCurrentRow(row)
    chosen = panel.clusters[row].versions[1]
    QTest.keyClick(window.view, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert (chosen.start, chosen.end) in [(s.start, s.end) for s in for_document(window.project.db, DOC, GOLD)]
    # Undo takes the last acceptance back; the view (gold layer) follows.
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(for_document(window.project.db, DOC, GOLD)) == 2
    assert len(window.view.spans) == 2
    # By hand: a label key tags gold directly while adjudicating.
    start = window.text.index("العاصمة")
    window.view.select_range(start, start + len("العاصمة"))
    QTest.keyClick(window.view, "2")
    assert len(for_document(window.project.db, DOC, GOLD)) == 3
    window.adjudication_dock.show()
    QApplication.processEvents()
    assert window.grab().save(str(tmp_path / "adjudication.png"))
    # Closing the panel returns to the user's own layer.
    window.adjudication_dock.hide()
    assert window.annotator == "Lead"


def test_attribute_disagreements_are_shown_and_recorded_truly(lead, qtbot):
    """Two versions that differ only in ``kind`` were two identical rows, both "agreed by" all,
    and accepting one recorded everyone as agreeing."""
    window = lead
    project = window.project
    (salma,) = [s for s in for_document(project.db, DOC, "Salma") if s.label == "CASUALTY"]
    EditSpan(salma, "Salma", attributes={"count": 30, "kind": "captured"}).do(project)
    for name, kind in (("Omar", "captured"), ("Huda", "killed")):
        CreateSpan(Span(DOC, name, salma.start, salma.end, "CASUALTY", {"count": 30, "kind": kind})).do(project)
    window.adjudicate_document(DOC)
    panel = window.adjudication
    row = next(i for i, c in enumerate(panel.clusters) if c.start == salma.start)
    assert panel.clusters[row].kind == "attributes"
    panel.queue.setCurrentRow(row)
    assert "attribute conflict" in panel.queue.item(row).text()
    headers = [panel.versions.horizontalHeaderItem(c).text() for c in range(panel.versions.columnCount())]
    assert "Attributes" in headers
    column, agreed = headers.index("Attributes"), headers.index("Agreed by")
    shown = {
        panel.versions.item(r, 0).text(): (
            panel.versions.item(r, column).text().replace("\u2068", "").replace("\u2069", ""),
            panel.versions.item(r, agreed).text(),
        )
        for r in range(panel.versions.rowCount())
    }
    assert "kind=killed" in shown["Huda"][0] and "kind=captured" in shown["Omar"][0]
    assert shown["Huda"][1] == "Huda"
    assert sorted(shown["Omar"][1].split(", ")) == ["Omar", "Salma"]
    # Ctrl+Shift+U leaves it to the adjudicator; Alt+n accepts Huda's version, agreed by Huda only.
    QTest.keyClick(window.view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not [s for s in for_document(project.db, DOC, GOLD) if s.label == "CASUALTY"]
    huda = [v.annotator for v in panel.clusters[row].versions].index("Huda")
    QTest.keyClick(window.view, Qt.Key(Qt.Key.Key_1.value + huda), Qt.KeyboardModifier.AltModifier)
    (gold,) = [s for s in for_document(project.db, DOC, GOLD) if s.label == "CASUALTY"]
    assert gold.attributes["kind"] == "killed"
    assert adjudication.provenance(project, gold.id)["agreed_by"] == ["Huda"]

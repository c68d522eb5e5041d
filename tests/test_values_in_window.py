"""Values filled when the annotator tags, in the real window with the real engines: select an
expression, press the label's key, and the span holds its value (issue 13's first promise)."""

from __future__ import annotations

import pytest

from tests.test_annotation_window import activate, find, select_and_press
from workbench.core.importer import import_paths
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project
from workbench.ui.session import Session, app_settings, make_application


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, corpus_files):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    make_application()
    project = Project.create(tmp_path / "values.wbproj")
    import_paths(project, corpus_files)
    project.set_current_annotator("Salma")
    session = Session(project, app_settings())
    session.apply_language("en")
    window = session.show()
    activate(qtbot, window)
    yield window
    session.window.close()
    project.close()


def stored(window, doc):
    return [
        (s.label, window.text[s.start : s.end], s.attributes)
        for s in span_store.for_document(window.project.db, doc, "Salma")
    ]


def test_a_date_a_casualty_and_a_place_get_their_values_when_tagged(window):
    window.open_document("002_af682284de1024ff")  # its dateline: الجمعة 5 أبريل 2019
    start, end = find(window, "5 أبريل 2019")
    select_and_press(window, start, end, "4")
    start, end = find(window, "أسر 30")
    select_and_press(window, start, end, "3")
    spans = stored(window, "002_af682284de1024ff")
    date = next((text, attrs) for label, text, attrs in spans if label == "DATE")
    assert date[0].endswith("5 أبريل 2019") and date[1]["value"] == "2019-04-05" and date[1]["precision"] == "day"
    casualty = next(attrs for label, _, attrs in spans if label == "CASUALTY")
    assert casualty["count"] == 30 and casualty["kind"] == "captured"

    # "بطرابلس" tagged as a LOCATION: the span leaves the proclitic out and names the city.
    window.open_document("001_6c20427af2e36eef")
    start, end = find(window, "بطرابلس")
    select_and_press(window, start, end, "2")
    ((label, text, attrs),) = stored(window, "001_6c20427af2e36eef")
    assert (label, text, attrs.get("canonical")) == ("LOCATION", "طرابلس", "Tripoli")


def test_with_suggestions_off_a_tag_is_only_what_was_selected(window):
    from workbench.core import suggestions

    suggestions.set_enabled(window.project, False)
    window.open_document("001_6c20427af2e36eef")
    start, end = find(window, "بطرابلس")
    select_and_press(window, start, end, "2")
    assert stored(window, "001_6c20427af2e36eef") == [("LOCATION", "بطرابلس", {})]


def test_a_gazetteer_imported_in_the_window_names_what_is_tagged(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, _n=name: shown.append((_n, args[2])))
    names = tmp_path / "names.csv"
    names.write_text(
        "name,label,canonical,aliases\nطرابلس,LOCATION,Tripoli (capital),العاصمة الليبية\n,ACTOR,Nobody,\n",
        encoding="utf-8",
    )
    report = window.import_gazetteer(str(names))
    assert len(report.refused) == 1 and shown[-1][0] == "warning" and "line 3" in shown[-1][1]
    window.open_document("001_6c20427af2e36eef")
    start, end = find(window, "بطرابلس")
    select_and_press(window, start, end, "2")
    ((label, text, attrs),) = stored(window, "001_6c20427af2e36eef")
    assert (label, text, attrs["canonical"]) == ("LOCATION", "طرابلس", "Tripoli (capital)")

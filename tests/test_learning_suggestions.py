"""The engines that learn from the annotator's own work, as the suggestion feature runs them:
same-document propagation, the project's strings, and the layer's model (shown only once its
own held-out precision is good enough); `workbench-cli train` and `suggest --evaluate`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.core import intents, suggestions
from workbench.core.importer import import_paths
from workbench.core.store import models
from workbench.core.store.project import Project
from workbench.core.values import training

DOC = "001_6c20427af2e36eef"


@pytest.fixture
def proj(tmp_path, corpus_files):
    project = Project.create(tmp_path / "learn.wbproj")
    import_paths(project, corpus_files)
    project.add_annotator("Salma")
    project.set_current_annotator("Salma")
    yield project
    project.close()


def text_of(project, doc_id):
    return project.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]


def tag_word(project, doc_id, word, label, nth=0):
    text = text_of(project, doc_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    intents.tag(project, doc_id, "Salma", start, start + len(word), label, snap=intents.EXACT, values=False).do(project)


def test_a_tag_is_propagated_to_its_other_occurrences_in_the_document(proj):
    text = text_of(proj, DOC)
    assert text.count("حفتر") >= 3
    tag_word(proj, DOC, "حفتر", "ACTOR")
    found = suggestions.suggest(proj, DOC, "Salma", engine=suggestions.SAME_DOCUMENT)
    assert found and all(text[f.start : f.end] == "حفتر" and f.label == "ACTOR" for f in found)
    assert all(f.source == "same-document" for f in found)
    # Another annotator's layer is not affected (blind annotation).
    proj.add_annotator("Omar")
    assert suggestions.suggest(proj, DOC, "Omar", engine=suggestions.SAME_DOCUMENT) == []


def test_strings_learn_from_done_documents_only(proj):
    other = "002_af682284de1024ff"
    for nth in range(text_of(proj, DOC).count("حفتر") // 2 + 1):  # more than half of its occurrences
        tag_word(proj, DOC, "حفتر", "ACTOR", nth=nth)
    assert suggestions.suggest(proj, other, "Salma", engine=suggestions.STRINGS) == []  # not done yet
    intents.set_status(proj, DOC, "Salma", "done").do(proj)
    found = suggestions.suggest(proj, other, "Salma", engine=suggestions.STRINGS)
    text = text_of(proj, other)
    assert found and {text[f.start : f.end] for f in found} == {"حفتر"}
    assert all(f.source == "strings" for f in found)


def test_the_model_is_shown_only_once_its_held_out_precision_is_good(proj, monkeypatch):
    for doc in [d for (d,) in proj.db.execute("SELECT id FROM documents ORDER BY id")]:
        text = text_of(proj, doc)
        for word, label in (("حفتر", "ACTOR"), ("طرابلس", "LOCATION")):
            if word in text:
                tag_word(proj, doc, word, label)
        intents.set_status(proj, doc, "Salma", "done").do(proj)
    report = training.train_layer(proj, "Salma")
    assert report.documents == 5 and models.get(proj.db, "Salma", blob=False) is not None
    precision = report.evaluation.get("overall", {}).get("relaxed", {}).get("precision", 0.0)
    assert suggestions.model_ready(proj, "Salma") == (precision >= suggestions.MODEL_MIN_PRECISION)
    monkeypatch.setattr(suggestions, "model_ready", lambda project, layer: True)
    found = suggestions.suggest(proj, DOC, "Salma", engine=suggestions.MODEL)
    assert all(f.source == "model" and f.confidence >= suggestions.MODEL_MIN_CONFIDENCE for f in found)
    monkeypatch.setattr(suggestions, "model_ready", lambda project, layer: False)
    assert suggestions.suggest(proj, DOC, "Salma", engine=suggestions.MODEL) == []


def test_train_and_evaluate_on_the_command_line(proj):
    for doc in [d for (d,) in proj.db.execute("SELECT id FROM documents ORDER BY id")]:
        if "حفتر" in text_of(proj, doc):
            tag_word(proj, doc, "حفتر", "ACTOR")
        intents.set_status(proj, doc, "Salma", "done").do(proj)
    path = proj.path
    proj.close()
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "workbench.cli", "--db", str(path), *args], capture_output=True, text=True, timeout=300
    )
    trained = run("train", "--json")
    assert trained.returncode == 0, trained.stderr
    assert json.loads(trained.stdout)["documents"] == 5
    curve = run("suggest", "--evaluate", "--json")
    assert curve.returncode == 0, curve.stderr
    assert json.loads(curve.stdout)["layer"] == "Salma"


def test_a_pin_keeps_what_the_learning_engines_knew_when_the_document_was_opened(proj, monkeypatch):
    other = "002_af682284de1024ff"
    pinned = suggestions.pin(proj, "Salma")  # the other document is opened: nothing learned yet
    assert pinned.model is None and pinned.matcher is None
    for nth in range(text_of(proj, DOC).count("حفتر") // 2 + 1):
        tag_word(proj, DOC, "حفتر", "ACTOR", nth=nth)
    intents.set_status(proj, DOC, "Salma", "done").do(proj)

    class Learned:
        def predict(self, text):
            start = text.index("طرابلس")
            return [suggestions.Found(start, start + 6, "LOCATION", {}, "model", 0.99)]

    monkeypatch.setattr(training, "model_of", lambda project, layer: Learned())
    monkeypatch.setattr(suggestions, "model_ready", lambda project, layer: True)
    for engine in (suggestions.STRINGS, suggestions.MODEL):
        assert suggestions.suggest(proj, other, "Salma", engine=engine)
        assert suggestions.suggest(proj, other, "Salma", engine=engine, pinned=pinned) == []
    fresh = suggestions.pin(proj, "Salma")  # the next document opened gets what is known now
    assert isinstance(fresh.model, Learned) and fresh.matcher is not None
    proj.add_annotator("Omar")
    with pytest.raises(ValueError, match="Omar"):
        suggestions.suggest(proj, other, "Omar", pinned=fresh)

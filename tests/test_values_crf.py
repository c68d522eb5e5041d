"""The sequence model (values/crf.py) and its training on a project's done documents (values/training.py).

Training data is built cheaply and honestly: the evaluation sentences of ``tests/data/values``
(names.jsonl: ACTOR/LOCATION, dates.jsonl: DATE, casualties.jsonl: CASUALTY; a sentence in
several files gets all their spans), grouped into pseudo-articles. They are partially annotated
(a dates sentence's names are not tagged), so the figures here say nothing of quality: the
tests check the model's contract, not its score.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.core.export.tokens import tokenize
from workbench.core.importer import import_paths
from workbench.core.store import documents as documents_store
from workbench.core.store import models as models_store
from workbench.core.store import spans as spans_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span
from workbench.core.text.fold import fold
from workbench.core.values import crf, training

DATA = Path(__file__).parent / "data" / "values"
LABELS = ["ACTOR", "LOCATION", "DATE", "CASUALTY"]
ANNOTATOR = "Salma"


def sentences() -> list[tuple[str, list[SimpleNamespace]]]:
    """Each evaluation sentence once, with the spans of every file it appears in."""
    found: dict[str, list[SimpleNamespace]] = {}
    for name, label in (("names", None), ("dates", "DATE"), ("casualties", "CASUALTY")):
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            spans = found.setdefault(row["text"], [])
            for s in row["spans"]:
                key = (s["start"], s["end"], s.get("label") or label)
                if all((x.start, x.end, x.label) != key for x in spans):
                    spans.append(SimpleNamespace(start=key[0], end=key[1], label=key[2]))
    return list(found.items())


def articles(per: int = 8) -> list[tuple[str, list[SimpleNamespace]]]:
    """Pseudo-articles: ``per`` sentences joined by line breaks, spans shifted."""
    out = []
    items = sentences()
    for k in range(0, len(items), per):
        text, spans, offset = "", [], 0
        for sentence, sentence_spans in items[k : k + per]:
            if text:
                text += "\n"
                offset = len(text)
            text += sentence
            spans += [
                SimpleNamespace(start=s.start + offset, end=s.end + offset, label=s.label) for s in sentence_spans
            ]
        out.append((text, spans))
    return out


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    return crf.train(articles(), LABELS)


def test_tokens_split_proclitics():
    text = "وبطرابلس والجيش بنغازي ول 2019."
    pieces = [text[t.start : t.end] for t in crf.tokens(text)]
    assert pieces == ["و", "ب", "طرابلس", "و", "الجيش", "ب", "نغازي", "ول", "2019", "."]
    # on the export tokenizer's edges, only ever cut further
    edges = {e for s, e in tokenize(text)} | {s for s, e in tokenize(text)}
    assert {t.start for t in crf.tokens(text)} >= {s for s, _ in tokenize(text)}
    assert all(t.proclitic or t.end in edges for t in crf.tokens(text))


def test_bio_skips_spans_off_token_edges():
    text = "قوات حفتر في طرابلس"
    toks = crf.tokens(text)
    spans = [
        SimpleNamespace(start=5, end=9, label="ACTOR"),
        SimpleNamespace(start=14, end=19, label="LOCATION"),  # inside a word: skipped
    ]
    tags, skipped, _ = crf.bio(toks, spans, LABELS)
    assert tags == ["O", "B-ACTOR", "O", "O"] and skipped == 1


def test_model_round_trips_and_predicts_well_formed_spans(model_bytes, corpus_texts):
    model = crf.Model.from_bytes(model_bytes)
    assert crf.Model.from_bytes(model_bytes).labels == LABELS
    texts = [text for text, _ in sentences()[:80]] + list(corpus_texts.values())
    total = 0
    for text in texts:
        found = model.predict(text)
        assert found == crf.Model.from_bytes(model_bytes).predict(text)
        toks = crf.tokens(text)
        starts, ends = {t.start for t in toks}, {t.end for t in toks}
        proclitic_at = {t.start: t for t in toks if t.proclitic}
        for a, b in zip(found, found[1:]):
            assert a.end <= b.start  # sorted, not overlapping
        for f in found:
            total += 1
            assert f.start in starts and f.end in ends and f.start < f.end
            assert f.label in LABELS and f.source == "model"
            assert 0.0 <= f.confidence <= 1.0
            if f.start in proclitic_at:  # a leading و/ب/ل only where the annotators included it in that word
                assert fold(proclitic_at[f.start].word) in model.kept
    assert total > 50  # it does find things


def test_proclitics_never_lead_a_span():
    # trained on names that come after و and ب, never including them
    docs = []
    for k in range(30):
        text = f"وقال حفتر إن قواته دخلت بطرابلس يوم {k + 1} وسيطرت على ومصراتة."
        spans = [
            SimpleNamespace(start=text.index("حفتر"), end=text.index("حفتر") + 4, label="ACTOR"),
            SimpleNamespace(start=text.index("طرابلس"), end=text.index("طرابلس") + 6, label="LOCATION"),
            SimpleNamespace(start=text.index("مصراتة"), end=text.index("مصراتة") + 6, label="LOCATION"),
        ]
        docs.append((text, spans))
    model = crf.Model.from_bytes(crf.train(docs, LABELS))
    text = "ودخلت القوات بمصراتة وطرابلس ولحفتر."
    found = model.predict(text)
    assert found and all(text[f.start] not in "وبل" for f in found)


def test_other_bytes_are_refused(model_bytes):
    with pytest.raises(crf.ModelError):
        crf.Model.from_bytes(b"not a model")
    with pytest.raises(crf.ModelError):
        crf.Model.from_bytes(model_bytes.replace(crf.VERSION.encode(), b"crf-0", 1))
    assert crf.Model.from_bytes(crf.train([], LABELS)).predict("حفتر") == []


def _project(tmp_path: Path, n: int) -> Project:
    """A project with ``n`` pseudo-articles, all done by the annotator (and the first 10 by gold)."""
    folder = tmp_path / "texts"
    folder.mkdir()
    docs = articles(per=6)[:n]
    for k, (text, _) in enumerate(docs):
        (folder / f"{k:03d}.txt").write_text(text, encoding="utf-8")
    project = Project.create(tmp_path / "p.wbproj")
    project.add_annotator(ANNOTATOR)
    import_paths(project, [folder])
    by_text = {documents_store.text(project.db, d): d for d in documents_store.ids(project.db)}
    with project.transaction() as db:
        for k, (text, spans) in enumerate(docs):
            doc_id = by_text.get(text)
            if doc_id is None:  # normalisation changed the text: leave it out
                continue
            for layer in (ANNOTATOR, GOLD) if k < 10 else (ANNOTATOR,):
                for s in spans:
                    span = Span(doc_id, layer, s.start, s.end, s.label)
                    if spans_store.edge_problem(text, s.start, s.end) is None:
                        spans_store.insert(db, span, layer)
                status_store.set_status(db, doc_id, layer, status_store.DONE, layer)
    return project


def _in_unit(figures: dict) -> bool:
    return all(0.0 <= figures[kind][m] <= 1.0 for kind in ("strict", "relaxed") for m in ("precision", "recall", "f1"))


def test_train_layer_stores_a_model_with_its_figures(tmp_path):
    project = _project(tmp_path, 40)
    try:
        done = training.done_documents(project, ANNOTATOR)
        assert len(done) >= 35
        report = training.train_layer(project, ANNOTATOR)
        assert report.documents == len(done) and report.held_out == round(len(done) * training.HELD_OUT)
        stored = models_store.get(project.db, ANNOTATOR)
        assert stored is not None and stored.kind == "crf" and stored.version == crf.VERSION
        assert stored.documents == len(done) and stored.training_set == [d for d, _, _ in done]
        assert stored.evaluation == report.evaluation and stored.seconds > 0
        assert _in_unit(stored.evaluation["overall"])
        assert all(_in_unit(f) for f in stored.evaluation["labels"].values())
        assert set(stored.evaluation["labels"]) >= set(LABELS)
        assert json.dumps(report.to_json())

        model = training.model_of(project, ANNOTATOR)
        assert model is not None and training.model_of(project, ANNOTATOR) is model  # cached
        assert training.model_of(project, GOLD) is None  # no gold model yet
        gold = training.train_layer(project, gold=True)
        assert gold.layer == GOLD and gold.documents == 10
        assert training.model_of(project, GOLD) is not None
        assert training.model_of(project, ANNOTATOR) is model

        with project.transaction() as db:  # a model of another feature set is not used
            db.execute("UPDATE models SET version = 'crf-0' WHERE layer = ?", [ANNOTATOR])
        assert training.model_of(project, ANNOTATOR) is None
    finally:
        project.close()


def test_learning_curve_sizes(tmp_path):
    project = _project(tmp_path, 30)
    try:
        n = len(training.done_documents(project, ANNOTATOR))
        curve = training.learning_curve(project, ANNOTATOR, sizes=(5, 10, 25, 50))
        pool = n - round(n * training.HELD_OUT)
        expected = [5, 10, pool] if pool < 25 else [5, 10, 25] + ([pool] if pool > 25 else [])
        assert [p["documents"] for p in curve] == expected
        for point in curve:
            assert point["held_out"] == n - pool and _in_unit(point["overall"])
        assert training.learning_curve(project, "nobody") == []
    finally:
        project.close()

"""Agreement streamed a chunk of documents at a time gives the whole table's figures.

The heart: random small corpora (several annotators and gold, overlapping, nested and touching
spans, empty documents, documents only some annotators marked, labels nobody used) give the same
report, figure for figure (floats to 1e-9) and the same bootstrap intervals, whether computed on
one table of every document (:func:`agreement_of_table`) or added up over chunks of 1, 2, 3 or
all documents (:class:`ReportBuilder`); and a project on disk gives the same ``to_json()`` from
:func:`project_agreement` at every chunk size as from the whole tables.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.agreement.model import Annotation, Document
from workbench.core.agreement.report import agreement_of_table, compute_agreement
from workbench.core.agreement.source import Chunk, ProjectAgreement, _finished, project_agreement
from workbench.core.agreement.stream import ReportBuilder
from workbench.core.agreement.table import build_table
from workbench.core.store import documents as doc_store
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span, insert_many
from workbench.core.store.status import DONE, IN_PROGRESS

# Real sentences of the sample corpus, with proclitics (وبـ، بالـ، لـ) and spaces of several kinds.
SENTENCES = (
    "قال الناطق باسم قوات الجيش الوطني الليبي إن تركيا استغلت هدنة وقف إطلاق النار.",
    "وأضاف أن حسم معركة تحرير طرابلس تأخر بالموصل وبغداد\u00a0ولبنان.",
    "قتل 12 مدنيا في قصف على مصراته يوم 3 آذار 2020",
    "",
    "بنغازي",
)
LABELS = ("ACTOR", "LOCATION", "CASUALTY", "DATE")  # DATE: often nobody uses it
PEOPLE = ("Salma", "Omar", "Huda", GOLD)
CHUNKS = (1, 2, 3, 1000)


@st.composite
def corpora(draw: Any) -> tuple[list[Document], tuple[str, ...]]:
    names = tuple(draw(st.sampled_from([PEOPLE[:1], PEOPLE[:2], PEOPLE[:3], PEOPLE])))
    documents = []
    for number in range(draw(st.integers(0, 6))):
        text = " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=2)))
        pool: list[Annotation] = []
        if text:  # spans several annotators share, so that they agree (overlapping, nested, touching)
            for _ in range(draw(st.integers(0, 6))):
                start = draw(st.integers(0, len(text) - 1))
                end = draw(st.integers(start + 1, min(len(text), start + 12)))
                pool.append(Annotation(start, end, draw(st.sampled_from(LABELS[:3]))))
        annotations: dict[str, list[Annotation]] = {}
        for name in names:
            if draw(st.integers(0, 4)) == 0:
                continue  # this annotator did not mark this document at all
            mine = [span for span in pool if draw(st.integers(0, 3))]
            for span in mine[:2]:  # a boundary shifted, a label changed
                if draw(st.booleans()):
                    mine.append(Annotation(span.start, min(len(text), span.end + 1), span.label))
                else:
                    mine.append(Annotation(span.start, span.end, draw(st.sampled_from(LABELS))))
            annotations[name] = mine
        documents.append(Document(f"d{number}", text, annotations))
    return documents, names


def same(a: Any, b: Any, where: str = "") -> None:
    """Equal, floats to 1e-9 (the pooled α_U is summed in another order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{where}: {a} != {b}"
    else:
        assert a == b and type(a) is type(b), f"{where}: {a!r} != {b!r}"


def streamed(documents, names, labels, every_label, chunk, bootstrap):
    builder = ReportBuilder(names, labels, every_label, bootstrap, seed=7)
    for first in range(0, len(documents), chunk):
        builder.add(build_table(documents[first : first + chunk], names, labels))
    return builder.finish()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora(), st.booleans(), st.sampled_from([0, 30]))
def test_a_report_added_up_over_chunks_is_the_whole_tables(corpus, every_label, bootstrap):
    documents, names = corpus
    if every_label:
        whole = build_table(documents, names, LABELS)
    else:  # the labels used, as compute_agreement picks them; each chunk gets the same list
        whole = build_table(documents, names, None)
    expected = agreement_of_table(whole, every_label, bootstrap, seed=7).to_dict()
    for chunk in CHUNKS:
        found = streamed(documents, whole.annotators, whole.labels, every_label, chunk, bootstrap)
        same(found.to_dict(), expected, f"chunk {chunk}")


def test_a_real_corpus_in_chunks_keeps_every_figure_and_interval(corpus_texts):
    rng = np.random.default_rng(3)
    documents = []
    for number, text in enumerate(corpus_texts.values()):
        words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
        truth = [(words[i][0], words[i][1], LABELS[i % 3]) for i in rng.choice(len(words), 40, replace=False)]
        annotations = {}
        for name in PEOPLE:
            mine = [Annotation(s + int(rng.random() < 0.1), e, lab) for s, e, lab in truth if rng.random() < 0.9]
            annotations[name] = [a for a in mine if a.start < a.end]
        documents.append(Document(f"doc{number}", text, annotations))
    whole = build_table(documents, PEOPLE, LABELS)
    expected = agreement_of_table(whole, True, 200, seed=7).to_dict()
    assert expected["alpha_u"]["ci"]["low"] is not None and expected["pairs"]["Salma|Omar"]["counts"]["n_a"] > 100
    for chunk in (1, 2):
        same(streamed(documents, PEOPLE, LABELS, True, chunk, 200).to_dict(), expected, f"chunk {chunk}")


def test_compute_agreement_is_unchanged_by_the_row_columns():
    doc = Document("d", SENTENCES[1], {"A": [Annotation(0, 5, "ACTOR")], "B": [Annotation(0, 5, "ACTOR")]})
    report = compute_agreement([doc], bootstrap=0)
    assert isinstance(report.documents, list) and report.documents[0].strict_f1.value == 1.0
    assert compute_agreement([], bootstrap=0).documents == []


# ----------------------------------------------------------------------------- a project


def whole_tables(project: Project, bootstrap: int, seed: int) -> ProjectAgreement:
    """``project_agreement`` as it was: one table of all of each report's documents."""
    finished = _finished(project, False)
    compared = [name for name in project.annotators() if finished.get(name)]
    labels = [label.name for label in project.labels()]
    everyone = set.intersection(*(finished.get(name, set()) for name in compared)) if compared else set()
    with_gold = compared + ([GOLD] if finished.get(GOLD) else [])
    every = set().union(*finished.values()) if finished else set()
    chunk = Chunk(project, every, with_gold)
    if compared:
        overall = agreement_of_table(chunk.table(everyone, compared, labels), True, bootstrap, seed)
    else:
        overall = compute_agreement([], None, labels, bootstrap, seed)
    result = ProjectAgreement(compared, labels, overall, documents={"all": len(everyone)})
    for a, b in combinations(with_gold, 2):
        shared = finished.get(a, set()) & finished.get(b, set())
        result.pairs[f"{a}|{b}"] = agreement_of_table(chunk.table(shared, [a, b], labels), True, bootstrap, seed)
        result.documents[f"{a}|{b}"] = len(shared)
    result.titles = doc_store.titles(project.db)
    return result


@st.composite
def projects(draw: Any) -> list[tuple[str, dict[str, tuple[str, list[tuple[int, int, str]]]]]]:
    """Per document: its text and, per layer, a status and spans."""
    out = []
    for number in range(draw(st.integers(1, 5))):
        text = " ".join(draw(st.lists(st.sampled_from([s for s in SENTENCES if s]), min_size=1, max_size=2)))
        layers = {}
        for name in PEOPLE:
            status = draw(st.sampled_from([DONE, DONE, IN_PROGRESS, None]))
            spans = []
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, len(text) - 2))
                spans.append(
                    (start, draw(st.integers(start + 1, min(len(text), start + 10))), draw(st.sampled_from(LABELS[:3])))
                )
            layers[name] = (status, spans)
        out.append((f"{number} {text}", layers))
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects())
def test_a_project_streamed_in_chunks_gives_the_whole_tables_json(tmp_path_factory, docs):
    from workbench.core.text.normalise import normalize

    path = tmp_path_factory.mktemp("stream") / "p.wbproj"
    with Project.create(path, name="stream") as project:
        for name in PEOPLE[:3]:
            project.add_annotator(name)
        with project.transaction() as db:
            for number, (text, layers) in enumerate(docs):
                _, doc_id = doc_store.insert(db, doc_store.NewDocument(text=normalize(text), id=f"d{number}"))
                for name, (status, spans) in layers.items():
                    made = {(s, e, label) for s, e, label in spans}
                    insert_many(db, [Span(doc_id, name, s, e, label) for s, e, label in sorted(made)], name, log=False)
                    if status is not None:
                        db.conn.execute(
                            "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                            [doc_id, name, status, "2026-01-01T00:00:00.000+00:00"],
                        )
        expected = whole_tables(project, 20, 0).to_json()
        for chunk in CHUNKS:
            found = project_agreement(project, bootstrap=20, seed=0, chunk_documents=chunk).to_json()
            same(found, expected, f"chunk {chunk}")

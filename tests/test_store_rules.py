"""The store's single definitions: statuses, reading order, the span validator, the label's
JSON form, annotator names; and the import's user errors as WorkbenchError, never a traceback."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.annotated_import import import_annotated
from workbench.core.errors import InvalidInput, WorkbenchError
from workbench.core.importer import import_paths
from workbench.core.store import annotators, documents, spans, status
from workbench.core.store.labels import DEFAULT_LABELS, Label
from workbench.core.store.project import GOLD
from workbench.core.store.spans import Span, SpanError

CONLL = "قوات B-PER\nحفتر I-PER\nفي O\nبنغازي B-LOC\n"
ROOT = Path(__file__).resolve().parents[1]


def _conll(tmp_path: Path) -> Path:
    path = tmp_path / "a.conll"
    path.write_text(CONLL, encoding="utf-8")
    return path


def test_a_map_to_a_label_the_schema_lacks_is_a_clear_error(project, tmp_path, snapshot, project_path):
    # workbench-cli import --format conll --annotator Omar --map PER=NOPE a.conll
    before = snapshot(project_path)
    with pytest.raises(InvalidInput, match="NOPE") as info:
        import_annotated(project, [_conll(tmp_path)], "conll", "Omar", {"PER": "NOPE"})
    assert isinstance(info.value, WorkbenchError) and "the schema does not have" in str(info.value)
    assert snapshot(project_path) == before


@pytest.mark.parametrize("name", ["a|b", "a,b", "", "  ", "x\ty"])
def test_an_annotator_name_with_a_separator_is_a_clear_error(project, tmp_path, name):
    # workbench-cli import --format conll --annotator "a|b" a.conll
    with pytest.raises(InvalidInput, match="cannot be an annotator's name"):
        import_annotated(project, [_conll(tmp_path)], "conll", name)
    with pytest.raises(InvalidInput):
        project.add_annotator(name)
    assert project.annotators() == []


def test_gold_is_a_layer_in_any_case_but_never_an_annotator():
    assert annotators.check_layer("Gold") == GOLD == annotators.check_layer(" gold ")
    with pytest.raises(InvalidInput):
        annotators.check_name("gold")
    assert annotators.check_name(" Salma ") == "Salma"


def test_statuses_are_defined_once():
    assert status.STATUSES == (status.NOT_STARTED, status.IN_PROGRESS, status.DONE)
    assert documents.STATUSES is status.STATUSES
    with pytest.raises(InvalidInput, match="status must be one of"):
        status.check("finished")


def test_no_status_literal_in_sql_outside_the_status_module():
    for path in (ROOT / "workbench" / "core").rglob("*.py"):
        if path.name in ("status.py", "migrations.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "SELECT" in node.value:
                for literal in status.STATUSES:
                    assert f"'{literal}'" not in node.value, f"{path}: {node.value!r}"


def test_the_reading_order_is_one(project, corpus_files):
    import_paths(project, corpus_files[:1])
    [doc_id] = documents.ids(project.db)
    text = documents.text(project.db, doc_id)
    assert text is not None
    project.add_annotator("Salma")
    made = [
        Span(doc_id, "Salma", 10, 20, "LOCATION"),
        Span(doc_id, "Salma", 0, 5, "ACTOR"),
        Span(doc_id, "Salma", 10, 30, "ACTOR"),
        Span(doc_id, "Salma", 10, 20, "ACTOR"),
    ]
    with project.transaction() as db:
        spans.insert_many(db, made, "Salma")
    stored = spans.for_document(project.db, doc_id)
    assert stored == sorted(stored, key=spans.reading_order)
    assert [(s.start, s.end, s.label) for s in stored] == [
        (0, 5, "ACTOR"),
        (10, 30, "ACTOR"),
        (10, 20, "ACTOR"),
        (10, 20, "LOCATION"),
    ]
    in_file = spans.stored_in_file(project.path, doc_id)
    assert in_file == [(s.start, s.end, s.label) for s in stored]
    rows = [row[:3] for row in spans.layer_of_document(project.db, doc_id, "Salma")]
    assert rows == [(s.start, s.end, s.label) for s in stored]


LAYER_TEXT = "قوات حفتر في طرابلس، وأعلنت 𝕏 مقتل أربعة"  # a character beyond the BMP counts one
_span_rows = st.lists(
    st.tuples(
        st.sampled_from(["Salma", GOLD]),
        st.integers(0, 6),
        st.integers(1, 4),
        st.sampled_from(["ACTOR", "LOCATION", "DATE"]),
        st.sampled_from(["{}", '{"canonical": "حفتر"}']),
        st.integers(0, 3),  # age
    ),
    max_size=24,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_span_rows)
def test_a_layer_of_a_document_comes_in_reading_order(project, rows):
    """Spans that share a start, a range with two labels, and (written past the store's checks,
    as a bundle's rows are) two spans of one range and label of different ages: each layer of the
    document comes as one query ordered by the reading order gives it."""
    project.add_annotator("Salma")
    with project.transaction() as db:
        db.execute("DELETE FROM spans")
        if documents.get(db, "d") is None:
            documents.insert(db, documents.NewDocument(text=LAYER_TEXT, id="d"))
        spans.insert_rows(
            db,
            [
                (f"s{n}", "d", who, start, start + length, label, attributes, "", 0, f"2026-01-0{age + 1}", "")
                for n, (who, start, length, label, attributes, age) in enumerate(rows)
            ],
        )
    for annotator in ("Salma", GOLD, "nobody"):
        expected = project.db.execute(
            "SELECT start, \"end\", label, NULLIF(attributes, '{}') FROM spans WHERE doc_id = 'd' AND annotator = ?"
            " ORDER BY " + spans.READING_ORDER,
            [annotator],
        ).fetchall()
        assert spans.layer_of_document(project.db, "d", annotator) == expected


def test_the_span_validator_names_what_is_wrong():
    text = "قُتِلَ أربعة في بنغازي"
    labels = list(DEFAULT_LABELS)
    ok = Span("d", "a", 0, 6, "CASUALTY", {"count": "٤"})
    assert spans.check(text, labels, ok).attributes == {"count": 4}
    plain = Span("d", "a", 0, 6, "ACTOR")
    assert spans.check(text, {label.name: label for label in labels}, plain) is plain
    cases = [
        (Span("d", "a", 0, 1, "ACTOR"), spans.EDGES, "inside a character"),
        (Span("d", "a", 0, 99, "ACTOR"), spans.EDGES, "outside the document's text"),
        (Span("d", "a", 0, 6, "CITY"), spans.LABEL, "unknown label 'CITY'"),
        # a space: nothing to annotate (the editor cannot select it either)
        (Span("d", "a", 6, 7, "ACTOR"), spans.EDGES, "covers only spaces"),
        (Span("d", "a", 0, 6, "CASUALTY", {"count": "many"}), spans.ATTRIBUTES, "not a count"),
    ]
    for span, problem, message in cases:
        with pytest.raises(SpanError, match=message) as info:
            spans.check(text, labels, span)
        assert info.value.problem == problem


def test_the_label_json_form_round_trips(project):
    for label in project.labels():
        assert Label.from_json(label.to_json()) == label
    assert Label.from_json({"name": "X", "color": "#000000"}) == Label("X", "#000000")


def test_feature_modules_hold_no_sql():
    owned = [
        "assign.py",
        "search.py",
        "importer.py",
        "sources.py",
        "sample.py",
        "paths.py",
        "export/layers.py",
        "agreement/source.py",
        "bundles",
        "annotated_import",
        "text",
    ]
    core = ROOT / "workbench" / "core"
    for name in owned:
        target = core / name
        for path in [target] if target.is_file() else sorted(target.rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for banned in ("import sqlite3", "sqlite_utils", ".execute(", ".executemany(", ".conn.", "SELECT "):
                assert banned not in source, f"{path.relative_to(ROOT)} holds {banned!r}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.tuples(st.integers(0, 5), st.sampled_from(["Omar", "Salma", GOLD])), max_size=14))
def test_the_documents_with_a_layer_are_those_its_spans_are_in(project, layers):
    """Found by stepping through the spans' index (``documents_with``), as reading every span says."""
    for name in ("Omar", "Salma"):
        project.add_annotator(name)
    project.set_current_annotator("lead")
    with project.transaction() as db:
        db.execute("DELETE FROM spans")
        for n in range(6):
            if documents.get(db, f"d{n}") is None:
                documents.insert(db, documents.NewDocument(text=f"قوات حفتر في طرابلس {n}", id=f"d{n}"))
        spans.insert_many(db, [Span(f"d{n}", annotator, 0, 4, "ACTOR") for n, annotator in sorted(layers)], "lead")
    for annotator in ("Omar", "Salma", GOLD, "nobody"):
        expected = {f"d{n}" for n, who in layers if who == annotator}
        assert spans.documents_with(project.db, annotator) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sets(st.tuples(st.integers(0, 5), st.sampled_from(["Omar", GOLD])), max_size=12),
    st.dictionaries(
        st.tuples(st.integers(0, 5), st.sampled_from(["Omar", GOLD])), st.sampled_from(status.STATUSES), max_size=12
    ),
)
def test_the_documents_with_a_layer_not_done_are_those_with_spans_less_the_done(project, layers, states):
    project.add_annotator("Omar")
    with project.transaction() as db:
        db.execute("DELETE FROM spans")
        db.execute("DELETE FROM doc_status")
        for n in range(6):
            if documents.get(db, f"d{n}") is None:
                documents.insert(db, documents.NewDocument(text=f"قوات حفتر في طرابلس {n}", id=f"d{n}"))
        spans.insert_many(db, [Span(f"d{n}", annotator, 0, 4, "ACTOR") for n, annotator in sorted(layers)], "lead")
        for (n, annotator), state in sorted(states.items()):
            status.set_status(db, f"d{n}", annotator, state, "lead")
    for annotator in ("Omar", GOLD, "nobody"):
        done = status.documents_in(project.db, annotator, [status.DONE])
        expected = spans.documents_with(project.db, annotator) - done
        assert spans.documents_with_unless_done(project.db, annotator) == expected

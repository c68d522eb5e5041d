"""Undoable user actions on a real project file: each do and each undo is one transaction,
logged in the append-only change log; refusals say why and change nothing."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from workbench.core.actions import CreateSpan, DeleteSpan, EditSpan, SetStatus
from workbench.core.importer import import_paths
from workbench.core.store import changelog, documents, spans, status
from workbench.core.store.project import GOLD, Project
from workbench.core.store.spans import Span, SpanError
from workbench.resources import sample_corpus_files

SALMA, OMAR = "Salma", "Omar"
DOC = "001_6c20427af2e36eef"  # "... بمقتل أربعة من قوات حكومة الوفاق وإصابة 18 ..."
HARAKAT = "قُتِلَ أربعة من المدنيين في بنغازي أمس."


def _prepare(project: Project, folder: Path) -> None:
    project.add_annotator(SALMA)
    project.add_annotator(OMAR)
    report = import_paths(project, list(sample_corpus_files()))
    assert len(report.imported) == 5
    small = folder / "harakat.txt"
    small.write_text(HARAKAT, encoding="utf-8")
    assert import_paths(project, [small]).imported == ["harakat"]


@pytest.fixture
def proj(project, tmp_path):
    _prepare(project, tmp_path)
    return project


def text_of(project: Project, doc_id: str) -> str:
    return documents.get(project.db, doc_id).text


def find(project: Project, doc_id: str, word: str) -> tuple[int, int]:
    text = text_of(project, doc_id)
    start = text.index(word)
    return start, start + len(word)


def new_span(project, word, label="ACTOR", doc_id=DOC, annotator=SALMA, **kw) -> Span:
    start, end = find(project, doc_id, word)
    return Span(doc_id, annotator, start, end, label, **kw)


def stored(project: Project) -> list[Span]:
    rows = project.db.execute("SELECT id FROM spans ORDER BY id").fetchall()
    return [spans.get(project.db, r[0]) for r in rows]


def last_changes(project: Project, n: int) -> list[dict]:
    return changelog.history(project.db)[-n:]


def without_stamps(span: Span) -> Span:
    return replace(span, updated_at="")


class Trace:
    """The SQL statements the project's connection runs, to count transactions."""

    def __init__(self, project: Project):
        self.project = project
        self.statements: list[str] = []

    def __enter__(self):
        self.project.db.conn.set_trace_callback(self.statements.append)
        return self

    def __exit__(self, *exc):
        self.project.db.conn.set_trace_callback(None)

    def assert_one_transaction(self):
        words = [s.split(None, 1)[0].upper() for s in self.statements if s.strip()]
        assert words.count("BEGIN") == 1 and words.count("COMMIT") == 1, words
        begin, commit = words.index("BEGIN"), words.index("COMMIT")
        writes = [i for i, w in enumerate(words) if w in ("INSERT", "UPDATE", "DELETE")]
        assert writes and all(begin < i < commit for i in writes), words


# --- CreateSpan ----------------------------------------------------------------------------


def test_create_span_writes_the_span_and_its_log_in_one_transaction(proj):
    seq_before = len(changelog.history(proj.db))
    action = CreateSpan(new_span(proj, "قوات حكومة الوفاق", attributes={"canonical": "حكومة الوفاق"}))
    with Trace(proj) as trace:
        action.do(proj)
    trace.assert_one_transaction()
    assert not proj.db.conn.in_transaction

    row = spans.get(proj.db, action.span.id)
    assert row == action.span
    assert text_of(proj, DOC)[row.start : row.end] == "قوات حكومة الوفاق"
    assert row.created_at and row.updated_at

    create, status_set = changelog.history(proj.db)[seq_before:]
    assert create["action"] == "span.create" and create["span_id"] == row.id
    assert create["actor"] == SALMA and create["doc_id"] == DOC
    assert create["before"] is None and create["after"] == row.row()
    assert status_set["action"] == "status.set"
    assert status_set["before"] == {"annotator": SALMA, "status": "not-started"}
    assert status_set["after"] == {"annotator": SALMA, "status": "in-progress"}
    assert status.get(proj.db, DOC, SALMA) == "in-progress"
    assert status.get(proj.db, DOC, OMAR) == "not-started"


def test_undo_create_deletes_the_span_and_restores_not_started_and_redo_keeps_the_id(proj):
    action = CreateSpan(new_span(proj, "أربعة", "CASUALTY", attributes={"count": "4", "kind": "killed"}))
    action.do(proj)
    first = spans.get(proj.db, action.span.id)

    with Trace(proj) as trace:
        action.undo(proj)
    trace.assert_one_transaction()
    assert stored(proj) == []
    assert status.get(proj.db, DOC, SALMA) == "not-started"
    delete, status_set = last_changes(proj, 2)
    assert delete["action"] == "span.delete" and delete["before"] == first.row() and delete["after"] is None
    assert status_set["action"] == "status.set"
    assert status_set["after"] == {"annotator": SALMA, "status": "not-started"}

    action.do(proj)  # redo
    again = spans.get(proj.db, first.id)
    assert again is not None and action.span.id == first.id
    assert without_stamps(again) == without_stamps(first)
    assert again.created_at == first.created_at
    assert status.get(proj.db, DOC, SALMA) == "in-progress"

    # And undo once more: back to nothing.
    action.undo(proj)
    assert stored(proj) == [] and status.get(proj.db, DOC, SALMA) == "not-started"


def test_a_second_span_leaves_the_status_alone(proj):
    CreateSpan(new_span(proj, "قوات")).do(proj)
    SetStatus(DOC, SALMA, "done").do(proj)
    second = CreateSpan(new_span(proj, "أربعة", "CASUALTY"))
    second.do(proj)
    assert status.get(proj.db, DOC, SALMA) == "done"
    assert last_changes(proj, 1)[0]["action"] == "span.create"
    second.undo(proj)
    assert status.get(proj.db, DOC, SALMA) == "done"
    assert last_changes(proj, 1)[0]["action"] == "span.delete"


def test_an_action_failing_half_way_leaves_nothing(proj, project_path, snapshot, monkeypatch):
    before = snapshot(project_path)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(status, "set_status", broken)
    with pytest.raises(RuntimeError):
        CreateSpan(new_span(proj, "قوات")).do(proj)
    assert not proj.db.conn.in_transaction
    assert snapshot(project_path) == before


# --- refusals ------------------------------------------------------------------------------


def _refusal_cases():
    # (id, doc, start, end, label, attributes, message)
    return [
        ("end-past-text", DOC, 3970, 3990, "ACTOR", {}, r"outside the document's text \(0 to 3974\)"),
        ("negative-start", DOC, -1, 5, "ACTOR", {}, "outside the document's text"),
        ("empty", DOC, 10, 10, "ACTOR", {}, "is empty: it must end after it starts"),
        ("reversed", DOC, 12, 10, "ACTOR", {}, "is empty"),
        ("start-in-grapheme", "harakat", 1, 6, "ACTOR", {}, r"starts inside a character \(at 1"),
        ("end-in-grapheme", "harakat", 0, 3, "ACTOR", {}, r"ends inside a character \(at 3"),
        (
            "unknown-label",
            DOC,
            0,
            5,
            "WEAPON",
            {},
            "unknown label 'WEAPON'; the project's labels are ACTOR, LOCATION, CASUALTY, DATE",
        ),
        (
            "unknown-attribute",
            DOC,
            0,
            5,
            "ACTOR",
            {"count": "3"},
            r"ACTOR has no attribute 'count' \(it has: canonical\)",
        ),
        ("bad-count", DOC, 0, 5, "CASUALTY", {"count": "many"}, "'many' is not a count"),
        ("bad-range", DOC, 0, 5, "CASUALTY", {"count": "15-10"}, "not a range from low to high"),
        ("negative-count", DOC, 0, 5, "CASUALTY", {"count": -3}, "cannot be negative"),
        (
            "bad-kind",
            DOC,
            0,
            5,
            "CASUALTY",
            {"kind": "dead"},
            "kind must be one of killed, injured, captured, missing, unspecified, not 'dead'",
        ),
        ("bad-flag", DOC, 0, 5, "CASUALTY", {"approximate": "perhaps"}, "approximate must be true or false"),
        ("bad-date", DOC, 0, 5, "DATE", {"value": "2019-02-30"}, "'2019-02-30' is not an ISO 8601 date"),
        ("unknown-document", "nope", 0, 5, "ACTOR", {}, "there is no document 'nope' in this project"),
    ]


@pytest.mark.parametrize("case", _refusal_cases(), ids=lambda c: c[0])
def test_refused_spans_say_why_and_change_nothing(proj, project_path, snapshot, case):
    _, doc_id, start, end, label, attributes, message = case
    before = snapshot(project_path)
    action = CreateSpan(Span(doc_id, SALMA, start, end, label, attributes))
    with pytest.raises(SpanError, match=message):
        action.do(proj)
    assert not proj.db.conn.in_transaction
    assert snapshot(project_path) == before


def test_grapheme_edges_in_the_corpus_are_refused(proj, project_path, snapshot):
    # "غسّان": the shadda belongs to the س.
    doc = "000_1d4f535c4afa2fda"
    start, end = find(proj, doc, "غسّان")
    shadda = text_of(proj, doc).index("\u0651", start)
    before = snapshot(project_path)
    for s, e in ((start, shadda), (shadda, end)):
        with pytest.raises(SpanError, match="inside a character"):
            CreateSpan(Span(doc, SALMA, s, e, "ACTOR")).do(proj)
    assert snapshot(project_path) == before
    # The whole word (and the word with its letter+mark) is fine.
    CreateSpan(Span(doc, SALMA, start, end, "ACTOR")).do(proj)
    CreateSpan(Span("harakat", SALMA, 0, 6, "CASUALTY")).do(proj)
    assert text_of(proj, "harakat")[0:6] == "قُتِلَ"


def test_refused_edits_and_status_changes_change_nothing(proj, project_path, snapshot):
    create = CreateSpan(Span("harakat", SALMA, 0, 12, "CASUALTY", {"count": 4}))
    create.do(proj)
    before = snapshot(project_path)
    for changes, message in (
        ({"end": 3}, "ends inside a character"),
        ({"start": 12}, "is empty"),
        ({"label": "ACTOR"}, "ACTOR has no attribute 'count'"),  # relabel keeps incompatible attributes
        ({"label": "PERSON"}, "unknown label"),
        ({"attributes": {"kind": "dead"}}, "kind must be one of"),
    ):
        with pytest.raises(SpanError, match=message):
            EditSpan(create.span, **changes).do(proj)
    with pytest.raises(SpanError, match="no document"):
        SetStatus("nope", SALMA, "done").do(proj)
    assert snapshot(project_path) == before
    with pytest.raises(ValueError, match="cannot change doc_id"):
        EditSpan(create.span, doc_id="other")


# --- attribute canonicalisation ------------------------------------------------------------


@pytest.mark.parametrize(
    "given, expected",
    [
        ({"count": "١٨", "kind": "injured"}, {"count": 18, "kind": "injured"}),
        ({"count": "10-15"}, {"count": [10, 15]}),
        ({"count": "٤ – ٤"}, {"count": 4}),
        ({"count": 4, "approximate": "yes"}, {"count": 4, "approximate": True}),
        ({"approximate": "no", "kind": ""}, {"approximate": False}),
    ],
)
def test_attributes_are_stored_canonical(proj, given, expected):
    action = CreateSpan(new_span(proj, "وإصابة 18", "CASUALTY", attributes=given))
    action.do(proj)
    assert spans.get(proj.db, action.span.id).attributes == expected
    assert last_changes(proj, 2)[0]["after"]["attributes"] == expected


def test_date_and_canonical_names_are_canonical(proj):
    date = CreateSpan(
        Span("harakat", SALMA, *find(proj, "harakat", "أمس"), "DATE", {"value": " 2019-01-19 ", "precision": "day"})
    )
    date.do(proj)
    assert spans.get(proj.db, date.span.id).attributes == {"value": "2019-01-19", "precision": "day"}
    place = CreateSpan(Span("harakat", SALMA, *find(proj, "harakat", "بنغازي"), "LOCATION", {"canonical": "  بنغازي "}))
    place.do(proj)
    assert spans.get(proj.db, place.span.id).attributes == {"canonical": "بنغازي"}


# --- EditSpan ------------------------------------------------------------------------------


def _edit_cases(text_start: int):
    return {
        "edges": dict(start=text_start + 1, end=text_start + 5),  # بمقتل -> مقتل
        "label": dict(label="LOCATION", attributes={"canonical": "أبو قرين"}),
        "attributes": dict(attributes={"canonical": "قوات الوفاق"}),
        "note": dict(note="هل هي قوات الوفاق؟ “نعم”"),
        "unsure": dict(unsure=True),
    }


@pytest.mark.parametrize("kind", ["edges", "label", "attributes", "note", "unsure"])
def test_edit_is_logged_with_before_and_after_and_undo_restores_the_row(proj, kind):
    create = CreateSpan(new_span(proj, "بمقتل", attributes={"canonical": "x"}))
    create.do(proj)
    original = spans.get(proj.db, create.span.id)
    changes = _edit_cases(original.start)[kind]
    edit = EditSpan(original, **changes)

    with Trace(proj) as trace:
        edit.do(proj)
    trace.assert_one_transaction()
    changed = spans.get(proj.db, original.id)
    for key, value in changes.items():
        assert getattr(changed, key) == value
    assert without_stamps(changed) == without_stamps(replace(original, **changes))
    [log] = last_changes(proj, 1)
    assert log["action"] == "span.update" and log["span_id"] == original.id and log["actor"] == SALMA
    assert log["before"] == original.row()
    assert log["after"] == changed.row()

    with Trace(proj) as trace:
        edit.undo(proj)
    trace.assert_one_transaction()
    restored = spans.get(proj.db, original.id)
    assert without_stamps(restored) == without_stamps(original)
    assert restored.created_at == original.created_at
    [log] = last_changes(proj, 1)
    assert log["action"] == "span.update"
    assert log["before"] == changed.row()
    assert without_stamps(Span(**log["after"])) == without_stamps(original)

    edit.do(proj)  # redo
    assert without_stamps(spans.get(proj.db, original.id)) == without_stamps(changed)


def test_edit_descriptions(proj):
    span = new_span(proj, "قوات")
    assert EditSpan(span, start=1).text == "Adjust span"
    assert EditSpan(span, label="DATE").text == "Relabel as DATE"
    assert EditSpan(span, note="x", unsure=True).text == "Edit note, unsure"


def test_merge_folds_consecutive_edge_nudges_into_one_undo_step(proj):
    create = CreateSpan(new_span(proj, "قوات حكومة"))
    create.do(proj)
    original = spans.get(proj.db, create.span.id)

    first = EditSpan(original, end=original.end + 1)
    first.do(proj)
    second = EditSpan(first.after, end=original.end + 2)
    second.do(proj)
    third = EditSpan(second.after, start=original.start + 1)
    third.do(proj)
    assert first.merge(second) and first.merge(third)
    assert (first.after.start, first.after.end) == (original.start + 1, original.end + 2)

    first.undo(proj)
    back = spans.get(proj.db, original.id)
    assert (back.start, back.end) == (original.start, original.end)
    assert without_stamps(back) == without_stamps(original)
    first.do(proj)  # redo of the merged step
    now = spans.get(proj.db, original.id)
    assert (now.start, now.end) == (original.start + 1, original.end + 2)


def test_merge_refuses_other_spans_and_other_kinds_of_edit(proj):
    a, b = CreateSpan(new_span(proj, "قوات")), CreateSpan(new_span(proj, "أربعة", "CASUALTY"))
    a.do(proj)
    b.do(proj)
    nudge_a = EditSpan(a.span, end=a.span.end + 1)
    nudge_a.do(proj)
    nudge_b = EditSpan(b.span, end=b.span.end + 1)
    assert not nudge_a.merge(nudge_b)
    relabel = EditSpan(nudge_a.after, label="LOCATION")
    assert not nudge_a.merge(relabel)
    note = EditSpan(nudge_a.after, note="?")
    assert not nudge_a.merge(note)
    relabel_first = EditSpan(a.span, label="LOCATION")
    assert not relabel_first.merge(EditSpan(a.span, end=a.span.end - 1))


def test_editing_a_deleted_span_is_refused(proj, project_path, snapshot):
    create = CreateSpan(new_span(proj, "قوات"))
    create.do(proj)
    DeleteSpan(create.span).do(proj)
    before = snapshot(project_path)
    with pytest.raises(SpanError, match="no longer exists"):
        EditSpan(create.span, note="x").do(proj)
    assert not proj.db.conn.in_transaction
    assert snapshot(project_path) == before


# --- DeleteSpan ----------------------------------------------------------------------------


def test_delete_logs_the_whole_row_and_undo_brings_it_back(proj, project_path, snapshot):
    create = CreateSpan(
        new_span(proj, "أربعة", "CASUALTY", attributes={"count": "٤", "kind": "killed"}, note="مقتل أربعة", unsure=True)
    )
    create.do(proj)
    row = spans.get(proj.db, create.span.id)
    delete = DeleteSpan(row, actor=OMAR)
    with Trace(proj) as trace:
        delete.do(proj)
    trace.assert_one_transaction()
    assert spans.get(proj.db, row.id) is None
    [log] = last_changes(proj, 1)
    assert log["action"] == "span.delete" and log["actor"] == OMAR
    assert log["before"] == row.row() and log["after"] is None
    assert status.get(proj.db, DOC, SALMA) == "in-progress"  # deleting does not touch the status

    delete.undo(proj)
    back = spans.get(proj.db, row.id)
    assert without_stamps(back) == without_stamps(row)
    assert back.attributes == {"count": 4, "kind": "killed"} and back.note == "مقتل أربعة" and back.unsure
    assert back.created_at == row.created_at
    [log] = last_changes(proj, 1)
    assert log["action"] == "span.create" and log["span_id"] == row.id

    delete.do(proj)  # redo
    assert spans.get(proj.db, row.id) is None
    before = snapshot(project_path)
    with pytest.raises(SpanError, match="no longer exists"):
        DeleteSpan(row).do(proj)
    assert not proj.db.conn.in_transaction
    assert snapshot(project_path) == before


# --- SetStatus -----------------------------------------------------------------------------


def test_set_status_do_undo_and_log(proj):
    action = SetStatus(DOC, SALMA, "done", actor=OMAR)
    assert action.text == "Mark done"
    with Trace(proj) as trace:
        action.do(proj)
    trace.assert_one_transaction()
    assert status.get(proj.db, DOC, SALMA) == "done"
    [log] = last_changes(proj, 1)
    assert log["action"] == "status.set" and log["actor"] == OMAR and log["doc_id"] == DOC
    assert log["before"] == {"annotator": SALMA, "status": "not-started"}
    assert log["after"] == {"annotator": SALMA, "status": "done"}

    action.undo(proj)
    assert status.get(proj.db, DOC, SALMA) == "not-started"
    assert last_changes(proj, 1)[0]["after"] == {"annotator": SALMA, "status": "not-started"}
    action.do(proj)
    assert status.get(proj.db, DOC, SALMA) == "done"

    # Setting the status it already has logs nothing.
    count = len(changelog.history(proj.db))
    SetStatus(DOC, SALMA, "done").do(proj)
    assert len(changelog.history(proj.db)) == count


def test_invalid_status_is_refused(proj):
    with pytest.raises(ValueError, match="status must be one of not-started, in-progress, done, not 'finished'"):
        SetStatus(DOC, SALMA, "finished")
    with proj.transaction() as db, pytest.raises(ValueError, match="status must be one of"):
        status.set_status(db, DOC, SALMA, "DONE", SALMA)


# --- the change log ------------------------------------------------------------------------


def test_the_change_log_is_append_only(proj):
    CreateSpan(new_span(proj, "قوات")).do(proj)
    history = changelog.history(proj.db)
    assert [c["seq"] for c in history] == sorted(c["seq"] for c in history)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        proj.db.execute("UPDATE changes SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        proj.db.execute("DELETE FROM changes")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"), proj.transaction() as db:
        db.execute("DELETE FROM changes WHERE action = 'span.create'")
    assert not proj.db.conn.in_transaction
    assert changelog.history(proj.db) == history


# --- attribute completion ------------------------------------------------------------------


def test_attribute_values_are_distinct_and_most_used_first(proj):
    def add(word, label, canonical, annotator=SALMA):
        action = CreateSpan(new_span(proj, word, label, annotator=annotator, attributes={"canonical": canonical}))
        action.do(proj)
        return action

    add("قوات", "ACTOR", "حكومة الوفاق")
    add("قوات حكومة", "ACTOR", "قوات حفتر")
    add("قوات حكومة الوفاق", "ACTOR", "قوات حفتر", annotator=OMAR)
    add("حكومة", "ACTOR", "قوات حفتر", annotator=GOLD)
    add("الوفاق", "ACTOR", "الجيش الوطني")
    add("الوفاق", "ACTOR", "الجيش الوطني", annotator=OMAR)  # (the same annotator could not tag it twice)
    gone = add("مصادر", "ACTOR", "الجيش الوطني")
    add("مصادر ليبية", "ACTOR", "   ")  # blank: stored empty, never offered
    for who in ("Huda", "Ali"):
        proj.add_annotator(who)
    for who in (SALMA, OMAR, GOLD, "Huda", "Ali"):  # five spans: one per annotator (one each is the rule)
        add("أبو قرين", "LOCATION", "أبو قرين", annotator=who)

    # 3 and 3: a tie is broken by value.
    assert spans.attribute_values(proj.db, "canonical", "ACTOR") == ["الجيش الوطني", "قوات حفتر", "حكومة الوفاق"]
    DeleteSpan(gone.span).do(proj)
    assert spans.attribute_values(proj.db, "canonical", "ACTOR") == ["قوات حفتر", "الجيش الوطني", "حكومة الوفاق"]
    assert spans.attribute_values(proj.db, "canonical")[0] == "أبو قرين"
    assert spans.attribute_values(proj.db, "canonical", "LOCATION") == ["أبو قرين"]
    assert spans.attribute_values(proj.db, "canonical", "DATE") == []
    assert spans.attribute_values(proj.db, "count", "CASUALTY") == []


# --- progress ------------------------------------------------------------------------------


def test_progress_and_next_unfinished(proj):
    ids = [d.id for d in documents.summaries(proj.db)]
    assert len(ids) == 6 and ids[-1] == "harakat"
    db = proj.db
    assert status.progress(db, SALMA) == {"not-started": 6, "in-progress": 0, "done": 0, "total": 6}
    assert status.next_unfinished(db, SALMA, None) == ids[0]

    SetStatus(ids[0], SALMA, "done").do(proj)
    SetStatus(ids[2], SALMA, "done").do(proj)
    CreateSpan(Span(ids[1], SALMA, 0, 4, "ACTOR")).do(proj)  # in progress
    SetStatus(ids[3], OMAR, "done").do(proj)
    undone = SetStatus(ids[4], SALMA, "done")
    undone.do(proj)
    undone.undo(proj)  # leaves a not-started row behind
    assert status.progress(db, SALMA) == {"not-started": 3, "in-progress": 1, "done": 2, "total": 6}
    assert status.progress(db, OMAR) == {"not-started": 5, "in-progress": 0, "done": 1, "total": 6}
    assert status.progress(db, None) == {"not-started": 6, "in-progress": 0, "done": 0, "total": 6}

    nxt = status.next_unfinished
    assert nxt(db, SALMA, None) == ids[1]
    assert nxt(db, SALMA, ids[0]) == ids[1]
    assert nxt(db, SALMA, ids[1]) == ids[3]  # skips done ids[2]
    assert nxt(db, SALMA, ids[3]) == ids[4]
    assert nxt(db, SALMA, ids[5]) == ids[1]  # wraps around
    assert nxt(db, SALMA, "unknown") == ids[1]
    assert nxt(db, OMAR, ids[2]) == ids[4]  # Omar's done ids[3] is skipped

    for doc_id in ids:
        if doc_id != ids[4]:
            SetStatus(doc_id, SALMA, "done").do(proj)
    assert nxt(db, SALMA, ids[4]) == ids[4]  # the only one left is the current one
    SetStatus(ids[4], SALMA, "done").do(proj)
    assert nxt(db, SALMA, ids[2]) is None
    assert status.progress(db, SALMA)["done"] == 6


# --- random sequences of actions with undo and redo ----------------------------------------

SMALL_DOCS = {
    "a": "قُتِلَ أربعة من المدنيين في بنغازي أمس.",
    "b": "أعلنت قوات الوفاق أسر 30 مقاتلا قرب طرابلس يوم 19 يناير 2019.",
}
ANNOTATORS = (SALMA, OMAR, GOLD)
LABELS_WITH_ATTRIBUTES = [
    ("ACTOR", {"canonical": "قوات الوفاق"}, {"canonical": "قوات الوفاق"}),
    ("LOCATION", {}, {}),
    ("CASUALTY", {"count": "٣٠", "kind": "captured"}, {"count": 30, "kind": "captured"}),
    ("CASUALTY", {"count": "10-15", "approximate": "yes"}, {"count": [10, 15], "approximate": True}),
    ("DATE", {"value": "2019-01-19"}, {"value": "2019-01-19"}),
]


def _word_edges(text: str) -> list[tuple[int, int]]:
    import regex

    return [(m.start(), m.end()) for m in regex.finditer(r"\w+", text)]


class ActionsMachine(RuleBasedStateMachine):
    """The database's spans and statuses always equal a plain model, through undo and redo."""

    @initialize()
    def setup(self):
        self.folder = Path(tempfile.mkdtemp(prefix="actions-"))
        self.project = Project.create(self.folder / "machine.wbproj")
        self.project.add_annotator(SALMA)
        self.project.add_annotator(OMAR)
        for name, text in SMALL_DOCS.items():
            (self.folder / f"{name}.txt").write_text(text, encoding="utf-8")
        report = import_paths(self.project, sorted(self.folder.glob("*.txt")))
        assert sorted(report.imported) == sorted(SMALL_DOCS)
        self.texts = {d: text_of(self.project, d) for d in SMALL_DOCS}
        self.words = {d: _word_edges(t) for d, t in self.texts.items()}
        self.model_spans: dict[str, tuple] = {}
        self.model_status: dict[tuple[str, str], str] = {}
        self.done: list[tuple] = []  # (action, model before, model after)
        self.redoable: list[tuple] = []
        self.log_length = len(changelog.history(self.project.db))
        self.counter = 0

    def teardown(self):
        if hasattr(self, "project"):
            self.project.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # the model

    def _state(self):
        return dict(self.model_spans), dict(self.model_status)

    def _restore(self, state):
        self.model_spans, self.model_status = dict(state[0]), dict(state[1])

    def _status(self, doc, annotator):
        return self.model_status.get((doc, annotator), "not-started")

    def _copies(self, doc, annotator, start, end, label, span_id=None) -> bool:
        """Whether the model already has this annotator's span over the range with the label."""
        return any(
            (d, a, s, e, lab) == (doc, annotator, start, end, label)
            for other, (d, a, s, e, lab, *_rest) in self.model_spans.items()
            if other != span_id
        )

    def _refused_as_copy(self, action) -> None:
        """The same annotator, range and label is one span: a second is refused, nothing written."""
        before, log = self._state(), len(changelog.history(self.project.db))
        with pytest.raises(SpanError, match="already tagged"):
            action.do(self.project)
        assert self._state() == before and len(changelog.history(self.project.db)) == log

    def _perform(self, action, change_model):
        before = self._state()
        action.do(self.project)
        change_model()
        self.done.append((action, before, self._state()))
        self.redoable.clear()

    # rules

    @rule(
        doc=st.sampled_from(sorted(SMALL_DOCS)),
        data=st.data(),
        annotator=st.sampled_from(ANNOTATORS),
        label=st.sampled_from(LABELS_WITH_ATTRIBUTES),
    )
    def create(self, doc, data, annotator, label):
        words = self.words[doc]
        i = data.draw(st.integers(0, len(words) - 1))
        j = data.draw(st.integers(i, min(i + 2, len(words) - 1)))
        start, end = words[i][0], words[j][1]
        name, given, canonical = label
        self.counter += 1  # ids in creation order keep the examples reproducible
        action = CreateSpan(Span(doc, annotator, start, end, name, dict(given), id=f"span-{self.counter:03d}"))
        if self._copies(doc, annotator, start, end, name):
            self._refused_as_copy(action)
            return

        def change():
            self.model_spans[action.span.id] = (doc, annotator, start, end, name, canonical, "", False)
            if self._status(doc, annotator) == "not-started":
                self.model_status[(doc, annotator)] = "in-progress"

        self._perform(action, change)

    @rule(doc=st.sampled_from(sorted(SMALL_DOCS)), offset=st.integers(-3, 80))
    def refused_create(self, doc, offset):
        text = self.texts[doc]
        # An edge inside "قُ", or outside the text.
        start, end = (1, 4) if doc == "a" else (offset, len(text) + 1)
        log = len(changelog.history(self.project.db))
        with pytest.raises(SpanError):
            CreateSpan(Span(doc, SALMA, start, end, "ACTOR")).do(self.project)
        assert len(changelog.history(self.project.db)) == log

    @precondition(lambda self: self.model_spans)
    @rule(data=st.data(), what=st.sampled_from(["edges", "note", "unsure", "label"]))
    def edit(self, data, what):
        span_id = data.draw(st.sampled_from(list(self.model_spans)))
        doc, annotator, start, end, label, attrs, note, unsure = self.model_spans[span_id]
        if what == "edges":
            words = self.words[doc]
            i = data.draw(st.integers(0, len(words) - 1))
            changes = {"start": words[i][0], "end": words[i][1]}
        elif what == "note":
            changes = {"note": data.draw(st.sampled_from(["", "؟", "قوات “الوفاق”"]))}
        elif what == "unsure":
            changes = {"unsure": not unsure}
        else:
            changes = {"label": "LOCATION", "attributes": {"canonical": "طرابلس"}}
        action = EditSpan(spans.get(self.project.db, span_id), **changes)
        after = {"start": start, "end": end, "label": label, **changes}
        if self._copies(doc, annotator, after["start"], after["end"], after["label"], span_id):
            self._refused_as_copy(action)
            return

        def change():
            row = dict(
                zip(
                    ("doc", "annotator", "start", "end", "label", "attributes", "note", "unsure"),
                    self.model_spans[span_id],
                )
            )
            row.update(changes)
            self.model_spans[span_id] = tuple(row.values())

        self._perform(action, change)

    @precondition(lambda self: self.model_spans)
    @rule(data=st.data())
    def delete(self, data):
        span_id = data.draw(st.sampled_from(list(self.model_spans)))
        action = DeleteSpan(spans.get(self.project.db, span_id), actor=SALMA)
        self._perform(action, lambda: self.model_spans.pop(span_id))

    @rule(
        doc=st.sampled_from(sorted(SMALL_DOCS)),
        annotator=st.sampled_from(ANNOTATORS),
        new=st.sampled_from(["not-started", "in-progress", "done"]),
    )
    def set_status(self, doc, annotator, new):
        action = SetStatus(doc, annotator, new)
        self._perform(action, lambda: self.model_status.__setitem__((doc, annotator), new))

    @precondition(lambda self: self.done)
    @rule()
    def undo(self):
        action, before, after = self.done.pop()
        action.undo(self.project)
        self._restore(before)
        self.redoable.append((action, before, after))

    @precondition(lambda self: self.redoable)
    @rule()
    def redo(self):
        action, before, after = self.redoable.pop()
        action.do(self.project)
        self._restore(after)
        self.done.append((action, before, after))

    # checks

    @invariant()
    def database_equals_model(self):
        db = self.project.db
        assert not db.conn.in_transaction
        actual = {
            s.id: (s.doc_id, s.annotator, s.start, s.end, s.label, s.attributes, s.note, s.unsure)
            for s in (spans.get(db, r[0]) for r in db.execute("SELECT id FROM spans"))
        }
        assert actual == self.model_spans
        for (doc, annotator), expected in self.model_status.items():
            assert status.get(db, doc, annotator) == expected
        rows = db.execute("SELECT doc_id, annotator, status FROM doc_status").fetchall()
        for doc, annotator, value in rows:
            assert self._status(doc, annotator) == value
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # The log only grows.
        length = len(changelog.history(db))
        assert length >= self.log_length
        self.log_length = length


ActionsMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_actions_with_undo_and_redo = ActionsMachine.TestCase

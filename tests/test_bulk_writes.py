"""Many rows in few statements (``core/store/bulk.py``): what a work bundle's merge writes.

A multi-row statement of spans that SQLite refuses takes the whole transaction back with it
(``INSERT OR ROLLBACK``: no statement journal); the row named as refused must be the one a
statement per row would have stopped at.
"""

from __future__ import annotations

import json

import pytest

from tests import test_bundles as shared
from workbench.core.store import bulk, changelog
from workbench.core.store import bundles as bookkeeping
from workbench.core.store import spans as span_store
from workbench.core.store.project import Project

team, lead = shared.team, shared.lead


def _rows(lead: Project, who: str, count: int) -> list[tuple]:
    doc = shared.doc_ids(lead)[0]
    edges = shared.words(lead, doc)
    at = "2020-01-01T00:00:00+00:00"
    return [
        (f"{who}-{n:04d}", doc, who, edges[n][0], edges[n][1], "ACTOR", "{}", "ملاحظة", 0, at, at) for n in range(count)
    ]


@pytest.mark.parametrize("taken_at", [0, 2, 3, 7, 10])
def test_spans_written_in_several_statements_name_the_row_refused(team, lead, monkeypatch, taken_at):
    """The transaction is taken back whole by SQLite; the row named is the first one the project
    refuses, as when each row was its own statement: an id another layer holds."""
    monkeypatch.setattr(bulk, "MOST_ROWS", 3)
    taken = _rows(lead, "Huda", 1)[0]
    with lead.transaction() as db:
        assert span_store.insert_rows(db, [taken]) is None
    rows = _rows(lead, "Omar", 11)
    rows[taken_at] = (taken[0], *rows[taken_at][1:])
    with pytest.raises(RuntimeError), lead.transaction() as db:
        assert span_store.insert_rows(db, rows) == taken_at
        assert not db.conn.in_transaction and _written(db) == []  # all of it taken back
        raise RuntimeError("the caller gives up")
    assert _written(lead.db) == []


def _written(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT id FROM spans WHERE annotator = 'Omar' ORDER BY rowid")]


@pytest.mark.parametrize(("first", "again"), [(0, 1), (0, 10), (2, 3), (3, 4), (1, 8), (9, 10)])
def test_an_id_twice_among_spans_written_in_several_statements_names_the_second(team, lead, monkeypatch, first, again):
    monkeypatch.setattr(bulk, "MOST_ROWS", 3)
    rows = _rows(lead, "Omar", 11)
    rows[again] = (rows[first][0], *rows[again][1:])
    with pytest.raises(RuntimeError), lead.transaction() as db:
        assert span_store.insert_rows(db, rows) == again
        assert not db.conn.in_transaction and _written(db) == []
        raise RuntimeError("the caller gives up")


def test_spans_and_their_log_written_in_several_statements_are_all_there_in_order(team, lead, monkeypatch):
    monkeypatch.setattr(bulk, "MOST_ROWS", 4)
    rows = _rows(lead, "Omar", 10)
    with lead.transaction() as db:
        assert span_store.insert_rows(db, rows) is None
        entries = [("span.merge", "Omar", row[1], row[0], None, {"n": n}) for n, row in enumerate(rows)]
        changelog.record_many(db, entries, at="2020-01-01T00:00:00+00:00")
    stored = lead.db.execute(
        'SELECT id, doc_id, annotator, start, "end", label, attributes, note, unsure, created_at, updated_at'
        " FROM spans WHERE annotator = 'Omar' ORDER BY rowid"
    ).fetchall()
    assert [tuple(row) for row in stored] == rows
    logged = lead.db.execute("SELECT span_id, after FROM changes WHERE action = 'span.merge' ORDER BY seq").fetchall()
    assert [(span_id, json.loads(after)["n"]) for span_id, after in logged] == [
        (row[0], n) for n, row in enumerate(rows)
    ]


def test_documents_merged_in_several_statements_keep_the_newest_bundle(team, lead, monkeypatch):
    """An upsert per row, as before: a document named twice keeps the later bundle's entry."""
    monkeypatch.setattr(bulk, "MOST_ROWS", 2)
    docs = shared.doc_ids(lead)
    with lead.transaction() as db:
        bookkeeping.record_merged_many(db, "Omar", docs, 1, "2020-01-01T00:00:00+00:00", "a" * 64)
        bookkeeping.record_merged_many(
            db, "Omar", [docs[0], docs[3], docs[0]], 2, "2020-02-01T00:00:00+00:00", "b" * 64
        )
    merged = bookkeeping.last_merged_of(lead.db, "Omar")
    assert set(merged) == set(docs)
    assert {doc_id: entry[0] for doc_id, entry in merged.items()} == {
        d: 2 if d in (docs[0], docs[3]) else 1 for d in docs
    }
    assert bookkeeping.sequence_floor(lead.db, "Omar") == 2

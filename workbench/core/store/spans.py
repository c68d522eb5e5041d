"""Spans: labelled ``[start, end)`` ranges of code points in a document, one annotator's each.

The functions here read and write rows and log each write in the change log.
They do not open transactions: :mod:`workbench.core.actions` wraps each user
action in one, so that every action is durable (or absent) as a whole.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sqlite_utils import Database

from workbench.core.errors import WorkbenchError
from workbench.core.store import changelog
from workbench.core.store.labels import Label, validate_attributes
from workbench.core.store.project import now
from workbench.core.text.boundaries import selection_problem


class SpanError(WorkbenchError):
    """A span that cannot be made or changed as asked; nothing was written."""


@dataclass(slots=True)
class Span:
    """One span. Treated as a value: changes make a new one with ``dataclasses.replace``."""

    doc_id: str
    annotator: str
    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    unsure: bool = False
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: str = ""
    updated_at: str = ""

    def row(self) -> dict[str, Any]:
        """The span as logged in the change log (and carried in work bundles)."""
        return {
            "doc_id": self.doc_id,
            "annotator": self.annotator,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "attributes": dict(self.attributes),
            "note": self.note,
            "unsure": self.unsure,
            "id": self.id,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    def to_json(self, text: str | None = None) -> dict[str, Any]:
        data = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": None if text is None else text[self.start : self.end],
            "attributes": self.attributes,
            "annotator": self.annotator,
            "note": self.note,
            "unsure": self.unsure,
        }
        return data


_COLUMNS = 'id, doc_id, annotator, start, "end", label, attributes, note, unsure, created_at, updated_at'


def _from_row(row) -> Span:
    span_id, doc_id, annotator, start, end, label, attributes, note, unsure, created, updated = row
    attributes = {} if attributes == "{}" else json.loads(attributes)
    return Span(doc_id, annotator, start, end, label, attributes, note, bool(unsure), span_id, created, updated)


def get(db: Database, span_id: str) -> Span | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM spans WHERE id = ?", [span_id]).fetchone()
    return None if row is None else _from_row(row)


def for_document(db: Database, doc_id: str, annotator: str | None = None) -> list[Span]:
    """The document's spans in reading order (by start; the outer of two nested first)."""
    sql = f"SELECT {_COLUMNS} FROM spans WHERE doc_id = ?"
    params: list[Any] = [doc_id]
    if annotator is not None:
        sql += " AND annotator = ?"
        params.append(annotator)
    rows = db.execute(sql + ' ORDER BY start, "end" DESC, created_at', params).fetchall()
    return [_from_row(row) for row in rows]


def check(text: str, labels: list[Label], span: Span) -> Span:
    """The span with canonical attributes, or :class:`SpanError` saying what is wrong."""
    problem = selection_problem(text, span.start, span.end)
    if problem:
        raise SpanError(problem)
    label = next((lab for lab in labels if lab.name == span.label), None)
    if label is None:
        raise SpanError(
            f"unknown label {span.label!r}; the project's labels are {', '.join(lab.name for lab in labels)}"
        )
    try:
        attributes = validate_attributes(label, span.attributes)
    except ValueError as exc:
        raise SpanError(str(exc)) from None
    return replace(span, attributes=attributes)


def insert(db: Database, span: Span, actor: str) -> Span:
    """Write a new span (or bring a deleted one back under its old id) and log it."""
    return insert_many(db, [span], actor)[0]


def insert_many(db: Database, new: list[Span], actor: str, log: bool = True) -> list[Span]:
    """Write new spans and (unless the caller logs them itself) log each one, in two
    statements (a work bundle brings thousands)."""
    stamp = now()
    written = [
        Span(
            s.doc_id,
            s.annotator,
            s.start,
            s.end,
            s.label,
            s.attributes,
            s.note,
            s.unsure,
            s.id,
            s.created_at or stamp,
            stamp,
        )
        for s in new
    ]
    db.conn.executemany(
        f"INSERT INTO spans ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                s.id,
                s.doc_id,
                s.annotator,
                s.start,
                s.end,
                s.label,
                json.dumps(s.attributes, ensure_ascii=False) if s.attributes else "{}",
                s.note,
                int(s.unsure),
                s.created_at,
                s.updated_at,
            )
            for s in written
        ],
    )
    if log:
        changelog.record_many(db, [("span.create", actor, s.doc_id, s.id, None, s.row()) for s in written], at=stamp)
    return written


def delete(db: Database, span_id: str, actor: str) -> Span:
    """Remove a span and log the whole row, so it can be restored."""
    span = get(db, span_id)
    if span is None:
        raise SpanError("the span no longer exists (it was deleted, perhaps in another window)")
    db.execute("DELETE FROM spans WHERE id = ?", [span_id])
    changelog.record(db, "span.delete", actor, doc_id=span.doc_id, span_id=span_id, before=span.row())
    return span


def update(db: Database, before: Span, after: Span, actor: str) -> Span:
    """Replace a span's edges, label, attributes, note or unsure flag, and log both versions."""
    current = get(db, before.id)
    if current is None:
        raise SpanError("the span no longer exists (it was deleted, perhaps in another window)")
    after = replace(after, updated_at=now())
    db.execute(
        'UPDATE spans SET start = ?, "end" = ?, label = ?, attributes = ?, note = ?, unsure = ?,'
        " updated_at = ? WHERE id = ?",
        [
            after.start,
            after.end,
            after.label,
            json.dumps(after.attributes, ensure_ascii=False),
            after.note,
            int(after.unsure),
            after.updated_at,
            after.id,
        ],
    )
    changelog.record(
        db, "span.update", actor, doc_id=after.doc_id, span_id=after.id, before=current.row(), after=after.row()
    )
    return after


def attribute_values(db: Database, attribute: str, label: str | None = None) -> list[str]:
    """Distinct values already given to ``attribute`` (for completion), most used first."""
    sql = "SELECT json_extract(attributes, '$.' || ?) AS v, COUNT(*) AS n FROM spans WHERE v IS NOT NULL"
    params: list[Any] = [attribute]
    if label is not None:
        sql += " AND label = ?"
        params.append(label)
    rows = db.execute(sql + " GROUP BY v ORDER BY n DESC, v", params).fetchall()
    return [str(value) for value, _ in rows if str(value).strip()]

"""The append-only change log: who did what to which document or span, and when.

Every user action writes its rows here in the same transaction as the change
itself; undo, audit and work-bundle sync read it back. Triggers in the schema
refuse updates and deletes of logged rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from workbench.core.store import bulk
from workbench.core.store.database import Database
from workbench.core.store.project import now


def record(
    db: Database,
    action: str,
    actor: str,
    *,
    doc_id: str | None = None,
    span_id: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one change; call inside the transaction of the change it describes."""
    db.execute(
        "INSERT INTO changes (at, actor, action, doc_id, span_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            now(),
            actor,
            action,
            doc_id,
            span_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ],
    )


def record_many(
    db: Database,
    entries: list[tuple[str, str, str | None, str | None, dict | None, dict | None]],
    at: str | None = None,
) -> None:
    """Append many changes at once: ``(action, actor, doc_id, span_id, before, after)`` each, in
    few statements (:mod:`bulk`)."""
    at = at or now()
    bulk.write(
        db,
        "INSERT INTO changes (at, actor, action, doc_id, span_id, before, after)",
        [
            (
                at,
                actor,
                action,
                doc_id,
                span_id,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            )
            for action, actor, doc_id, span_id, before, after in entries
        ],
    )


def history(db: Database, doc_id: str | None = None) -> list[dict[str, Any]]:
    """The logged changes, oldest first, optionally of one document."""
    return list(iter_history(db, doc_id))


def iter_history(db: Database, doc_id: str | None = None) -> Iterator[dict[str, Any]]:
    """:func:`history`, streamed from one cursor (an annotator's copy of a hundred thousand
    documents logs millions of changes: a work bundle writes them without holding them)."""
    sql = "SELECT seq, at, actor, action, doc_id, span_id, before, after FROM changes"
    params: list[Any] = []
    if doc_id is not None:
        sql += " WHERE doc_id = ?"
        params.append(doc_id)
    keys = ("seq", "at", "actor", "action", "doc_id", "span_id", "before", "after")
    for row in db.conn.execute(sql + " ORDER BY seq", params):
        item = dict(zip(keys, row))
        for key in ("before", "after"):
            if item[key] is not None:
                item[key] = json.loads(item[key])
        yield item


def deletions(db: Database, except_layer: str | None = None) -> list[tuple[str, str, str]]:
    """``(span_id, doc_id, last deleted at)`` of every span the log says was deleted, except
    those ``except_layer`` holds now (a span deleted, then restored by an undo)."""
    sql = "SELECT span_id, doc_id, MAX(at) FROM changes WHERE action = 'span.delete'"
    params: list[Any] = []
    if except_layer is not None:
        sql += " AND span_id NOT IN (SELECT id FROM spans WHERE annotator = ?)"
        params.append(except_layer)
    return db.execute(sql + " GROUP BY span_id", params).fetchall()


def of_actor(db: Database, actor: str) -> list[tuple[str, str, str | None]]:
    """``(at, action, doc_id)`` of the changes ``actor`` made to documents, oldest first."""
    return db.execute(
        "SELECT at, action, doc_id FROM changes WHERE actor = ? AND doc_id IS NOT NULL ORDER BY seq", [actor]
    ).fetchall()


def newest(db: Database) -> int:
    """The ``seq`` of the newest change (0: none yet): what a reading is as of."""
    return int(db.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0])

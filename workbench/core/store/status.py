"""Each annotator's progress on each document: not started, in progress, done."""

from __future__ import annotations

from sqlite_utils import Database

from workbench.core.store import changelog
from workbench.core.store.documents import STATUSES
from workbench.core.store.project import now

NOT_STARTED, IN_PROGRESS, DONE = STATUSES


def get(db: Database, doc_id: str, annotator: str) -> str:
    row = db.execute("SELECT status FROM doc_status WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]).fetchone()
    return row[0] if row else NOT_STARTED


def set_status(db: Database, doc_id: str, annotator: str, status: str, actor: str) -> str:
    """Set and log the status; return the previous one. Call inside a transaction."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    previous = get(db, doc_id, annotator)
    if previous == status:
        return previous
    db.execute(
        "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(doc_id, annotator) DO UPDATE SET status = excluded.status,"
        " updated_at = excluded.updated_at",
        [doc_id, annotator, status, now()],
    )
    changelog.record(
        db,
        "status.set",
        actor,
        doc_id=doc_id,
        before={"annotator": annotator, "status": previous},
        after={"annotator": annotator, "status": status},
    )
    return previous


def progress(db: Database, annotator: str | None) -> dict[str, int]:
    """How many documents ``annotator`` has in each status, and in all."""
    total = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    counts = dict(
        db.execute(
            "SELECT status, COUNT(*) FROM doc_status WHERE annotator = ? GROUP BY status", [annotator]
        ).fetchall()
    )
    done, in_progress = counts.get(DONE, 0), counts.get(IN_PROGRESS, 0)
    return {
        NOT_STARTED: total - done - in_progress,
        IN_PROGRESS: in_progress,
        DONE: done,
        "total": total,
    }


def next_unfinished(db: Database, annotator: str | None, after_doc_id: str | None) -> str | None:
    """The first document after ``after_doc_id`` (in list order, wrapping) not done by ``annotator``."""
    after_rowid = -1
    if after_doc_id is not None:
        row = db.execute("SELECT rowid FROM documents WHERE id = ?", [after_doc_id]).fetchone()
        after_rowid = row[0] if row else -1
    sql = (
        "SELECT d.id FROM documents d LEFT JOIN doc_status s ON s.doc_id = d.id AND s.annotator = ?"
        " WHERE COALESCE(s.status, 'not-started') != 'done' AND d.rowid {} ? ORDER BY d.rowid LIMIT 1"
    )
    for comparison in (">", "<="):
        row = db.execute(sql.format(comparison), [annotator, after_rowid]).fetchone()
        if row:
            return row[0]
    return None

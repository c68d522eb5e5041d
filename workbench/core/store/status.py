"""Each annotator's progress on each document: not started, in progress, done.

The status strings are defined here and only here; SQL elsewhere binds them as
parameters (the schema's CHECK constraint in :mod:`.migrations` spells them too).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from workbench.core.errors import InvalidInput
from workbench.core.store import changelog
from workbench.core.store.project import now

NOT_STARTED, IN_PROGRESS, DONE = "not-started", "in-progress", "done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)


def check(status: str) -> str:
    """``status`` if it is one of :data:`STATUSES`, else :class:`InvalidInput`."""
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


def get(db: Database, doc_id: str, annotator: str) -> str:
    row = db.execute("SELECT status FROM doc_status WHERE doc_id = ? AND annotator = ?", [doc_id, annotator]).fetchone()
    return row[0] if row else NOT_STARTED


def set_status(db: Database, doc_id: str, annotator: str, status: str, actor: str) -> str:
    """Set and log the status; return the previous one. Call inside a transaction."""
    check(status)
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


def restore(db: Database, rows: Iterable[dict]) -> None:
    """Write statuses as carried by a project bundle (``doc_id``, ``annotator``, ``status``,
    ``updated_at``), unlogged: they are the annotator's own, brought back into their copy."""
    db.conn.executemany(
        "INSERT INTO doc_status (doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
        [(row["doc_id"], row["annotator"], check(row["status"]), row["updated_at"]) for row in rows],
    )


def of_annotator(db: Database, annotator: str) -> list[dict]:
    """``annotator``'s statuses, as bundles carry them: ``{doc_id, status, updated_at}``."""
    return [
        {"doc_id": doc_id, "status": status, "updated_at": updated_at}
        for doc_id, status, updated_at in db.execute(
            "SELECT doc_id, status, updated_at FROM doc_status WHERE annotator = ?", [annotator]
        )
    ]


def documents_in(db: Database, annotator: str, statuses: Iterable[str]) -> set[str]:
    """The documents ``annotator`` has in one of ``statuses``."""
    wanted = [check(s) for s in statuses]
    marks = ", ".join("?" for _ in wanted)
    return {
        row[0]
        for row in db.execute(
            f"SELECT doc_id FROM doc_status WHERE annotator = ? AND status IN ({marks})", [annotator, *wanted]
        )
    }


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
        " WHERE COALESCE(s.status, ?) != ? AND d.rowid {} ? ORDER BY d.rowid LIMIT 1"
    )
    for comparison in (">", "<="):
        row = db.execute(sql.format(comparison), [annotator, NOT_STARTED, DONE, after_rowid]).fetchone()
        if row:
            return row[0]
    return None


def team_progress(db: Database) -> dict[str, dict[str, int]]:
    """Per annotator with assignments: documents assigned and how many are in each status."""
    rows = db.execute(
        "SELECT a.annotator, COUNT(*),"
        " SUM(COALESCE(s.status, ?1) = ?1),"
        " SUM(COALESCE(s.status, ?1) = ?2),"
        " SUM(COALESCE(s.status, ?1) = ?3)"
        " FROM assignments a LEFT JOIN doc_status s ON s.doc_id = a.doc_id AND s.annotator = a.annotator"
        " GROUP BY a.annotator",
        [NOT_STARTED, IN_PROGRESS, DONE],
    ).fetchall()
    return {
        name: {"assigned": total, NOT_STARTED: a or 0, IN_PROGRESS: b or 0, DONE: c or 0}
        for name, total, a, b, c in rows
    }

"""Assignments: which annotator annotates which document (k per document, or by hand)."""

from __future__ import annotations

from collections.abc import Iterable

from workbench.core.store.database import Database
from workbench.core.store.project import now


def assigned(db: Database, annotator: str | None = None) -> dict[str, list[str]]:
    """``{annotator: [doc ids in list order]}`` (or only ``annotator``'s)."""
    sql = (
        "SELECT a.annotator, a.doc_id FROM assignments a JOIN documents d ON d.id = a.doc_id"
        + (" WHERE a.annotator = ?" if annotator else "")
        + " ORDER BY a.annotator, d.rowid"
    )
    out: dict[str, list[str]] = {}
    for name, doc_id in db.execute(sql, [annotator] if annotator else []):
        out.setdefault(name, []).append(doc_id)
    return out


def by_document(db: Database) -> dict[str, set[str]]:
    """``{doc_id: {annotators}}`` of every assignment."""
    out: dict[str, set[str]] = {}
    for doc_id, name in db.execute("SELECT doc_id, annotator FROM assignments"):
        out.setdefault(doc_id, set()).add(name)
    return out


def counts(db: Database) -> dict[str, int]:
    """``{annotator: documents assigned}``."""
    return dict(db.execute("SELECT annotator, COUNT(*) FROM assignments GROUP BY annotator").fetchall())


def any_assigned(db: Database) -> bool:
    """Whether any document is assigned to anyone (one row read, whatever the project's size)."""
    return db.execute("SELECT 1 FROM assignments LIMIT 1").fetchone() is not None


def add(db: Database, pairs: Iterable[tuple[str, str]], at: str | None = None) -> int:
    """Assign each ``(doc_id, annotator)``; pairs already assigned are kept. Returns how many are new."""
    stamp = at or now()
    added = 0
    for doc_id, annotator in pairs:
        cursor = db.execute(
            "INSERT OR IGNORE INTO assignments (doc_id, annotator, assigned_at) VALUES (?, ?, ?)",
            [doc_id, annotator, stamp],
        )
        added += cursor.rowcount
    return added


def documents_with_at_least(db: Database, k: int) -> int:
    """How many documents have ``k`` annotators assigned or more."""
    return db.execute(
        "SELECT COUNT(*) FROM (SELECT doc_id FROM assignments GROUP BY doc_id HAVING COUNT(*) >= ?)", [k]
    ).fetchone()[0]

"""Suggestions: whether the project offers them, those the annotator rejected (per document and
layer: not offered again there), and how many were accepted (from the change log)."""

from __future__ import annotations

from workbench.core.store import assistance
from workbench.core.store.database import Database
from workbench.core.store.project import now

Key = tuple[int, int, str]  # (start, end, label)
SETTING = "suggestions"  # the project setting: true (the default) or false


def are_on(db: Database) -> bool:
    """Whether the project offers suggestions and fills values (on unless switched off)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [SETTING]).fetchone()
    return row is None or row[0] not in ("false", "0")


def usage(db: Database) -> dict[str, object]:
    """For the data card: on or off, spans accepted from suggestions, suggestions rejected, when
    they were switched on or off (from the change log), and the A/B split's halves (annotator and
    document pairs with and without suggestions), if there was one."""
    accepted = db.execute("SELECT COUNT(*) FROM changes WHERE action = 'suggestion.accept'").fetchone()[0]
    switches = [
        {"at": at, "to": action.rsplit(".", 1)[1]}
        for at, action in db.execute(
            "SELECT at, action FROM changes WHERE action IN ('suggestions.on', 'suggestions.off') ORDER BY seq"
        )
    ]
    halves = db.execute(
        "SELECT COALESCE(SUM(suggestions), 0), COUNT(*) - COALESCE(SUM(suggestions), 0) FROM assistance_arms"
    ).fetchone()
    current = assistance.split(db)
    split = None
    if current is not None or halves[0] + halves[1]:
        split = {
            "going_on": current is not None,
            "seed": None if current is None else current["seed"],
            "since": None if current is None else current["since"],
            "with": int(halves[0]),
            "without": int(halves[1]),
        }
    return {
        "on": are_on(db),
        "accepted": accepted,
        "rejected": count_rejected(db),
        "switched": switches,
        "split": split,
    }


def reject(db: Database, doc_id: str, annotator: str, start: int, end: int, label: str, source: str) -> None:
    db.execute(
        'INSERT OR REPLACE INTO rejected_suggestions (doc_id, annotator, start, "end", label, source, rejected_at)'
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [doc_id, annotator, start, end, label, source, now()],
    )


def unreject(db: Database, doc_id: str, annotator: str, start: int, end: int, label: str) -> None:
    db.execute(
        'DELETE FROM rejected_suggestions WHERE doc_id = ? AND annotator = ? AND start = ? AND "end" = ? AND label = ?',
        [doc_id, annotator, start, end, label],
    )


def rejected(db: Database, doc_id: str, annotator: str) -> set[Key]:
    return {
        (start, end, label)
        for start, end, label in db.execute(
            'SELECT start, "end", label FROM rejected_suggestions WHERE doc_id = ? AND annotator = ?',
            [doc_id, annotator],
        )
    }


def count_rejected(db: Database) -> int:
    return db.execute("SELECT COUNT(*) FROM rejected_suggestions").fetchone()[0]

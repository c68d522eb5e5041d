"""The A/B split of suggestions (issue 14): the project setting that starts it, and for each
annotator and document whether suggestions are shown there (table ``assistance_arms``,
migration 0008). The rules (seeding, balance, who may switch it) are in
:mod:`workbench.core.assistance`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from workbench.core.store.database import Database

SETTING = "assistance_split"  # JSON {"seed": int, "since": ISO time}; absent: no split


def split(db: Database) -> dict[str, Any] | None:
    """``{"seed", "since"}`` of the split that goes on, or ``None``."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [SETTING]).fetchone()
    if row is None or row[0] in (None, "", "null"):
        return None
    try:
        value = json.loads(row[0])
    except ValueError:
        return None
    if not isinstance(value, dict) or type(value.get("seed")) is not int or not isinstance(value.get("since"), str):
        return None
    return {"seed": value["seed"], "since": value["since"]}


def arms(db: Database, annotator: str) -> dict[str, bool]:
    """``{doc_id: suggestions shown}`` of the annotator's documents that have an arm."""
    return {
        doc_id: bool(on)
        for doc_id, on in db.execute("SELECT doc_id, suggestions FROM assistance_arms WHERE annotator = ?", [annotator])
    }


def arm(db: Database, annotator: str, doc_id: str) -> bool | None:
    row = db.execute(
        "SELECT suggestions FROM assistance_arms WHERE annotator = ? AND doc_id = ?", [annotator, doc_id]
    ).fetchone()
    return None if row is None else bool(row[0])


def counts(db: Database, annotator: str) -> tuple[int, int]:
    """``(documents with suggestions, documents without)`` of the annotator's arms."""
    row = db.execute(
        "SELECT COALESCE(SUM(suggestions), 0), COUNT(*) - COALESCE(SUM(suggestions), 0)"
        " FROM assistance_arms WHERE annotator = ?",
        [annotator],
    ).fetchone()
    return int(row[0]), int(row[1])


def annotators(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT DISTINCT annotator FROM assistance_arms ORDER BY annotator")]


def put(db: Database, annotator: str, chosen: Iterable[tuple[str, bool]], at: str) -> int:
    """Store arms ``(doc_id, shown)`` for the annotator (an existing arm is replaced)."""
    rows = [(annotator, doc_id, int(bool(on)), at) for doc_id, on in chosen]
    db.conn.executemany(
        "INSERT OR REPLACE INTO assistance_arms (annotator, doc_id, suggestions, assigned_at) VALUES (?, ?, ?, ?)",
        rows,
    )
    return len(rows)

"""The data card's agreement figures, kept in the project until what they read changes.

Computing them reads every layer's spans (about 6 s for 2 M spans), so every export would pay
it. They are kept in the project file (table ``card_figures``, migration 0011), so that the
window and the command line share them, with the *epoch* they were computed in. SQLite's
triggers on the tables they read (spans, statuses, labels, annotators, texts: see
``migrations.CARD_WATCHED``) clear the epoch's ``clean`` flag on any change, whoever writes: an
intent or its undo, an import, a merge, an adjudication, a project bundle, another process.

The protocol (:func:`begin`, :func:`keep`, :func:`cached`):

1. :func:`begin` starts a new epoch, clean, in one write transaction, and notes the change
   log's newest ``seq`` (what the figures are "as of");
2. the caller computes the figures (reading as it likes);
3. :func:`keep` stores them in one write transaction *only if* the epoch is still the same and
   still clean: nothing they read changed since step 1, so they are those of the project as it
   is. Otherwise nothing is stored (they describe a state that is gone).

:func:`cached` returns the stored figures only while their epoch is the current one and clean,
and only if ``version`` (the code that computed them) is the caller's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.core.store import changelog
from workbench.core.store.migrations import CARD_CACHE_TABLE, CARD_STATE_TABLE
from workbench.core.store.project import Project, now


@dataclass(frozen=True)
class Figures:
    """Figures as kept: what they are, as of which change, when and how long they took."""

    figures: dict[str, Any]
    as_of_change: int | None  # the change log's newest seq when they were computed (None: empty log)
    computed_at: str
    seconds: float


@dataclass(frozen=True)
class Epoch:
    """An epoch begun by :func:`begin` (``number`` is ``None`` where nothing can be kept)."""

    number: int | None
    as_of_change: int | None
    computed_at: str


def _has_tables(project: Project) -> bool:
    """Whether the file has the tables (a read-only file of an older schema has not)."""
    row = project.db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)",
        [CARD_STATE_TABLE, CARD_CACHE_TABLE],
    ).fetchone()
    return bool(row and row[0] == 2)


def cached(project: Project, version: str) -> Figures | None:
    """The kept figures if nothing they read changed since they were computed by ``version``."""
    try:
        if not _has_tables(project):
            return None
        row = project.db.execute(
            f"SELECT c.figures, c.as_of_change, c.computed_at, c.seconds FROM {CARD_CACHE_TABLE} c"
            f" JOIN {CARD_STATE_TABLE} s ON s.id = 1 AND s.clean = 1 AND s.epoch = c.epoch"
            " WHERE c.id = 1 AND c.version = ?",
            [version],
        ).fetchone()
        if row is None:
            return None
        figures = json.loads(row[0])
    except Exception:  # (unreadable: computed again, as if there were none)
        return None
    return Figures(figures, row[1], row[2], float(row[3])) if isinstance(figures, dict) else None


def _newest_change(project: Project) -> int | None:
    try:
        return changelog.newest(project.db) or None
    except Exception:
        return None


def begin(project: Project) -> Epoch:
    """Start a clean epoch before computing (nothing is begun in a file that cannot be written,
    or where another program holds the write lock: the figures are then computed and not kept)."""
    try:
        if not project.writable or not _has_tables(project):
            return Epoch(None, _newest_change(project), now())
        with project.transaction() as db:
            db.execute(f"UPDATE {CARD_STATE_TABLE} SET epoch = epoch + 1, clean = 1 WHERE id = 1")
            number = db.execute(f"SELECT epoch FROM {CARD_STATE_TABLE} WHERE id = 1").fetchone()[0]
            as_of = _newest_change(project)
    except Exception:  # busy, full disk: compute anyway, keep nothing
        return Epoch(None, _newest_change(project), now())
    return Epoch(int(number), as_of, now())


def keep(project: Project, epoch: Epoch, version: str, figures: dict[str, Any], seconds: float) -> bool:
    """Store ``figures`` computed in ``epoch`` if it is still current and clean; whether they were."""
    if epoch.number is None:
        return False
    text = json.dumps(figures, ensure_ascii=False, sort_keys=True)
    try:
        with project.transaction() as db:
            row = db.execute(f"SELECT epoch, clean FROM {CARD_STATE_TABLE} WHERE id = 1").fetchone()
            if row is None or int(row[0]) != epoch.number or not row[1]:
                return False
            db.execute(
                f"INSERT OR REPLACE INTO {CARD_CACHE_TABLE} (id, epoch, version, as_of_change, computed_at,"
                " seconds, figures) VALUES (1, ?, ?, ?, ?, ?, ?)",
                [epoch.number, version, epoch.as_of_change, epoch.computed_at, round(seconds, 3), text],
            )
    except Exception:  # a cache that cannot be written (busy, full disk) is no cache, not a failed export
        return False
    return True

"""Each annotator's progress on each document: not started, in progress, done.

The status strings are defined here and only here; SQL elsewhere binds them as
parameters (the schema's CHECK constraint in :mod:`.migrations` spells them too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import InvalidInput
from workbench.core.store import changelog
from workbench.core.store.database import Database
from workbench.core.store.project import GOLD, now

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


# --- honest gold: is a document's gold complete? -----------------------------------


@dataclass(frozen=True)
class GoldState:
    """A document's gold layer: whether the lead marked it done, and how many of its
    disagreement clusters have no gold span overlapping them (open clusters)."""

    marked_done: bool
    open_clusters: int

    @property
    def complete(self) -> bool:
        """Every disagreement cluster has gold, or the lead marked the document adjudicated."""
        return self.marked_done or self.open_clusters == 0


def open_clusters(human: Iterable[tuple[int, int]], gold: Iterable[tuple[int, int]]) -> int:
    """How many clusters of the ``human`` spans (``(start, end)``; a cluster is a maximal set
    of spans overlapping transitively, as in :func:`workbench.core.adjudication.clusters`)
    have no ``gold`` span overlapping them (``g.start < end and start < g.end``, as
    :attr:`~workbench.core.adjudication.Cluster.gold`)."""
    extents: list[list[int]] = []
    for start, end in sorted(human, key=lambda r: (r[0], -r[1])):
        if extents and start < extents[-1][1]:
            extents[-1][1] = max(extents[-1][1], end)
        else:
            extents.append([start, end])
    golds = list(gold)
    return sum(1 for start, end in extents if not any(g0 < end and start < g1 for g0, g1 in golds))


def gold_states(db: Database, doc_ids: Iterable[str] | None = None) -> dict[str, GoldState]:
    """The documents with gold (gold spans or gold status done), each with its
    :class:`GoldState`; only ``doc_ids`` if given. Spans are read only for the documents
    with gold spans and human spans that are not marked done (three queries in all)."""
    wanted = None if doc_ids is None else set(doc_ids)
    done = documents_in(db, GOLD, [DONE])
    from workbench.core.store.spans import documents_with_unless_done  # (spans imports this module)

    with_gold = documents_with_unless_done(db, GOLD)  # (the others are done)
    out: dict[str, GoldState] = {}
    for doc_id in with_gold | done:
        if wanted is None or doc_id in wanted:
            out[doc_id] = GoldState(doc_id in done, 0)
    to_check = {doc_id for doc_id, state in out.items() if not state.marked_done}
    if not to_check:
        return out
    human_rows = db.execute(
        'SELECT s.doc_id, s.start, s."end" FROM spans s JOIN annotators a ON a.name = s.annotator'
        " WHERE a.kind = 'human' AND s.annotator != ?",
        [GOLD],
    )
    human: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in human_rows:
        if doc_id in to_check:
            human.setdefault(doc_id, []).append((start, end))
    if not human:
        return out
    gold: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in db.execute('SELECT doc_id, start, "end" FROM spans WHERE annotator = ?', [GOLD]):
        if doc_id in human:
            gold.setdefault(doc_id, []).append((start, end))
    for doc_id, ranges in human.items():
        out[doc_id] = GoldState(False, open_clusters(ranges, gold.get(doc_id, [])))
    return out


def adjudication_progress(db: Database) -> dict[str, Any]:
    """Documents with complete gold, with incomplete gold (and their open clusters), without
    gold; ``incomplete_documents``: each document with incomplete gold and its open clusters."""
    total = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    states = gold_states(db)
    incomplete = [s for s in states.values() if not s.complete]
    return {
        "complete": len(states) - len(incomplete),
        "incomplete": len(incomplete),
        "open_clusters": sum(s.open_clusters for s in incomplete),
        "without_gold": total - len(states),
        "total": total,
        "incomplete_documents": {doc_id: s.open_clusters for doc_id, s in sorted(states.items()) if not s.complete},
    }


def done_signature(db: Database, annotator: str) -> tuple[Any, ...]:
    """What changes when ``annotator``'s done documents or their spans change (a document marked
    done or reopened, a span of a done document added, edited or deleted): a cache key for what
    is learned from their done work. Cheap: two aggregate queries."""
    statuses = db.execute(
        "SELECT COUNT(*), MAX(updated_at) FROM doc_status WHERE annotator = ? AND status = ?", [annotator, DONE]
    ).fetchone()
    spans = db.execute(
        'SELECT COUNT(*), MAX(s.updated_at), SUM(s.start * 7 + s."end") FROM spans s JOIN doc_status d'
        " ON d.doc_id = s.doc_id AND d.annotator = s.annotator WHERE s.annotator = ? AND d.status = ?",
        [annotator, DONE],
    ).fetchone()
    return (*statuses, *spans)

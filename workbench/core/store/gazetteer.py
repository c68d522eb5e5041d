"""The project's own gazetteer (table ``gazetteer``, migration 0006) and the canonical names the
team already gave in its spans.

A row is one name of one label: ``folded`` is the name's folded form, the key it is matched by
(:func:`workbench.core.values.gazetteer.name_key`: the caller computes it, so that the store
and the matcher fold alike), ``name`` as written, its ``canonical`` name, and where it came
from (``source``: the imported file's name, or ``hand``). One name and label has one row:
putting it again replaces it. The functions run inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.core.store import changelog
from workbench.core.store.database import Database
from workbench.core.store.migrations import NAMES_EPOCH_TABLE, NAMES_LOG_TABLE
from workbench.core.store.project import now

HAND = "hand"  # the source of a name added one by one (the attribute form, the command line)


@dataclass(frozen=True)
class Name:
    """One row of the project's gazetteer."""

    folded: str
    label: str
    name: str
    canonical: str
    source: str
    added_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "canonical": self.canonical,
            "folded": self.folded,
            "source": self.source,
            "added_at": self.added_at,
        }


@dataclass(frozen=True)
class Put:
    """What :func:`put` did: names new to the project, names given another canonical name (or
    spelling), names that were there already as given; ``previous`` holds the replaced rows as
    they were (``(folded, label, name, canonical)``), for the change log."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    previous: tuple[tuple[str, str, str, str], ...] = ()


_COLUMNS = "folded, label, name, canonical, source, added_at"


def put(db: Database, names: Iterable[tuple[str, str, str, str]], source: str) -> Put:
    """Add or replace ``(folded, label, name, canonical)`` rows, each from ``source``; a later
    row of the same folded name and label replaces an earlier one."""
    added = unchanged = 0
    previous: list[tuple[str, str, str, str]] = []
    stamp = now()
    for folded, label, name, canonical in names:
        row = db.execute(
            "SELECT name, canonical FROM gazetteer WHERE folded = ? AND label = ?", [folded, label]
        ).fetchone()
        if row is not None and tuple(row) == (name, canonical):
            unchanged += 1
            continue
        db.execute(
            f"INSERT INTO gazetteer ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(folded, label) DO UPDATE"
            " SET name = excluded.name, canonical = excluded.canonical, source = excluded.source,"
            " added_at = excluded.added_at",
            [folded, label, name, canonical, source, stamp],
        )
        if row is None:
            added += 1
        else:
            previous.append((folded, label, row[0], row[1]))
    return Put(added, len(previous), unchanged, tuple(previous))


def get(db: Database, folded: str, label: str) -> Name | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM gazetteer WHERE folded = ? AND label = ?", [folded, label]).fetchone()
    return None if row is None else Name(*row)


def names(db: Database, label: str | None = None) -> list[Name]:
    """The project's names (of ``label``), by label then canonical name then name."""
    sql = f"SELECT {_COLUMNS} FROM gazetteer"
    params: list[Any] = []
    if label is not None:
        sql += " WHERE label = ?"
        params.append(label)
    return [Name(*row) for row in db.execute(sql + " ORDER BY label, canonical, name", params)]


def count(db: Database, label: str | None = None) -> int:
    if label is None:
        return db.execute("SELECT COUNT(*) FROM gazetteer").fetchone()[0]
    return db.execute("SELECT COUNT(*) FROM gazetteer WHERE label = ?", [label]).fetchone()[0]


def remove(db: Database, folded: str, label: str) -> bool:
    """Delete one name; whether there was one."""
    return db.execute("DELETE FROM gazetteer WHERE folded = ? AND label = ?", [folded, label]).rowcount > 0


def given_names(db: Database, labels: Sequence[str]) -> list[tuple[str, str, str, int]]:
    """The canonical names the team already gave: ``(span text, label, canonical, how many
    spans)`` for every span of ``labels`` (any layer, gold too) whose ``canonical`` attribute
    is a text that is not empty, grouped by exact text, label and canonical name (the caller
    folds the texts). Each document's text is read once (``substr`` per span re-reads it)."""
    if not labels:
        return []
    marks = ", ".join("?" for _ in labels)
    rows = db.execute(
        "SELECT doc_id, start, \"end\", label, trim(json_extract(attributes, '$.canonical')) AS canonical, COUNT(*)"
        f" FROM spans WHERE label IN ({marks}) AND attributes LIKE '%\"canonical\"%'"
        " AND json_type(attributes, '$.canonical') = 'text' AND canonical != ''"
        ' GROUP BY doc_id, start, "end", label, canonical ORDER BY doc_id',
        list(labels),
    ).fetchall()
    given: Counter[tuple[str, str, str]] = Counter()
    for at in range(0, len(rows), _DOCUMENTS_AT_ONCE * 4):
        chunk = rows[at : at + _DOCUMENTS_AT_ONCE * 4]
        ids = sorted({row[0] for row in chunk})
        texts: dict[str, str] = {}
        for first in range(0, len(ids), _DOCUMENTS_AT_ONCE):
            part = ids[first : first + _DOCUMENTS_AT_ONCE]
            texts.update(
                db.execute(f"SELECT id, text FROM documents WHERE id IN ({', '.join('?' for _ in part)})", part)
            )
        for doc_id, start, end, label, canonical, n in chunk:
            text = texts.get(doc_id)
            if text is not None:
                given[text[start:end], label, canonical] += n
    return [(text, label, canonical, n) for (text, label, canonical), n in given.items()]


_DOCUMENTS_AT_ONCE = 200  # texts read per statement (and held in memory at once, about)


def signature(db: Database) -> tuple[Any, ...]:
    """Changes whenever the project's names may have changed (a row of the gazetteer, a logged
    change, a commit by another connection); O(1). See :func:`given_signature`."""
    last_change = changelog.newest(db)
    rows, newest = db.execute("SELECT COUNT(*), MAX(added_at) FROM gazetteer").fetchone()
    data_version = db.execute("PRAGMA data_version").fetchone()[0]
    return (last_change, rows, newest, data_version)


def given_signature(db: Database, labels: Sequence[str]) -> tuple[Any, ...]:
    """Changes when :func:`given_names` may give something else (a span whose attributes hold
    ``"canonical"`` added, deleted or edited, whatever wrote it): O(1), the newest row of the log
    SQLite's triggers keep (migration 0010) and the file's epoch; ``("log", epoch, seq)``, and
    :func:`given_changes` gives what changed after a ``seq``. A project file without the log
    (read-only, from before 0010) falls back to one pass over the spans of ``labels``, without
    JSON or text: ``("scan", ...)``."""
    if not labels:
        return ()
    try:
        epoch = db.execute(f"SELECT epoch FROM {NAMES_EPOCH_TABLE} WHERE id = 1").fetchone()
        seq = db.execute(f"SELECT MAX(seq) FROM {NAMES_LOG_TABLE}").fetchone()[0]
    except sqlite3.OperationalError:  # no such table: a file the app could not upgrade
        epoch = None
    if epoch is not None:
        return ("log", epoch[0], seq or 0)
    marks = ", ".join("?" for _ in labels)
    return (
        "scan",
        *db.execute(
            f'SELECT COUNT(*), MAX(updated_at), TOTAL(start), TOTAL("end"), TOTAL(length(attributes))'
            f" FROM spans WHERE label IN ({marks})",
            list(labels),
        ).fetchone(),
    )


def given_changes(db: Database, after: int, upto: int) -> list[tuple[str, str, str, int]] | None:
    """What changed in the names the team gave between two ``seq`` of :func:`given_signature`:
    ``(span text, label, canonical, +1 or -1)`` rows, of every label (the caller keeps its own);
    ``None`` when the log no longer holds them all (it keeps the newest rows only): read
    :func:`given_names` again then."""
    first = db.execute(f"SELECT MIN(seq) FROM {NAMES_LOG_TABLE}").fetchone()[0]
    if upto > after and (first is None or first > after + 1):
        return None
    return [
        (text, label, canonical, sign)
        for text, label, canonical, sign in db.execute(
            f"SELECT text, label, canonical, sign FROM {NAMES_LOG_TABLE} WHERE seq > ? AND seq <= ? ORDER BY seq",
            [after, upto],
        )
    ]

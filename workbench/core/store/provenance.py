"""Gold provenance: for each accepted gold span, which annotators agreed, who
adjudicated, when, the cluster and the source span ids (table ``gold_provenance``).

A provenance row goes with its span (``ON DELETE CASCADE``); restoring a deleted
gold span brings its row back with it.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from workbench.core.store import spans
from workbench.core.store.database import Database
from workbench.core.store.spans import Span


def read(db: Database, span_id: str) -> dict[str, Any] | None:
    """``{"agreed_by", "adjudicator", "at", "cluster", "sources"}`` of a gold span, or ``None``."""
    row = db.execute(
        "SELECT agreed_by, adjudicator, at, cluster, sources FROM gold_provenance WHERE span_id = ?", [span_id]
    ).fetchone()
    if row is None:
        return None
    agreed_by, adjudicator, at, cluster, sources = row
    return {
        "agreed_by": json.loads(agreed_by),
        "adjudicator": adjudicator,
        "at": at,
        "cluster": cluster,
        "sources": json.loads(sources),
    }


def write(db: Database, span_id: str, record: dict[str, Any]) -> None:
    """Write (or replace) a gold span's provenance; call inside the acceptance's transaction."""
    db.execute(
        "INSERT INTO gold_provenance (span_id, agreed_by, adjudicator, at, cluster, sources) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(span_id) DO UPDATE SET agreed_by = excluded.agreed_by, adjudicator = excluded.adjudicator,"
        " at = excluded.at, cluster = excluded.cluster, sources = excluded.sources",
        [
            span_id,
            json.dumps(record["agreed_by"], ensure_ascii=False),
            record["adjudicator"],
            record["at"],
            record["cluster"],
            json.dumps(record["sources"], ensure_ascii=False),
        ],
    )


def restore(db: Database, span: Span, actor: str, record: dict[str, Any] | None) -> Span:
    """Bring a deleted span back exactly as it was (same id and timestamps) with its provenance."""
    restored = spans.insert(db, span, actor)
    db.execute("UPDATE spans SET updated_at = ? WHERE id = ?", [span.updated_at, span.id])
    if record is not None:
        write(db, span.id, record)
    return dataclasses.replace(restored, updated_at=span.updated_at)


def source_span_ids(db: Database, doc_id: str, start: int, end: int, label: str, annotators: list[str]) -> list[str]:
    """Ids of ``annotators``' spans of the document with exactly these edges and label,
    in the annotators' order (then by id)."""
    if not annotators:
        return []
    marks = ", ".join("?" for _ in annotators)
    rows = db.execute(
        f'SELECT id, annotator FROM spans WHERE doc_id = ? AND start = ? AND "end" = ? AND label = ?'
        f" AND annotator IN ({marks})",
        [doc_id, start, end, label, *annotators],
    ).fetchall()
    rank = {name: i for i, name in enumerate(annotators)}
    return [span_id for span_id, _ in sorted(rows, key=lambda r: (rank[r[1]], r[0]))]

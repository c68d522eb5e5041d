"""Sequence models trained on a layer's done documents (issue 14): one row per layer in the
``models`` table (migration 0007), with what it learned from, its version, how long training
took and its own held-out figures. Never carried in a bundle."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from workbench.core.store.database import Database


@dataclass
class StoredModel:
    layer: str  # an annotator, or gold
    kind: str  # "crf"
    version: str  # the feature set's version
    trained_at: str
    documents: int  # done documents learned from
    seconds: float  # training time
    evaluation: dict[str, Any] = field(default_factory=dict)  # held-out figures
    training_set: list[str] = field(default_factory=list)  # the document ids learned from
    model: bytes = b""  # empty when read with ``blob=False``

    def to_json(self) -> dict[str, Any]:
        """Everything but the model's bytes."""
        return {
            "layer": self.layer,
            "kind": self.kind,
            "version": self.version,
            "trained_at": self.trained_at,
            "documents": self.documents,
            "seconds": round(self.seconds, 3),
            "evaluation": self.evaluation,
            "training_set": list(self.training_set),
            "bytes": len(self.model),
        }


_INFO = "layer, kind, version, trained_at, documents, seconds, evaluation, training_set"


def save(db: Database, model: StoredModel) -> None:
    """Store ``model`` as its layer's model (replacing the previous one). Call inside a transaction."""
    db.execute(
        f"INSERT OR REPLACE INTO models ({_INFO}, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            model.layer,
            model.kind,
            model.version,
            model.trained_at,
            model.documents,
            model.seconds,
            json.dumps(model.evaluation, ensure_ascii=False),
            json.dumps(model.training_set, ensure_ascii=False),
            model.model,
        ],
    )


def get(db: Database, layer: str, *, blob: bool = True) -> StoredModel | None:
    """The layer's model (without its bytes unless ``blob``), or None."""
    columns = _INFO + (", model" if blob else "")
    row = db.execute(f"SELECT {columns} FROM models WHERE layer = ?", [layer]).fetchone()
    if row is None:
        return None
    layer, kind, version, trained_at, documents, seconds, evaluation, training_set = row[:8]
    return StoredModel(
        layer,
        kind,
        version,
        trained_at,
        documents,
        seconds,
        json.loads(evaluation),
        json.loads(training_set),
        bytes(row[8]) if blob else b"",
    )


def stamp(db: Database, layer: str) -> tuple[str, str] | None:
    """``(version, trained_at)`` of the layer's model, or None: cheap, to tell whether it changed."""
    row = db.execute("SELECT version, trained_at FROM models WHERE layer = ?", [layer]).fetchone()
    return None if row is None else (row[0], row[1])


def layers(db: Database) -> list[str]:
    """The layers that have a model."""
    return [row[0] for row in db.execute("SELECT layer FROM models ORDER BY layer")]


def delete(db: Database, layer: str) -> bool:
    """Forget the layer's model; whether there was one. Call inside a transaction."""
    return db.execute("DELETE FROM models WHERE layer = ?", [layer]).rowcount > 0

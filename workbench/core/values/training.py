"""Training the sequence model (:mod:`.crf`) on a layer's done documents, and its figures.

By default a layer is an annotator's own: their model learns from their done documents only,
so blind annotation stays blind; the lead can train on gold (:data:`GOLD`) to pre-annotate new
batches. :func:`train_layer` holds out a fifth of the done documents (split by document, seeded),
measures the model trained on the rest, then trains on all of them and stores that model with
its figures (:mod:`workbench.core.store.models`). :func:`learning_curve` is INCEpTION's
evaluation simulation, split by document: train on the first k done documents, test on held-out
done documents never trained on.

Figures are precision, recall and F1 per label and overall, *strict* (same start, end, label)
and *relaxed* (same label, ranges overlapping).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.store import documents as documents_store
from workbench.core.store import models as models_store
from workbench.core.store import spans as spans_store
from workbench.core.store import status as status_store
from workbench.core.store.project import GOLD, Project, now
from workbench.core.store.spans import Span
from workbench.core.values import crf
from workbench.core.values.crf import Model

KIND = "crf"
HELD_OUT = 0.2  # the share of done documents held out for the self-evaluation
SEED = 14
SIZES = (5, 10, 25, 50, 100, 150, 250, 500, 1000)

Done = tuple[str, str, list[Span]]  # (doc_id, text, spans)


class NoLayer(ValueError):
    """No layer named and no current annotator to default to."""


def done_documents(project: Project, layer: str) -> list[Done]:
    """The documents ``layer`` marked done, in list order, each with its text and that layer's spans."""
    db = project.db
    done = status_store.documents_in(db, layer, [status_store.DONE])
    out: list[Done] = []
    for doc_id in documents_store.ids(db):
        if doc_id in done:
            text = documents_store.text(db, doc_id)
            if text is not None:
                out.append((doc_id, text, spans_store.for_document(db, doc_id, layer)))
    return out


# --- figures -----------------------------------------------------------------------------------


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, Any]:
    precision = tp_p / n_pred if n_pred else 0.0
    recall = tp_g / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted": n_pred,
        "gold": n_gold,
    }


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    strict: int = 0  # predicted spans equal to a gold one (= gold spans equal to a predicted one)
    relaxed_p: int = 0  # predicted spans overlapping a gold one of their label
    relaxed_g: int = 0  # gold spans overlapping a predicted one of their label

    def add(self, other: Counts) -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.strict += other.strict
        self.relaxed_p += other.relaxed_p
        self.relaxed_g += other.relaxed_g

    def figures(self) -> dict[str, Any]:
        return {
            "strict": _prf(self.strict, self.predicted, self.strict, self.gold),
            "relaxed": _prf(self.relaxed_p, self.predicted, self.relaxed_g, self.gold),
        }


def _overlaps(a: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in others)


def compare(
    predicted: Iterable[tuple[int, int, str]], gold: Iterable[tuple[int, int, str]], labels: Iterable[str]
) -> dict[str, Counts]:
    """Counts per label of ``predicted`` against ``gold`` spans ``(start, end, label)`` of one document."""
    out: dict[str, Counts] = {}
    pred, real = set(predicted), set(gold)
    for label in labels:
        p = sorted((s, e) for s, e, lab in pred if lab == label)
        g = sorted((s, e) for s, e, lab in real if lab == label)
        out[label] = Counts(
            len(p), len(g), len(set(p) & set(g)), sum(_overlaps(x, g) for x in p), sum(_overlaps(x, p) for x in g)
        )
    return out


def evaluate(model: Model, test: Sequence[Done], labels: Sequence[str]) -> dict[str, Any]:
    """The model's figures on ``test``: ``{"documents": tested, "overall": {strict, relaxed}, "labels": {...}}``."""
    per = {label: Counts() for label in labels}
    for _, text, spans in test:
        found = [(f.start, f.end, f.label) for f in model.predict(text)]
        gold = [(s.start, s.end, s.label) for s in spans]
        for label, counts in compare(found, gold, labels).items():
            per[label].add(counts)
    overall = Counts()
    for counts in per.values():
        overall.add(counts)
    return {
        "documents": len(test),
        "overall": overall.figures(),
        "labels": {label: counts.figures() for label, counts in per.items()},
    }


# --- training ----------------------------------------------------------------------------------


def _labels(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


def _pairs(docs: Iterable[Done]) -> Iterable[tuple[str, list[Span]]]:
    return ((text, spans) for _, text, spans in docs)


def split(docs: Sequence[Done], share: float = HELD_OUT, seed: int = SEED) -> tuple[list[Done], list[Done]]:
    """``(train, held_out)``: a seeded ``share`` of the documents held out (at least one, when
    there are two or more), the rest kept in list order."""
    if len(docs) < 2:
        return list(docs), []
    n = max(1, round(len(docs) * share))
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    held = set(order[:n])
    return [d for k, d in enumerate(docs) if k not in held], [d for k, d in enumerate(docs) if k in held]


@dataclass
class TrainReport:
    """What :func:`train_layer` did."""

    layer: str
    documents: int  # done documents the stored model learned from
    held_out: int  # documents the self-evaluation tested on
    seconds: float  # training the stored model (the evaluation run not counted)
    trained_at: str
    evaluation: dict[str, Any] = field(default_factory=dict)
    skipped_spans: int = 0  # spans not on token edges, left out of training
    stored: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "kind": KIND,
            "version": crf.VERSION,
            "documents": self.documents,
            "held_out": self.held_out,
            "seconds": round(self.seconds, 3),
            "trained_at": self.trained_at,
            "evaluation": self.evaluation,
            "skipped_spans": self.skipped_spans,
            "stored": self.stored,
        }


def _layer(project: Project, layer: str | None, gold: bool) -> str:
    if gold:
        return GOLD
    if layer is None:
        layer = project.current_annotator
    if not layer:
        raise NoLayer("name an annotator (or gold) to train on: this copy has no current annotator")
    return layer


def train_layer(project: Project, layer: str | None = None, *, gold: bool = False) -> TrainReport:
    """Train the layer's model on its done documents, measure it on a held-out fifth, retrain on
    all and store it. ``layer`` defaults to the current annotator; ``gold`` trains on gold."""
    layer = _layer(project, layer, gold)
    labels = _labels(project)
    docs = done_documents(project, layer)
    train_docs, held = split(docs)
    evaluation: dict[str, Any] = {}
    if held and train_docs:
        trial = Model.from_bytes(crf.train(_pairs(train_docs), labels))
        evaluation = evaluate(trial, held, labels)
        evaluation["trained_on"] = len(train_docs)
        del trial
    started = time.perf_counter()
    trained = crf.train_report(_pairs(docs), labels)
    seconds = time.perf_counter() - started
    trained_at = now()
    stored = models_store.StoredModel(
        layer,
        KIND,
        crf.VERSION,
        trained_at,
        len(docs),
        seconds,
        evaluation,
        [doc_id for doc_id, _, _ in docs],
        trained.data,
    )
    with project.transaction() as db:
        models_store.save(db, stored)
    return TrainReport(layer, len(docs), len(held), seconds, trained_at, evaluation, trained.skipped)


# --- the stored model --------------------------------------------------------------------------

_CACHE: dict[tuple[str, str], tuple[str, Model]] = {}  # (project path, layer) -> (trained_at, model)
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 4


def model_of(project: Project, layer: str) -> Model | None:
    """The layer's stored model, or None if it has none or one of another :data:`crf.VERSION`.
    Read once per training (cached by ``trained_at``)."""
    stamp = models_store.stamp(project.db, layer)
    if stamp is None or stamp[0] != crf.VERSION:
        return None
    key = (os.path.realpath(project.path), layer)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == stamp[1]:
            return cached[1]
    stored = models_store.get(project.db, layer)
    if stored is None or stored.version != crf.VERSION:
        return None
    try:
        model = Model.from_bytes(stored.model)
    except crf.ModelError:
        return None
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_SIZE and key not in _CACHE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (stored.trained_at, model)
    return model


def learning_curve(project: Project, layer: str, sizes: Sequence[int] = SIZES) -> list[dict[str, Any]]:
    """Train on the first k done documents for each k of ``sizes`` (those there are enough
    documents for, and all of them if more), test on held-out done documents never trained on.
    Each point: ``{"documents": k, "held_out", "seconds", "overall", "labels"}``."""
    labels = _labels(project)
    pool, held = split(done_documents(project, layer))
    if not held or not pool:
        return []
    points = sorted({k for k in sizes if 0 < k <= len(pool)})
    if not points or points[-1] < len(pool):
        points.append(len(pool))
    out = []
    for k in points:
        started = time.perf_counter()
        model = Model.from_bytes(crf.train(_pairs(pool[:k]), labels))
        seconds = time.perf_counter() - started
        figures = evaluate(model, held, labels)
        out.append({**figures, "documents": k, "held_out": len(held), "seconds": round(seconds, 3)})
        del model
    return out

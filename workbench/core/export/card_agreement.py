"""The agreement figures of the data card, computed in one pass over the project.

The card reports, as ``workbench-cli agreement`` does, each pair's strict and
relaxed span F1 over the documents both finished (gold compared like one more annotator)
and the pooled α_U of the human annotators over the documents all of them finished: the
same values as :func:`workbench.core.agreement.source.project_agreement` (the same
tables, the same measures), without what the card does not show. The texts and spans are
read once for every layer (not once per pair), a chunk of documents at a time, and there
are no bootstrap intervals, no token kappas and no per-document rows: those are the
agreement report's.
"""

from __future__ import annotations

from array import array
from itertools import combinations
from typing import Any

import numpy as np

from workbench.core.agreement.alpha_u import alpha_u
from workbench.core.agreement.scores import f1_score
from workbench.core.agreement.span_f1 import compare_pair
from workbench.core.agreement.table import table_from_columns
from workbench.core.store import annotators as layer_owners
from workbench.core.store import documents as doc_store
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import GOLD, Project


def finished(project: Project) -> dict[str, set[str]]:
    """annotator -> the documents they marked done; gold -> the documents with gold spans or
    marked done in the gold layer (what the agreement report compares)."""
    db = project.db
    out: dict[str, set[str]] = {}
    for doc_id, names in layer_owners.of_documents(db, layer_owners.DONE).items():
        for name in names:
            out.setdefault(name, set()).add(doc_id)
    gold_docs = doc_status.documents_in(db, GOLD, (doc_status.DONE,)) | span_store.documents_with(db, GOLD)
    if gold_docs:
        out[GOLD] = gold_docs
    return out


class _Columns:
    """Every compared layer's spans of every compared document, read once, as columns."""

    def __init__(self, project: Project, doc_ids: set[str], layers: list[str]):
        self.layer_of = {name: i for i, name in enumerate(layers)}
        self.ids: list[str] = []
        lengths = array("q")
        chars: list[np.ndarray] = []
        self.label_names: list[str] = []
        label_of: dict[str, int] = {}
        parts: list[tuple[np.ndarray, ...]] = []
        rows: list[tuple[str, int, int, str]] = []
        counts = array("q")

        def columns() -> None:  # the rows read so far as five columns (a batch at a time)
            for name in {row[3] for row in rows} - label_of.keys():
                label_of[name] = len(self.label_names)
                self.label_names.append(name)
            first = len(self.ids) - len(counts)
            parts.append(
                (
                    np.repeat(np.arange(first, first + len(counts), dtype=np.int64), np.frombuffer(counts, np.int64)),
                    np.fromiter((self.layer_of[row[0]] for row in rows), np.int64, len(rows)),
                    np.fromiter((label_of[row[3]] for row in rows), np.int64, len(rows)),
                    np.fromiter((row[1] for row in rows), np.int64, len(rows)),
                    np.fromiter((row[2] for row in rows), np.int64, len(rows)),
                )
            )
            rows.clear()
            del counts[:]

        for doc_id, text in doc_store.texts_by_id(project.db, doc_ids):
            self.ids.append(doc_id)
            lengths.append(len(text))
            points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            chars.append(np.minimum(points, 0xFFFF).astype(np.uint16))
            found = span_store.ranges(project.db, doc_id, layers)
            rows.extend(found)
            counts.append(len(found))
            if len(counts) == 100:
                columns()
        columns()
        self.lengths = np.frombuffer(lengths, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.lengths))).astype(np.int64)
        self.chars = np.concatenate(chars) if chars else np.zeros(0, dtype=np.uint16)
        self.doc, self.rater, self.label, self.start, self.end = (np.concatenate(column) for column in zip(*parts))
        self.index = {doc_id: i for i, doc_id in enumerate(self.ids)}

    def table(self, doc_ids: set[str], layers: list[str], labels: list[str]):
        """The span table of these documents and layers (as the agreement report builds it)."""
        chosen = np.array(sorted(self.index[d] for d in doc_ids if d in self.index), dtype=np.int64)
        new_doc = np.full(len(self.ids), -1, dtype=np.int64)
        new_doc[chosen] = np.arange(len(chosen))
        new_rater = np.full(len(self.layer_of), -1, dtype=np.int64)
        for i, name in enumerate(layers):
            new_rater[self.layer_of[name]] = i
        keep = (new_doc[self.doc] >= 0) & (new_rater[self.rater] >= 0) if len(self.doc) else np.zeros(0, dtype=bool)
        pieces = [self.chars[self.offsets[i] : self.offsets[i + 1]] for i in chosen.tolist()]
        return table_from_columns(
            [self.ids[i] for i in chosen.tolist()],
            self.lengths[chosen] if len(chosen) else np.zeros(0, dtype=np.int64),
            np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint16),
            layers,
            labels,
            new_doc[self.doc[keep]],
            new_rater[self.rater[keep]],
            self.label[keep],
            self.label_names,
            self.start[keep],
            self.end[keep],
        )


CHUNK_DOCUMENTS = 200  # documents read (texts and spans) at a time


def summary(project: Project) -> dict[str, Any]:
    """The card's figures: ``pairs`` (documents, strict and relaxed F1, undefined reasons)
    and the pooled ``alpha_u`` of the human annotators (``None`` where undefined); the
    ``*_ci`` keys of the manifest are ``None`` (no bootstrap here).

    Documents are read :data:`CHUNK_DOCUMENTS` at a time: a pair's F1 adds up the counts of
    each chunk (spans are matched within their document, so the counts are those of the
    whole table); α_U keeps the human annotators' spans (five numbers each, no text: the
    measure does not look at characters) of the documents all of them finished."""
    done = finished(project)
    compared = [name for name in project.annotators() if done.get(name)]
    labels = [label.name for label in project.labels()]
    everyone = set.intersection(*(done.get(name, set()) for name in compared)) if compared else set()
    with_gold = compared + ([GOLD] if done.get(GOLD) and GOLD not in compared else [])
    pairs = list(combinations(with_gold, 2))
    shared = {pair: done.get(pair[0], set()) & done.get(pair[1], set()) for pair in pairs}
    counts = {pair: [0, 0, 0, 0] for pair in pairs}  # strict matched, relaxed matched, n_a, n_b
    wanted: set[str] = set()
    for name in with_gold:
        wanted |= done.get(name, set())
    alpha_ids = sorted(everyone)
    alpha_index = {doc_id: i for i, doc_id in enumerate(alpha_ids)}
    alpha_len = np.zeros(len(alpha_ids), dtype=np.int64)
    alpha_label_names: list[str] = []
    alpha_label_of: dict[str, int] = {}
    alpha_parts: list[tuple[np.ndarray, ...]] = []
    ordered = sorted(wanted)
    for first in range(0, len(ordered), CHUNK_DOCUMENTS):
        chunk = set(ordered[first : first + CHUNK_DOCUMENTS])
        columns = _Columns(project, chunk, with_gold)
        for pair in pairs:
            result = compare_pair(columns.table(shared[pair] & chunk, list(pair), labels), 0, 1, True)
            found = result.counts
            total = counts[pair]
            total[0] += found.strict_matched
            total[1] += found.relaxed_matched
            total[2] += found.n_a
            total[3] += found.n_b
        if compared:
            global_doc = np.array([alpha_index.get(doc_id, -1) for doc_id in columns.ids], dtype=np.int64)
            alpha_len[global_doc[global_doc >= 0]] = columns.lengths[global_doc >= 0]
            rater = np.array([compared.index(n) if n in compared else -1 for n in with_gold], dtype=np.int64)
            for name in columns.label_names:
                if name not in alpha_label_of:
                    alpha_label_of[name] = len(alpha_label_names)
                    alpha_label_names.append(name)
            label = np.array([alpha_label_of[name] for name in columns.label_names], dtype=np.int64)
            if len(columns.doc):
                keep = (global_doc[columns.doc] >= 0) & (rater[columns.rater] >= 0)
                alpha_parts.append(
                    (
                        global_doc[columns.doc[keep]].astype(np.int32),
                        rater[columns.rater[keep]].astype(np.int32),
                        label[columns.label[keep]].astype(np.int32),
                        columns.start[keep].astype(np.int32),
                        columns.end[keep].astype(np.int32),
                    )
                )
        del columns
    out_pairs = {}
    for pair in pairs:
        strict_matched, relaxed_matched, n_a, n_b = counts[pair]
        strict, relaxed = f1_score(strict_matched, n_a, n_b), f1_score(relaxed_matched, n_a, n_b)
        out_pairs[f"{pair[0]}|{pair[1]}"] = {
            "documents": len(shared[pair]),
            "strict_f1": strict.value,
            "strict_f1_ci": None,  # (the manifest keeps its keys: no interval computed)
            "relaxed_f1": relaxed.value,
            "relaxed_f1_ci": None,
            "undefined": {
                key: score.reason
                for key, score in (("strict_f1", strict), ("relaxed_f1", relaxed))
                if score.value is None and score.reason
            },
        }
    pooled = None
    if compared:
        empty = np.zeros(0, dtype=np.int64)
        doc, rater, label, start, end = (
            (np.concatenate(column).astype(np.int64) for column in zip(*alpha_parts)) if alpha_parts else (empty,) * 5
        )
        del alpha_parts
        table = table_from_columns(
            alpha_ids,
            alpha_len,
            np.zeros(0, dtype=np.uint16),  # α_U does not look at the characters
            compared,
            labels,
            doc,
            rater,
            label,
            alpha_label_names,
            start,
            end,
        )
        pooled = alpha_u(table, True).pooled
    return {
        "annotators": compared,
        "documents": {"all": len(everyone), **{name: pair["documents"] for name, pair in out_pairs.items()}},
        "pairs": out_pairs,
        "alpha_u": {
            "pooled": pooled.value if pooled is not None else None,
            "pooled_ci": None,
            "units": pooled.n_units if pooled is not None else 0,
            "undefined": (
                ({"pooled": pooled.reason} if pooled.value is None and pooled.reason else {})
                if pooled is not None
                else {"pooled": "no annotators to compare"}
            ),
        },
    }

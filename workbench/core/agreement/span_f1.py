"""Span F1 of a pair of annotators, strict and relaxed, with the counts behind it.

- **Strict F1**: a span of A agrees with a span of B when start, end and label are all
  equal; F1 = 2·|A ∩ B| / (|A| + |B|) over the sets of spans.
- **Relaxed F1**: a span of A agrees with a span of B when they overlap (share at least
  one code point) and have the same label; spans are paired by an optimal one-to-one
  matching (:mod:`.matching`), F1 = 2·pairs / (|A| + |B|).

Both are symmetric in A and B, pooled over all documents (micro), and undefined (None)
when neither annotator marked a span. Spans left over by the relaxed matching are
paired, one to one and optimally, with overlapping spans of the other side that have a
*different* label (:mod:`.matching` does both in one optimisation): those pairs are the
label conflicts and the off-diagonal cells of the label confusion matrix; whatever is
still unmatched is "only in A" / "only in B".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.core.agreement.clitics import MAX_PREFIX, proclitic_prefix_mask
from workbench.core.agreement.matching import optimal_matching
from workbench.core.agreement.scores import Score, SpanCounts, f1_score
from workbench.core.agreement.table import SpanTable

NONE = "none"


@dataclass(frozen=True)
class PairResult:
    """Span agreement of one pair of annotators ("A|B")."""

    name: str
    strict_f1: Score
    relaxed_f1: Score
    strict_f1_per_label: dict[str, Score]
    relaxed_f1_per_label: dict[str, Score]
    counts: SpanCounts
    counts_per_label: dict[str, SpanCounts]
    # confusion[label_of_A or "none"][label_of_B or "none"] = number of spans/pairs
    confusion: dict[str, dict[str, int]]
    # Per-document numbers (aligned with the table's documents), for the document table
    # and the bootstrap: strict pairs, relaxed pairs, spans of A plus spans of B.
    doc_strict: np.ndarray = field(repr=False)
    doc_relaxed: np.ndarray = field(repr=False)
    doc_units: np.ndarray = field(repr=False)


@dataclass
class PairCounts:
    """What :func:`compare_pair` counts for a pair, as numbers that add up over documents: per
    label (arrays of the table's label count), the confusion cells (labels + "none" squared)
    and the per-document numbers. :meth:`add` joins the counts of the next documents, so a
    pair compared a chunk of documents at a time gives the figures of the whole table
    (spans are matched within their document)."""

    n_a: np.ndarray
    n_b: np.ndarray
    strict: np.ndarray
    relaxed: np.ndarray
    boundary: np.ndarray
    proclitic: np.ndarray
    conflict_a: np.ndarray
    conflict_b: np.ndarray
    conflict_same: np.ndarray
    cells: np.ndarray
    doc_strict: list[np.ndarray]
    doc_relaxed: list[np.ndarray]
    doc_units: list[np.ndarray]

    @classmethod
    def empty(cls, n_labels: int) -> PairCounts:
        def zero() -> np.ndarray:
            return np.zeros(n_labels, dtype=np.int64)

        cells = np.zeros((n_labels + 1, n_labels + 1), dtype=np.int64)
        return cls(zero(), zero(), zero(), zero(), zero(), zero(), zero(), zero(), zero(), cells, [], [], [])

    def add(self, other: PairCounts) -> None:
        for name in _ADDED:
            getattr(self, name).__iadd__(getattr(other, name))
        self.doc_strict += other.doc_strict
        self.doc_relaxed += other.doc_relaxed
        self.doc_units += other.doc_units


_ADDED = (
    "n_a",
    "n_b",
    "strict",
    "relaxed",
    "boundary",
    "proclitic",
    "conflict_a",
    "conflict_b",
    "conflict_same",
    "cells",
)


def pair_counts(table: SpanTable, ra: int, rb: int) -> PairCounts:
    """The counts of annotators ``ra`` and ``rb`` over the table's documents (see :class:`PairCounts`)."""
    nlab = len(table.labels)
    ndocs = table.n_docs
    rows_a, rows_b = table.rows_of(ra), table.rows_of(rb)
    gs, ge = table.gstart, table.gend
    sa, ea, la, da = gs[rows_a], ge[rows_a], table.label[rows_a], table.doc[rows_a]
    sb, eb, lb, db = gs[rows_b], ge[rows_b], table.label[rows_b], table.doc[rows_b]

    exact_a = _exact(sa, ea, la, sb, eb, lb)

    # One optimal matching of overlapping spans: same-label pairs first (relaxed matches),
    # then different-label pairs among the rest (label conflicts).
    im_a, im_b = optimal_matching(sa, ea, la, sb, eb, lb)
    same_label = la[im_a] == lb[im_b]
    ia1, ib1 = im_a[same_label], im_b[same_label]
    ia2, ib2 = im_a[~same_label], im_b[~same_label]
    same_extent1 = (sa[ia1] == sb[ib1]) & (ea[ia1] == eb[ib1])
    boundary = ~same_extent1
    proclitic = _proclitic(table, sa[ia1], ea[ia1], sb[ib1], eb[ib1], boundary)
    same_extent2 = (sa[ia2] == sb[ib2]) & (ea[ia2] == eb[ib2])

    def per_label(values: np.ndarray) -> np.ndarray:
        return np.bincount(values, minlength=nlab).astype(np.int64)

    n_a, n_b = per_label(la), per_label(lb)
    relaxed = per_label(la[ia1])
    conf_a, conf_b = per_label(la[ia2]), per_label(lb[ib2])
    # Confusion matrix: rows A's label (or none), columns B's label (or none).
    size = nlab + 1  # index nlab = "none"
    cells = np.zeros((size, size), dtype=np.int64)
    cells[np.arange(nlab), np.arange(nlab)] += relaxed
    np.add.at(cells, (la[ia2], lb[ib2]), 1)
    cells[np.arange(nlab), nlab] += n_a - relaxed - conf_a
    cells[nlab, np.arange(nlab)] += n_b - relaxed - conf_b
    return PairCounts(
        n_a=n_a,
        n_b=n_b,
        strict=per_label(la[exact_a]),
        relaxed=relaxed,
        boundary=per_label(la[ia1][boundary]),
        proclitic=per_label(la[ia1][proclitic]),
        conflict_a=conf_a,
        conflict_b=conf_b,
        conflict_same=per_label(la[ia2][same_extent2]),
        cells=cells,
        doc_strict=[np.bincount(da[exact_a], minlength=ndocs)],
        doc_relaxed=[np.bincount(da[ia1], minlength=ndocs)],
        doc_units=[np.bincount(da, minlength=ndocs) + np.bincount(db, minlength=ndocs)],
    )


def compare_pair(table: SpanTable, ra: int, rb: int, every_label: bool = False) -> PairResult:
    """Strict and relaxed F1, counts and confusion of annotators ``ra`` and ``rb``.

    Per-label entries cover the labels either annotator used, or every label of the
    table when ``every_label`` (a label nobody used is then undefined, not 0).
    """
    name = f"{table.annotators[ra]}|{table.annotators[rb]}"
    return pair_result(name, table.labels, pair_counts(table, ra, rb), every_label)


def pair_result(name: str, labels: tuple[str, ...], found: PairCounts, every_label: bool = False) -> PairResult:
    """The :class:`PairResult` of counts (of one table, or added up over chunks of documents)."""
    nlab = len(labels)
    n_a, n_b, strict, relaxed = found.n_a, found.n_b, found.strict, found.relaxed
    bound, procl, conf_a, conf_b = found.boundary, found.proclitic, found.conflict_a, found.conflict_b
    counts_per_label: dict[str, SpanCounts] = {}
    strict_per_label: dict[str, Score] = {}
    relaxed_per_label: dict[str, Score] = {}
    for k, label in enumerate(labels):
        if not every_label and n_a[k] + n_b[k] == 0:
            continue
        c = SpanCounts(
            n_a=int(n_a[k]),
            n_b=int(n_b[k]),
            strict_matched=int(strict[k]),
            relaxed_matched=int(relaxed[k]),
            boundary_conflict=int(bound[k]),
            proclitic_conflict=int(procl[k]),
            label_conflict_a=int(conf_a[k]),
            label_conflict_b=int(conf_b[k]),
            label_conflict_same_extent=int(found.conflict_same[k]),
            only_in_a=int(n_a[k] - relaxed[k] - conf_a[k]),
            only_in_b=int(n_b[k] - relaxed[k] - conf_b[k]),
        )
        counts_per_label[label] = c
        strict_per_label[label] = f1_score(c.strict_matched, c.n_a, c.n_b, f"span labelled {label}")
        relaxed_per_label[label] = f1_score(c.relaxed_matched, c.n_a, c.n_b, f"span labelled {label}")

    total_a, total_b = int(n_a.sum()), int(n_b.sum())
    n_relaxed, n_pairs2 = int(relaxed.sum()), int(conf_a.sum())
    counts = SpanCounts(
        n_a=total_a,
        n_b=total_b,
        strict_matched=int(strict.sum()),
        relaxed_matched=n_relaxed,
        boundary_conflict=int(bound.sum()),
        proclitic_conflict=int(procl.sum()),
        label_conflict_a=n_pairs2,
        label_conflict_b=n_pairs2,
        label_conflict_same_extent=int(found.conflict_same.sum()),
        only_in_a=total_a - n_relaxed - n_pairs2,
        only_in_b=total_b - n_relaxed - n_pairs2,
    )

    cells = found.cells
    size = nlab + 1
    names = list(labels) + [NONE]
    used = [i for i in range(size) if every_label or i == nlab or cells[i].any() or cells[:, i].any()]
    confusion = {names[i]: {names[j]: int(cells[i, j]) for j in used} for i in used}

    def joined(parts: list[np.ndarray]) -> np.ndarray:
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    return PairResult(
        name=name,
        strict_f1=f1_score(counts.strict_matched, counts.n_a, counts.n_b),
        relaxed_f1=f1_score(counts.relaxed_matched, counts.n_a, counts.n_b),
        strict_f1_per_label=strict_per_label,
        relaxed_f1_per_label=relaxed_per_label,
        counts=counts,
        counts_per_label=counts_per_label,
        confusion=confusion,
        doc_strict=joined(found.doc_strict),
        doc_relaxed=joined(found.doc_relaxed),
        doc_units=joined(found.doc_units),
    )


def _exact(sa, ea, la, sb, eb, lb) -> np.ndarray:
    """For each span of A: does B hold the identical span? (Both sides are free of duplicates.)"""
    na = len(sa)
    s = np.concatenate((sa, sb))
    e = np.concatenate((ea, eb))
    lab = np.concatenate((la, lb))
    side = np.concatenate((np.zeros(na, np.int8), np.ones(len(sb), np.int8)))
    order = np.lexsort((side, lab, e, s))
    s, e, lab, side = s[order], e[order], lab[order], side[order]
    same_next = (s[1:] == s[:-1]) & (e[1:] == e[:-1]) & (lab[1:] == lab[:-1]) & (side[:-1] == 0) & (side[1:] == 1)
    exact = np.zeros(len(s), dtype=bool)
    exact[:-1] = same_next
    out = np.zeros(na, dtype=bool)
    hit = order[exact]
    out[hit] = True  # positions < na are A's rows
    return out


def _proclitic(table: SpanTable, sa, ea, sb, eb, boundary) -> np.ndarray:
    """Which relaxed pairs are boundary conflicts differing only by a leading proclitic (global offsets)."""
    cand = boundary & (ea == eb) & (sa != sb)
    lo, hi = np.minimum(sa, sb), np.maximum(sa, sb)
    cand &= (hi - lo <= MAX_PREFIX) & (hi < ea)
    out = np.zeros(len(sa), dtype=bool)
    idx = np.flatnonzero(cand)
    if len(idx):
        out[idx] = proclitic_prefix_mask(table.codepoints, lo[idx], hi[idx])
    return out

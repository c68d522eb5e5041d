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


def compare_pair(table: SpanTable, ra: int, rb: int, every_label: bool = False) -> PairResult:
    """Strict and relaxed F1, counts and confusion of annotators ``ra`` and ``rb``.

    Per-label entries cover the labels either annotator used, or every label of the
    table when ``every_label`` (a label nobody used is then undefined, not 0).
    """
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
        return np.bincount(values, minlength=nlab)

    n_a, n_b = per_label(la), per_label(lb)
    strict = per_label(la[exact_a])
    relaxed = per_label(la[ia1])
    bound = per_label(la[ia1][boundary])
    procl = per_label(la[ia1][proclitic])
    conf_a, conf_b = per_label(la[ia2]), per_label(lb[ib2])
    conf_same = per_label(la[ia2][same_extent2])

    counts_per_label: dict[str, SpanCounts] = {}
    strict_per_label: dict[str, Score] = {}
    relaxed_per_label: dict[str, Score] = {}
    for k, name in enumerate(table.labels):
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
            label_conflict_same_extent=int(conf_same[k]),
            only_in_a=int(n_a[k] - relaxed[k] - conf_a[k]),
            only_in_b=int(n_b[k] - relaxed[k] - conf_b[k]),
        )
        counts_per_label[name] = c
        strict_per_label[name] = f1_score(c.strict_matched, c.n_a, c.n_b, f"span labelled {name}")
        relaxed_per_label[name] = f1_score(c.relaxed_matched, c.n_a, c.n_b, f"span labelled {name}")

    n_pairs2 = len(ia2)
    counts = SpanCounts(
        n_a=len(sa),
        n_b=len(sb),
        strict_matched=int(exact_a.sum()),
        relaxed_matched=len(ia1),
        boundary_conflict=int(boundary.sum()),
        proclitic_conflict=int(proclitic.sum()),
        label_conflict_a=n_pairs2,
        label_conflict_b=n_pairs2,
        label_conflict_same_extent=int(same_extent2.sum()),
        only_in_a=len(sa) - len(ia1) - n_pairs2,
        only_in_b=len(sb) - len(ib1) - n_pairs2,
    )

    # Confusion matrix: rows A's label (or none), columns B's label (or none).
    size = nlab + 1  # index nlab = "none"
    cells = np.zeros((size, size), dtype=np.int64)
    cells[np.arange(nlab), np.arange(nlab)] += relaxed
    np.add.at(cells, (la[ia2], lb[ib2]), 1)
    cells[np.arange(nlab), nlab] += n_a - relaxed - conf_a
    cells[nlab, np.arange(nlab)] += n_b - relaxed - conf_b
    names = list(table.labels) + [NONE]
    used = [i for i in range(size) if every_label or i == nlab or cells[i].any() or cells[:, i].any()]
    confusion = {names[i]: {names[j]: int(cells[i, j]) for j in used} for i in used}

    doc_strict = np.bincount(da[exact_a], minlength=ndocs)
    doc_relaxed = np.bincount(da[ia1], minlength=ndocs)
    doc_units = np.bincount(da, minlength=ndocs) + np.bincount(db, minlength=ndocs)
    name = f"{table.annotators[ra]}|{table.annotators[rb]}"
    return PairResult(
        name=name,
        strict_f1=f1_score(counts.strict_matched, counts.n_a, counts.n_b),
        relaxed_f1=f1_score(counts.relaxed_matched, counts.n_a, counts.n_b),
        strict_f1_per_label=strict_per_label,
        relaxed_f1_per_label=relaxed_per_label,
        counts=counts,
        counts_per_label=counts_per_label,
        confusion=confusion,
        doc_strict=doc_strict,
        doc_relaxed=doc_relaxed,
        doc_units=doc_units,
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

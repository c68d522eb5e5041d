"""Krippendorff's unitizing alpha (α_U), computed as DKPro Statistics computes it.

DKPro's ``KrippendorffAlphaUnitizingAgreement`` (the measure INCEpTION uses for span
layers) works on a *continuum* of length L (here: a document's code points, or all
documents laid end to end for the pooled figure) with R annotators. For one label c,
each annotator's spans of c cut the continuum into units and gaps.

Observed disagreement, summed over annotator pairs (r1 < r2)::

    D_O(c) = 2 / (R (R-1) L²) · Σ_pairs [ Σ_{overlapping units u1, u2} (b1-b2)² + (e1-e2)²
                                          + Σ_{unit inside a gap of the other} length² ]

Expected disagreement, with N_c units of c over all annotators and the gaps of every
annotator::

    D_E(c) = 2/L · Σ_u [ (N_c - 1) · l(l-1)(2l-1)/3 + l² · Σ_{gaps g >= l} (g - l + 1) ]
             / ( R L (R L - 1) - Σ_u l(l-1) )

α_U(c) = 1 - D_O(c)/D_E(c); the overall α_U is 1 - mean_c D_O / mean_c D_E over the
labels that occur (not the mean of the per-label values). As in DKPro, a value whose
D_O equals D_E is 0. Unlike DKPro (which returns NaN or ±∞), a figure with no label
occurring, fewer than two annotators or D_E = 0 is undefined (None).

Spans of one annotator with one label that overlap each other (nested or crossing) are
merged into their union first: DKPro assumes they never overlap and gives meaningless
results when they do. Touching spans stay two units.

Everything is computed with sorted sweeps over the units (numpy), never per character
and never over all pairs of units: O(n log n) for n spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.agreement.scores import Score
from workbench.core.agreement.table import SpanTable


@dataclass(frozen=True, eq=False)
class Units:
    """α_U units sorted by (label, annotator, position); overlapping same-annotator same-label spans merged."""

    label: np.ndarray
    rater: np.ndarray
    doc: np.ndarray
    start: np.ndarray  # document-local
    end: np.ndarray
    gstart: np.ndarray  # in the concatenated continuum
    gend: np.ndarray

    @property
    def length(self) -> np.ndarray:
        return self.end - self.start


@dataclass(frozen=True)
class AlphaU:
    """α_U pooled over the concatenated documents, per document and the mean of the per-document values.

    ``pooled``: all documents laid end to end in the given order as one continuum (every
    unit of the corpus weighs in, long documents more). ``mean_over_docs``: the
    unweighted mean of the defined per-document values (how INCEpTION aggregates), with
    ``documents_averaged`` documents behind it. ``n_units`` counts α_U units.
    """

    pooled: Score
    pooled_per_label: dict[str, Score]
    per_document: list[Score]
    per_document_per_label: list[dict[str, Score]]
    mean_over_docs: Score
    documents_averaged: int


def alpha_units(table: SpanTable) -> Units:
    """The table's spans as α_U units (see the module docstring on overlapping spans)."""
    R = max(1, len(table.annotators))
    stride = table.total_len + 1
    grp = table.label * R + table.rater
    x = grp * stride + table.gstart
    xe = grp * stride + table.gend
    order = np.lexsort((xe, x))
    x, xe, doc = x[order], xe[order], table.doc[order]
    if len(x):
        reach = np.maximum.accumulate(xe)
        new = np.empty(len(x), dtype=bool)
        new[0] = True
        new[1:] = x[1:] >= reach[:-1]
        first = np.flatnonzero(new)
        x, xe, doc = x[first], np.maximum.reduceat(xe, first), doc[first]
    grp = x // stride
    gstart = x - grp * stride
    gend = xe - grp * stride
    off = table.doc_off[doc]
    return Units(grp // R, grp % R, doc, gstart - off, gend - off, gstart, gend)


def observed_sums(units: Units, n_raters: int, n_docs: int, n_labels: int) -> np.ndarray:
    """Σ over annotator pairs of the DKPro distances, per (document, label): shape (D, C).

    Units of different documents never overlap, so the same sums serve the pooled
    continuum (sum over documents) and each document's own continuum.
    """
    R = n_raters
    obs = np.zeros((n_docs, n_labels))
    grp = units.label * R + units.rater
    bounds = np.searchsorted(grp, np.arange(n_labels * R + 1))
    for c in range(n_labels):
        for r1 in range(R):
            lo1, hi1 = bounds[c * R + r1], bounds[c * R + r1 + 1]
            for r2 in range(r1 + 1, R):
                lo2, hi2 = bounds[c * R + r2], bounds[c * R + r2 + 1]
                if lo1 == hi1 and lo2 == hi2:
                    continue
                s1, e1, d1 = units.gstart[lo1:hi1], units.gend[lo1:hi1], units.doc[lo1:hi1]
                s2, e2, d2 = units.gstart[lo2:hi2], units.gend[lo2:hi2], units.doc[lo2:hi2]
                # Units of one annotator are disjoint and sorted: ends are sorted too.
                first = np.searchsorted(e2, s1, side="right")
                count = np.searchsorted(s2, e1, side="left") - first
                alone1 = count == 0
                back = np.searchsorted(s1, e2, side="left") - np.searchsorted(e1, s2, side="right")
                alone2 = back == 0
                col = obs[:, c]
                col += np.bincount(d1[alone1], weights=((e1 - s1)[alone1] ** 2).astype(float), minlength=n_docs)
                col += np.bincount(d2[alone2], weights=((e2 - s2)[alone2] ** 2).astype(float), minlength=n_docs)
                total = int(count.sum())
                if total:
                    i1 = np.repeat(np.arange(len(s1)), count)
                    i2 = np.arange(total) - np.repeat(np.cumsum(count) - count, count) + np.repeat(first, count)
                    dist = (s1[i1] - s2[i2]) ** 2 + (e1[i1] - e2[i2]) ** 2
                    col += np.bincount(d1[i1], weights=dist.astype(float), minlength=n_docs)
    return obs


def unit_moments(units: Units, n_docs: int, n_labels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per (document, label): unit count N, Σ l(l-1) and Σ l(l-1)(2l-1)/3, each shape (D, C)."""
    key = units.doc * n_labels + units.label
    size = n_docs * n_labels
    ln = units.length.astype(float)
    n = np.bincount(key, minlength=size).reshape(n_docs, n_labels)
    sq = np.bincount(key, weights=ln * (ln - 1), minlength=size).reshape(n_docs, n_labels)
    cube = np.bincount(key, weights=ln * (ln - 1) * (2 * ln - 1) / 3, minlength=size).reshape(n_docs, n_labels)
    return n, sq, cube


def gap_sums(
    gap_key: np.ndarray, gap_len: np.ndarray, unit_key: np.ndarray, unit_len: np.ndarray, n_keys: int
) -> np.ndarray:
    """Per key: Σ_units l² · Σ_{gaps g >= l with the same key} (g - l + 1)."""
    if len(unit_len) == 0:
        return np.zeros(n_keys)
    m = int(max(gap_len.max(initial=0), unit_len.max())) + 2
    keys = gap_key * m + gap_len
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    cum = np.concatenate(([0.0], np.cumsum(gap_len[order].astype(float))))
    lo = np.searchsorted(keys, unit_key * m + unit_len, side="left")
    hi = np.searchsorted(keys, (unit_key + 1) * m, side="left")
    ln = unit_len.astype(float)
    inner = cum[hi] - cum[lo] - (ln - 1) * (hi - lo)
    return np.bincount(unit_key, weights=ln * ln * inner, minlength=n_keys)


def unit_gaps(
    units: Units,
    n_raters: int,
    n_groups: int,
    group: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    group_len: np.ndarray,
    present: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaps (key, length) of each annotator within each continuum group (document or corpus) and label.

    ``group``/``start``/``end`` give each unit's continuum and its offsets in it; a
    continuum-label pair where the label occurs (``present[g, c]``) but an annotator has
    no unit is one gap of the continuum's whole length. Keys are ``g * C + c``.
    """
    R = n_raters
    C = present.shape[1]
    k3 = (units.label * R + units.rater) * n_groups + group
    n = len(k3)
    gap_keys = []
    gap_lens = []
    if n:
        first = np.empty(n, dtype=bool)
        first[0] = True
        first[1:] = k3[1:] != k3[:-1]
        last = np.empty(n, dtype=bool)
        last[-1] = True
        last[:-1] = first[1:]
        key = group * C + units.label
        inner = ~first
        gap_keys += [key[inner], key[first], key[last]]
        gap_lens += [
            start[1:][inner[1:]] - end[:-1][inner[1:]],
            start[first],
            group_len[group[last]] - end[last],
        ]
    has = np.bincount(k3, minlength=C * R * n_groups).reshape(C, R, n_groups) > 0
    missing_c, _, missing_g = np.nonzero(~has & present.T[:, None, :])
    gap_keys.append(missing_g * C + missing_c)
    gap_lens.append(group_len[missing_g])
    keys = np.concatenate(gap_keys).astype(np.int64)
    lens = np.concatenate(gap_lens).astype(np.int64)
    keep = lens > 0
    return keys[keep], lens[keep]


def _alpha(do: float, de: float) -> tuple[float | None, str | None]:
    do, de = float(do), float(de)
    if not np.isfinite(do) or not np.isfinite(de) or de == 0:
        return None, "no expected disagreement (D_E = 0)"
    if do == de:
        return 0.0, None
    return 1.0 - do / de, None


def alpha_u(table: SpanTable, every_label: bool = False, units: Units | None = None) -> AlphaU:
    """α_U pooled, per label, per document and averaged over documents (see :class:`AlphaU`).

    Per-label entries cover the labels that occur, or every label when ``every_label``.
    ``units`` may pass :func:`alpha_units` of the same table when the caller has them.
    """
    R, C = len(table.annotators), len(table.labels)
    units = alpha_units(table) if units is None else units
    n_units = len(units.label)
    label_units = np.bincount(units.label, minlength=C)
    if R < 2:
        pooled, per_label = pooled_scores(table.labels, R, 0.0, label_units, *(np.zeros(C),) * 4, n_units, every_label)
        return AlphaU(pooled, per_label, [pooled] * table.n_docs, [{} for _ in range(table.n_docs)], pooled, 0)
    per_doc, per_doc_label, (n, sq, cube, obs) = per_document(table, units, every_label)
    mean, averaged = mean_over_documents(per_doc)

    # All documents as one continuum.
    n_c, sq_c, cube_c, obs_c = n.sum(axis=0), sq.sum(axis=0), cube.sum(axis=0), obs.sum(axis=0)
    present_c = (n_c > 0)[None, :]
    zeros = np.zeros(n_units, dtype=np.int64)
    gk, gl = unit_gaps(units, R, 1, zeros, units.gstart, units.gend, np.array([table.total_len]), present_c)
    sum2_c = gap_sums(gk, gl, units.label, units.length, C)
    pooled, pooled_per_label = pooled_scores(
        table.labels, R, float(table.total_len), n_c, sq_c, cube_c, obs_c, sum2_c, n_units, every_label
    )
    return AlphaU(pooled, pooled_per_label, per_doc, per_doc_label, mean, averaged)


def per_document(
    table: SpanTable, units: Units, every_label: bool
) -> tuple[list[Score], list[dict[str, Score]], tuple[np.ndarray, ...]]:
    """Each document's α_U on its own continuum, and per label (at least two annotators), with
    the per-(document, label) sums behind them: unit count, Σ l(l-1), Σ l(l-1)(2l-1)/3 and
    observed distances. A document's figures depend on that document alone."""
    R, C, D = len(table.annotators), len(table.labels), table.n_docs
    obs = observed_sums(units, R, D, C)
    n, sq, cube = unit_moments(units, D, C)
    L = table.doc_len.astype(float)
    present = n > 0
    gk, gl = unit_gaps(units, R, D, units.doc, units.start, units.end, table.doc_len, present)
    sum2 = gap_sums(gk, gl, units.doc * C + units.label, units.length, D * C).reshape(D, C)
    with np.errstate(divide="ignore", invalid="ignore"):
        Lc = L[:, None]
        de = 2.0 * ((n - 1) * cube + sum2) / Lc / (R * Lc * (R * Lc - 1) - sq)
        do = 2.0 * obs / (R * (R - 1) * Lc * Lc)
    per_doc: list[Score] = []
    per_doc_label: list[dict[str, Score]] = []
    doc_units = n.sum(axis=1)
    for d in range(D):
        labels_here = np.flatnonzero(present[d])
        row: dict[str, Score] = {}
        for k in range(C) if every_label else labels_here.tolist():
            if present[d, k]:
                value, reason = _alpha(float(do[d, k]), float(de[d, k]))
                row[table.labels[k]] = Score(value, reason, int(n[d, k]))
            else:
                row[table.labels[k]] = Score.undefined("no span with this label in this document")
        per_doc_label.append(row)
        if len(labels_here) == 0:
            per_doc.append(Score.undefined("no span in this document"))
            continue
        value, reason = _alpha(float(do[d, labels_here].sum()), float(de[d, labels_here].sum()))
        per_doc.append(Score(value, reason, int(doc_units[d])))
    return per_doc, per_doc_label, (n, sq, cube, obs)


def mean_over_documents(per_doc: list[Score] | np.ndarray, units: np.ndarray | None = None) -> tuple[Score, int]:
    """The unweighted mean of the defined per-document values (with their units), and how many
    there are: of :class:`Score` objects, or of an array of values (NaN where undefined) with
    ``units`` beside it."""
    values: list[float]
    if isinstance(per_doc, np.ndarray):
        ok = ~np.isnan(per_doc)
        values = per_doc[ok].tolist()
        total = int(units[ok].sum()) if units is not None else 0
    else:
        values = [score.value for score in per_doc if score.value is not None]
        total = sum(score.n_units for score in per_doc if score.value is not None)
    if values:
        return Score(float(np.mean(values)), None, total), len(values)
    return Score.undefined("no document has a defined α_U"), 0


def pooled_scores(
    labels: tuple[str, ...],
    n_raters: int,
    length: float,
    n_c: np.ndarray,
    sq_c: np.ndarray,
    cube_c: np.ndarray,
    obs_c: np.ndarray,
    sum2_c: np.ndarray,
    n_units: int,
    every_label: bool,
) -> tuple[Score, dict[str, Score]]:
    """The pooled α_U and its per-label values from the continuum's sums per label: unit count,
    Σ l(l-1), Σ l(l-1)(2l-1)/3, observed distances and Σ_units l² Σ_{gaps >= l} (g - l + 1);
    ``length`` is the continuum's."""
    R, Lt = n_raters, length
    if R < 2:
        too_few = "α_U needs at least two annotators"
        per_label = {
            name: Score.undefined(too_few, int(n_c[k])) for k, name in enumerate(labels) if every_label or n_c[k]
        }
        return Score.undefined(too_few, n_units), per_label
    pooled_per_label: dict[str, Score] = {}
    do_sum = de_sum = 0.0
    for k, name in enumerate(labels):
        if n_c[k] == 0:
            if every_label:
                pooled_per_label[name] = Score.undefined("no span with this label")
            continue
        de_k = 2.0 * ((n_c[k] - 1) * cube_c[k] + sum2_c[k]) / Lt / (R * Lt * (R * Lt - 1) - sq_c[k])
        do_k = 2.0 * obs_c[k] / (R * (R - 1) * Lt * Lt)
        value, reason = _alpha(do_k, de_k)
        pooled_per_label[name] = Score(value, reason, int(n_c[k]))
        do_sum += do_k
        de_sum += de_k
    if n_units == 0:
        pooled = Score.undefined("no span in any document")
    else:
        value, reason = _alpha(do_sum, de_sum)
        pooled = Score(value, reason, n_units)
    return pooled, pooled_per_label


class PooledAlphaU:
    """The pooled α_U of documents given a chunk at a time, in order: what :func:`alpha_u` gives
    for all of them laid end to end, without holding them.

    Everything α_U sums over the continuum adds up over chunks (unit moments, observed
    distances: units never cross documents) except the expected disagreement's
    Σ_units l² Σ_{gaps g >= l} (g - l + 1), which pairs every unit with every gap of the
    continuum. That needs only, per label, how many units have each length and how many gaps
    each length, so those two histograms are kept (their size is the number of distinct
    lengths, not of documents), with each annotator's gap still open at the end of the
    chunks read so far (it joins the first gap of the next chunk)."""

    def __init__(self, n_raters: int, labels: tuple[str, ...], every_label: bool):
        self.R, self.labels, self.every_label = n_raters, labels, every_label
        C = len(labels)
        self.length = 0
        self.n_units = 0
        self.n, self.sq, self.cube, self.obs = (np.zeros(C) for _ in range(4))
        self.open = np.zeros(C * max(1, n_raters), dtype=np.int64)
        self.unit_lengths = [_Histogram() for _ in range(C)]
        self.gap_lengths = [_Histogram() for _ in range(C)]

    def add(self, table: SpanTable, units: Units, sums: tuple[np.ndarray, ...] | None = None) -> None:
        """The next documents (a table of them, with its units); ``sums``: the per-(document,
        label) unit count, Σ l(l-1), Σ l(l-1)(2l-1)/3 and observed distances when the caller has
        them (:func:`per_document`)."""
        R, C, D = max(1, self.R), len(self.labels), table.n_docs
        length = table.total_len
        if sums is None:
            n, sq, cube = unit_moments(units, D, C)
            obs = observed_sums(units, R, D, C) if self.R >= 2 else np.zeros((D, C))
        else:
            n, sq, cube, obs = sums
        self.n += n.sum(axis=0)
        self.sq += sq.sum(axis=0)
        self.cube += cube.sum(axis=0)
        self.obs += obs.sum(axis=0)
        self.length += length
        count = len(units.label)
        self.n_units += count
        if count:
            key = units.label * R + units.rater  # units are sorted by (label, annotator, position)
            first = np.ones(count, dtype=bool)
            first[1:] = key[1:] != key[:-1]
            last = np.ones(count, dtype=bool)
            last[:-1] = first[1:]
            inner = np.flatnonzero(~first)
            gaps = units.gstart[inner] - units.gend[inner - 1]
            edge = self.open[key[first]] + units.gstart[first]
            self.open += length
            self.open[key[last]] = length - units.gend[last]
            edge_label = key[first] // R
            for c in range(C):
                self.gap_lengths[c].add(gaps[units.label[inner] == c])
                self.gap_lengths[c].add(edge[edge_label == c])
                self.unit_lengths[c].add(units.length[units.label == c])
        else:
            self.open += length

    def scores(self) -> tuple[Score, dict[str, Score]]:
        """The pooled α_U and its per-label values (see :func:`pooled_scores`)."""
        R, C = max(1, self.R), len(self.labels)
        sum2 = np.zeros(C)
        for c in range(C):
            lam, units = self.unit_lengths[c].counts()
            if not len(lam):
                continue
            gaps = _Histogram()
            gaps.add(*self.gap_lengths[c].counts())
            gaps.add(self.open[c * R : (c + 1) * R])  # each annotator's last gap
            g, many = gaps.counts()
            many = many.astype(float)
            # Σ_{g >= l} many·(g - l + 1) = Σ many·(g + 1) - l·Σ many, over the gaps from l on
            count_from = np.concatenate((np.cumsum(many[::-1])[::-1], [0.0]))
            sum_from = np.concatenate((np.cumsum((many * (g + 1))[::-1])[::-1], [0.0]))
            at = np.searchsorted(g, lam, side="left")
            ln = lam.astype(float)
            sum2[c] = float(np.dot(ln * ln * units, sum_from[at] - ln * count_from[at]))
        return pooled_scores(
            self.labels,
            self.R,
            float(self.length),
            self.n,
            self.sq,
            self.cube,
            self.obs,
            sum2,
            self.n_units,
            self.every_label,
        )


class _Histogram:
    """How often each whole number occurs (numbers added a batch at a time; kept as sorted
    distinct values with counts, compacted as batches come)."""

    def __init__(self) -> None:
        self.values = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros(0, dtype=np.int64)
        self._pending: list[tuple[np.ndarray, np.ndarray | None]] = []
        self._size = 0

    def add(self, values: np.ndarray, weights: np.ndarray | None = None) -> None:
        values = values[values > 0] if weights is None else values  # a gap of 0 counts for nothing
        if len(values):
            self._pending.append((values.astype(np.int64), weights))
            self._size += len(values)
            if self._size > len(self.values) + 20_000:
                self.counts()

    def counts(self) -> tuple[np.ndarray, np.ndarray]:
        if self._pending:
            values = np.concatenate([self.values, *(v for v, _ in self._pending)])
            weights = np.concatenate(
                [self.weights, *(np.ones(len(v), np.int64) if w is None else w for v, w in self._pending)]
            )
            self.values, where = np.unique(values, return_inverse=True)
            self.weights = np.bincount(where, weights=weights, minlength=len(self.values)).astype(np.int64)
            self._pending, self._size = [], 0
        return self.values, self.weights

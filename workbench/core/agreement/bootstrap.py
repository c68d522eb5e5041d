"""Bootstrap confidence intervals for the headline figures, resampling documents.

A replicate draws as many documents as the corpus has, with replacement, from a
seeded ``numpy.random.Generator`` (same input, same seed: same intervals). Its strict
and relaxed F1 are pooled over the drawn documents (a document drawn twice counts
twice), and its pooled α_U is exactly what :func:`.alpha_u.alpha_u` would give for the
drawn documents laid end to end *in the order drawn*. The interval is the percentile
interval of the replicates whose value is defined.

Cost: F1 needs a few per-document counts. α_U is not additive over documents (its
expected disagreement pairs every unit with every gap of the continuum, and the gaps at
document edges join their neighbours'), so each replicate is rebuilt from per-document
summaries: unit-length histograms, the gap sums of each document's inner gaps and, per
annotator and label, the gaps at each document's two edges. That is O(documents ×
distinct unit lengths) per replicate, in numpy, instead of a full recomputation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.agreement.alpha_u import Units, alpha_units, observed_sums, unit_moments
from workbench.core.agreement.scores import Interval
from workbench.core.agreement.table import SpanTable

# Replicates are processed in blocks of at most this many (replicate, document) cells.
_BLOCK_CELLS = 1_000_000


@dataclass(frozen=True)
class BootstrapResult:
    """Intervals per pair ("A|B") for strict and relaxed F1, and for the pooled α_U."""

    strict_f1: dict[str, Interval]
    relaxed_f1: dict[str, Interval]
    alpha_u: Interval


def percentile_interval(values: np.ndarray, level: float) -> Interval:
    """Percentile interval of the finite values (the others are undefined replicates)."""
    ok = values[np.isfinite(values)]
    if len(ok) < 2:
        return Interval(None, None, level, len(ok), "fewer than two resamples gave a defined value")
    lo, hi = np.quantile(ok, [(1 - level) / 2, 1 - (1 - level) / 2])
    return Interval(float(lo), float(hi), level, len(ok))


def draw(n_docs: int, replicates: int, seed: int):
    """Blocks of resampled document sequences (replicates × documents), reproducibly."""
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK_CELLS // max(1, n_docs))
    done = 0
    while done < replicates:
        size = min(block, replicates - done)
        yield rng.integers(0, n_docs, size=(size, n_docs))
        done += size


def weights(seq: np.ndarray, n_docs: int) -> np.ndarray:
    """How often each document was drawn, per replicate (float, for matrix products)."""
    rows = seq.shape[0]
    flat = seq + (np.arange(rows) * n_docs)[:, None]
    return np.bincount(flat.ravel(), minlength=rows * n_docs).reshape(rows, n_docs).astype(float)


class AlphaUResampler:
    """Per-document summaries from which the pooled α_U of any resample is rebuilt exactly."""

    def __init__(self, table: SpanTable, units: Units | None = None):
        self.R = R = len(table.annotators)
        self.C = C = len(table.labels)
        self.D = D = table.n_docs
        units = alpha_units(table) if units is None else units
        self.L = table.doc_len.astype(float)
        self.obs = observed_sums(units, R, D, C) if R >= 2 else np.zeros((D, C))
        self.n, self.sq, self.cube = unit_moments(units, D, C)
        length = units.length
        k3 = (units.label * R + units.rater) * D + units.doc
        n = len(k3)
        first = np.ones(n, dtype=bool)
        first[1:] = k3[1:] != k3[:-1]
        last = np.ones(n, dtype=bool)
        last[:-1] = first[1:]
        # Edge gaps per (label, annotator, document); "nonempty" if it has a unit there.
        self.nonempty = np.zeros((C, R, D), dtype=bool)
        self.lead = np.zeros((C, R, D))
        self.trail = np.zeros((C, R, D))
        self.nonempty[units.label, units.rater, units.doc] = True
        self.lead[units.label[first], units.rater[first], units.doc[first]] = units.start[first]
        self.trail[units.label[last], units.rater[last], units.doc[last]] = (
            table.doc_len[units.doc[last]] - units.end[last]
        )
        # Inner gaps (between two units of one annotator in one document), all annotators.
        inner = ~first
        gap_key = (units.doc * C + units.label)[inner]
        gap_len = units.start[inner] - units.end[np.flatnonzero(inner) - 1]
        self.lengths: list[np.ndarray] = []
        self.hist: list[np.ndarray] = []
        self.inner_sums: list[np.ndarray] = []
        m = int(max(gap_len.max(initial=0), length.max(initial=0))) + 2
        keys = gap_key * m + gap_len
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        cum = np.concatenate(([0.0], np.cumsum(gap_len[order].astype(float))))
        for c in range(C):
            mine = units.label == c
            lam, which = np.unique(length[mine], return_inverse=True)
            nl = len(lam)
            hist = np.bincount(units.doc[mine] * nl + which, minlength=D * nl).reshape(D, nl).astype(float)
            base = (np.arange(D) * C + c)[:, None]
            lo = np.searchsorted(keys, base * m + lam[None, :], side="left")
            hi = np.searchsorted(keys, (base + 1) * m, side="left")
            sums = cum[hi] - cum[lo] - (lam[None, :] - 1) * (hi - lo)
            self.lengths.append(lam.astype(float))
            self.hist.append(hist)
            self.inner_sums.append(sums)

    def values(self, seq: np.ndarray) -> np.ndarray:
        """Pooled α_U of each resample (rows of ``seq``: document indices in drawn order); NaN if undefined."""
        R, C, D = self.R, self.C, self.D
        rows = seq.shape[0]
        if R < 2 or D == 0:
            return np.full(rows, np.nan)
        w = weights(seq, D)
        L = w @ self.L
        n, sq, cube, obs = w @ self.n, w @ self.sq, w @ self.cube, w @ self.obs
        do_sum = np.zeros(rows)
        de_sum = np.zeros(rows)
        any_label = np.zeros(rows, dtype=bool)
        seq_len = self.L[seq]
        pos = np.arange(D)
        row_ix = np.arange(rows)[:, None]
        for c in range(C):
            lam = self.lengths[c]
            if len(lam) == 0:
                continue
            h = w @ self.hist[c]
            term = (h * (w @ self.inner_sums[c])) @ (lam * lam)
            a_cum = np.concatenate((np.zeros((rows, 1)), np.cumsum(h * lam**2, axis=1)), axis=1)
            b_cum = np.concatenate((np.zeros((rows, 1)), np.cumsum(h * lam**3, axis=1)), axis=1)
            for r in range(R):
                has = self.nonempty[c, r][seq]
                empty_len = np.where(has, 0.0, seq_len)
                cum_e = np.concatenate((np.zeros((rows, 1)), np.cumsum(empty_len, axis=1)), axis=1)
                last_nz = np.maximum.accumulate(np.where(has, pos, -1), axis=1)
                prev = np.concatenate((np.full((rows, 1), -1), last_nz[:, :-1]), axis=1)
                trail = self.trail[c, r]
                prev_trail = np.where(prev >= 0, trail[seq[row_ix, np.maximum(prev, 0)]], 0.0)
                between = cum_e[:, :-1] - np.take_along_axis(cum_e, prev + 1, axis=1)
                before = np.where(has, prev_trail + between + self.lead[c, r][seq], 0.0)
                end = last_nz[:, -1]
                final = np.where(
                    end >= 0,
                    trail[seq[np.arange(rows), np.maximum(end, 0)]] + cum_e[:, -1] - cum_e[np.arange(rows), end + 1],
                    cum_e[:, -1],
                )
                gaps = np.concatenate((before, final[:, None]), axis=1)
                idx = np.searchsorted(lam, gaps, side="right")
                phi = (gaps + 1) * np.take_along_axis(a_cum, idx, axis=1) - np.take_along_axis(b_cum, idx, axis=1)
                term = term + phi.sum(axis=1)
            present = n[:, c] > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                de = 2.0 * ((n[:, c] - 1) * cube[:, c] + term) / L / (R * L * (R * L - 1) - sq[:, c])
                do = 2.0 * obs[:, c] / (R * (R - 1) * L * L)
            do_sum += np.where(present, do, 0.0)
            de_sum += np.where(present, de, 0.0)
            any_label |= present
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(do_sum == de_sum, 0.0, 1.0 - do_sum / de_sum)
        alpha[~any_label | (de_sum == 0)] = np.nan
        return alpha


def bootstrap(
    table: SpanTable,
    pair_counts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    replicates: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    units: Units | None = None,
) -> BootstrapResult:
    """Percentile intervals from ``replicates`` document resamples.

    ``pair_counts[name] = (strict pairs, relaxed pairs, spans of A + spans of B)`` per
    document, as in :class:`.span_f1.PairResult`.
    """
    D = table.n_docs
    strict: dict[str, list[np.ndarray]] = {name: [] for name in pair_counts}
    relaxed: dict[str, list[np.ndarray]] = {name: [] for name in pair_counts}
    alphas: list[np.ndarray] = []
    if D and replicates > 0:
        resampler = AlphaUResampler(table, units)
        for seq in draw(D, replicates, seed):
            w = weights(seq, D)
            for name, (s, r, u) in pair_counts.items():
                total = w @ u
                with np.errstate(divide="ignore", invalid="ignore"):
                    strict[name].append(np.where(total > 0, 2 * (w @ s) / total, np.nan))
                    relaxed[name].append(np.where(total > 0, 2 * (w @ r) / total, np.nan))
            alphas.append(resampler.values(seq))

    def interval(parts: list[np.ndarray]) -> Interval:
        return percentile_interval(np.concatenate(parts) if parts else np.zeros(0), level)

    return BootstrapResult(
        strict_f1={name: interval(v) for name, v in strict.items()},
        relaxed_f1={name: interval(v) for name, v in relaxed.items()},
        alpha_u=interval(alphas),
    )

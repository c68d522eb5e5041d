"""Optimal one-to-one matching of two annotators' spans.

Only overlapping spans can be paired (overlap = at least one shared code point:
``a.start < b.end and b.start < a.end``; touching spans do not overlap). Both sides
are sorted by start and swept once: a *cluster* is a maximal chain of spans, each
starting before the furthest end seen so far. Spans of different clusters never
overlap, so each cluster is matched on its own:

- a cluster holding one span of A and one of B is that pair (almost all clusters);
- a cluster holding spans of one side only stays unmatched;
- any other cluster is solved exactly by the Hungarian method
  (:mod:`.assignment`) over its overlap graph.

The matching maximises, in this order of priority (each one strictly before the next):

1. the number of pairs with the same label (the relaxed matches: their number is the
   maximum cardinality of a same-label overlap matching, which is what relaxed F1 needs);
2. the number of pairs with different labels (label conflicts, among what is left);
3. the number of same-label pairs with identical extents;
4. the number of different-label pairs with identical extents;
5. the total overlap ratio (Jaccard) of the pairs.

These numbers are properties of the data, not of the order of A and B, so F1 and the
counts taken from the matching are symmetric; no greedy matcher can pair more spans.
"""

from __future__ import annotations

import numpy as np

from workbench.core.agreement.assignment import max_weight_assignment


def optimal_matching(
    sa: np.ndarray, ea: np.ndarray, la: np.ndarray, sb: np.ndarray, eb: np.ndarray, lb: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(ia, ib)`` of the optimal one-to-one matching described in the module docstring.

    ``[sa, ea)`` with labels ``la`` and ``[sb, eb)`` with labels ``lb`` are int64 arrays
    of two sides' intervals on one line (callers put each document on its own stretch
    of the line so that spans of different documents never overlap).
    """
    na, nb = len(sa), len(sb)
    empty = np.zeros(0, dtype=np.int64)
    if na == 0 or nb == 0:
        return empty, empty
    x = np.concatenate((sa, sb))
    xe = np.concatenate((ea, eb))
    lab = np.concatenate((la, lb))
    side = np.concatenate((np.zeros(na, np.int8), np.ones(nb, np.int8)))
    local = np.concatenate((np.arange(na), np.arange(nb)))
    order = np.lexsort((side, xe, x))
    x, xe, lab, side, local = x[order], xe[order], lab[order], side[order], local[order]
    reach = np.maximum.accumulate(xe)
    new = np.empty(len(x), dtype=bool)
    new[0] = True
    new[1:] = x[1:] >= reach[:-1]
    cid = np.cumsum(new) - 1
    n_clusters = int(cid[-1]) + 1
    is_b = side.astype(bool)
    count_a = np.bincount(cid[~is_b], minlength=n_clusters)
    count_b = np.bincount(cid[is_b], minlength=n_clusters)

    # Clusters of exactly one span from each side: the two sit next to each other.
    simple = (count_a == 1) & (count_b == 1)
    pos = np.flatnonzero(simple[cid]).reshape(-1, 2)
    first_is_a = side[pos[:, 0]] == 0
    ia = [np.where(first_is_a, local[pos[:, 0]], local[pos[:, 1]])]
    ib = [np.where(first_is_a, local[pos[:, 1]], local[pos[:, 0]])]

    hard = np.flatnonzero((count_a >= 1) & (count_b >= 1) & ~simple)
    if len(hard):
        bounds = np.append(np.flatnonzero(new), len(x))
        extra_a: list[int] = []
        extra_b: list[int] = []
        for c in hard.tolist():
            lo, hi = int(bounds[c]), int(bounds[c + 1])
            _solve_cluster(
                x[lo:hi].tolist(),
                xe[lo:hi].tolist(),
                lab[lo:hi].tolist(),
                side[lo:hi].tolist(),
                local[lo:hi].tolist(),
                extra_a,
                extra_b,
            )
        ia.append(np.array(extra_a, dtype=np.int64))
        ib.append(np.array(extra_b, dtype=np.int64))
    return np.concatenate(ia).astype(np.int64), np.concatenate(ib).astype(np.int64)


def pair_weight(sa: int, ea: int, la: int, sb: int, eb: int, lb: int, eps: float) -> float:
    """Weight of pairing two spans in a cluster (0 = they do not overlap); see the module docstring.

    ``eps`` = 1 / (2 (n + 1)) for a cluster whose smaller side has n spans: then one unit
    of a higher priority outweighs every lower one together.
    """
    if not (sa < eb and sb < ea):
        return 0.0
    same_label = la == lb
    same_extent = sa == sb and ea == eb
    inter = min(ea, eb) - max(sa, sb)
    union = max(ea, eb) - min(sa, sb)
    e2 = eps * eps
    return (
        (1.0 if same_label else eps)
        + (e2 if same_label and same_extent else 0.0)
        + (e2 * eps if same_extent and not same_label else 0.0)
        + e2 * e2 * inter / union
    )


def _solve_cluster(
    xs: list[int],
    xes: list[int],
    labs: list[int],
    sides: list[int],
    locals_: list[int],
    out_a: list[int],
    out_b: list[int],
) -> None:
    spans = list(zip(xs, xes, labs, sides, locals_))
    a = [span for span in spans if span[3] == 0]
    b = [span for span in spans if span[3] == 1]
    n = min(len(a), len(b))
    eps = 1.0 / (2 * (n + 1))
    weights = [[pair_weight(sa, ea, la, sb, eb, lb, eps) for sb, eb, lb, _, _ in b] for sa, ea, la, _, _ in a]
    if n == 1:
        # One span on one side: take its best edge.
        best = max(
            ((weights[i][j], -i, -j) for i in range(len(a)) for j in range(len(b)) if weights[i][j] > 0),
            default=None,
        )
        if best is not None:
            out_a.append(a[-best[1]][4])
            out_b.append(b[-best[2]][4])
        return
    for i, j in max_weight_assignment(weights):
        out_a.append(a[i][4])
        out_b.append(b[j][4])

"""Maximum-weight one-to-one assignment (the Hungarian method), for small dense weight tables.

Used by :mod:`.matching` on the few clusters of mutually overlapping spans that are
not a simple one-to-one pair. Weights are >= 0; a weight of 0 means "no edge", and such
pairs are never returned, so the result is a maximum-weight matching that need not
cover every row or column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Above this many cells the inner loop runs in numpy instead of plain Python.
_NUMPY_CELLS = 400


def max_weight_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of a maximum-total-weight matching over the positive cells."""
    n = len(weights)
    m = len(weights[0]) if n else 0
    if n == 0 or m == 0:
        return []
    if n > m:
        transposed = [[weights[i][j] for i in range(n)] for j in range(m)]
        return [(i, j) for j, i in max_weight_assignment(transposed)]
    if n * m > _NUMPY_CELLS:
        pairs = _hungarian_numpy(np.asarray(weights, dtype=np.float64))
    else:
        pairs = _hungarian(weights, n, m)
    return [(i, j) for i, j in pairs if weights[i][j] > 0]


def _hungarian(w: Sequence[Sequence[float]], n: int, m: int) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row (n <= m) on cost -w; potentials u, v (1-based)."""
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: row assigned to column j (0 = none)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            row = w[i0 - 1]
            ui0 = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - ui0 - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j]]


def _hungarian_numpy(w: np.ndarray) -> list[tuple[int, int]]:
    """The same algorithm with the column loop vectorised (n <= m)."""
    n, m = w.shape
    cost = np.zeros((n + 1, m + 1))
    cost[1:, 1:] = -w
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=np.int64)
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            free = ~used
            cur = cost[i0] - u[i0] - v
            better = free & (cur < minv)
            minv[better] = cur[better]
            way[better] = j0
            masked = np.where(free, minv, np.inf)
            j1 = int(np.argmin(masked))
            delta = masked[j1]
            u[p[used]] += delta
            v[used] -= delta
            minv[free] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    return [(int(p[j]) - 1, j - 1) for j in range(1, m + 1) if p[j]]

"""Token-level chance-corrected agreement on BIO tags: Cohen's kappa (pairs) and Fleiss' kappa (all).

Every whitespace token of every document is one item (see :mod:`.tokens`); the
categories are the BIO tags. Both coefficients are computed exactly from integer
counts and are undefined (None) when there is no token or when chance agreement is
total (every token has one and the same tag, e.g. nothing annotated at all).

Unannotated text raises them: each extra token that everybody tags O is an easy
agreement, so a long document with a few spans gets a higher kappa than the same spans
in a short one. Compare kappas only across documents of similar density, and prefer
span F1 and α_U for the spans themselves.
"""

from __future__ import annotations

import numpy as np

from workbench.core.agreement.scores import Score


def cohen_kappa(tags_a: np.ndarray, tags_b: np.ndarray, n_tags: int) -> Score:
    """Cohen's kappa of two annotators' tags (the same tokens, in the same order).

    κ = (p_o - p_e) / (1 - p_e) with p_o the share of tokens tagged alike and p_e the
    agreement expected from each annotator's own tag distribution. ``n_units`` = tokens.
    """
    agree = int(np.count_nonzero(tags_a == tags_b))
    return cohen_kappa_of_counts(
        len(tags_a), agree, np.bincount(tags_a, minlength=n_tags), np.bincount(tags_b, minlength=n_tags)
    )


def cohen_kappa_of_counts(n: int, agree: int, count_a: np.ndarray, count_b: np.ndarray) -> Score:
    """:func:`cohen_kappa` from its sums, which add up over documents: ``n`` tokens, ``agree``
    of them tagged alike, and each annotator's count of each tag."""
    if n == 0:
        return Score.undefined("no token")
    chance = int(np.dot(count_a, count_b))
    denominator = n * n - chance
    if denominator == 0:
        return Score.undefined("expected agreement is total: both annotators give every token the same single tag", n)
    return Score((n * agree - chance) / denominator, None, n)


def fleiss_kappa(tags: list[np.ndarray], n_tags: int) -> Score:
    """Fleiss' kappa of m >= 2 annotators' tags (each array: the same tokens, same order).

    κ = (P̄ - P_e) / (1 - P_e): P̄ is the mean over tokens of the share of agreeing
    annotator pairs, P_e = Σ_j p_j² with p_j the share of all tags that are tag j.
    ``n_units`` = tokens.
    """
    m = len(tags)
    if m < 2:
        return Score.undefined("Fleiss' kappa needs at least two annotators")
    pairs_agreeing = sum(int(np.count_nonzero(tags[a] == tags[b])) for a in range(m) for b in range(a + 1, m))
    totals = np.sum([np.bincount(t, minlength=n_tags) for t in tags], axis=0)
    return fleiss_kappa_of_counts(m, len(tags[0]), pairs_agreeing, totals)


def fleiss_kappa_of_counts(m: int, n: int, pairs_agreeing: int, totals: np.ndarray) -> Score:
    """:func:`fleiss_kappa` from its sums, which add up over documents: ``m`` annotators,
    ``n`` tokens, the agreeing annotator pairs over all tokens, and the count of each tag."""
    if m < 2:
        return Score.undefined("Fleiss' kappa needs at least two annotators")
    if n == 0:
        return Score.undefined("no token")
    # Σ_i Σ_j n_ij² = n·m + 2·(agreeing annotator pairs over all tokens)
    sum_sq = n * m + 2 * pairs_agreeing
    c = int(np.dot(totals, totals))
    # P̄ = (sum_sq - n m) / (n m (m-1)),  P_e = c / (n m)²
    d1 = n * m * (m - 1)
    d2 = (n * m) ** 2
    if d2 == c:
        return Score.undefined("expected agreement is total: every token has the same single tag", n)
    numerator = (sum_sq - n * m) * d2 - c * d1
    return Score(numerator / (d1 * (d2 - c)), None, n)

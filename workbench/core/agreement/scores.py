"""Result values: a figure that may be undefined, its interval, and the span counts behind F1."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Interval:
    """A percentile bootstrap confidence interval.

    ``replicates`` is the number of resamples that gave a defined value; ``low`` and
    ``high`` are None (with ``reason``) when fewer than two did.
    """

    low: float | None
    high: float | None
    level: float
    replicates: int
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Score:
    """One agreement figure.

    ``value`` is None when the figure is undefined (nothing to compare, a zero
    denominator); ``reason`` then says why, in words. An undefined figure is never
    reported as 0 or 1. ``n_units`` is the number of units behind the figure (spans,
    α_U units or tokens, as the figure's documentation says).
    """

    value: float | None
    reason: str | None = None
    n_units: int = 0
    ci: Interval | None = None

    @classmethod
    def undefined(cls, reason: str, n_units: int = 0) -> Score:
        return cls(None, reason, n_units)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "reason": self.reason, "n_units": self.n_units}
        if self.ci is not None:
            out["ci"] = self.ci.to_dict()
        return out


def f1_score(matched: int, n_a: int, n_b: int, what: str = "span") -> Score:
    """F1 = 2·matched / (n_a + n_b), i.e. the harmonic mean of precision and recall.

    Symmetric in A and B. Undefined when neither side has a unit.
    """
    total = n_a + n_b
    if total == 0:
        return Score.undefined(f"neither annotator marked any {what}")
    return Score(2.0 * matched / total, None, total)


@dataclass(frozen=True, slots=True)
class SpanCounts:
    """What happened to each span of a pair (A, B), from the optimal one-to-one matchings.

    - ``n_a``, ``n_b``: spans of A and of B.
    - ``strict_matched``: spans of A with an identical span (start, end, label) in B.
    - ``relaxed_matched``: pairs in the optimal relaxed matching (overlapping, same label).
    - ``boundary_conflict``: relaxed pairs whose edges differ (same label, overlapping).
    - ``proclitic_conflict``: the boundary conflicts whose only difference is a leading
      proclitic (see :mod:`.clitics`); a subset of ``boundary_conflict``.
    - ``label_conflict_a`` / ``label_conflict_b``: spans of A / of B outside the relaxed
      matching but paired, one to one, with an overlapping span of the other side that
      has a different label (per label they count the A side's or the B side's label;
      overall both equal the number of such pairs).
    - ``label_conflict_same_extent``: those pairs whose extents are identical.
    - ``only_in_a`` / ``only_in_b``: spans with no counterpart at all.

    So ``n_a = relaxed_matched + label_conflict_a + only_in_a`` (and likewise for B).
    """

    n_a: int = 0
    n_b: int = 0
    strict_matched: int = 0
    relaxed_matched: int = 0
    boundary_conflict: int = 0
    proclitic_conflict: int = 0
    label_conflict_a: int = 0
    label_conflict_b: int = 0
    label_conflict_same_extent: int = 0
    only_in_a: int = 0
    only_in_b: int = 0

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

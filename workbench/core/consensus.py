"""The majority vote, defined once: adjudication's "accept the majority" and
"accept all unanimous", and the export's ``--source majority`` all use it.

A *version* is one annotator's span: its key is ``(start, end, label)``. Among
``n`` compared annotators, a key has the majority when more than half of them
chose it (``2 * votes > n``). The attributes of an accepted key are the ones
most of its annotators gave; on a tie, the first in the given (annotator) order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def is_majority(votes: int, n_annotators: int) -> bool:
    """More than half of the ``n_annotators`` compared annotators (a tie is no majority)."""
    return 2 * votes > n_annotators


def majority_key(keys_by_annotator: Iterable[tuple[str, K]], n_annotators: int) -> K | None:
    """The first key (in the order given) that more than half of ``n_annotators`` chose.

    ``keys_by_annotator`` lists ``(annotator, key)`` pairs in reading order; an
    annotator counts once per key however many spans they have with it.
    """
    pairs = list(keys_by_annotator)
    voters: dict[K, set[str]] = {}
    for annotator, key in pairs:
        voters.setdefault(key, set()).add(annotator)
    for _, key in pairs:
        if is_majority(len(voters[key]), n_annotators):
            return key
    return None


def _canonical(attributes: dict[str, Any]) -> str:
    return json.dumps(attributes, sort_keys=True, ensure_ascii=False)


def consensus_index(attribute_sets: Sequence[dict[str, Any]]) -> int:
    """The index of the attributes most of the versions share (the first on a tie)."""
    if not attribute_sets:
        raise ValueError("no versions to choose attributes from")
    counts = Counter(_canonical(a) for a in attribute_sets)
    best = max(counts.values())
    return next(i for i, a in enumerate(attribute_sets) if counts[_canonical(a)] == best)


def consensus_attributes(attribute_sets: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The attributes most of the versions share (the first on a tie)."""
    return dict(attribute_sets[consensus_index(attribute_sets)])

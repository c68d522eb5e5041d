"""Same-document propagation: once the annotator tags "حفتر" as ACTOR in an article, its other
occurrences in the same article are proposed at once (no training; relaxed precision 0.97 on the
hidden set, issue 14).

The tagged phrases are folded as the gazetteer folds names and matched with the gazetteer's
matcher (:func:`.strings.matcher`): whole words, letter forms folded, a leading proclitic split
off ("وحفتر" proposes "حفتر"), the longest tagged phrase first. An occurrence inside or overlapping
any span of the document (of any label) is not proposed: the annotator already decided there.

- Label: the one the phrase was tagged with most often in this document (for equally frequent
  ones, the first tagged); the confidence is 0.9 times the share of its spans that agree.
- Attributes: for ACTOR and LOCATION the canonical name (the one the phrase's spans gave most
  often): it is about the phrase. Nothing else is copied.
- DATE and CASUALTY are not propagated (:data:`.strings.SKIPPED_LABELS`): their value and count
  belong to each occurrence ("قتيلين" twice in an article is often two events, "أمس" in a quote
  may be another day), and the rules engines already propose every such expression with the
  value read at that place; a value-less copy would only compete with them.
- Phrases of one or two letters are not propagated; three letters are less sure
  (:func:`.strings.short_factor`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from workbench.core.values import Found
from workbench.core.values.gazetteer import CANONICAL
from workbench.core.values.strings import (
    SKIPPED_LABELS,
    Tagged,
    canonical_of,
    matcher,
    matches,
    short_factor,
    tagged_key,
)

SAME_DOCUMENT = "same-document"  # Found.source of this engine
CONFIDENCE = 0.9


def same_document(text: str, spans: Sequence[Tagged], *, skip: Iterable[str] = SKIPPED_LABELS) -> list[Found]:
    """The other occurrences in ``text`` of the phrases ``spans`` tag (one annotator's spans of this
    document), sorted by start, not overlapping one another nor any of ``spans``."""
    skipped = frozenset(skip)
    by_key: dict[str, list[Tagged]] = defaultdict(list)
    for span in spans:
        key = tagged_key(text, span, skipped)
        if key is not None:
            by_key[key].append(span)
    if not by_key:
        return []
    chosen: dict[str, tuple[str, float, dict[str, str]]] = {}  # key -> label, confidence, attributes
    for key, tagged in by_key.items():
        counts = Counter(span.label for span in tagged)  # insertion order: the first tagged wins ties
        label, count = counts.most_common(1)[0]
        canonical = canonical_of(label, (span for span in tagged if span.label == label))
        confidence = round(CONFIDENCE * count / len(tagged) * short_factor(key), 3)
        chosen[key] = (label, confidence, {CANONICAL: canonical} if canonical else {})
    taken = sorted((span.start, span.end) for span in spans)
    found: list[Found] = []
    for hit, key in matches(matcher(((k, c[0]) for k, c in chosen.items()), SAME_DOCUMENT), text):
        if _overlaps(taken, hit.start, hit.end):
            continue
        label, confidence, attributes = chosen[key]
        found.append(Found(hit.start, hit.end, label, dict(attributes), SAME_DOCUMENT, confidence))
    return found


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the ranges (sorted by start)."""
    for first, last in taken:
        if first >= end:
            return False
        if start < last:
            return True
    return False

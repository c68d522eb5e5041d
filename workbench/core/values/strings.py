"""Project strings: what the annotator tagged in their done documents, proposed wherever the same
phrase comes again (INCEpTION's string matcher, without its known faults).

:meth:`StringMatcher.learn` reads ``(text, spans)`` of done documents. Each tagged phrase is
folded as the gazetteer folds names (:func:`~workbench.core.values.gazetteer.name_key`: harakat
and tatweel dropped, letter forms folded); then every occurrence of every tagged phrase in those
texts is counted with the matcher that will later propose it (whole words, a leading proclitic
split off, the longest phrase first). A phrase is kept for a label only where at least half of
its occurrences were tagged with that label ("حفتر" tagged once out of four times is not
proposed, twice out of three times is); the fraction is the proposal's confidence (times a small
factor for a phrase of three letters; phrases of one or two letters are never learned).

What INCEpTION's string matcher does wrong and this one does not: it proposes inside words (here
a phrase matches whole words only), it proposes a phrase the annotator tagged once and left
untagged everywhere else (here the half-of-occurrences rule), and rejections are not learned at
all: a rejection belongs to one document and is applied by
:func:`workbench.core.suggestions.offered`.

DATE and CASUALTY spans are not learned by default (:data:`SKIPPED_LABELS`): their values (the
day, the count) belong to each occurrence, and the rules engines already propose them with their
values; a learned "أمس" or "قتيلين" would only compete with those, without a value.

The matching itself is the gazetteer's (:class:`~workbench.core.values.gazetteer.Gazetteer`,
built from the learned phrases): one matcher for names and strings, one notion of a word.
Plain Python over plain data: no store, no project. :mod:`.propagation` shares the helpers here.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from workbench.core.text.fold import fold
from workbench.core.values import Found
from workbench.core.values.gazetteer import (
    CANONICAL,
    CONJUNCTIONS,
    MIN_REST,
    NAME_GAP,
    NAME_LABELS,
    PREPOSITIONS,
    PROJECT,
    SPLIT_WORDS,
    Entry,
    Gazetteer,
    name_key,
)

STRINGS = "strings"  # Found.source of this engine
SKIPPED_LABELS: frozenset[str] = frozenset({"DATE", "CASUALTY"})
MIN_LETTERS = 3  # a phrase of fewer letters (و, في, ال...) is never learned nor propagated
MIN_SHARE = 0.5  # the share of a phrase's occurrences that must be tagged with the label
_ANY = "*"  # the one label of the counting matcher


class Tagged(Protocol):
    """What the engines read of a span (:class:`workbench.core.store.spans.Span` has it):
    ``[start, end)`` in code points of the document's text, the label, the attributes."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def label(self) -> str: ...

    @property
    def attributes(self) -> Mapping[str, Any]: ...


def letters(key: str) -> int:
    """How many letters (and digits) a folded phrase has, spaces not counted."""
    return len(key) - key.count(" ")


def short_factor(key: str) -> float:
    """How much less sure a match of a short phrase is: a word of three letters (سرت, but also
    common words a name may be written like) 0.85; longer phrases 1."""
    return 0.85 if " " not in key and letters(key) <= MIN_LETTERS else 1.0


def tagged_key(
    text: str, span: Tagged, skip: frozenset[str] = SKIPPED_LABELS, known: dict[str, str] | None = None
) -> str | None:
    """The folded phrase of ``span`` if the engines learn from it: a label not skipped, edges
    that fit the text, at least :data:`MIN_LETTERS` letters. ``known`` caches the folded phrase
    of each written one (spans repeat their phrases)."""
    if span.label in skip or not 0 <= span.start < span.end <= len(text):
        return None
    written = text[span.start : span.end]
    key = None if known is None else known.get(written)
    if key is None:
        key = name_key(written)
        if known is not None:
            known[written] = key
    return key if letters(key) >= MIN_LETTERS else None


def matcher(keys: Iterable[tuple[str, str]], source: str) -> Gazetteer:
    """A gazetteer of folded phrases ``(key, label)``, one label per key: each entry's canonical
    name is its key, so that a match says which phrase it is (:func:`matches`)."""
    return Gazetteer(Entry(key, label, key, source, PROJECT) for key, label in keys)


def matches(index: Gazetteer, text: str) -> list[tuple[Found, str]]:
    """The phrases of ``index`` in ``text`` with their keys: whole words, a leading proclitic left
    out, the longest phrase first, not overlapping; sorted by start."""
    return [(found, found.attributes[CANONICAL]) for found in index.find(text)]


def canonical_of(label: str, spans: Iterable[Tagged]) -> str | None:
    """The canonical name the spans give most often (the first given of equally frequent ones),
    for a name's label (ACTOR, LOCATION) only: the one attribute that is about the phrase itself."""
    if label not in NAME_LABELS:
        return None
    counts = Counter(
        value.strip() for span in spans if isinstance(value := span.attributes.get(CANONICAL), str) and value.strip()
    )
    return counts.most_common(1)[0][0] if counts else None


@dataclass(frozen=True)
class Phrase:
    """A learned phrase: tagged ``tagged`` times as ``label`` out of ``seen`` occurrences in the
    learned texts; ``canonical`` the name its tagged spans gave most often (or ``None``)."""

    key: str
    label: str
    tagged: int
    seen: int
    canonical: str | None = None

    @property
    def share(self) -> float:
        return self.tagged / self.seen if self.seen else 0.0

    @property
    def confidence(self) -> float:
        return round(min(1.0, self.share) * short_factor(self.key), 3)


class StringMatcher:
    """Proposes the phrases learned from done documents (:meth:`learn`) in a text (:meth:`find`)."""

    def __init__(self, phrases: Iterable[Phrase] = ()):
        self.phrases: dict[str, Phrase] = {p.key: p for p in phrases}
        self._index = matcher(((p.key, p.label) for p in self.phrases.values()), STRINGS)

    def __len__(self) -> int:
        return len(self.phrases)

    @classmethod
    def learn(
        cls,
        documents: Iterable[tuple[str, Sequence[Tagged]]],
        *,
        skip: Iterable[str] = SKIPPED_LABELS,
        min_share: float = MIN_SHARE,
    ) -> StringMatcher:
        """Learn from ``(text, spans)`` of done documents: keep each phrase for the label it was
        tagged with in at least ``min_share`` of its occurrences in these texts (the label with
        the largest share; for equal shares the first in alphabetical order)."""
        skipped = frozenset(skip)
        docs: list[tuple[str, dict[str, list[Tagged]]]] = []  # texts without a learned span count too
        keys: set[str] = set()
        known: dict[str, str] = {}
        for text, spans in documents:
            by_key: dict[str, list[Tagged]] = defaultdict(list)
            for span in spans:
                key = tagged_key(text, span, skipped, known)
                if key is not None:
                    by_key[key].append(span)
            if by_key:
                keys.update(by_key)
            docs.append((text, by_key))
        if not keys:
            return cls()
        # Every occurrence of every tagged phrase in these texts (counted as find() finds them,
        # without the stored offsets: a folded text is enough), and how many were tagged with
        # each label: in each text, the spans of the phrase, at most as many as its occurrences.
        counting = _Counter(keys)
        seen: Counter[str] = Counter()
        tagged: Counter[tuple[str, str]] = Counter()
        tagged_spans: dict[tuple[str, str], list[Tagged]] = defaultdict(list)
        for text, by_key in docs:
            found = counting.occurrences(text)
            seen.update(found)
            for key, spans in by_key.items():
                room = found.get(key, 0)
                for label, count in Counter(span.label for span in spans).most_common():
                    taken = min(count, room)
                    if taken <= 0:
                        break
                    tagged[key, label] += taken
                    tagged_spans[key, label] += [span for span in spans if span.label == label]
                    room -= taken
        best: dict[str, tuple[float, str]] = {}
        for (key, label), count in tagged.items():
            share = count / seen[key]
            if share >= min_share and (key not in best or (-share, label) < (-best[key][0], best[key][1])):
                best[key] = (share, label)
        return cls(
            Phrase(key, label, tagged[key, label], seen[key], canonical_of(label, tagged_spans[key, label]))
            for key, (_, label) in sorted(best.items())
        )

    def find(self, text: str) -> list[Found]:
        """The learned phrases in ``text``, sorted by start, not overlapping: whole words, a
        leading proclitic left out, the longest phrase first; source :data:`STRINGS`, confidence
        the phrase's tagged share (less for a short one), the canonical name its spans gave."""
        found = []
        for hit, key in matches(self._index, text):
            phrase = self.phrases[key]
            attributes = {CANONICAL: phrase.canonical} if phrase.canonical else {}
            found.append(Found(hit.start, hit.end, phrase.label, attributes, STRINGS, phrase.confidence))
        return found


# --- counting occurrences fast (learning reads every done document) --------------------------------
#
# The same rules as the gazetteer's matcher (Gazetteer._scan): folded words, a name's words joined
# by spaces only, a leading proclitic (و ف ب ل ك, or و/ف then ب/ل/ك; ل before the article's ل
# stands for ال) split off when two letters remain, the longest phrase at each word, then the one
# without a proclitic. Not copied: the quoted last word (قوات "حفتر") and the tanween rule, which
# only make find() propose less; an occurrence counted here and not proposed there only lowers a
# phrase's share. About 0.1 µs per character, most of it folding and splitting the text.

# The proclitics the gazetteer strips: one letter, then a conjunction with a preposition.
_PREFIXES = (*CONJUNCTIONS, *PREPOSITIONS, *(c + p for c in CONJUNCTIONS for p in PREPOSITIONS))


class _Counter:
    """Counts the occurrences of folded phrases in texts: an index from each written form a
    phrase's first word may take (with a proclitic) to ``(letters stripped, phrases)``."""

    def __init__(self, keys: Iterable[str]):
        by_first: dict[str, list[tuple[int, list[str], str]]] = defaultdict(list)
        for key in keys:
            first, *tail = key.split(" ")
            by_first[first].append((1 + len(tail), tail, key))
        self._forms: dict[str, list[tuple[int, list[tuple[int, list[str], str]]]]] = defaultdict(list)
        for first, names in by_first.items():
            names.sort(key=lambda name: -name[0])
            self._forms[first].append((0, names))
            if len(first) < MIN_REST:
                continue
            for prefix in _PREFIXES:
                self._forms[prefix + first].append((len(prefix), names))
                if prefix[-1] == "ل" and first.startswith("ال") and len(first) > MIN_REST:
                    self._forms[prefix + first[1:]].append((len(prefix), names))  # للجيش: ل + الجيش
        for forms in self._forms.values():
            forms.sort(key=lambda form: form[0])

    def occurrences(self, text: str) -> Counter[str]:
        parts = SPLIT_WORDS.split(fast_fold(text))
        tokens = parts[1::2]
        n = len(tokens)
        forms_of = self._forms
        counts: Counter[str] = Counter()
        after_last = 0
        for i in [i for i, word in enumerate(tokens) if word in forms_of]:
            if i < after_last:
                continue
            best: tuple[int, int, str] | None = None  # words, strip, key
            for strip, names in forms_of[tokens[i]]:
                for count, tail, key in names:
                    if best is not None and (count < best[0] or (count == best[0] and strip >= best[1])):
                        break
                    if count > 1 and (
                        i + count > n
                        or tokens[i + 1 : i + count] != tail
                        or not all(_joins(parts[2 * j + 2]) for j in range(i, i + count - 1))
                    ):
                        continue
                    best = (count, strip, key)
                    break
            if best is not None:
                counts[best[2]] += 1
                after_last = i + best[0]
        return counts


def _fold_table() -> tuple[tuple[str, str], ...]:
    """What :func:`~workbench.core.text.fold.fold` does to each character it changes beyond
    ``lower()`` (harakat and tatweel dropped, letter forms and digits mapped), read from ``fold``
    itself so that the two cannot drift apart."""
    candidates = [chr(c) for r in ((0x0600, 0x0700), (0x0750, 0x0780), (0x08A0, 0x0900)) for c in range(*r)]
    table = [(c, folded) for c in candidates if (folded := fold(c)) != c.lower()]
    return (*table, ("Σ", fold("Σ")))  # σ everywhere: lower() alone gives ς at a word's end


_FOLD_TABLE = _fold_table()


def fast_fold(text: str) -> str:
    """:func:`~workbench.core.text.fold.fold`, three times faster on long texts: ``str.replace``
    of the few characters a text holds instead of ``str.translate`` with a dict (which looks up
    every character). Equal to ``fold`` (tests/test_values_learning.py checks it)."""
    text = unicodedata.normalize("NFC", text)
    for char, folded in _FOLD_TABLE:
        if char in text:
            text = text.replace(char, folded)
    return text.lower()


def _joins(gap: str) -> bool:
    """Whether two words separated by ``gap`` may belong to one phrase (spaces, no line break)."""
    return gap == " " or bool(NAME_GAP.fullmatch(gap))

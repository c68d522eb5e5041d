"""Span edges: graphemes stay whole, edges are trimmed and snapped to words, proclitics."""

from __future__ import annotations

import re
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.core.text.boundaries import (
    PROCLITICS,
    grapheme_ceil,
    grapheme_floor,
    is_grapheme_boundary,
    next_grapheme_edge,
    next_word_edge,
    selection_problem,
    snap,
    trim,
    without_proclitic,
    word_end,
    word_start,
)
from workbench.resources import sample_corpus_files

FAMILY = "👨\u200d👩\u200d👧"  # five code points, one grapheme
QUTILA = "قُتِلَ"  # three letters, each with a haraka
DATE_SENTENCE = "وقع الهجوم يوم 19 يناير 2019، في بنغازي"
EDGE_JUNK = [" ", "،", ".", "«", "»", '"', "“", "”", "؛", "؟", "(", ")", "\u200f", "\u200e", "\xa0", "\n", "\t"]


def _corpus() -> dict[str, str]:
    return {f.stem: f.read_text(encoding="utf-8") for f in sample_corpus_files()}


CORPUS = _corpus()


def _all_boundaries(text: str) -> set[int]:
    """Grapheme boundaries found by segmenting the whole text from its start."""
    return {0} | {m.end() for m in regex.finditer(r"\X", text)}


def _select(text: str, selected: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(selected, start + 1)
    return start, start + len(selected)


def _snapped(text: str, start: int, end: int, **kwargs) -> str | None:
    result = snap(text, start, end, **kwargs)
    return None if result is None else text[result[0] : result[1]]


# --- graphemes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, boundaries",
    [
        (QUTILA, [0, 2, 4, 6]),
        (FAMILY, [0, 5]),
        ("e\u0301", [0, 2]),
        ("🇱🇾🇹🇳", [0, 2, 4]),
        ("\r\n", [0, 2]),
        ("بـ”كتيبة", list(range(9))),
        ("ب\u200dا", [0, 2, 3]),  # ZWJ stays with the letter before it
        ("", [0]),
    ],
)
def test_grapheme_boundaries(text, boundaries):
    assert [i for i in range(-2, len(text) + 3) if is_grapheme_boundary(text, i)] == boundaries


def test_floor_and_ceil_move_out_of_a_grapheme():
    text = "قال: " + QUTILA + " " + FAMILY + "!"
    q = text.index(QUTILA)
    assert [grapheme_floor(text, q + i) for i in range(7)] == [q, q, q + 2, q + 2, q + 4, q + 4, q + 6]
    assert [grapheme_ceil(text, q + i) for i in range(7)] == [q, q + 2, q + 2, q + 4, q + 4, q + 6, q + 6]
    f = text.index(FAMILY)
    for i in range(1, 5):
        assert grapheme_floor(text, f + i) == f
        assert grapheme_ceil(text, f + i) == f + 5


def test_floor_and_ceil_outside_the_text_give_its_ends():
    assert grapheme_floor("abc", -5) == grapheme_ceil("abc", -5) == 0
    assert grapheme_floor("abc", 9) == grapheme_ceil("abc", 9) == 3


def test_graphemes_longer_than_any_window_stay_whole():
    text = "ب" + "\u064e" * 150 + "ت" + "🇱🇾" * 60 + "x"
    assert [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)] == sorted(_all_boundaries(text))
    assert grapheme_ceil(text, 3) == 151
    assert grapheme_floor(text, 140) == 0
    assert grapheme_floor(text, 152 + 101) == 152 + 100


def test_every_corpus_offset_agrees_with_whole_text_segmentation():
    for name, text in CORPUS.items():
        expected = _all_boundaries(text)
        found = {i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)}
        assert found == expected, name


SEGMENT_ALPHABET = st.sampled_from(
    list("بتثقلمنوي ")
    + ["\u064e", "\u0650", "\u0651", "\u0652", "\u0670", "\u0640"]
    + ["\u200d", "\u200c", "\u200f", "\r", "\n", "\u0600", "١", "9"]
    + ["👨", "👩", "👧", "🏽", "\ufe0f", "🇱", "🇾", "🇹"]
    + ["\u1100", "\u1161", "\u11a8", "\uac00"]  # Hangul jamo and a syllable
    + ["\u0915", "\u094d", "\u0937"]  # Devanagari consonants and virama
    + ["e", "\u0301"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(SEGMENT_ALPHABET, max_size=40).map("".join))
def test_boundaries_match_whole_text_segmentation(text):
    expected = _all_boundaries(text)
    for i in range(len(text) + 1):
        assert is_grapheme_boundary(text, i) == (i in expected), i
        assert grapheme_floor(text, i) == max(b for b in expected if b <= i)
        assert grapheme_ceil(text, i) == min(b for b in expected if b >= i)


# --- trim and snap -------------------------------------------------------------------------


@pytest.mark.parametrize("junk", EDGE_JUNK)
def test_snap_trims_spaces_punctuation_and_format_characters(junk):
    text = f"قال {junk}{junk}طرابلس{junk}{junk} أمس"
    start, end = _select(text, f"{junk}{junk}طرابلس{junk}{junk}")
    for to_words in (True, False):
        assert _snapped(text, start, end, to_words=to_words) == "طرابلس"
    assert text[slice(*trim(text, start, end))] == "طرابلس"


def test_snap_trims_a_mix_of_junk_at_both_edges():
    text = "قال المتحدث: «\u200f\xa0(أحمد المسماري)\u200e»، ثم"
    start, end = _select(text, ": «\u200f\xa0(أحمد المسماري)\u200e»،")
    assert _snapped(text, start, end) == "أحمد المسماري"
    assert _snapped(text, start, end, to_words=False) == "أحمد المسماري"


def test_snap_widens_a_date_selection_to_whole_words():
    text = DATE_SENTENCE
    start = text.index("19") + 1  # between 1 and 9
    end = text.index("2019") + 2  # between 20 and 19
    assert _snapped(text, start, end) == "19 يناير 2019"
    assert _snapped(text, end, start) == "19 يناير 2019"  # a drag from right to left
    assert _snapped(text, start, text.index("2019") + 5) == "19 يناير 2019"  # takes the ، in
    assert _snapped(text, start, end, to_words=False) == "9 يناير 20"


def test_snap_finds_the_date_in_the_corpus():
    text = CORPUS["000_1d4f535c4afa2fda"]
    at = text.index("19 يناير 2019")
    assert _snapped(text, at + 1, at + 11) == "19 يناير 2019"
    assert _snapped(text, at - 1, at + 14) == "19 يناير 2019"


@pytest.mark.parametrize("after", ["،", '"', "”", "»", ".", "، ", '" ', ")"])
def test_a_span_ending_in_digits_next_to_punctuation(after):
    text = f"أسر قوات تتبع اللواء المجحفل 106{after}والكتيبة 107"
    start, end = _select(text, "اللواء المجحفل 106" + after)
    assert _snapped(text, start, end) == "اللواء المجحفل 106"
    assert _snapped(text, start, end, to_words=False) == "اللواء المجحفل 106"
    exact = _select(text, "اللواء المجحفل 106")
    assert snap(text, *exact) == exact
    # The drag stops in the middle of the number or of the first word.
    assert _snapped(text, exact[0] + 3, exact[1] - 2) == "اللواء المجحفل 106"
    assert _snapped(text, exact[0], exact[1] - 2, to_words=False) == "اللواء المجحفل 1"


def test_the_brigade_in_the_corpus():
    text = CORPUS["002_af682284de1024ff"]
    start, end = _select(text, "اللواء المجحفل 106 ")
    assert _snapped(text, start - 1, end) == "اللواء المجحفل 106"
    start, end = _select(text, 'لـ"حفتر"،')
    assert _snapped(text, start, end) == 'لـ"حفتر'  # the word لـ and the name: whole words
    start, end = _select(text, '"حفتر"،')
    assert _snapped(text, start, end) == "حفتر"


def test_snap_keeps_graphemes_whole():
    text = "قالوا إنه " + QUTILA + " أمس " + FAMILY + " نعم e\u0301t"
    q = text.index(QUTILA)
    for start in range(q, q + 6):
        for end in range(start + 1, q + 7):
            got = snap(text, start, end, to_words=False)
            assert got is not None
            assert is_grapheme_boundary(text, got[0]) and is_grapheme_boundary(text, got[1])
            assert q <= got[0] < got[1] <= q + 6
            assert snap(text, start, end) == (q, q + 6)
    assert snap(text, q + 1, q + 3, to_words=False) == (q, q + 4)  # قُتِ: partial word, whole graphemes
    e = text.index("e\u0301")
    assert snap(text, e + 1, e + 3, to_words=False) == (e, e + 3)
    assert snap(text, e, e + 1, to_words=False) == (e, e + 2)


def test_an_emoji_is_not_part_of_a_span():
    text = "مرحبا" + FAMILY + " بكم"
    f = text.index(FAMILY)
    for end in range(f, f + 6):
        assert snap(text, 0, end) == (0, 5)
        assert snap(text, 0, end, to_words=False) == (0, 5)
    for start in range(f, f + 5):
        assert snap(text, start, f + 5) is None
        assert _snapped(text, start, len(text)) == "بكم"


@pytest.mark.parametrize(
    "text",
    ["   ", "، « » “ ” ؛ ؟ ( )", "\u200f\u200e\xa0", FAMILY, " \u064e ", "...!!", "\n\n"],
)
def test_nothing_to_annotate_gives_none(text):
    assert snap(text, 0, len(text)) is None
    assert snap(text, 0, len(text), to_words=False) is None
    start, end = trim(text, 0, len(text))
    assert start == end


def test_only_the_spaces_between_words_give_none():
    text = "قوات حفتر ، في"
    assert snap(text, 4, 5) is None
    assert snap(text, 9, 12) is None
    assert snap(text, 3, 3) is None  # an empty selection
    assert snap(text, -10, 100) == (0, len(text))  # clamped to the text


def test_a_haraka_on_a_space_does_not_make_it_part_of_a_span():
    text = "قال \u064e حفتر"  # a stray fatha sitting on a space
    assert _snapped(text, 0, len(text)) == "قال \u064e حفتر"
    assert _snapped(text, 3, len(text)) == "حفتر"
    assert _snapped(text, 4, len(text)) == "حفتر"
    assert _snapped(text, 0, 6) == "قال"
    text = " \u064eقتل"
    assert snap(text, 2, 5) == (2, 5)
    assert snap(text, 0, 5) == (2, 5)


def test_tatweel_and_joiners_belong_to_the_word():
    text = "قال مـــصراتة و بـ”كتيبة"
    assert _snapped(text, text.index("ص"), text.index("ص") + 1) == "مـــصراتة"
    assert _snapped(text, text.index("بـ"), text.index("بـ") + 1) == "بـ"
    text = "كلمة مي\u200cخواهم أخرى"
    assert _snapped(text, text.index("خ"), text.index("خ") + 1) == "مي\u200cخواهم"


def test_word_start_and_word_end():
    text = DATE_SENTENCE
    i = text.index("يناير")
    for offset in range(i, i + 6):
        assert word_start(text, offset) == i
        assert word_end(text, offset) == i + 5
    space = text.index(" ")
    assert word_start(text, space + 1) == space + 1
    assert word_end(text, space) == space
    comma = text.index("،")
    assert word_end(text, comma) == comma
    assert word_start(text, comma) == text.index("2019")
    q = "ضرب " + QUTILA
    assert word_start(q, len(q) - 1) == 4  # from inside the last grapheme
    assert word_end(q, 5) == len(q)


# --- moving by word and by character -----------------------------------------------------


def test_next_word_edge_forward_and_backward():
    text = "«قتل 18»، و" + QUTILA + "!"
    edges = [0]
    while edges[-1] < len(text):
        step = next_word_edge(text, edges[-1], +1)
        assert step > edges[-1]
        edges.append(step)
    assert edges == [0, 4, 7, 17, len(text)]
    back = [len(text)]
    while back[-1] > 0:
        step = next_word_edge(text, back[-1], -1)
        assert step < back[-1]
        back.append(step)
    assert back == [len(text), 10, 5, 1, 0]
    assert next_word_edge(text, len(text), +1) == len(text)
    assert next_word_edge(text, 0, -1) == 0
    assert next_word_edge("", 0, 1) == next_word_edge("", 0, -1) == 0


def test_next_grapheme_edge_forward_and_backward():
    text = "ب" + QUTILA + FAMILY + "e\u0301"
    forward = [0]
    while next_grapheme_edge(text, forward[-1], +1) != forward[-1]:
        forward.append(next_grapheme_edge(text, forward[-1], +1))
    assert forward == [0, 1, 3, 5, 7, 12, 14]
    backward = [len(text)]
    while next_grapheme_edge(text, backward[-1], -1) != backward[-1]:
        backward.append(next_grapheme_edge(text, backward[-1], -1))
    assert backward == forward[::-1]
    assert next_grapheme_edge(text, 8, +1) == 12  # from inside the emoji
    assert next_grapheme_edge(text, 8, -1) == 7
    assert next_grapheme_edge(text, len(text), +1) == len(text)
    assert next_grapheme_edge(text, 0, -1) == 0


# --- proclitics ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, expected",
    [
        ("وطرابلس", "طرابلس"),
        ("ببنغازي", "بنغازي"),
        ("لحفتر", "حفتر"),
        ("فسرت", "سرت"),
        ("كالأسد", "الأسد"),
        ("وَطرابلس", "طرابلس"),  # the و and its fatha go together
        ("وّطرابلس", "طرابلس"),
        ("بـ”كتيبة", "بـ”كتيبة"),  # a quote, not the word, follows the clitic and its tatweel
        ("بـكتيبة", "كتيبة"),  # the tatweel goes with the clitic
        ("لـــحفتر", "حفتر"),
        ("بـ1500", "بـ1500"),  # no letters would remain
        ("وـا", "وـا"),
        ("في", "في"),
        ("ول", "ول"),
        ("ولا", "لا"),
        ("و", "و"),
        ("طرابلس", "طرابلس"),
        ("مصراتة", "مصراتة"),
        ("حفتر", "حفتر"),
        ("و 30", "و 30"),
    ],
)
def test_without_proclitic(word, expected):
    text = f"قال {word} أمس"
    start, end = _select(text, word)
    new_start, new_end = without_proclitic(text, start, end)
    assert new_end == end
    assert text[new_start:new_end] == expected
    assert selection_problem(text, new_start, new_end) is None


def test_without_proclitic_strips_one_letter_only_and_leaves_bad_input_alone():
    text = "وببنغازي"
    assert without_proclitic(text, 0, len(text)) == (1, len(text))
    assert without_proclitic(text, 1, len(text)) == (2, len(text))
    assert without_proclitic(text, 3, 3) == (3, 3)
    assert without_proclitic(text, 5, 2) == (5, 2)
    assert without_proclitic(text, -1, 4) == (-1, 4)
    assert frozenset("وفبلك") == PROCLITICS


def test_without_proclitic_on_the_corpus():
    text = CORPUS["000_1d4f535c4afa2fda"]
    start, end = _select(text, "وطرابلس")
    assert text[slice(*without_proclitic(text, start, end))] == "طرابلس"


# --- problems -----------------------------------------------------------------------------


def test_selection_problem_messages():
    text = "ضرب " + QUTILA
    assert selection_problem(text, 0, 3) is None
    assert selection_problem(text, 4, len(text)) is None
    assert "outside" in selection_problem(text, -1, 3)
    assert "outside" in selection_problem(text, 2, len(text) + 1)
    assert "outside" in selection_problem(text, 20, 30)
    assert "empty" in selection_problem(text, 2, 2)
    assert "empty" in selection_problem(text, 3, 2)
    message = selection_problem(text, 5, len(text))
    assert "starts inside a character" in message and "5" in message
    message = selection_problem(text, 4, 7)
    assert "ends inside a character" in message and "7" in message
    assert "inside" in selection_problem(FAMILY, 0, 2)
    assert "inside" in selection_problem("e\u0301", 0, 1)


def test_every_corpus_word_snaps_to_a_valid_span():
    for name, text in CORPUS.items():
        for match in re.finditer(r"\S+", text):
            got = snap(text, match.start(), match.end())
            if got is None:
                assert not any(unicodedata.category(c)[0] in "LN" for c in match.group()), match.group()
                continue
            assert selection_problem(text, *got) is None, (name, match.group())
            assert snap(text, *got) == got
            assert match.start() <= got[0] < got[1] <= match.end()


# --- properties ---------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("ابتجحدرسعقلمنهوية")
    + ["أ", "إ", "ى", "ة", "ء", "\u0640"]
    + ["\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670"]
    + [" ", " ", " ", "\n", "\xa0", "\u200f", "\u200e"]
    + list("0123456789٠١٢٣٤٥٦٧٨٩")
    + list('،.«»"“”؛؟():!-')
    + ["\u200d", "\u200c", "👨", "👩", "👧", "🏽", "🇱", "🇾", "\ufe0f", "e", "\u0301"]
)
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PZ"


@st.composite
def text_and_selection(draw):
    text = draw(TEXTS)
    start = draw(st.integers(-2, len(text) + 2))
    end = draw(st.integers(-2, len(text) + 2))
    return text, start, end


def _check_span(text: str, got: tuple[int, int]) -> None:
    start, end = got
    assert 0 <= start < end <= len(text)
    assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    assert not _is_edge_junk(text[start]) and not _is_edge_junk(text[end - 1])
    assert selection_problem(text, start, end) is None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_selection(), st.booleans())
def test_snap_gives_a_valid_span_or_none(case, to_words):
    text, start, end = case
    got = snap(text, start, end, to_words=to_words)
    lo = max(0, min(len(text), min(start, end)))
    hi = max(0, min(len(text), max(start, end)))
    if got is None:
        assert not any(unicodedata.category(c)[0] in "LN" for c in text[lo:hi])
        return
    _check_span(text, got)
    assert snap(text, *got, to_words=to_words) == got  # idempotent
    if to_words:
        assert word_start(text, got[0]) == got[0] and word_end(text, got[1]) == got[1]
        assert snap(text, *got, to_words=False) == got
    else:
        assert grapheme_floor(text, lo) <= got[0] and got[1] <= grapheme_ceil(text, hi)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_selection(), st.sampled_from(sorted(PROCLITICS)))
def test_without_proclitic_keeps_a_valid_span(case, proclitic):
    text, start, end = case
    text = text[: max(0, start)] + " " + proclitic + text[max(0, start) :]
    got = snap(text, start + 1, end + 2)
    assume(got is not None)
    new = without_proclitic(text, *got)
    assert new[1] == got[1] and got[0] <= new[0] < new[1]
    _check_span(text, new)
    if new != got:
        assert text[got[0]] in PROCLITICS
        assert sum(unicodedata.category(c)[0] == "L" for c in text[new[0] : new[1]]) >= 2


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(-2, 70))
def test_moving_by_word_or_grapheme_stays_on_boundaries(text, offset):
    for direction in (+1, -1):
        word = next_word_edge(text, offset, direction)
        char = next_grapheme_edge(text, offset, direction)
        for moved in (word, char):
            assert 0 <= moved <= len(text)
            assert is_grapheme_boundary(text, moved)
        clamped = max(0, min(len(text), offset))
        if direction > 0:
            assert char > clamped or clamped == len(text)
            assert word >= clamped
        else:
            assert char < clamped or clamped == 0
            assert word <= clamped


@given(
    st.text(alphabet=st.sampled_from("قتلَُِّ \u200d👨👩ب١2،.\u200cا"), max_size=40),
    st.integers(-2, 45),
    st.integers(-2, 45),
)
def test_fits_agrees_with_selection_problem(text, start, end):
    from workbench.core.text.boundaries import fits

    assert fits(text, start, end) == (selection_problem(text, start, end) is None)

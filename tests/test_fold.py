"""Search folding: matches found in folded text are reported at the stored text's offsets."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.text.fold import Folded, find_all, fold, fold_with_offsets
from workbench.resources import sample_corpus_files

HARAKA = re.compile("[\u064b-\u065f\u0670]")
CORPUS = {f.stem: f.read_text(encoding="utf-8") for f in sample_corpus_files()}


def _matches(text: str, query: str) -> list[str]:
    return [text[s:e] for s, e in find_all(fold_with_offsets(text), query)]


# --- fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("قُتِلَ", "قتل"),
        ("مـــصراتة", "مصراته"),
        ("أحمد إبراهيم آمر ٱلقوات", "احمد ابراهيم امر القوات"),
        ("مستشفى", "مستشفي"),
        ("١٨ جريحا و٣٠ أسيرا", "18 جريحا و30 أسيرا".replace("أ", "ا")),
        ("۱۲۳", "123"),
        ("ACLED GED", "acled ged"),
        ("سُبْحَانَهُۥ", "سبحانه"),  # a Quranic small waw goes with the harakat
        ("كِتَابٌ ًٌٍّْٰ", "كتاب "),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold_with_offsets(text).text == folded


def test_fold_normalizes_a_decomposed_query():
    assert fold("ا\u0654حمد") == fold("أحمد") == "احمد"  # alef + combining hamza above
    assert fold("e\u0301") == fold("é")


def test_fold_is_idempotent_and_keeps_other_letters():
    for text in CORPUS.values():
        once = fold(text)
        assert fold(once) == once
    assert fold("ؤ ئ ء") == "ؤ ئ ء"


def test_identity_when_nothing_folds():
    folded = fold_with_offsets("ACLED reports 18 dead")
    assert folded.origin is None and folded.text == "acled reports 18 dead"
    assert folded.span(3, 5) == (3, 5)
    assert isinstance(folded, Folded)


def test_final_sigma_folds_like_any_other_sigma():
    text = "ΑΣ ΑΣΑ"
    assert fold(text) == "ασ ασα"
    assert _matches(text, "ΑΣ") == ["ΑΣ", "ΑΣ"]
    assert _matches(text, "σα") == ["ΣΑ"]


def test_case_folding_that_changes_lengths_keeps_offsets():
    text = "İstanbul قُتِل İ"
    assert _matches(text, "stanbul") == ["stanbul"]
    assert _matches(text, "قتل") == ["قُتِل"]
    assert _matches(text, "İ") == ["İ", "İ"]
    assert _matches(text, "i̇stan") == ["İstan"]


# --- find_all ----------------------------------------------------------------------------


def test_finds_a_name_written_with_hamza_in_the_corpus():
    found = 0
    for name, text in CORPUS.items():
        folded = fold_with_offsets(text)
        hits = 0
        for start, end in find_all(folded, "احمد المسماري"):
            assert text[start:end] == "أحمد المسماري", name
            hits += 1
        assert hits == text.count("أحمد المسماري"), name  # every occurrence in this article, no other
        found += hits
    assert found == sum(text.count("أحمد المسماري") for text in CORPUS.values()) == 5


def test_matches_take_in_the_harakat_of_the_matched_letters():
    text = "قال إن ثلاثة قُتِلَ أمس، وقُتِلَتْ امرأة"
    matches = list(find_all(fold_with_offsets(text), "قتل"))
    assert [text[s:e] for s, e in matches] == ["قُتِلَ", "قُتِلَ"]
    first = text.index("قُتِلَ")
    assert matches[0] == (first, first + 6)
    assert _matches(text, "قتلت") == ["قُتِلَتْ"]
    assert _matches(text, "قُتِلَ") == ["قُتِلَ", "قُتِلَ"]  # a query with harakat matches too
    assert _matches("قُتِلَ", "تل") == ["تِلَ"]


def test_a_match_does_not_take_in_a_following_tatweel():
    text = "يعرف بـ”كتيبة و لـ1500"
    assert list(find_all(fold_with_offsets(text), "ب")) == [(5, 6), (11, 12)]
    assert list(find_all(fold_with_offsets(text), "بـ")) == [(5, 6), (11, 12)]  # the query's tatweel is folded away
    assert _matches(text, "ل1500") == ["لـ1500"]


def test_tatweel_is_ignored_both_ways():
    text = "اشتباكات في مـــصراتة ومصراتة"
    assert _matches(text, "مصراتة") == ["مـــصراتة", "مصراتة"]
    assert _matches(text, "مـصـراتـة") == ["مـــصراتة", "مصراتة"]
    for t in CORPUS.values():
        hits = _matches(t, "مـــصراتة")
        assert len(hits) == fold(t).count("مصراته") >= t.count("مصراتة")
        assert all(fold(hit) == "مصراته" for hit in hits)


@pytest.mark.parametrize(
    "text, query, expected",
    [
        ("مستشفى الجلاء", "مستشفي", ["مستشفى"]),
        ("مستشفي الجلاء", "مستشفى", ["مستشفي"]),
        ("مدينة سرت", "مدينه", ["مدينة"]),
        ("مدينه سرت", "مدينة", ["مدينه"]),
        ("إصابة 18 وأسر ٣٠", "١٨", ["18"]),
        ("إصابة ١٨ وأسر 30", "18", ["١٨"]),
        ("إصابة ۱۸", "18", ["۱۸"]),
        ("آمر الكتيبة", "امر", ["آمر"]),
        ("ٱلقوات", "القوات", ["ٱلقوات"]),
        ("Haftar's LNA", "lna", ["LNA"]),
    ],
)
def test_letter_forms_and_digits_fold_both_ways(text, query, expected):
    assert _matches(text, query) == expected


def test_casualties_with_arabic_indic_digits_in_the_corpus():
    text = CORPUS["001_6c20427af2e36eef"]
    assert "18" in text
    assert _matches(text, "١٨") == _matches(text, "18") and _matches(text, "18")


@pytest.mark.parametrize("query", ["", " ", "\t\n", "\xa0", "\u064e\u0650", "\u0640\u0640"])
def test_an_empty_query_finds_nothing(query):
    for text in CORPUS.values():
        assert list(find_all(fold_with_offsets(text), query)) == []


def test_a_query_with_spaces_around_it_is_stripped():
    text = "قوات حفتر في طرابلس"
    assert _matches(text, "  حفتر ") == ["حفتر"]


def test_overlapping_matches_are_all_reported():
    assert list(find_all(fold_with_offsets("ااا"), "اا")) == [(0, 2), (1, 3)]
    assert list(find_all(fold_with_offsets("أاآ"), "اا")) == [(0, 2), (1, 3)]


def test_every_corpus_match_folds_like_the_query():
    for query in ["حفتر", "طرابلس", "الوفاق", "قتل", "ليبيا", "2019", "داعش", "اللواء", "الأربعاء"]:
        total = 0
        for text in CORPUS.values():
            hits = list(find_all(fold_with_offsets(text), query))
            assert len(hits) == fold(text).count(fold(query))
            for start, end in hits:
                assert fold(text[start:end]) == fold(query)
                assert end == len(text) or not HARAKA.match(text[end])  # no haraka left behind
            total += len(hits)
        assert total > 0, query


# --- properties --------------------------------------------------------------------------

ALPHABET = st.one_of(
    st.sampled_from(
        list("ابتجحدرسعقلمنهوي ")
        + ["أ", "إ", "آ", "ٱ", "ى", "ة", "ء", "ؤ", "ئ", "\u0640"]
        + ["\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670", "\u0654"]
        + list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲")
        + list('،.«»"“”؛؟ \xa0\n')
        + list("AaΣσςİßé")
        + ["😀", "\u200d", "\u200c"]
    ),
    st.characters(codec="utf-8"),
)
TEXTS = st.lists(ALPHABET, min_size=1, max_size=50).map(lambda chars: unicodedata.normalize("NFC", "".join(chars)))


@st.composite
def text_and_query(draw):
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, text[start:end]


@settings(max_examples=400, deadline=None)
@given(text_and_query())
def test_a_substring_is_always_found_where_it_is(case):
    text, query = case
    needle = fold(query).strip()
    matches = list(find_all(fold_with_offsets(text), query))
    if not needle:
        assert matches == []
        return
    assert matches
    for start, end in matches:
        assert 0 <= start < end <= len(text)
    assert any(fold(text[start:end]).strip() == needle for start, end in matches)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_folded_offsets_point_back_at_the_stored_text(text):
    folded = fold_with_offsets(text)
    assert folded.text == fold(text)
    for i in range(len(folded.text)):
        start, end = folded.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert folded.text[i] in fold(text[start:end]) or fold(text[start:end]) == ""

"""Normalisation at import, and the checks that refuse text nobody should annotate."""

import hashlib
import unicodedata

import arabic_reshaper
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.text.normalise import content_hash, normalize, prepare, problem, starts_rtl


def test_line_endings_become_newlines():
    assert normalize("أ\r\nب\rج\u2028د\u2029هـ\n") == "أ\nب\nج\nد\nهـ\n"


def test_bidi_controls_zero_width_space_soft_hyphen_and_bom_are_removed():
    text = "\ufeff\u202bقال\u202c \u2067المسماري\u2069 \u200bإن\u00ad\ufeff"
    assert normalize(text) == "قال المسماري إن"


def test_joiners_and_directional_marks_are_kept():
    text = "می\u200cخواهم \u200dب\u200d \u200fأ\u200e"
    assert normalize(text) == text


def test_nfc_composes_hamza_and_orders_harakat():
    # ALEF + combining HAMZA ABOVE is NFC-composed to U+0623; shadda/fatha order is canonical.
    assert normalize("\u0627\u0654") == "\u0623"
    assert normalize("ش\u064e\u0651") == unicodedata.normalize("NFC", "ش\u0651\u064e")


def test_hash_is_sha256_of_utf8():
    assert content_hash("ليبيا") == hashlib.sha256("ليبيا".encode()).hexdigest()


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.sampled_from("بنغازي \r\n\u2028\u202b\u200b\u0654\u064e\u0651\ufeffا")))
def test_normalize_is_idempotent_on_arabic_with_controls(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "\r" not in once and "\ufeff" not in once and "\u200b" not in once


def test_the_sample_corpus_passes_every_check(corpus_texts):
    for name, text in corpus_texts.items():
        assert problem(normalize(text)) is None, name


def test_empty_and_whitespace_only():
    assert "empty" in problem("")
    assert "only whitespace" in problem(" \n\t \n")


def test_control_characters_mean_binary():
    assert "binary" in problem("abc\x00def")
    assert "binary" in problem("".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13)) * 20)
    # One stray control character in a long article is not a binary file.
    assert problem("ليبيا " * 200 + "\x07") is None


def test_mojibake_is_refused_and_real_text_with_ta_before_comma_is_not(corpus_texts):
    original = corpus_texts["002_af682284de1024ff"]
    garbled = original.encode("utf-8").decode("cp1256", errors="replace")
    assert "garbled" in problem(normalize(garbled))
    assert problem("ط¨ظ†ط؛ط§ط²ظٹ ط¨ظ†ط؛ط§ط²ظٹ") is not None
    assert problem("قال فقط، ثم ضغط، وربط، وخط، " * 5) is None


def test_presentation_forms_are_refused_but_a_ligature_is_fine(corpus_texts):
    reshaped = arabic_reshaper.reshape(corpus_texts["004_81a9822a3aa30eff"])
    assert "presentation forms" in problem(normalize(reshaped))
    assert problem("قال رسول الله ﷺ إن " * 3) is None


def test_starts_rtl():
    assert starts_rtl("2019 «ليبيا»")
    assert not starts_rtl("Reuters: ليبيا")
    assert not starts_rtl("123")


@given(
    st.text(alphabet=st.sampled_from("طظعغ§„ٹ†“”،\u00a0 اليبنقت\r\u2028\u200b\ufeff\x00\x07\ufe8d\ufee0ﷺ\u0627\u0654"))
)
def test_the_fast_path_gives_what_normalize_and_problem_give(text):
    assert prepare(text) == (normalize(text), problem(normalize(text)))


def test_the_fast_path_on_the_sample_corpus(corpus_texts):
    for text in corpus_texts.values():
        assert prepare(text) == (normalize(text), None)

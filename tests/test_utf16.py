"""Code point offsets (stored spans) <-> UTF-16 offsets (Qt), with text outside the BMP."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.text.utf16 import Utf16Map
from workbench.resources import sample_corpus_files


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_round_trip(text: str) -> None:
    offsets = Utf16Map(text)
    assert offsets.utf16_length() == _units(text)
    assert offsets.identity == (_units(text) == len(text))
    starts = set()
    for o in range(len(text) + 1):
        u = offsets.to_utf16(o)
        assert u == _units(text[:o])
        assert offsets.to_codepoint(u) == o
        starts.add(u)
    for u in range(offsets.utf16_length() + 1):
        if u in starts:
            continue
        # Between the two halves of a surrogate pair: the start of that character.
        o = offsets.to_codepoint(u)
        assert ord(text[o]) > 0xFFFF
        assert offsets.to_utf16(o) == u - 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "قُتِلَ أربعة في بنغازي",
        "😀",
        "a😀b",
        "😀😀",
        "قال 👨\u200d👩\u200d👧 إن 𝔸 و\xa0ب",
        "𝔸" * 5 + "x" + "🇱🇾",
        "\U0010ffff\uffff\U00010000",
    ],
)
def test_round_trip_on_known_text(text):
    _check_round_trip(text)


def test_surrogate_pair_halves():
    text = "ب😀ت𝔸"
    offsets = Utf16Map(text)
    assert not offsets.identity
    assert [offsets.to_utf16(o) for o in range(len(text) + 1)] == [0, 1, 3, 4, 6]
    assert [offsets.to_codepoint(u) for u in range(7)] == [0, 1, 1, 2, 3, 3, 4]
    assert offsets.utf16_length() == 6


def test_bmp_text_maps_one_to_one():
    for text in ["", "ascii only", "أحمد المسماري\xa0قال: «19 يناير 2019»", "\uffff\ue000"]:
        offsets = Utf16Map(text)
        assert offsets.identity
        assert offsets.utf16_length() == len(text)
        assert all(offsets.to_utf16(o) == o and offsets.to_codepoint(o) == o for o in range(len(text) + 1))


def test_the_corpus_is_pure_bmp_and_a_prefix_emoji_shifts_every_offset():
    for path in sample_corpus_files():
        text = path.read_text(encoding="utf-8")
        offsets = Utf16Map(text)
        assert offsets.identity
        assert offsets.utf16_length() == len(text) == _units(text)
        shifted = Utf16Map("𝔸" + text)
        assert not shifted.identity
        at = text.find("حفتر")
        if at >= 0:
            assert shifted.to_utf16(at + 1) == at + 2
            assert shifted.to_codepoint(at + 2) == at + 1
        assert shifted.utf16_length() == len(text) + 2


TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # anything, astral planes included
        st.sampled_from(["😀", "👨", "\u200d", "👩", "𝔸", "\xa0", "\u200c", "ب", "\u064e", "\U0010ffff"]),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_round_trip_property(text):
    _check_round_trip(text)

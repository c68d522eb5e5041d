"""Offsets between code points (how spans are stored) and UTF-16 units (how Qt counts).

The one place where the two meet. Text without characters outside the Basic
Multilingual Plane (nearly all Arabic news) maps one to one, at no cost.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Converts offsets for one text. Build it once per document."""

    def __init__(self, text: str):
        # Code point indices of the characters that take two UTF-16 units (found by a
        # regular expression: a Python loop over 50,000 characters costs milliseconds).
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        self._length = len(text)
        # The same characters' UTF-16 offsets (their first unit).
        self._astral_utf16 = [i + n for n, i in enumerate(self._astral)]

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        """Code point offset -> UTF-16 offset."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_codepoint(self, offset: int) -> int:
        """UTF-16 offset -> code point offset. An offset between the two halves of a
        surrogate pair is taken to the start of that character."""
        if not self._astral:
            return offset
        whole = bisect_right(self._astral_utf16, offset - 2)  # pairs wholly before offset
        if whole < len(self._astral_utf16) and self._astral_utf16[whole] == offset - 1:
            return self._astral[whole]
        return offset - whole

    def utf16_length(self) -> int:
        return self._length + len(self._astral)

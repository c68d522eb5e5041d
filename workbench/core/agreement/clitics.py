"""Boundary conflicts that differ only by an Arabic proclitic ("وطرابلس" vs "طرابلس").

Definition used by the agreement counts. Two spans of one document differ only by a
proclitic when

1. they end at the same offset,
2. one starts earlier than the other, and
3. the extra leading text of the longer one, ``text[longer.start:shorter.start]``, is
   a non-empty sequence of proclitics in their written order: an optional conjunction
   (و or ف), then an optional preposition (ب, ل or ك), then an optional article (ال).

So "وطرابلس"/"طرابلس" (و), "بالموصل"/"الموصل" (ب), "الجيش"/"جيش" (ال),
"وبالموصل"/"موصل" (و+ب+ال) count; "طرابلس،"/"طرابلس" (a trailing difference),
"في غزة"/"غزة" (a whole word) and "سوريا"/"ريا" do not (that last one's extra text
"سو" is no proclitic sequence). The check looks at characters only: it cannot tell a
proclitic from a root letter that happens to be one of these (بغداد starts with ب), which
is fine here because both spans already cover the same word.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import product
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported when the vectorised check is used, not at start-up
    import numpy as np

PROCLITIC_PREFIX = re.compile(r"[وف]?[بلك]?(?:ال)?")
MAX_PREFIX = 4  # و + ب + ال


def is_proclitic_prefix(prefix: str) -> bool:
    """True if ``prefix`` is a non-empty proclitic sequence (conjunction, preposition, article)."""
    return bool(prefix) and PROCLITIC_PREFIX.fullmatch(prefix) is not None


def differ_by_proclitic(text: str, start_a: int, end_a: int, start_b: int, end_b: int) -> bool:
    """True if spans a and b of ``text`` differ only by leading proclitics (see module docstring)."""
    if end_a != end_b or start_a == start_b:
        return False
    lo, hi = min(start_a, start_b), max(start_a, start_b)
    if hi - lo > MAX_PREFIX or hi >= end_a:
        return False
    return is_proclitic_prefix(text[lo:hi])


# Every proclitic sequence, packed as (length, code points) into one integer per prefix.
PREFIXES = frozenset(
    conj + prep + art for conj, prep, art in product(("", "و", "ف"), ("", "ب", "ل", "ك"), ("", "ال"))
) - {""}
_BITS = 12  # Arabic letters lie below U+1000


def _pack(cps: np.ndarray, lo: np.ndarray, size: np.ndarray) -> np.ndarray:
    import numpy as np

    key = size.astype(np.int64)
    ok = np.ones(len(lo), dtype=bool)
    for i in range(MAX_PREFIX):
        inside = i < size
        cp = np.where(inside, cps[np.minimum(lo + i, len(cps) - 1)], 0).astype(np.int64)
        ok &= cp < (1 << _BITS)
        key |= cp << (4 + _BITS * i)
    return np.where(ok, key, -1)


@cache
def _prefix_keys() -> np.ndarray:
    import numpy as np

    return np.sort(
        _pack(
            np.array([ord(c) for p in sorted(PREFIXES) for c in p], dtype=np.uint32),
            np.cumsum([0] + [len(p) for p in sorted(PREFIXES)])[:-1],
            np.array([len(p) for p in sorted(PREFIXES)]),
        )
    )


def proclitic_prefix_mask(cps: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Vectorised :func:`is_proclitic_prefix` of ``text[lo:hi]`` for many ranges of one code point array."""
    import numpy as np

    size = hi - lo
    fits = (size >= 1) & (size <= MAX_PREFIX)
    out = np.zeros(len(lo), dtype=bool)
    if fits.any():
        out[fits] = np.isin(_pack(cps, lo[fits], size[fits]), _prefix_keys())
    return out

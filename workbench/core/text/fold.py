"""Search that forgives spelling variants: harakat, tatweel and letter forms are folded.

``fold`` removes harakat and tatweel and maps أ إ آ ٱ → ا, ى → ي, ة → ه (and
Arabic-Indic digits to ASCII), keeping a map from each folded character back
to the stored text, so a match is reported at the stored text's offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, Quranic marks, tatweel
_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # str.lower() gives Σ as ς at a word's end and σ elsewhere: a query cut out of a
        # word would then not find that word. Lower it the same way everywhere.
        "Σ": "σ",
        **{d: str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")},
        **{d: str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")},
    }
)


# The same mapping as pairs: a chain of str.replace (for the letters present) is 6x faster
# than str.translate on Arabic text, whose every character translate looks up in a dict.
_PAIRS = tuple((chr(k), v) for k, v in _MAP.items())


def _mapped(text: str) -> str:
    """``text.translate(_MAP)``, faster (every pair maps one character to one)."""
    for old, new in _PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold(text: str) -> str:
    """The searchable form of ``text`` (no offsets kept): what a query is turned into."""
    return _mapped(_DROP.sub("", unicodedata.normalize("NFC", text))).lower()


@dataclass(frozen=True)
class Folded:
    text: str
    origin: list[int] | None  # origin[i]: stored offset of folded character i (None: identity)
    # reach[i]: stored end of folded character i, past the harakat dropped after it
    # (None: origin[i] + 1 throughout)
    reach: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Stored ``[start, end)`` of the folded match ``[start, end)``: a match that ends
        on a letter takes in the harakat on it (``قتل`` in ``قُتِلَ`` is all of ``قُتِلَ``)."""
        if self.origin is None:
            return start, end
        if self.reach is None:
            return self.origin[start], self.origin[end - 1] + 1
        return self.origin[start], self.reach[end - 1]


def fold_with_offsets(text: str) -> Folded:
    """Fold stored (NFC) text keeping the way back. Case folding that changes
    lengths (ß → ss) is left out here so that offsets stay exact."""
    dropped = [m.start() for m in _DROP.finditer(text)]
    folded = _mapped(_DROP.sub("", text)).lower()
    if not dropped and len(folded) == len(text):
        return Folded(folded, None)
    # after[j]: where the run of dropped marks (harakat) starting at j ends.
    dropped_set = set(dropped)
    after = list(range(len(text) + 1))
    for j in range(len(text) - 1, -1, -1):
        if j in dropped_set and unicodedata.category(text[j])[0] == "M":
            after[j] = after[j + 1]
    keep = [i for i in range(len(text)) if i not in dropped_set]
    if len(keep) != len(folded):  # lower() changed a length: fold character by character
        pieces, origin, reach = [], [], []
        for i in keep:
            piece = text[i].translate(_MAP).lower()
            pieces.append(piece)
            origin.extend([i] * len(piece))
            reach.extend([after[i + 1]] * len(piece))
        return Folded("".join(pieces), origin, reach)
    return Folded(folded, keep, [after[i + 1] for i in keep])


def find_all(folded: Folded, query: str) -> Iterator[tuple[int, int]]:
    """Every match of ``query`` (folded the same way) as stored ``(start, end)``."""
    needle = fold(query).strip()
    if not needle:
        return
    position = folded.text.find(needle)
    while position >= 0:
        yield folded.span(position, position + len(needle))
        position = folded.text.find(needle, position + 1)

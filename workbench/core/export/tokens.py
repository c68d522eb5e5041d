"""The export's tokenizer: offset-keeping Arabic tokens, one regex, and a vectorised twin.

A token is, in code points of the stored text (half-open, like spans):

- a *word*: a maximal run of letters, combining marks (harakat stay inside their word)
  and format characters (ZWNJ, ZWJ, the directional marks): ``[\\p{L}\\p{M}\\p{Cf}]+``;
- a *number*: a maximal run of decimal digits of any script (``0-9``, ``٠-٩``, ``۰-۹``),
  with single ``.`` ``,`` ``٫`` ``٬`` between digits kept inside (``1,000``, ``3.5``, ``٣٫٥``);
- any other character that is not whitespace, on its own: punctuation (``، ؛ ؟ « » . :``),
  quotes, brackets, symbols, emoji.

Whitespace (the ``regex`` module's ``\\s``) separates tokens and is never inside one.
Letters and digits are different tokens (``F16`` is ``F`` + ``16``).

:func:`tokenize` is the definition (one ``regex`` ``finditer``; the ``re`` module would
split words at their harakat). :func:`token_arrays` computes the same tokens for many
documents at once with numpy (the exports of 10,000 documents use it); a test holds the
two equal.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import regex

_WORD_CHARS = r"\p{L}\p{M}\p{Cf}"
_SEPARATORS = ".,\u066b\u066c"  # . , ARABIC DECIMAL SEPARATOR, ARABIC THOUSANDS SEPARATOR
TOKEN = regex.compile(
    rf"[{_WORD_CHARS}]+|\p{{Nd}}+(?:[{regex.escape(_SEPARATORS)}]\p{{Nd}}+)*|[^\s]",
    regex.V0,
)

# Character classes of the vectorised tokenizer.
SPACE, WORD, DIGIT, SEPARATOR, OTHER = range(5)


def tokenize(text: str) -> list[tuple[int, int]]:
    """The tokens of ``text`` as ``(start, end)`` code-point offsets (see the module docstring)."""
    return [match.span() for match in TOKEN.finditer(text)]


def _classify_char(char: str) -> int:
    if regex.match(rf"[{_WORD_CHARS}]", char):
        return WORD
    if regex.match(r"\p{Nd}", char):
        return DIGIT
    if regex.match(r"\s", char):
        return SPACE
    if char in _SEPARATORS:
        return SEPARATOR
    return OTHER


@lru_cache(maxsize=1)
def _bmp_table() -> np.ndarray:
    """The class of every code point of the Basic Multilingual Plane, found by ``regex`` itself."""
    chars = np.arange(0x10000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    table = np.full(0x10000, OTHER, dtype=np.uint8)
    # runs of each class, a slice each (a few thousand matches, not one per character: every
    # process that exports pays for this table once)
    for pattern, cls in ((rf"[{_WORD_CHARS}]+", WORD), (r"\p{Nd}+", DIGIT), (r"\s+", SPACE)):
        for match in regex.finditer(pattern, chars):
            table[match.start() : match.end()] = cls
    for char in _SEPARATORS:
        table[ord(char)] = SEPARATOR
    return table


_ASTRAL: dict[int, int] = {}


def classify(codepoints: np.ndarray) -> np.ndarray:
    """The class (SPACE, WORD, DIGIT, SEPARATOR, OTHER) of each code point."""
    table = _bmp_table()
    classes = np.take(table, codepoints, mode="clip")  # beyond U+FFFF: table[0xFFFF], set below
    astral = np.flatnonzero(codepoints > 0xFFFF)
    for index in astral.tolist():
        cp = int(codepoints[index])
        cls = _ASTRAL.get(cp)
        if cls is None:
            cls = _ASTRAL[cp] = _classify_char(chr(cp))
        classes[index] = cls
    return classes


def codepoints(text: str) -> np.ndarray:
    """The code points of ``text`` as a ``uint32`` array (one element per Python character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def token_arrays(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets (``int64`` arrays) of the tokens of the text whose code points
    are ``cps``: exactly the spans of :func:`tokenize`, computed without a Python loop.

    Several documents can be tokenized at once by joining them with a whitespace
    character: no token crosses whitespace.
    """
    n = len(cps)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    cls = classify(cps)
    separators = np.flatnonzero(cls == SEPARATOR)
    if len(separators):
        inner = separators[(separators > 0) & (separators < n - 1)]
        joined = inner[(cls[inner - 1] == DIGIT) & (cls[inner + 1] == DIGIT)]
        cls[separators] = OTHER
        cls[joined] = DIGIT
    content = cls != SPACE
    single = cls == OTHER
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(cls[1:], cls[:-1], out=change[1:])
    starts = np.flatnonzero(content & (single | change))
    after = np.empty(n, dtype=bool)
    after[-1] = True
    after[:-1] = change[1:]
    ends = np.flatnonzero(content & (single | after)) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


# --- sentence ends ----------------------------------------------------------------

# A sentence ends after one of these (a token of its own), and after the closing quotes
# or brackets written right after it.
TERMINALS = frozenset(".!?\u061f\u061b\u2026")  # . ! ? ؟ ؛ …
CLOSERS = frozenset("\"'\u00bb\u201d\u2019\u203a)]}")  # " ' » ” ’ › ) ] }
_TERMINAL_CPS = np.array(sorted(map(ord, TERMINALS)), dtype=np.uint32)
_CLOSER_CPS = np.array(sorted(map(ord, CLOSERS)), dtype=np.uint32)


def sentence_breaks(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``breaks[k]`` is True when a new sentence starts at token ``k``: the first token, a
    token after a line break, and a token after a sentence end (``. ! ? ؟ ؛ …``, with the
    closing quotes or brackets attached to it). Spans are not looked at here."""
    n = len(starts)
    breaks = np.zeros(n, dtype=bool)
    if n == 0:
        return breaks
    breaks[0] = True
    newlines = np.flatnonzero(cps == 10)
    if len(newlines):
        before_start = np.searchsorted(newlines, starts[1:])
        before_end = np.searchsorted(newlines, ends[:-1])
        breaks[1:] |= before_start > before_end
    first = cps[starts]
    single = (ends - starts) == 1
    term = single & np.isin(first, _TERMINAL_CPS)
    closer = single & np.isin(first, _CLOSER_CPS)
    adjacent = np.zeros(n, dtype=bool)  # token k touches token k - 1
    adjacent[1:] = starts[1:] == ends[:-1]
    glued = closer & adjacent
    ends_sentence = term.copy()
    # closers glued to a sentence end (up to two: .») or .”»)
    for _ in range(2):
        carried = np.zeros(n, dtype=bool)
        carried[1:] = glued[1:] & ends_sentence[:-1]
        ends_sentence |= carried
    continues = term | glued  # the next token still belongs to the sentence end
    breaks[1:] |= ends_sentence[:-1] & ~continues[1:]
    return breaks

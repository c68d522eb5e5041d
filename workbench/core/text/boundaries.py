"""Where a span may start and end: grapheme and word edges, trimming, proclitics.

All offsets are code points into a document's stored text, half-open
``[start, end)``. A span never cuts a grapheme (a letter and its harakat stay
together; an emoji sequence stays whole) and never starts or ends on spaces,
punctuation or invisible format characters.

Everything here works on whole graphemes (extended grapheme clusters, as the
``regex`` module's ``\\X`` finds them in the whole text). A grapheme is *content*
when its base character is a letter or a digit (of any script, with its marks and
joiners); spaces, punctuation, symbols (emoji included), format characters, and a
stray mark with no base are not, and are trimmed from a span's edges.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any


@functools.cache
def _patterns() -> tuple[Any, Any]:
    """``\\X`` (a grapheme) and the characters after which a boundary depends on what precedes
    them (marks and joiners continue a grapheme, regional indicators pair up, prepended marks
    attach forward). ``regex`` is imported the first time a boundary is looked for, not with
    the store (10-15 ms of every start of the window and of every command)."""
    import regex

    return regex.compile(r"\X"), regex.compile(
        r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
        r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=SpacingMark}"
        r"\p{Grapheme_Cluster_Break=Prepend}\p{Cf}\p{M}]"
    )


# Letters that attach to the front of a word (and, or, with/in, for/to, like).
PROCLITICS = frozenset("وفبلك")
_TATWEEL = "\u0640"


def _clamp(text: str, offset: int) -> int:
    return max(0, min(len(text), offset))


_ANCHORS: dict[str, bool] = {}  # character pair -> _is_anchor; real text has few distinct pairs


def _is_anchor(text: str, offset: int) -> bool:
    """Whether ``offset`` is a grapheme boundary whatever comes before ``text[offset - 1]``:
    the two characters around it alone decide, and they break."""
    if offset <= 0 or offset >= len(text):
        return True
    pair = text[offset - 1 : offset + 1]
    known = _ANCHORS.get(pair)
    if known is None:
        grapheme, contextual = _patterns()
        known = not contextual.match(pair[0]) and grapheme.match(pair).end() == 1
        if len(_ANCHORS) < 200_000:
            _ANCHORS[pair] = known
    return known


def _grapheme_at(text: str, offset: int) -> tuple[int, int]:
    """The grapheme ``[start, end)`` that holds the character at ``0 <= offset < len(text)``."""
    lo = offset
    while lo > 0 and not _is_anchor(text, lo):
        lo -= 1
    for match in _patterns()[0].finditer(text, lo):
        if match.end() > offset:
            return match.start(), match.end()
    raise AssertionError("unreachable: every character is in a grapheme")  # pragma: no cover


def _next_boundary(text: str, offset: int) -> int:
    """The end of the grapheme that starts at the boundary ``offset`` (< len(text))."""
    return _patterns()[0].match(text, offset).end()


def _is_content(grapheme: str) -> bool:
    """A letter or digit (with its marks), as opposed to space, punctuation, symbol or format."""
    for char in grapheme:
        category = unicodedata.category(char)
        if category != "Cf":  # past a prepended mark such as U+0600 ARABIC NUMBER SIGN
            return category[0] in "LN"
    return False


def is_grapheme_boundary(text: str, offset: int) -> bool:
    """Whether a span may start or end at ``offset`` without splitting a character."""
    if offset <= 0 or offset >= len(text):
        return 0 <= offset <= len(text)
    if _is_anchor(text, offset):  # the common case, decided by the two characters around it
        return True
    return _grapheme_at(text, offset)[0] == offset


def grapheme_floor(text: str, offset: int) -> int:
    """The nearest grapheme boundary at or before ``offset`` (offsets outside the text are
    taken to its ends)."""
    offset = _clamp(text, offset)
    if offset == len(text):
        return offset
    return _grapheme_at(text, offset)[0]


def grapheme_ceil(text: str, offset: int) -> int:
    """The nearest grapheme boundary at or after ``offset`` (offsets outside the text are
    taken to its ends)."""
    offset = _clamp(text, offset)
    if offset in (0, len(text)):
        return offset
    start, end = _grapheme_at(text, offset)
    return offset if start == offset else end


def _content_after(text: str, offset: int) -> bool:
    """Whether the grapheme starting at the boundary ``offset`` is content."""
    return offset < len(text) and _is_content(text[offset : _next_boundary(text, offset)])


def _content_before(text: str, offset: int) -> bool:
    """Whether the grapheme ending at the boundary ``offset`` is content."""
    return offset > 0 and _is_content(text[grapheme_floor(text, offset - 1) : offset])


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces, punctuation and format characters from both edges; keep whole graphemes.

    Edges inside a grapheme move inwards to its boundaries, and graphemes that are not
    content (a space with a stray haraka on it, an emoji, an RLM) are dropped whole.
    The result is empty (``start == end``) when nothing but such characters was selected.
    """
    start, end = _clamp(text, min(start, end)), _clamp(text, max(start, end))
    start, end = grapheme_ceil(text, start), grapheme_floor(text, end)
    while start < end and not _content_after(text, start):
        start = _next_boundary(text, start)
    while end > start and not _content_before(text, end):
        end = grapheme_floor(text, end - 1)
    return (start, end) if start < end else (start, start)


def word_start(text: str, offset: int) -> int:
    """The start of the word that ``offset`` is in (or ``offset`` if it is not in one).

    A word is a run of content graphemes: letters and digits with their harakat,
    tatweel and joiners."""
    offset = _clamp(text, offset)
    if not is_grapheme_boundary(text, offset):
        start, end = _grapheme_at(text, offset)
        if not _is_content(text[start:end]):
            return offset
        offset = start
    while _content_before(text, offset):
        offset = grapheme_floor(text, offset - 1)
    return offset


def word_end(text: str, offset: int) -> int:
    """The end of the word that ``offset`` is in (or ``offset`` if it is not in one)."""
    offset = _clamp(text, offset)
    if not is_grapheme_boundary(text, offset):
        start, end = _grapheme_at(text, offset)
        if not _is_content(text[start:end]):
            return offset
        offset = end
    while _content_after(text, offset):
        offset = _next_boundary(text, offset)
    return offset


def snap(text: str, start: int, end: int, *, to_words: bool = True) -> tuple[int, int] | None:
    """Turn a raw selection into span edges, or ``None`` if nothing annotatable is selected.

    Edges inside a grapheme take in the whole grapheme; then edges are trimmed of
    spaces, punctuation and format characters, then (with ``to_words``) widened to
    the words they touch, so a drag that starts or ends part-way into "19 يناير 2019"
    gives exactly that. Snapping a snapped span gives it back unchanged.
    """
    start, end = _clamp(text, min(start, end)), _clamp(text, max(start, end))
    start, end = trim(text, grapheme_floor(text, start), grapheme_ceil(text, end))
    if start >= end:
        return None
    if to_words:
        start, end = word_start(text, start), word_end(text, end)
    return start, end


def next_word_edge(text: str, offset: int, direction: int) -> int:
    """The next word boundary from ``offset`` going forward (+1) or backward (-1) in the text:
    the end of this or the next word going forward, the start of this or the previous word
    going backward; a text's end when no word is left that way."""
    if direction > 0:
        offset = grapheme_ceil(text, offset)
        while offset < len(text) and not _content_after(text, offset):
            offset = _next_boundary(text, offset)
        return word_end(text, offset)
    offset = grapheme_floor(text, offset)
    while offset > 0 and not _content_before(text, offset):
        offset = grapheme_floor(text, offset - 1)
    return word_start(text, offset)


def next_grapheme_edge(text: str, offset: int, direction: int) -> int:
    """The grapheme boundary one character forward (+1) or backward (-1) from ``offset``;
    it stays at a text's end."""
    offset = _clamp(text, offset)
    if direction > 0:
        return offset if offset >= len(text) else grapheme_ceil(text, offset + 1)
    return offset if offset <= 0 else grapheme_floor(text, offset - 1)


def without_proclitic(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` past one leading proclitic letter (و ف ب ل ك) and its harakat.

    ``وطرابلس`` becomes ``طرابلس``. The letter alone cannot tell a proclitic
    (the ب of ``ببنغازي``) from the first letter of a name (the ب of ``بنغازي``):
    the annotator asks for this, following the guidelines. A tatweel that joins the
    letter to the word (``بـكتيبة``) goes with it. The edges stay as they are when
    the span does not start with such a letter, the word does not go on right after
    it, or fewer than two letters would remain.
    """
    if not (0 <= start < end <= len(text)) or text[start] not in PROCLITICS:
        return start, end
    rest = grapheme_ceil(text, start + 1)
    while rest < end and text[rest] == _TATWEEL:  # a clitic written apart: بـكتيبة
        rest = _next_boundary(text, rest)
    if rest >= end or not _content_after(text, rest):
        return start, end
    if sum(1 for c in text[rest:end] if unicodedata.category(c)[0] == "L" and c != _TATWEEL) < 2:
        return start, end
    return rest, end


def fits(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is a valid span of ``text`` (:func:`selection_problem` says why
    not). One call and two cached look-ups in the common case: bundles check many spans."""
    return 0 <= start < end <= len(text) and (
        (_is_anchor(text, start) or is_grapheme_boundary(text, start))
        and (_is_anchor(text, end) or is_grapheme_boundary(text, end))
    )


def selection_problem(text: str, start: int, end: int) -> str | None:
    """Why ``[start, end)`` cannot be a span of ``text``, or ``None``."""
    if not (0 <= start <= len(text) and 0 <= end <= len(text)):
        return f"the span [{start}, {end}) is outside the document's text (0 to {len(text)})"
    if start >= end:
        return f"the span [{start}, {end}) is empty: it must end after it starts"
    if not is_grapheme_boundary(text, start):
        return f"the span starts inside a character (at {start}: a letter and its marks stay together)"
    if not is_grapheme_boundary(text, end):
        return f"the span ends inside a character (at {end}: a letter and its marks stay together)"
    return None

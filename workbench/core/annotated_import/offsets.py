"""Normalise an annotated text and carry its span offsets along.

Annotated input gives offsets into the text as the tool saw it; the project
stores the text normalised (:func:`workbench.core.text.normalise.normalize`: line ends
to ``\\n``, invisible controls removed, Unicode NFC). :func:`normalize_with_map`
does the same normalisation and returns, for every offset of the raw text, the
offset of the same place in the normalised text:

- a ``\\r\\n`` becomes one ``\\n``: offsets after it move back by one, and the
  offset between the ``\\r`` and the ``\\n`` has no place (``None``);
- a removed character (BOM, zero-width space, bidi control, soft hyphen): the
  offsets on both sides of it become the same place;
- a character that NFC changes (composed, decomposed, reordered): its start maps
  to the start of its normalised form, offsets inside it have no place.

A span whose edge has no place is refused by the caller, never moved.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Callable

import regex

from workbench.core.errors import RefusedInput
from workbench.core.text.normalise import _INVISIBLE, normalize

_GRAPHEME = regex.compile(r"\X")
# What the first step of normalize() changes: line ends and removed characters.
_STEP = regex.compile("\r\n|[\r\u2028\u2029\u0085]|" + _INVISIBLE.pattern)

OffsetMap = Callable[[int], "int | None"]  # raw offset (0..len(raw)) -> normalised offset or None


def normalize_with_map(raw: str) -> tuple[str, OffsetMap]:
    """``(normalize(raw), offset map)``; the map is the identity when nothing changes."""
    text = normalize(raw)
    if text == raw:
        return text, _identity
    first, table = _line_ends_and_invisibles(raw)
    if not unicodedata.is_normalized("NFC", first):
        first, nfc = _nfc_table(first)
        table = _compose(table, nfc)
    if first != text:
        # Only if NFC composed across a grapheme boundary, which Unicode rules out.
        raise RefusedInput("the text changes under Unicode normalisation in a way that span offsets cannot follow")
    return text, lambda offset: None if table[offset] < 0 else table[offset]


def _identity(offset: int) -> int:
    return offset


def _span(start: int, count: int) -> array:
    return array("q", range(start, start + count))


def _line_ends_and_invisibles(raw: str) -> tuple[str, array]:
    table = array("q", bytes(8 * (len(raw) + 1)))
    pieces: list[str] = []
    out = pos = 0
    for match in _STEP.finditer(raw):
        start, found = match.start(), match.group()
        if start > pos:
            table[pos:start] = _span(out, start - pos)
            pieces.append(raw[pos:start])
            out += start - pos
        table[start] = out
        if found == "\r\n":
            table[start + 1] = -1  # between \r and \n: no place in the normalised text
            pieces.append("\n")
            out += 1
        elif len(found) == 1 and found in "\r\u2028\u2029\u0085":
            pieces.append("\n")
            out += 1
        # else: a removed character, both its edges map to ``out``
        pos = match.end()
    table[pos : len(raw)] = _span(out, len(raw) - pos)
    pieces.append(raw[pos:])
    table[len(raw)] = out + len(raw) - pos
    return "".join(pieces), table


def _nfc_table(text: str) -> tuple[str, array]:
    """Offsets of ``text`` -> offsets of its NFC form, grapheme by grapheme (NFC never
    composes across a grapheme boundary, nor across a line end)."""
    table = array("q", bytes(8 * (len(text) + 1)))
    pieces: list[str] = []
    out = pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if unicodedata.is_normalized("NFC", line):
            table[pos:end] = _span(out, len(line))
            pieces.append(line)
            out += len(line)
        else:
            for match in _GRAPHEME.finditer(line):
                grapheme = match.group()
                start = pos + match.start()
                composed = unicodedata.normalize("NFC", grapheme)
                pieces.append(composed)
                if composed == grapheme:
                    table[start : start + len(grapheme)] = _span(out, len(grapheme))
                else:
                    table[start] = out
                    table[start + 1 : start + len(grapheme)] = array("q", [-1] * (len(grapheme) - 1))
                out += len(composed)
        table[end] = out  # the \n after the line (or the end of the text)
        pieces.append("\n")
        out += 1
        pos = end + 1
    return "".join(pieces)[:-1], table


def _compose(first: array, second: array) -> array:
    return array("q", (-1 if value < 0 else second[value] for value in first))

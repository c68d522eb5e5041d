"""Normalisation of imported text, and the checks that refuse text nobody should annotate.

A document's text is normalised exactly once, at import, before its SHA-256 is
taken; afterwards it is frozen, because span offsets (code points, half-open)
point into it. Normalisation is idempotent: ``normalize(normalize(t)) ==
normalize(t)`` (a property test holds this).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# \r\n and lone \r, and the Unicode line and paragraph separators (plus NEL).
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\u0085]")

# Removed: bidi embeddings and overrides (LRE RLE PDF LRO RLO), isolates
# (LRI RLI FSI PDI), zero-width space, soft hyphen, and BOM / zero-width
# no-break space anywhere in the text. Kept: ZWJ and ZWNJ (they change how
# Arabic letters join) and the directional marks LRM, RLM, ALM.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u00ad\ufeff]")


def normalize(text: str) -> str:
    """Return ``text`` as it will be stored: ``\\n`` line ends, no stray controls, NFC."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")


def normalize_line(value: str) -> str:
    """A one-line field (a title, a source) as it will be stored: normalised like a text, its
    line breaks and control characters turned into single spaces, trimmed."""
    return " ".join(_LINE_CONTROLS.sub(" ", normalize(value)).split())


def prepare(text: str) -> tuple[str, str | None]:
    """``(normalize(text), problem(...))`` in one pass over ordinary text.

    Most articles hold nothing that normalisation changes or a check looks at;
    one scan for any such character lets them skip the rest (import speed).
    """
    if _UNUSUAL.search(text) is None and unicodedata.is_normalized("NFC", text):
        if not text or text.isspace() or _LETTER_OR_DIGIT.search(text) is None:
            return text, problem(text)
        return text, None
    text = normalize(text)
    return text, problem(text)


def content_hash(text: str) -> str:
    """The document's identity: SHA-256 of its normalised text in UTF-8, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_STRONG = re.compile("[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left character (Arabic, Hebrew and their forms)."""
    return _RTL.search(text) is not None


def starts_rtl(text: str) -> bool:
    """Whether the first strongly directional letter of ``text`` is right-to-left."""
    match = _STRONG.search(text)
    return match is not None and _RTL.match(match.group()) is not None


# --- checks -----------------------------------------------------------------

# A letter or digit of any script (not a combining mark such as the harakat).
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# Control characters that never occur in prose (tab, newline, form feed are fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")

# Arabic letters in logical order (the base block and its supplements).
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f]")

# Arabic presentation forms A and B: glyph shapes, not letters. Text made of
# them was reshaped for display (copied from a PDF or a terminal), usually in
# visual order, and cannot be searched, tokenised or annotated.
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

# UTF-8 Arabic read as Windows-1256: every letter becomes ط/ظ/ع/غ (lead bytes
# D8-DB) followed by what that code page puts at a continuation byte (80-BF).
# Left out are the characters that also follow those letters in real text
# (punctuation, quotes, NBSP, joiners): mojibake has plenty of pairs without them
# (ا gives ط§, ل gives ظ„, ي gives ظٹ) and real text keeps clear of false alarms.
_REAL_TEXT_FOLLOWERS = (
    "\u00a0\u060c\u061b\u061f\u00ab\u00bb\u00ad\u200c\u200d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u2026"
)
_PAIR_SECONDS = "".join(
    c for c in (bytes([b]).decode("cp1256") for b in range(0x80, 0xC0)) if c not in _REAL_TEXT_FOLLOWERS
)
_MOJIBAKE_PAIR = re.compile("[\u0637\u0638\u0639\u063a][" + re.escape(_PAIR_SECONDS) + "]")

MOJIBAKE_EXAMPLE = "ط¨ظ†ط؛ط§ط²ظٹ"

# The same, read as Windows-1252 or Latin-1 (a spreadsheet, a web form): every letter becomes
# Ø/Ù/Ú/Û followed by what those code pages put at 80-BF (Latin-1 leaves C1 controls there,
# Windows-1252 leaves five of them undefined, which tools keep as the C1 control).
_LATIN_SECONDS = "".join(
    sorted(
        {chr(b) for b in range(0x80, 0xC0)}
        | {bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)}
    )
)
_LATIN_MOJIBAKE_PAIR = re.compile("[\u00d8-\u00db][" + re.escape(_LATIN_SECONDS) + "]")
_LATIN_LETTER_LIKE = re.compile(r"[^\W\d_]|[\x80-\x9f]")
LATIN_MOJIBAKE_EXAMPLE = "Ø¨Ù†ØºØ§Ø²ÙŠ"

# Every character that normalisation changes or that a check counts (for a
# mojibake pair: its second character). Text without any of them is already
# normal and passes every check, which :func:`prepare` uses to go fast.
_UNUSUAL = re.compile(
    "[\r\u2028\u2029\u0085\u202a-\u202e\u2066-\u2069\u200b\u00ad\ufeff"
    "\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ufb50-\ufdff\ufe70-\ufefe\u00d8-\u00db" + re.escape(_PAIR_SECONDS) + "]"
)


def problem(text: str) -> str | None:
    """Why ``text`` (already normalised) must not be imported, or ``None`` if it is fine.

    The reasons are complete sentences for the import report.
    """
    if not text or text.isspace():
        return "the file is empty" if not text else "the file contains only whitespace"

    # Before the control characters: Latin-1 mojibake is full of C1 controls, and is not binary.
    pairs = len(_LATIN_MOJIBAKE_PAIR.findall(text))
    if pairs >= 4 and 3 * pairs >= len(_LATIN_LETTER_LIKE.findall(text)):
        return (
            "the text is garbled (UTF-8 Arabic that was once read as Windows-1252 or Latin-1, "
            f"it looks like «{LATIN_MOJIBAKE_EXAMPLE}»); re-export it from the source as UTF-8"
        )

    count = len(_CONTROL.findall(text))
    if count and ("\x00" in text or count > max(8, len(text) // 100)):
        return f"this looks like a binary file, not text ({count} control characters among {len(text)})"

    if _LETTER_OR_DIGIT.search(text) is None:
        return (
            "the text has no letters (only diacritics such as harakat, punctuation or symbols); "
            "there is nothing to annotate"
        )

    pairs = len(_MOJIBAKE_PAIR.findall(text))
    # In mojibake about half of all "Arabic letters" are such lead bytes.
    if pairs >= 4 and 4 * pairs >= len(_ARABIC_LETTER.findall(text)):
        return (
            "the text is garbled (UTF-8 Arabic that was once read as Windows-1256, "
            f"it looks like «{MOJIBAKE_EXAMPLE}»); re-export it from the source as UTF-8"
        )

    forms = len(_PRESENTATION_FORM.findall(text))
    # A few ligatures such as ﷺ or ﷲ are normal; reshaped text is nearly all forms.
    if forms >= 4 and forms > len(_ARABIC_LETTER.findall(text)):
        return (
            "the text is made of Arabic presentation forms (reshaped glyphs, as "
            "copied from a PDF or a terminal), not letters; take the text from "
            "the original source instead"
        )
    return None

"""Turn the bytes of an input file into text, and say which encoding that took.

Order: UTF-8 announced by a BOM (which is stripped), UTF-16 announced by a
BOM, UTF-16 without a BOM when its NUL bytes (or, for Arabic, its 0x06 bytes) say so
and it decodes to plausible text, strict UTF-8, then charset-normalizer restricted to
the single-byte encodings Arabic news arrives in (Windows-1256, ISO-8859-6).
Anything else is refused: guessing among every code page of the world turns
a binary file or Arabic mojibake into confident nonsense.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from workbench.core.errors import RefusedInput

SUPPORTED = "UTF-8, UTF-16, Windows-1256 or ISO-8859-6"
_SINGLE_BYTE = ["cp1256", "iso8859_6"]
# Python codec name -> the name users know.
_DISPLAY_NAME = {"cp1256": "windows-1256", "iso8859_6": "iso-8859-6"}


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for ``data``, or raise :class:`RefusedInput`."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise RefusedInput(f"the file starts with a UTF-8 mark but is not valid UTF-8 (byte {exc.start})") from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(codec), codec
            except UnicodeDecodeError:
                raise RefusedInput("the file starts with a UTF-16 mark but is not valid UTF-16") from None
    if b"\x00" in data or looks_utf16_arabic(data):
        # Text never holds NUL, but UTF-16 without a BOM does (Arabic letters in
        # UTF-16 are also valid, control-laden UTF-8, so this test comes first).
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        if b"\x00" in data:
            raise RefusedInput("this looks like a binary file, not text (it contains NUL bytes)")
        raise RefusedInput("this looks like a binary file, not text (neither UTF-16 nor any text encoding)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    best = from_bytes(data, cp_isolation=_SINGLE_BYTE, preemptive_behaviour=False).best()
    if best is None:
        raise RefusedInput(f"the file is not text in a supported encoding ({SUPPORTED})")
    return str(best), _DISPLAY_NAME.get(best.encoding, best.encoding)


def looks_utf16_arabic(data: bytes) -> bool:
    """Whether ``data`` looks like Arabic in UTF-16 without a BOM: a third of its code
    units in the Arabic block (high byte 0x06) on one parity, which no UTF-8 or
    single-byte text has. Pure Arabic has no NUL bytes for the NUL test to see."""
    sample = data[:65536]
    units = len(sample) // 2
    if units < 2 or len(data) % 2:
        return False
    return max(sample[0::2].count(6), sample[1::2].count(6)) * 3 >= units


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM has its NULs (spaces, digits, Latin), or for Arabic
    its 0x06 bytes, on one parity; and it decodes to characters text is made of."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0) + data[0::2].count(6)
    odd = data[1::2].count(0) + data[1::2].count(6)
    if odd > 4 * even and odd:
        codec = "utf-16-le"
    elif even > 4 * odd and even:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return (text, codec) if _plausible(text) else None


def _plausible(text: str) -> bool:
    """Whether nearly all of ``text`` is in the scripts news arrives in (Latin, Arabic and
    their punctuation): bytes that merely decode as UTF-16 give CJK, surrogates or controls."""
    good = sum(1 for c in text if _plausible_char(c))
    arabic = sum(1 for c in text if "\u0600" <= c < "\u0700")
    # Arabic, Persian and Urdu text is mostly the letters, harakat and digits of U+0600-066F.
    core = sum(1 for c in text if "\u0600" <= c < "\u0670")
    return "\x00" not in text and good >= 0.95 * len(text) and core >= 0.6 * arabic


def _plausible_char(c: str) -> bool:
    code = ord(c)
    if code < 0x20:
        return c in "\t\n\r\f"
    return (
        code < 0x7F
        or 0xA0 <= code < 0x250  # Latin-1 and Latin Extended
        or 0x370 <= code < 0x530  # Greek, Cyrillic
        or 0x590 <= code < 0x600  # Hebrew
        or 0x600 <= code < 0x700  # Arabic
        or 0x750 <= code < 0x780  # Arabic Supplement
        or 0x8A0 <= code < 0x900  # Arabic Extended-A
        or 0x2000 <= code < 0x2070  # general punctuation
        or 0x20A0 <= code < 0x20D0  # currency signs
        or 0xFB50 <= code < 0xFE00  # Arabic presentation forms A
        or 0xFE70 <= code < 0xFF00  # Arabic presentation forms B, BOM
    )

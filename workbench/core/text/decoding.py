"""Turn the bytes of an input file into text, and say which encoding that took.

Order: UTF-8 announced by a BOM (which is stripped), UTF-16 announced by a
BOM, UTF-16 without a BOM when its NUL bytes say so, strict UTF-8, then charset-normalizer restricted to
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
    if b"\x00" in data:
        # Text never holds NUL, but UTF-16 without a BOM does (Arabic letters in
        # UTF-16 are also valid, control-laden UTF-8, so this test comes first).
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise RefusedInput("this looks like a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    best = from_bytes(data, cp_isolation=_SINGLE_BYTE, preemptive_behaviour=False).best()
    if best is None:
        raise RefusedInput(f"the file is not text in a supported encoding ({SUPPORTED})")
    return str(best), _DISPLAY_NAME.get(best.encoding, best.encoding)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM has its NULs (spaces, digits, Latin) on one parity."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
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
    return (text, codec) if "\x00" not in text else None

"""The app's own Arabic fonts, registered by file path so that a machine without
fonts still shows Arabic (and a system font of the same family cannot shadow them)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_amiri
import fontpkg_noto_sans_arabic
from PySide6.QtGui import QFont, QFontDatabase

# Amiri (naskh, with Latin) for reading articles; Noto Sans Arabic for the interface.
_FONT_FILES = [
    Path(fontpkg_amiri.ROOT, "files", "Amiri-Regular.ttf"),
    Path(fontpkg_amiri.ROOT, "files", "Amiri-Bold.ttf"),
    Path(fontpkg_noto_sans_arabic.ROOT, "files", "NotoSansArabic[wdth,wght].ttf"),
]


class Fonts:
    reading: list[str] = []
    interface: list[str] = []


def register_fonts() -> Fonts:
    """Register the bundled fonts; return the family lists to use (idempotent)."""
    if Fonts.reading:
        return Fonts
    families: dict[str, str] = {}
    for path in _FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"cannot load the font {path}")
        for family in QFontDatabase.applicationFontFamilies(font_id):
            families[path.name] = family
    amiri = families["Amiri-Regular.ttf"]
    noto = families["NotoSansArabic[wdth,wght].ttf"]
    # Noto Sans Arabic has no Latin letters: Amiri follows it in the list for those.
    Fonts.reading = [amiri]
    Fonts.interface = [noto, amiri]
    return Fonts


def interface_font(point_size: float = 10.0) -> QFont:
    font = QFont()
    font.setFamilies(register_fonts().interface)
    font.setPointSizeF(point_size)
    return font


def reading_font(point_size: float = 15.0) -> QFont:
    font = QFont()
    font.setFamilies(register_fonts().reading)
    font.setPointSizeF(point_size)
    return font

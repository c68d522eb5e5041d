"""Arabic in a terminal that cannot shape it: reshaped and reordered, for display only.

Most Linux terminals and the Windows console draw characters one by one, left
to right, unjoined. For them, text is reshaped (arabic-reshaper, keeping the
harakat) and put in visual order (python-bidi's ``bidi.algorithm.get_display``,
which also mirrors brackets). Output to a pipe or a file is always the logical,
stored text; nothing reshaped is ever stored or exported.
"""

from __future__ import annotations

import functools
import os
import shutil
import textwrap
from typing import TextIO

from workbench.core.text.normalise import has_rtl, starts_rtl

VISUAL, LOGICAL, AUTO = "visual", "logical", "auto"
BIDI_ENV = "WORKBENCH_BIDI"  # visual or logical: the default for this user's terminal


@functools.cache
def _shaping():
    """(reshape, get_display), imported on the first Arabic line shown to a terminal (not by
    commands that print JSON or write to a pipe: 24 ms of every start)."""
    import arabic_reshaper
    from bidi.algorithm import get_display

    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False}).reshape, get_display


def use_visual(stream: TextIO, mode: str = AUTO) -> bool:
    """Whether to reorder for ``stream``: forced by ``mode``, else only for a terminal."""
    if mode == AUTO:
        mode = os.environ.get(BIDI_ENV, AUTO).lower()
    if mode in (VISUAL, LOGICAL):
        return mode == VISUAL
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def visual_line(line: str) -> str:
    """One line as a shaping-unaware terminal must receive it."""
    if not has_rtl(line):
        return line
    reshape, get_display = _shaping()
    return get_display(reshape(line))


def visual_text(text: str, width: int | None = None) -> str:
    """A whole text for the terminal: wrapped in logical order first, then each line
    reordered and right-aligned if it is right-to-left, so paragraphs read naturally."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    out = []
    for paragraph in text.split("\n"):
        lines = textwrap.wrap(paragraph, width, break_long_words=False) or [""]
        for line in lines:
            shown = visual_line(line)
            out.append(shown.rjust(width) if starts_rtl(line) else shown)
    return "\n".join(out)

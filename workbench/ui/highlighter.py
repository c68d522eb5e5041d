"""Span highlighting that stays fast with thousands of spans.

A ``QSyntaxHighlighter`` formats one block (paragraph) at a time; each block
looks up only the spans that touch it in a per-block index, and a change to one
span re-highlights only the blocks that span covers. (Extra selections and
``mergeCharFormat`` re-lay out the whole document and slow down badly.)

Outer spans are drawn as a background in their label's colour; a span that
starts inside another (nested or crossing) is drawn as an underline in its
colour (a wavy one at the third level), so overlapping spans stay apart. The
selected span is drawn stronger.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument


@dataclass
class ViewSpan:
    """A span in the view's coordinates: UTF-16 document positions."""

    id: str
    start: int
    end: int
    label: str
    depth: int = 0


class SpanHighlighter(QSyntaxHighlighter):
    blocksChanged = Signal(list)  # numbers of the blocks formatted again (laid out again when painted)

    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.view_spans: dict[str, ViewSpan] = {}  # by id: what painting needs, in UTF-16 positions
        self._blocks_of: dict[str, tuple[int, int]] = {}
        self._by_block: dict[int, list[str]] = {}
        self._colors: dict[str, QColor] = {}
        self._formats: dict[tuple, QTextCharFormat] = {}
        self.selected: str | None = None
        self._block_starts: list[int] = [0]  # UTF-16 position of each block's first character
        self._pending: set[int] | None = None  # inside batch(): the blocks to format at its end

    # --- data ------------------------------------------------------------------

    def set_colors(self, colors: dict[str, str]) -> None:
        self._colors = {label: QColor(color) for label, color in colors.items()}
        self._formats.clear()

    def color(self, label: str) -> QColor:
        """The label's colour (grey for a label the schema does not colour)."""
        return QColor(self._colors.get(label, QColor("#999999")))

    def prepare(self, block_starts: list[int], spans: list[ViewSpan]) -> None:
        """Index ``spans`` for a text about to be set, whose blocks (paragraphs) start at
        ``block_starts`` (UTF-16): the document's own pass over the new text then
        highlights every block once, with no second pass."""
        self._block_starts = block_starts
        self.view_spans = {s.id: s for s in spans}
        self._blocks_of.clear()
        self._by_block.clear()
        for span in spans:
            self._index(span)

    def update_spans(self, changed: list[ViewSpan], removed: list[str] = ()) -> None:
        """Add or replace ``changed`` spans and drop ``removed`` ones; repaint only their blocks."""
        blocks: set[int] = set()
        for span_id in [*removed, *(s.id for s in changed)]:
            if span_id in self._blocks_of:
                first, last = self._blocks_of.pop(span_id)
                blocks.update(range(first, last + 1))
                for number in range(first, last + 1):
                    ids = self._by_block.get(number)
                    if ids and span_id in ids:
                        ids.remove(span_id)
            self.view_spans.pop(span_id, None)
        for span in changed:
            self.view_spans[span.id] = span
            first, last = self._index(span)
            blocks.update(range(first, last + 1))
        self.rehighlight_blocks(blocks)

    def select(self, span_id: str | None) -> None:
        previous, self.selected = self.selected, span_id
        blocks: set[int] = set()
        for key in (previous, span_id):
            if key in self._blocks_of:
                first, last = self._blocks_of[key]
                blocks.update(range(first, last + 1))
        self.rehighlight_blocks(blocks)

    def blocks_of(self, span_id: str) -> tuple[int, int] | None:
        return self._blocks_of.get(span_id)

    def _index(self, span: ViewSpan) -> tuple[int, int]:
        first = bisect_right(self._block_starts, span.start) - 1
        last = bisect_right(self._block_starts, max(span.start, span.end - 1)) - 1
        self._blocks_of[span.id] = (first, last)
        for number in range(first, last + 1):
            self._by_block.setdefault(number, []).append(span.id)
        return first, last

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Format each block that the changes inside want formatted once, at the end (a tag
        formats its block for the new span, then again to show it selected: each formatting
        lays the paragraph out again)."""
        if self._pending is not None:  # (nested: the outer one formats)
            yield
            return
        self._pending = set()
        try:
            yield
        finally:
            numbers, self._pending = self._pending, None
            self.rehighlight_blocks(numbers)

    def rehighlight_blocks(self, numbers: set[int]) -> None:
        if self._pending is not None:
            self._pending.update(numbers)
            return
        document = self.document()
        for number in sorted(numbers):
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
        if numbers:
            self.blocksChanged.emit(sorted(numbers))

    # --- painting ----------------------------------------------------------------

    def highlightBlock(self, _text: str) -> None:
        block = self.currentBlock()
        ids = self._by_block.get(block.blockNumber())
        if not ids:
            return
        base = block.position()
        length = block.length() - 1  # UTF-16 units, without the paragraph separator
        items = [self.view_spans[i] for i in ids]
        points = {0, length}
        for span in items:
            points.add(min(max(span.start - base, 0), length))
            points.add(min(max(span.end - base, 0), length))
        ordered = sorted(points)
        for a, b in zip(ordered, ordered[1:]):
            covering = [s for s in items if s.start - base <= a and s.end - base >= b]
            if covering:
                self.setFormat(a, b - a, self._format(covering))

    def _format(self, covering: list[ViewSpan]) -> QTextCharFormat:
        covering = sorted(covering, key=lambda s: s.depth)
        outer = covering[0]
        inner = covering[-1] if len(covering) > 1 or outer.depth > 0 else None
        key = (
            outer.label if outer.depth == 0 else None,
            outer.id == self.selected and outer.depth == 0,
            inner.label if inner else None,
            inner.depth if inner else 0,
            bool(inner and inner.id == self.selected),
        )
        cached = self._formats.get(key)
        if cached is not None:
            return cached
        fmt = QTextCharFormat()
        bg_label, bg_selected, underline_label, underline_depth, underline_selected = key
        if bg_label is not None:
            color = QColor(self._colors.get(bg_label, QColor("#999999")))
            color.setAlpha(190 if bg_selected else 85)
            fmt.setBackground(color)
        if underline_label is not None:
            color = QColor(self._colors.get(underline_label, QColor("#999999")))
            # Darker than the label's background colour, so an inner span shows on an outer
            # one of the same label.
            fmt.setUnderlineColor(color.darker(230 if underline_selected else 160))
            fmt.setUnderlineStyle(
                QTextCharFormat.UnderlineStyle.WaveUnderline
                if underline_depth >= 2
                else QTextCharFormat.UnderlineStyle.SingleUnderline
            )
            fmt.setFontUnderline(True)
            if underline_selected and bg_label is None:
                selected_bg = QColor(color)
                selected_bg.setAlpha(120)
                fmt.setBackground(selected_bg)
        self._formats[key] = fmt
        return fmt


def nesting_depths(spans: list[tuple[str, int, int]]) -> dict[str, int]:
    """For ``(id, start, end)`` spans: how many earlier spans (in reading order) each one
    starts inside. 0 for outer spans; nested and crossing spans get 1, 2, ..."""
    depths: dict[str, int] = {}
    open_ends: list[int] = []
    for span_id, start, end in sorted(spans, key=lambda s: (s[1], -s[2], s[0])):
        open_ends = [e for e in open_ends if e > start]
        depths[span_id] = len(open_ends)
        open_ends.append(end)
    return depths

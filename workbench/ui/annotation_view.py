"""The article with its spans: select text, see highlights, click a span to select it.

This is the Qt boundary for offsets: Qt positions are UTF-16 units, spans are
code points. Every conversion goes through the document's :class:`Utf16Map`,
here and nowhere else in the UI. Text is never taken from the widget.

Pending suggestions are drawn over the text, after Qt has drawn it: a dashed frame in
the label's colour around the glyphs of each (one frame per line and per visual run,
so a suggestion that mixes Arabic and digits is framed where its letters are drawn);
the current one is filled as well. They are not text formats: they come and go without
touching the highlighter or the document's layout.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QTextCursor, QTextLine
from PySide6.QtWidgets import QToolTip, QWidget

from workbench.core.store.spans import Span
from workbench.core.text.utf16 import Utf16Map
from workbench.ui.article_view import ArticleView
from workbench.ui.document_spans import DocumentSpans, is_suggestion
from workbench.ui.highlighter import SpanHighlighter, ViewSpan, nesting_depths
from workbench.ui.span_table import suggestion_tooltip


class AnnotationView(ArticleView):
    """Draws a :class:`DocumentSpans` model: its text, and its spans as highlights.

    The view keeps no spans of its own: it follows the model's ``reset`` (another
    document) and ``spansChanged`` (repaint only the blocks of those spans). The
    highlighter holds only what painting needs: each span's UTF-16 extent, label and
    nesting depth, indexed by block.
    """

    spanClicked = Signal(str)  # span id (or suggestion key), "" when a click hit neither

    def __init__(self, model: DocumentSpans | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(False)
        self.highlighter = SpanHighlighter(self.document())
        self.offsets = Utf16Map("")
        self.model = model if model is not None else DocumentSpans(self)
        self.model.reset.connect(self._reset)
        self.model.spansChanged.connect(self._spans_changed)
        self.model.suggestionsChanged.connect(self._suggestions_changed)
        self._pressed_at: QPoint | None = None  # where a left-button drag began (viewport)
        self._suggested: dict[str, tuple[int, int, str]] = {}  # key -> UTF-16 start, end, label
        self._suggested_order: list[tuple[int, int, str]] = []  # (start, end, key) of each, sorted
        # key -> (block number, block size, glyph rectangles relative to the block), as measured
        self._glyph_rects: dict[str, list[tuple[int, QSizeF, list[QRectF]]]] = {}
        self._glyph_blocks: dict[int, set[str]] = {}  # block number -> the keys measured in it
        self.highlighter.blocksChanged.connect(self._forget_glyph_rects)
        self._suggested_longest = 0  # the longest suggestion's length (UTF-16)
        self._order_keys: list[tuple[int, int, str]] = []  # _order() of each view span, sorted
        self._longest = 0  # the longest view span's length (UTF-16), since the document opened
        self.current_suggestion: str | None = None

    # --- content -----------------------------------------------------------------

    @property
    def spans(self) -> Mapping[str, Span]:
        """The model's spans by id."""
        return self.model.spans

    @property
    def _view(self) -> dict[str, ViewSpan]:
        return self.highlighter.view_spans

    def set_document(self, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        """Show ``text`` (the stored string) with ``spans``, through the model; clears the selection."""
        self.highlighter.set_colors(colors)
        self.model.load(self.model.doc_id, text, spans)

    def _reset(self) -> None:
        text = self.model.text
        self.offsets = Utf16Map(text)
        self.highlighter.selected = None
        self.current_suggestion = None
        self._suggested = {}
        self._glyph_rects, self._glyph_blocks = {}, {}
        self._suggested_order = []
        self._suggested_longest = 0
        # Blocks are the text's lines: index the spans by block before the text goes in,
        # so that Qt's own pass over the new text highlights each block once.
        to16 = self.offsets.to_utf16
        block_starts = [0]
        position = text.find("\n")
        while position >= 0:
            block_starts.append(to16(position + 1))
            position = text.find("\n", position + 1)
        self.highlighter.prepare(block_starts, list(self._view_spans(self.model).values()))
        self.show_text(text)

    def set_colors(self, colors: dict[str, str]) -> None:
        self.highlighter.set_colors(colors)
        self.highlighter.rehighlight()
        self._glyph_rects, self._glyph_blocks = {}, {}

    def _view_spans(self, spans) -> dict[str, ViewSpan]:
        """The view spans of ``spans`` with their depths; keeps their reading-order keys, sorted."""
        to16 = self.offsets.to_utf16
        view = {s.id: ViewSpan(s.id, to16(s.start), to16(s.end), s.label) for s in spans}
        for span_id, depth in nesting_depths([(v.id, v.start, v.end) for v in view.values()]).items():
            view[span_id].depth = depth
        self._order_keys = sorted(_order(v) for v in view.values())
        self._longest = max((v.end - v.start for v in view.values()), default=0)
        return view

    def put_span(self, span: Span) -> None:
        """Show a new or changed span (through the model: only the blocks it touches are repainted)."""
        self.model.put(span)

    def drop_span(self, span_id: str) -> None:
        self.model.drop(span_id)

    def _spans_changed(self, changed: list[Span], removed: list[str]) -> None:
        self._refresh([s.id for s in changed], removed)

    def _refresh(self, ids: list[str], removed: list[str] | tuple[str, ...] = ()) -> None:
        """Update the view spans of ``ids`` (new or changed) and ``removed``, and the nesting
        depth of the spans whose start lies in the region they cover (no other depth can
        change); repaint only the blocks involved. The spans' reading-order keys are kept
        sorted (:attr:`_order_keys`), so that each depth looks only at the spans that may
        hold its start, not at all of the document's."""
        to16 = self.offsets.to_utf16
        view_spans = self._view
        keys = self._order_keys
        region = []
        for key in [*ids, *removed]:
            old = view_spans.get(key)
            if old is not None:
                region.append((old.start, old.end))
                at = bisect_left(keys, _order(old))
                if at < len(keys) and keys[at][2] == key:
                    del keys[at]
        for key in removed:
            view_spans.pop(key, None)
        for key in ids:
            span = self.model.spans[key]
            view = view_spans[key] = ViewSpan(key, to16(span.start), to16(span.end), span.label)
            insort(keys, _order(view))
            self._longest = max(self._longest, view.end - view.start)
            region.append((view.start, view.end))
        if not region:
            return
        low, high = min(r[0] for r in region), max(r[1] for r in region)
        changed = {key: view_spans[key] for key in ids}
        first, last = bisect_left(keys, (low,)), bisect_left(keys, (high,))
        for index in range(first, last):  # the spans that start in the region (the changed ones too)
            view = view_spans[keys[index][2]]
            # Earlier spans that hold this start began at most the longest span's length before it.
            reach = bisect_left(keys, (view.start - self._longest,), 0, index)
            depth = sum(1 for other in keys[reach:index] if -other[1] > view.start)
            if depth != view.depth or view.id in changed:
                view.depth = depth
                changed[view.id] = view
        self.highlighter.update_spans(list(changed.values()), list(removed))

    def _suggestions_changed(self, changed: list[str], removed: list[str]) -> None:
        to16 = self.offsets.to_utf16
        for key in [*removed, *changed]:
            self._glyph_rects.pop(key, None)
        for key in removed:
            self._suggested.pop(key, None)
        for key in changed:
            found = self.model.suggestion(key)
            if found is not None:
                self._suggested[key] = (to16(found.start), to16(found.end), found.label)
        self._suggested_order = sorted((start, end, key) for key, (start, end, _label) in self._suggested.items())
        self._suggested_longest = max((end - start for start, end, _key in self._suggested_order), default=0)
        if self.current_suggestion not in self._suggested:
            self.current_suggestion = None
        self.viewport().update()

    def ordered_spans(self) -> list[Span]:
        """Spans in reading order: by start, the outer of two nested first."""
        return self.model.ordered()

    # --- selection ---------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as code point offsets, or ``None``."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        to_cp = self.offsets.to_codepoint
        return to_cp(cursor.selectionStart()), to_cp(cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` as if the user had dragged over them."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def show_selected_span(self, span_id: str | None) -> None:
        """Draw ``span_id`` (a span, or a suggestion's key) as the selected item and scroll it into view."""
        suggestion = span_id if is_suggestion(span_id) else None
        self.highlighter.select(None if suggestion else span_id)
        if suggestion != self.current_suggestion:
            self.current_suggestion = suggestion
            self.viewport().update()
        extent = self.model.extent(span_id)
        if extent is not None:
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_utf16(extent[1]))
            cursor.setPosition(self.offsets.to_utf16(extent[0]))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def caret(self) -> int:
        """Where the text cursor is, in code points."""
        return self.offsets.to_codepoint(self.textCursor().position())

    def span_at(self, position16: int) -> str | None:
        """The innermost span under a UTF-16 position (the deepest, then the shortest)."""
        hits = [v for v in self._view.values() if v.start <= position16 < v.end]
        if not hits:
            hits = [v for v in self._view.values() if v.start < position16 <= v.end]
        if not hits:
            return None
        return max(hits, key=lambda v: (v.depth, -(v.end - v.start))).id

    def paragraph_is_rtl(self, offset: int) -> bool:
        block = self.document().findBlock(self.offsets.to_utf16(offset))
        return block.textDirection() == Qt.LayoutDirection.RightToLeft

    # --- mouse -------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = event.position().toPoint()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() & Qt.MouseButton.LeftButton and self._pressed_at is not None:
            self._take_in_reached_glyphs(event.position().toPoint())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self._pressed_at is not None:
            self._take_in_reached_glyphs(event.position().toPoint())
            self._pressed_at = None
        if not self.textCursor().hasSelection():
            point = event.position().toPoint()
            position = self.cursorForPosition(point).position()
            self.spanClicked.emit(self.span_at(position) or self.suggestion_at(point) or "")

    def _take_in_reached_glyphs(self, point: QPoint) -> None:
        """Widen a dragged selection to the characters whose glyphs its two ends are on.

        Qt ends a selection at the character edge nearest the mouse: a drag that stops on the
        outer edge of a number in a right-to-left line (or a few pixels inside its digits)
        ends before the number, which then falls out of the span. A character whose glyph the
        drag reached belongs to the selection (the snapping to words happens in the core).
        """
        cursor = self.textCursor()
        if not cursor.hasSelection() or self._pressed_at is None:
            return
        anchor, position = cursor.anchor(), cursor.position()
        start, end = min(anchor, position), max(anchor, position)
        for reached in (self._pressed_at, point):
            glyph = self.glyph_at(reached)
            if glyph is not None:
                start, end = min(start, glyph[0]), max(end, glyph[1])
        if (start, end) == (min(anchor, position), max(anchor, position)):
            return
        if anchor <= position:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(end)
            cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def glyph_at(self, point: QPoint) -> tuple[int, int] | None:
        """The UTF-16 extent of the grapheme whose glyph lies under ``point`` (viewport
        coordinates, its outer edges included), or ``None`` (a space, a margin, past a line)."""
        document = self.document()
        block = document.findBlock(self.cursorForPosition(point).position())
        layout = block.layout()
        if not block.isValid() or layout is None:
            return None
        origin = document.documentLayout().blockBoundingRect(block).topLeft()
        local = QPointF(point) + QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value()) - origin
        line = None
        for i in range(layout.lineCount()):
            candidate = layout.lineAt(i)
            if candidate.y() <= local.y() < candidate.y() + candidate.height():
                line = candidate
                break
        if line is None:
            return None
        text, to_cp = self.model.text, self.offsets.to_codepoint  # never the widget's text
        first, last = line.textStart(), line.textStart() + line.textLength()
        guess = line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter)
        for index in (guess, guess - 1, guess + 1):
            if not first <= index < last:
                continue
            offset = to_cp(block.position() + index)
            if offset >= len(text) or text[offset].isspace():
                continue
            if not layout.isValidCursorPosition(index):
                continue  # inside a grapheme: its start is tried too
            a = line.cursorToX(index, QTextLine.Edge.Leading)
            b = line.cursorToX(index, QTextLine.Edge.Trailing)
            a, b = (a[0] if isinstance(a, tuple) else a), (b[0] if isinstance(b, tuple) else b)
            low, high = min(a, b), max(a, b)
            if low - 0.5 <= local.x() <= high + 0.5:
                return block.position() + index, block.position() + layout.nextCursorPosition(index)
        return None

    # --- suggestions: dashed frames over the text ---------------------------------------

    def suggestion_rects(
        self, key: str, clip: QRectF | None = None, origins: dict[int, QPointF] | None = None
    ) -> list[QRectF]:
        """Where the glyphs of suggestion ``key`` are drawn (viewport coordinates): one
        rectangle per line and per run of glyphs that touch on the screen (only in the blocks
        that meet ``clip``). Kept per block once measured (:attr:`_glyph_rects`), until that
        block is formatted again or the article is laid out anew. ``origins`` keeps where each
        block is on the screen for the calls of one paint (a paint draws a hundred frames in a
        few blocks)."""
        extent = self._suggested.get(key)
        if extent is None:
            return []
        start16, end16, _label = extent
        document = self.document()
        origins = {} if origins is None else origins
        measured = self._glyph_rects.get(key)
        if measured is None:
            measured, complete = self._measure(start16, end16)
            if complete:
                self._glyph_rects[key] = measured
                for number, _size, _local in measured:
                    self._glyph_blocks.setdefault(number, set()).add(key)
        rects: list[QRectF] = []
        for number, size, local in measured:
            origin = origins.get(number)
            if origin is None:
                block = document.findBlockByNumber(number)
                shift = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
                origin = origins[number] = document.documentLayout().blockBoundingRect(block).topLeft() - shift
            if clip is not None and not clip.intersects(QRectF(origin, size)):
                continue
            rects += [rect.translated(origin) for rect in local]
        return rects

    def _measure(self, start16: int, end16: int) -> tuple[list[tuple[int, QSizeF, list[QRectF]]], bool]:
        """The glyph rectangles of ``[start16, end16)`` in each block it touches, relative to the
        block (with the block's size), and whether every block was laid out (else: not kept)."""
        document = self.document()
        text, to_cp = self.model.text, self.offsets.to_codepoint
        measured: list[tuple[int, QSizeF, list[QRectF]]] = []
        complete = True
        block = document.findBlock(start16)
        while block.isValid() and block.position() < end16:
            layout = block.layout()
            base = block.position()
            if layout is None or layout.lineCount() == 0:
                complete = complete and block.length() <= 1  # (an empty block has nothing to lay out)
                block = block.next()
                continue
            rects: list[QRectF] = []
            measured.append((block.blockNumber(), layout.boundingRect().size(), rects))
            # From the line that holds the range's start to the one that holds its end (not
            # every line of the paragraph: a long one has hundreds, and many suggestions).
            top = layout.lineForTextPosition(max(start16 - base, 0)).lineNumber()
            bottom = layout.lineForTextPosition(min(end16 - base, block.length() - 1)).lineNumber()
            lines = layout.lineCount()
            top = top if top >= 0 else 0
            bottom = bottom if bottom >= 0 else lines - 1
            for number in range(top, bottom + 1):
                line = layout.lineAt(number)
                first = max(start16, base + line.textStart())
                last = min(end16, base + line.textStart() + line.textLength())
                # (a space where the line wraps is drawn nowhere near the words)
                while first < last and _is_space(text, to_cp(last - 1)):
                    last -= 1
                while first < last and _is_space(text, to_cp(first)):
                    first += 1
                if first >= last:
                    continue
                # The glyph runs of the range: where its letters are drawn, visual run by
                # visual run (digits inside an Arabic line are a run of their own).
                pieces = sorted(
                    (r.x(), r.x() + r.width())
                    for r in (run.boundingRect() for run in line.glyphRuns(first - base, last - first))
                    if r.width() > 0
                )
                merged: list[list[float]] = []
                for low, high in pieces:
                    if merged and low <= merged[-1][1] + 1.0:
                        merged[-1][1] = max(merged[-1][1], high)
                    else:
                        merged.append([low, high])
                for low, high in merged:
                    rects.append(QRectF(low, line.y(), high - low, line.height()))
            block = block.next()
        return measured, complete

    def _forget_glyph_rects(self, blocks: list[int]) -> None:
        """Blocks formatted again: the suggestions' rectangles in them are measured again."""
        # (through the keys measured in each block, not every suggestion's rectangles: a long
        # article has thousands, and a tag formats one or two blocks)
        for number in blocks:
            for key in self._glyph_blocks.pop(number, ()):
                self._glyph_rects.pop(key, None)

    def resizeEvent(self, event) -> None:
        self._glyph_rects, self._glyph_blocks = {}, {}  # (the lines wrap anew)
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:  # (also while the base class is being built)
            self._glyph_rects, self._glyph_blocks = {}, {}
        super().changeEvent(event)

    def _range_in(self, area: QRectF) -> tuple[int, int]:
        """The UTF-16 positions of the blocks (paragraphs) that ``area`` (viewport) shows, and
        of the block on either side (a point between two paragraphs finds either)."""
        document = self.document()
        top = document.findBlock(self.cursorForPosition(QPoint(0, int(area.top()))).position())
        bottom = document.findBlock(self.cursorForPosition(QPoint(0, int(area.bottom()))).position())
        top = top.previous() if top.previous().isValid() else top
        bottom = bottom.next() if bottom.next().isValid() else bottom
        return top.position(), bottom.position() + bottom.length()

    def suggestion_at(self, point: QPoint) -> str | None:
        """The suggestion drawn under ``point`` (viewport coordinates), if any."""
        first, last = self._range_in(QRectF(point.x(), point.y(), 1, 1))
        for key in self._suggestions_in(first, last):
            if any(rect.adjusted(-1, 0, 1, 0).contains(QPointF(point)) for rect in self.suggestion_rects(key)):
                return key
        return None

    def _suggestions_in(self, first: int, last: int) -> list[str]:
        """The keys of the suggestions that touch UTF-16 positions ``[first, last)``, in reading
        order (found through their sorted starts, not by looking at every suggestion)."""
        order = self._suggested_order
        low = bisect_left(order, (first - self._suggested_longest,))
        high = bisect_left(order, (last,), low)
        return [key for _start, end, key in order[low:high] if end > first]

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._suggested:
            return
        clip = QRectF(event.rect())
        first, last = self._range_in(clip)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        origins: dict[int, QPointF] = {}  # (where each block is, for this paint)
        style = None
        for key in self._suggestions_in(first, last):  # (only those in the part being painted)
            rects = self.suggestion_rects(key, clip, origins)
            if not rects:
                continue
            label = self._suggested[key][2]
            current = key == self.current_suggestion
            if style != (label, current):  # (neighbours often share a label: one pen for them)
                style = (label, current)
                color = self.highlighter.color(label)
                if current:
                    pen = QPen(color.darker(150), 2.2, Qt.PenStyle.CustomDashLine)
                    pen.setDashPattern([3.0, 2.0])
                    fill = QColor(color)
                    fill.setAlpha(70)
                    painter.setBrush(fill)
                else:
                    # One pixel wide, on the pixels' centres: Qt draws a dashed one-pixel frame
                    # four times faster than a wider one (a paint draws a hundred frames).
                    pen = QPen(color.darker(160), 1.0, Qt.PenStyle.CustomDashLine)
                    pen.setDashPattern([4.0, 3.0])
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(pen)
            for rect in rects:
                frame = rect.adjusted(-2.5, 1.0, 2.5, -1.0)
                painter.drawRoundedRect(frame if current else _on_pixel_centres(frame), 3.0, 3.0)
        painter.end()

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._suggested:
            key = self.suggestion_at(event.pos())
            found = self.model.suggestion(key)
            if found is not None:
                covered = self.model.text[found.start : found.end]
                QToolTip.showText(event.globalPos(), suggestion_tooltip(found, covered), self.viewport())
                return True
            QToolTip.hideText()
        return super().viewportEvent(event)


def _on_pixel_centres(rect: QRectF) -> QRectF:
    """``rect`` with its edges moved to the pixels' centres (a one-pixel line drawn there is crisp)."""
    left, top = math.floor(rect.left()) + 0.5, math.floor(rect.top()) + 0.5
    return QRectF(left, top, math.floor(rect.right()) + 0.5 - left, math.floor(rect.bottom()) + 0.5 - top)


def _is_space(text: str, offset: int) -> bool:
    return offset < len(text) and text[offset].isspace()


def _order(view: ViewSpan) -> tuple[int, int, str]:
    """Reading order of view spans, as in :func:`nesting_depths`."""
    return view.start, -view.end, view.id

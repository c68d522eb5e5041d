"""The article with its spans: select text, see highlights, click a span to select it.

This is the Qt boundary for offsets: Qt positions are UTF-16 units, spans are
code points. Every conversion goes through the document's :class:`Utf16Map`,
here and nowhere else in the UI. Text is never taken from the widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from workbench.core.store.spans import Span
from workbench.core.text.utf16 import Utf16Map
from workbench.ui.article_view import ArticleView
from workbench.ui.highlighter import SpanHighlighter, ViewSpan, nesting_depths


class AnnotationView(ArticleView):
    spanClicked = Signal(str)  # span id, "" when a click hit no span

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(False)
        self.highlighter = SpanHighlighter(self.document())
        self.offsets = Utf16Map("")
        self.spans: dict[str, Span] = {}
        self._view: dict[str, ViewSpan] = {}

    # --- content -----------------------------------------------------------------

    def set_document(self, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        """Show ``text`` (the stored string) with ``spans``; clears the selection."""
        self.offsets = Utf16Map(text)
        self.highlighter.set_colors(colors)
        self.highlighter.selected = None
        self.spans = {s.id: s for s in spans}
        self._view = self._view_spans(self.spans.values())
        # Blocks are the text's lines: index the spans by block before the text goes in,
        # so that Qt's own pass over the new text highlights each block once.
        to16 = self.offsets.to_utf16
        block_starts = [0]
        position = text.find("\n")
        while position >= 0:
            block_starts.append(to16(position + 1))
            position = text.find("\n", position + 1)
        self.highlighter.prepare(block_starts, list(self._view.values()))
        self.show_text(text)

    def set_colors(self, colors: dict[str, str]) -> None:
        self.highlighter.set_colors(colors)
        self.highlighter.rehighlight()

    def _view_spans(self, spans) -> dict[str, ViewSpan]:
        to16 = self.offsets.to_utf16
        view = {s.id: ViewSpan(s.id, to16(s.start), to16(s.end), s.label) for s in spans}
        for span_id, depth in nesting_depths([(v.id, v.start, v.end) for v in view.values()]).items():
            view[span_id].depth = depth
        return view

    def put_span(self, span: Span) -> None:
        """Show a new or changed span (only the blocks it touches are repainted)."""
        self.spans[span.id] = span
        self._refresh([span.id])

    def drop_span(self, span_id: str) -> None:
        if self.spans.pop(span_id, None) is not None:
            self._refresh([], removed=[span_id])

    def _refresh(self, ids: list[str], removed: list[str] = ()) -> None:
        """Update the view spans of ``ids`` (new or changed) and ``removed``, and the nesting
        depth of the spans whose start lies in the region they cover (no other depth can
        change); repaint only the blocks involved."""
        to16 = self.offsets.to_utf16
        region = [(v.start, v.end) for key in [*ids, *removed] if (v := self._view.get(key))]
        for key in removed:
            self._view.pop(key, None)
        for key in ids:
            span = self.spans[key]
            self._view[key] = ViewSpan(key, to16(span.start), to16(span.end), span.label)
            region.append((self._view[key].start, self._view[key].end))
        low, high = min(r[0] for r in region), max(r[1] for r in region)
        changed = {key: self._view[key] for key in ids}
        for view in self._view.values():
            if low <= view.start < high or view.id in changed:
                depth = sum(
                    1 for other in self._view.values() if other.end > view.start and _order(other) < _order(view)
                )
                if depth != view.depth or view.id in changed:
                    view.depth = depth
                    changed[view.id] = view
        self.highlighter.update_spans(list(changed.values()), list(removed))

    def ordered_spans(self) -> list[Span]:
        """Spans in reading order: by start, the outer of two nested first."""
        return sorted(self.spans.values(), key=lambda s: (s.start, -s.end, s.created_at))

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
        """Draw ``span_id`` as the selected span and scroll it into view."""
        self.highlighter.select(span_id)
        span = self.spans.get(span_id) if span_id else None
        if span is not None:
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_utf16(span.end))
            cursor.setPosition(self.offsets.to_utf16(span.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

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

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            position = self.cursorForPosition(event.position().toPoint()).position()
            self.spanClicked.emit(self.span_at(position) or "")


def _order(view: ViewSpan) -> tuple[int, int, str]:
    """Reading order of view spans, as in :func:`nesting_depths`."""
    return view.start, -view.end, view.id

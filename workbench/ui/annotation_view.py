"""The article with its spans: select text, see highlights, click a span to select it.

This is the Qt boundary for offsets: Qt positions are UTF-16 units, spans are
code points. Every conversion goes through the document's :class:`Utf16Map`,
here and nowhere else in the UI. Text is never taken from the widget.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from workbench.core.store.spans import Span
from workbench.core.text.utf16 import Utf16Map
from workbench.ui.article_view import ArticleView
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.highlighter import SpanHighlighter, ViewSpan, nesting_depths


class AnnotationView(ArticleView):
    """Draws a :class:`DocumentSpans` model: its text, and its spans as highlights.

    The view keeps no spans of its own: it follows the model's ``reset`` (another
    document) and ``spansChanged`` (repaint only the blocks of those spans). The
    highlighter holds only what painting needs: each span's UTF-16 extent, label and
    nesting depth, indexed by block.
    """

    spanClicked = Signal(str)  # span id, "" when a click hit no span

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

    def _view_spans(self, spans) -> dict[str, ViewSpan]:
        to16 = self.offsets.to_utf16
        view = {s.id: ViewSpan(s.id, to16(s.start), to16(s.end), s.label) for s in spans}
        for span_id, depth in nesting_depths([(v.id, v.start, v.end) for v in view.values()]).items():
            view[span_id].depth = depth
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
        change); repaint only the blocks involved."""
        to16 = self.offsets.to_utf16
        view_spans = self._view
        region = [(v.start, v.end) for key in [*ids, *removed] if (v := view_spans.get(key))]
        for key in removed:
            view_spans.pop(key, None)
        for key in ids:
            span = self.model.spans[key]
            view_spans[key] = ViewSpan(key, to16(span.start), to16(span.end), span.label)
            region.append((view_spans[key].start, view_spans[key].end))
        if not region:
            return
        low, high = min(r[0] for r in region), max(r[1] for r in region)
        changed = {key: view_spans[key] for key in ids}
        for view in view_spans.values():
            if low <= view.start < high or view.id in changed:
                depth = sum(
                    1 for other in view_spans.values() if other.end > view.start and _order(other) < _order(view)
                )
                if depth != view.depth or view.id in changed:
                    view.depth = depth
                    changed[view.id] = view
        self.highlighter.update_spans(list(changed.values()), list(removed))

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
        """Draw ``span_id`` as the selected span and scroll it into view."""
        self.highlighter.select(span_id)
        span = self.model.get(span_id)
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

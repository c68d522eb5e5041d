"""The article: read-only, shaped by Qt, each paragraph laid out in its own direction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFrame, QTextEdit

from workbench.ui.fonts import reading_font


class ArticleView(QTextEdit):
    """Shows exactly the stored text of a document.

    Qt shapes the Arabic and resolves each paragraph's direction from its first
    strong character, so Arabic paragraphs read right to left and Latin ones
    left to right. Offsets and text are always taken from the stored string,
    never from the widget (``toPlainText()`` turns NBSP into spaces and Qt
    counts UTF-16 units).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        # Lines wrap at the width: nothing to scroll sideways. (The caret at the start of a
        # right-to-left line stood a pixel past the width: a bar came and went, and the text
        # reflowed under it, as the article took the focus.)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFont(reading_font())
        self.document().setDocumentMargin(18)
        self.text = ""

    def show_text(self, text: str) -> None:
        self.text = text
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.Start)

"""The table of the open document's spans, in reading order."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, Qt

from workbench.core.store.spans import Span
from workbench.core.text.normalise import starts_rtl
from workbench.ui.label_palette import swatch


def describe_attributes(span: Span) -> str:
    parts = []
    for key, value in span.attributes.items():
        if isinstance(value, bool):
            if value:
                parts.append(key)
        elif isinstance(value, list):
            parts.append(f"{key} {value[0]}–{value[1]}")
        else:
            parts.append(f"{key} {value}")
    if span.unsure:
        parts.append("?")
    if span.note:
        parts.append("✎")
    return ", ".join(parts)


class SpanTableModel(QAbstractTableModel):
    LABEL, TEXT, ATTRIBUTES = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("SpanTableModel", "Label"),
        QT_TRANSLATE_NOOP("SpanTableModel", "Text"),
        QT_TRANSLATE_NOOP("SpanTableModel", "Attributes"),
    )

    def __init__(self, parent=None):
        super().__init__(parent)
        self._spans: list[Span] = []
        self._text = ""
        self._colors: dict[str, str] = {}
        self._icons: dict[str, object] = {}

    def set_spans(self, spans: list[Span], text: str, colors: dict[str, str]) -> None:
        self.beginResetModel()
        self._spans = list(spans)
        self._text = text
        if colors != self._colors:
            self._colors = colors
            self._icons = {label: swatch(color, 12) for label, color in colors.items()}
        self.endResetModel()

    def insert(self, span: Span) -> int:
        """Add one span at its place in reading order (a new span: no reset, no relayout)."""
        key = (span.start, -span.end, span.created_at)
        row = bisect_left([(s.start, -s.end, s.created_at) for s in self._spans], key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self.endInsertRows()
        return row

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        span = self._spans[index.row()]
        column = index.column()
        covered = self._text[span.start : span.end]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return span.label
            if column == self.TEXT:
                return " ".join(covered.split())
            return describe_attributes(span)
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return self._icons.get(span.label)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TEXT:
            side = Qt.AlignmentFlag.AlignRight if starts_rtl(covered) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label} [{span.start}, {span.end})\n{covered}" + (f"\n{span.note}" if span.note else "")
        return None

    def span(self, row: int) -> Span:
        return self._spans[row]

    def row_of(self, span_id: str) -> int:
        for row, span in enumerate(self._spans):
            if span.id == span_id:
                return row
        return -1

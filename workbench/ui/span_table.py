"""The table of the open document's spans, in reading order."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, Qt

from workbench.core.store.spans import Span
from workbench.core.text.normalise import starts_rtl
from workbench.ui.document_spans import DocumentSpans, reading_order
from workbench.ui.label_palette import swatch

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: a run takes its own direction


def isolated(text: str) -> str:
    """``text`` in a first-strong isolate: in a left-to-right table an Arabic cell (or one that
    starts with digits, "19 يناير 2019") keeps its own order instead of the table's."""
    return f"{FSI}{text}{PDI}"


def describe_attributes(span: Span) -> str:
    parts = []
    for key, value in span.attributes.items():
        if isinstance(value, bool):
            if value:
                parts.append(key)
        elif isinstance(value, list):
            parts.append(f"{key} {value[0]}–{value[1]}")
        else:
            parts.append(f"{key} {isolated(str(value))}")
    if span.unsure:
        parts.append("?")
    if span.note:
        parts.append("✎")
    return ", ".join(parts)


class SpanTableModel(QAbstractTableModel):
    """The rows of a :class:`DocumentSpans` model, in reading order.

    The table keeps only the order of the span ids; each cell reads its span from
    the model. A change to some spans inserts, removes, moves or repaints just
    their rows (no reset, no relayout of the others).
    """

    LABEL, TEXT, ATTRIBUTES = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("SpanTableModel", "Label"),
        QT_TRANSLATE_NOOP("SpanTableModel", "Text"),
        QT_TRANSLATE_NOOP("SpanTableModel", "Attributes"),
    )

    def __init__(self, source: DocumentSpans, colors: dict[str, str] | None = None, parent=None):
        super().__init__(parent)
        self.source = source
        self._ids: list[str] = []
        self._keys: list[tuple] = []  # reading_order() of each row, for bisecting
        self._colors: dict[str, str] = {}
        self._icons: dict[str, object] = {}
        self.set_colors(colors or {})
        source.reset.connect(self._reset)
        source.spansChanged.connect(self._spans_changed)
        self._reset()

    def set_colors(self, colors: dict[str, str]) -> None:
        if colors != self._colors:
            self._colors = dict(colors)
            self._icons = {label: swatch(color, 12) for label, color in colors.items()}
            if self._ids:
                self.dataChanged.emit(self.index(0, self.LABEL), self.index(len(self._ids) - 1, self.LABEL))

    def _reset(self) -> None:
        self.beginResetModel()
        ordered = self.source.ordered()
        self._ids = [s.id for s in ordered]
        self._keys = [reading_order(s) for s in ordered]
        self.endResetModel()

    def _spans_changed(self, changed: list[Span], removed: list[str]) -> None:
        for span_id in [*removed, *(s.id for s in changed)]:
            row = self.row_of(span_id)
            if row < 0:
                continue
            span = self.source.get(span_id)
            if span is not None and self._fits(row, reading_order(span)):
                self._keys[row] = reading_order(span)  # same place: repaint the row only
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row], self._keys[row]
            self.endRemoveRows()
        for span in changed:
            if self.row_of(span.id) < 0:
                self._insert(span)

    def _fits(self, row: int, key: tuple) -> bool:
        return (row == 0 or self._keys[row - 1] <= key) and (row == len(self._keys) - 1 or key <= self._keys[row + 1])

    def _insert(self, span: Span) -> int:
        key = reading_order(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._ids.insert(row, span.id)
        self._keys.insert(row, key)
        self.endInsertRows()
        return row

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        span = self.source.get(self._ids[index.row()])
        if span is None:
            return None
        column = index.column()
        covered = self.source.text[span.start : span.end]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return span.label
            if column == self.TEXT:
                return isolated(" ".join(covered.split()))
            return isolated(describe_attributes(span))
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return self._icons.get(span.label)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TEXT:
            side = Qt.AlignmentFlag.AlignRight if starts_rtl(covered) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            attributes = describe_attributes(span)
            attributes = f"\n{isolated(attributes)}" if attributes else ""
            note = f"\n{isolated(span.note)}" if span.note else ""
            return f"{span.label} [{span.start}, {span.end})\n{isolated(covered)}{attributes}{note}"
        return None

    def span(self, row: int) -> Span:
        return self.source.get(self._ids[row])

    def row_of(self, span_id: str) -> int:
        try:
            return self._ids.index(span_id)
        except ValueError:
            return -1

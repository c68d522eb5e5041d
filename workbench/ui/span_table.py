"""The table of the open document's spans and pending suggestions, in reading order."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from workbench.core.store.spans import Span
from workbench.core.text.normalise import starts_rtl
from workbench.core.values import Found
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.label_palette import swatch

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate: a run takes its own direction
LRI = "\u2066"  # left-to-right isolate


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


def _values(attributes: dict[str, Any]) -> str:
    parts = []
    for key, value in attributes.items():
        if isinstance(value, bool):
            if value:
                parts.append(key)
        elif isinstance(value, list):
            parts.append(f"{key}={value[0]}–{value[1]}")
        else:
            parts.append(f"{key}={isolated(str(value))}")
    return " ".join(parts)


def describe_suggestion(found: Found) -> str:
    """ "suggested: value=2019-01-19 precision=day (rules:date, 0.95)", in the interface language
    (the values, the source and the confidence read left to right in an Arabic sentence too)."""
    values = _values(found.attributes) or QCoreApplication.translate("Suggestions", "no values")
    return (
        QCoreApplication.translate("Suggestions", "suggested: %1 (%2, %3)")
        .replace("%1", f"{LRI}{values}{PDI}")
        .replace("%2", f"{LRI}{found.source or '?'}{PDI}")
        .replace("%3", f"{LRI}{found.confidence:.2f}{PDI}")
    )


def dashed_swatch(color: str, size: int = 14) -> QIcon:
    """A suggestion's swatch: the label's colour as a dashed frame (spans have a filled one)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color).darker(130), 1.6, Qt.PenStyle.DashLine)
    pen.setDashPattern([2.0, 1.5])
    painter.setPen(pen)
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class SpanTableModel(QAbstractTableModel):
    """The rows of a :class:`DocumentSpans` model, in reading order: its spans and, in italics
    with a dashed swatch, its pending suggestions with their suggested values.

    The table keeps only the order of the item ids; each cell reads its span (or
    suggestion) from the model. A change to some spans or suggestions inserts, removes,
    moves or repaints just their rows (no reset, no relayout of the others).
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
        self._dashed: dict[str, object] = {}
        self._italic = QFont()
        self._italic.setItalic(True)
        self.set_colors(colors or {})
        source.reset.connect(self._reset)
        source.spansChanged.connect(self._spans_changed)
        source.suggestionsChanged.connect(self._suggestions_changed)
        self._reset()

    def set_colors(self, colors: dict[str, str]) -> None:
        if colors != self._colors:
            self._colors = dict(colors)
            self._icons = {label: swatch(color, 12) for label, color in colors.items()}
            self._dashed = {label: dashed_swatch(color, 12) for label, color in colors.items()}
            if self._ids:
                self.dataChanged.emit(self.index(0, self.LABEL), self.index(len(self._ids) - 1, self.LABEL))

    def _reset(self) -> None:
        self.beginResetModel()
        self._ids = self.source.ordered_items()
        self._keys = [self.source.order_of(item) for item in self._ids]
        self.endResetModel()

    def _spans_changed(self, changed: list[Span], removed: list[str]) -> None:
        self._items_changed([s.id for s in changed], removed)

    def _suggestions_changed(self, changed: list[str], removed: list[str]) -> None:
        self._items_changed(changed, removed)

    def _items_changed(self, changed: list[str], removed: list[str]) -> None:
        for item in [*removed, *changed]:
            row = self.row_of(item)
            if row < 0:
                continue
            if self.source.has(item) and self._fits(row, self.source.order_of(item)):
                self._keys[row] = self.source.order_of(item)  # same place: repaint the row only
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row], self._keys[row]
            self.endRemoveRows()
        for item in changed:
            if self.row_of(item) < 0 and self.source.has(item):
                self._insert(item)

    def _fits(self, row: int, key: tuple) -> bool:
        return (row == 0 or self._keys[row - 1] <= key) and (row == len(self._keys) - 1 or key <= self._keys[row + 1])

    def _insert(self, item: str) -> int:
        key = self.source.order_of(item)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._ids.insert(row, item)
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
        found = self.source.suggestion(self._ids[index.row()])
        if found is not None:
            return self._suggestion_data(found, index.column(), role)
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

    def _suggestion_data(self, found: Found, column: int, role):
        covered = self.source.text[found.start : found.end]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return found.label
            if column == self.TEXT:
                return isolated(" ".join(covered.split()))
            return isolated(describe_suggestion(found))
        if role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return self._dashed.get(found.label)
        if role == Qt.ItemDataRole.FontRole:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#5A5A5A")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TEXT:
            side = Qt.AlignmentFlag.AlignRight if starts_rtl(covered) else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return suggestion_tooltip(found, covered)
        return None

    def span(self, row: int) -> Span | None:
        """The span of ``row`` (``None`` on a suggestion's row)."""
        return self.source.get(self._ids[row])

    def item(self, row: int) -> str:
        """The id of the span, or the key of the suggestion, of ``row``."""
        return self._ids[row]

    def row_of(self, span_id: str) -> int:
        try:
            return self._ids.index(span_id)
        except ValueError:
            return -1


def suggestion_tooltip(found: Found, covered: str) -> str:
    """What the article and the table say of a suggestion when the mouse rests on it."""
    heading = QCoreApplication.translate("Suggestions", "%1 suggestion, not saved").replace("%1", found.label)
    keys = QCoreApplication.translate(
        "Suggestions", "Enter accepts it, Del rejects it, a label key accepts it with that label."
    )
    return f"{heading} [{found.start}, {found.end})\n{isolated(covered)}\n{describe_suggestion(found)}\n{keys}"

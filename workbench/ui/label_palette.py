"""The label palette: one button per label with its colour, name and key."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget

from workbench.core.store.labels import Label


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QColor(color).darker(140))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class LabelPalette(QWidget):
    labelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.buttons: dict[str, QToolButton] = {}

    def set_labels(self, labels: list[Label]) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        for label in labels:
            button = QToolButton(self)
            button.setObjectName(f"label_{label.name}")
            button.setText(f"{label.key}   {label.name}" if label.key else label.name)
            button.setIcon(swatch(label.color))
            button.setIconSize(QSize(14, 14))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            key = self.tr("key")
            button.setToolTip(f"<b>{label.name}</b> ({key} {label.key})<br>{label.description}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the keyboard in the text
            button.clicked.connect(lambda _=False, name=label.name: self.labelChosen.emit(name))
            self._layout.addWidget(button)
            self.buttons[label.name] = button

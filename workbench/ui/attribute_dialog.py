"""Add an attribute to a label of the schema, from the window: the intent of
``workbench-cli labels attr add`` (:func:`workbench.core.intents.add_attribute`), run through
the window's undo stack. A refusal is shown in the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from workbench.core import intents
from workbench.core.actions import Action
from workbench.core.errors import WorkbenchError
from workbench.core.store.labels import ATTRIBUTE_TYPES, DEFAULT_ATTRIBUTE_TYPE, takes_values
from workbench.core.store.project import Project
from workbench.ui.label_palette import swatch

CONTEXT = "AttributeDialog"
# How each attribute type reads in the list (a type the core adds later shows its own name).
TYPE_TEXTS = {
    "count": QT_TRANSLATE_NOOP("AttributeDialog", "count: a number or a range (10-15)"),
    "choice": QT_TRANSLATE_NOOP("AttributeDialog", "choice: one of the values"),
    "flag": QT_TRANSLATE_NOOP("AttributeDialog", "flag: yes or no"),
    "date": QT_TRANSLATE_NOOP("AttributeDialog", "date: 2019-01-19, 2019-01 or 2019"),
    "text": QT_TRANSLATE_NOOP("AttributeDialog", "text: free text, such as a canonical name"),
}


class AttributeDialog(QDialog):
    """Label, attribute name, type, values (of a choice) and description; Add runs the intent's
    action through ``run`` (the window's runner) and closes, a refusal stays in the dialog."""

    def __init__(
        self,
        project: Project,
        run: Callable[[Action], bool],
        label: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("attributeDialog")
        self.project = project
        self._run = run
        self.setWindowTitle(self.tr("Add an attribute to a label"))
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label = QComboBox()
        self.label.setObjectName("attributeLabel")
        for known in project.labels():
            self.label.addItem(swatch(known.color), known.name, known.name)
        if label is not None and self.label.findData(label) >= 0:
            self.label.setCurrentIndex(self.label.findData(label))
        self.name = QLineEdit()
        self.name.setObjectName("attributeName")
        self.name.setPlaceholderText(self.tr("Latin letters, such as role"))
        self.type = QComboBox()
        self.type.setObjectName("attributeType")
        for kind in ATTRIBUTE_TYPES:
            text = TYPE_TEXTS.get(kind)
            self.type.addItem(QCoreApplication.translate(CONTEXT, text) if text else kind, kind)
        self.type.setCurrentIndex(self.type.findData(DEFAULT_ATTRIBUTE_TYPE))
        self.values = QLineEdit()
        self.values.setObjectName("attributeValues")
        self.values.setPlaceholderText(self.tr("commander, fighter, civilian"))
        self.description = QLineEdit()
        self.description.setObjectName("attributeDescription")
        self.description.setPlaceholderText(self.tr("Shown as the field's tooltip"))
        self.message = QLabel()
        self.message.setObjectName("attributeMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B00020;")
        for text, widget in (
            (self.tr("Label"), self.label),
            (self.tr("Attribute name"), self.name),
            (self.tr("Type"), self.type),
            (self.tr("Values (separated by commas)"), self.values),
            (self.tr("Description"), self.description),
        ):
            layout.addRow(text, widget)
        layout.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(self.tr("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("attributeAdd")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        self.type.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)

    def _type_changed(self, _index: int = 0) -> None:
        self.values.setEnabled(takes_values(self.type.currentData()))

    def add(self) -> bool:
        """Add the attribute (one undo step); ``False`` and the reason shown when it is refused."""
        values = self.values.text() if self.values.isEnabled() else ""
        try:
            action = intents.add_attribute(
                self.project,
                self.label.currentData() or "",
                self.name.text(),
                self.type.currentData(),
                values,
                self.description.text(),
            )
        except WorkbenchError as exc:
            self.message.setText(str(exc))
            return False
        if not self._run(action):
            return False  # the window says why (the project refused the step)
        self.message.clear()
        self.accept()
        return True

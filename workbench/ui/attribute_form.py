"""The form for the selected span's attributes, note and unsure flag.

Fields follow the label's attribute definitions. A value is checked by the
core's rules when the field is left (or Enter pressed); a bad value is shown in
red with the reason and not saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from workbench.core.store.labels import CHOICE, COUNT, DATE, FLAG, TEXT, Label, validate_attributes
from workbench.core.store.spans import Span

# The default schema's words, for translation (a project's own labels show as written).
VOCABULARY = (
    QT_TRANSLATE_NOOP("AttributeForm", "canonical"),
    QT_TRANSLATE_NOOP("AttributeForm", "count"),
    QT_TRANSLATE_NOOP("AttributeForm", "kind"),
    QT_TRANSLATE_NOOP("AttributeForm", "approximate"),
    QT_TRANSLATE_NOOP("AttributeForm", "value"),
    QT_TRANSLATE_NOOP("AttributeForm", "precision"),
    QT_TRANSLATE_NOOP("AttributeForm", "killed"),
    QT_TRANSLATE_NOOP("AttributeForm", "injured"),
    QT_TRANSLATE_NOOP("AttributeForm", "captured"),
    QT_TRANSLATE_NOOP("AttributeForm", "missing"),
    QT_TRANSLATE_NOOP("AttributeForm", "unspecified"),
    QT_TRANSLATE_NOOP("AttributeForm", "day"),
    QT_TRANSLATE_NOOP("AttributeForm", "month"),
    QT_TRANSLATE_NOOP("AttributeForm", "year"),
)


class AttributeForm(QWidget):
    # span id, changes for EditSpan: {"attributes": {...}} / {"note": ...} / {"unsure": ...}
    edited = Signal(str, dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.span: Span | None = None
        self.label: Label | None = None
        self.fields: dict[str, QWidget] = {}
        self.error = QLabel(self)
        self.completions: dict[str, list[str]] = {}
        self.show_span(None, None)

    def show_span(
        self, span: Span | None, label: Label | None, completions: dict[str, list[str]] | None = None
    ) -> None:
        """Rebuild the form for ``span`` (``None``: an empty, disabled form)."""
        self.span, self.label = span, label
        self.completions = completions or {}
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self.fields = {}
        self.error = QLabel(self)
        self.error.setObjectName("attributeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B00020;")
        if span is None or label is None:
            hint = QLabel(self.tr("Select a span to see its attributes."))
            hint.setWordWrap(True)
            hint.setEnabled(False)
            self._layout.addRow(hint)
            return
        for attribute in label.attributes:
            value = span.attributes.get(attribute.name)
            if attribute.type == CHOICE:
                widget = QComboBox()
                widget.addItem("—", None)
                for choice in attribute.choices:
                    widget.addItem(self.tr(choice), choice)
                widget.setCurrentIndex(max(0, widget.findData(value)) if value is not None else 0)
                widget.activated.connect(
                    lambda _i, n=attribute.name, w=widget, sid=span.id: self._commit(sid, n, w.currentData())
                )
            elif attribute.type == FLAG:
                widget = QCheckBox()
                widget.setChecked(bool(value))
                widget.clicked.connect(lambda checked, n=attribute.name, sid=span.id: self._commit(sid, n, checked))
            else:
                widget = QLineEdit()
                if isinstance(value, list):
                    value = f"{value[0]}-{value[1]}"
                widget.setText("" if value is None else str(value))
                widget.setPlaceholderText(
                    {COUNT: "4, 10-15", DATE: "2019-01-19, 2019-01, 2019", TEXT: ""}.get(attribute.type, "")
                )
                if attribute.type == TEXT and self.completions.get(attribute.name):
                    completer = QCompleter(self.completions[attribute.name], widget)
                    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                    completer.setFilterMode(Qt.MatchFlag.MatchContains)
                    widget.setCompleter(completer)
                widget.editingFinished.connect(
                    lambda n=attribute.name, w=widget, sid=span.id: self._commit(sid, n, w.text().strip())
                )
            widget.setObjectName(f"attr_{attribute.name}")
            widget.setToolTip(attribute.description)
            self.fields[attribute.name] = widget
            self._layout.addRow(self.tr(attribute.name), widget)

        note = QLineEdit(span.note)
        note.setObjectName("attr_note")
        note.setPlaceholderText(self.tr("A note for the adjudicator"))
        note.editingFinished.connect(lambda w=note, sid=span.id: self._emit(sid, {"note": w.text().strip()}))
        self.fields["note"] = note
        self._layout.addRow(self.tr("note"), note)
        unsure = QCheckBox(self.tr("unsure"))
        unsure.setObjectName("attr_unsure")
        unsure.setChecked(span.unsure)
        unsure.clicked.connect(lambda checked, sid=span.id: self._emit(sid, {"unsure": bool(checked)}))
        self.fields["unsure"] = unsure
        self._layout.addRow("", unsure)
        self._layout.addRow(self.error)

    def _commit(self, span_id: str, name: str, value: Any) -> None:
        if self.span is None or self.label is None or self.span.id != span_id:
            return  # the field belonged to a span that is no longer shown
        attributes = dict(self.span.attributes)
        if value in (None, ""):
            attributes.pop(name, None)
        else:
            attributes[name] = value
        try:
            clean = validate_attributes(self.label, attributes)
        except ValueError as exc:
            self._mark(name, str(exc))
            return
        self._mark(name, None)
        if clean != self.span.attributes:
            self._emit(span_id, {"attributes": clean})

    def _mark(self, name: str, problem: str | None) -> None:
        widget = self.fields.get(name)
        if widget is not None:
            widget.setStyleSheet("border: 1px solid #B00020;" if problem else "")
        self.error.setText(problem or "")

    def _emit(self, span_id: str, changes: dict[str, Any]) -> None:
        if self.span is None or self.span.id != span_id:
            return
        if all(getattr(self.span, key) == value for key, value in changes.items()):
            return
        self.edited.emit(self.span.id, changes)

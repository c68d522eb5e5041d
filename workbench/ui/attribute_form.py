"""The form for the selected span's attributes, note and unsure flag.

Fields follow the label's attribute definitions. A value is checked by the
core's rules when the field is left (or Enter pressed); a bad value is shown in
red with the reason and not saved.

The form is driven from the keyboard alone: while a field has the focus, the keys
are the form's, not the window's (Tab is not "next span" there, and letters that are
window shortcuts are typed or searched in a list): Tab and Shift+Tab go from field
to field (keeping the value), Enter keeps the value and goes back to the text, Esc
goes back to the text (keeping what was typed), and typing in a choice list picks
the choice that starts so.

A change to the span shown (the user's own, coming back through the change signal)
updates the fields in place: the form is never rebuilt under a widget that is still
handling the key or click that changed it (that crashed the app in a choice list).

A pending suggestion is shown read-only (:meth:`AttributeForm.show_suggestion`): its
suggested values, where they come from and how sure the engine is, and the keys that
accept or reject it. Its values become editable once it is accepted as a span.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store.labels import CHOICE, COUNT, DATE, FLAG, TEXT, Label, validate_attributes
from workbench.core.store.spans import Span
from workbench.core.values import Found
from workbench.ui.span_table import describe_suggestion

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
    QT_TRANSLATE_NOOP("AttributeForm", "week"),
    QT_TRANSLATE_NOOP("AttributeForm", "quarter"),
    QT_TRANSLATE_NOOP("AttributeForm", "century"),
    QT_TRANSLATE_NOOP("AttributeForm", "denied"),
    QT_TRANSLATE_NOOP("AttributeForm", "calendar"),
    QT_TRANSLATE_NOOP("AttributeForm", "gregorian"),
    QT_TRANSLATE_NOOP("AttributeForm", "hijri"),
)


# Modifiers that make a key the window's even while the form has the focus (Ctrl+Z, Alt+1 ...).
_WINDOW_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
_LEAVE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _is_form_key(event) -> bool:
    """A key the focused field (or the form) handles itself: no Ctrl/Alt/Meta and not F1-F35."""
    if event.modifiers() & _WINDOW_MODIFIERS:
        return False
    return not Qt.Key.Key_F1.value <= event.key() <= Qt.Key.Key_F35.value


class AttributeForm(QWidget):
    # span id, changes for EditSpan: {"attributes": {...}} / {"note": ...} / {"unsure": ...}
    edited = Signal(str, dict)
    left = Signal()  # Enter or Esc in a field: the user goes back to the text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._outer = outer
        self._rows: QWidget | None = None
        self.span: Span | None = None
        self.label: Label | None = None
        self.suggestion: Found | None = None  # a pending suggestion shown read-only
        self.fields: dict[str, QWidget] = {}
        self.error = QLabel(self)
        self.completions: dict[str, list[str]] = {}
        self.show_span(None, None)

    # --- showing a span ----------------------------------------------------------------

    def show_span(
        self, span: Span | None, label: Label | None, completions: dict[str, list[str]] | None = None
    ) -> None:
        """Show ``span`` (``None``: an empty, disabled form). The same span with the same
        label is updated in place; another span gets new fields (the old ones are deleted
        later, once the event that led here is over)."""
        if (
            span is not None
            and label is not None
            and self.span is not None
            and self.label is not None
            and span.id == self.span.id
            and label == self.label
        ):
            self.span = span
            self._update_completions(completions or {})
            self._fill(span)
            return
        self._build(span, label, completions or {})

    def _new_rows(self) -> tuple[QWidget, QFormLayout]:
        """Fresh rows for the form (the old ones are deleted later)."""
        if self._rows is not None:
            old = self._rows
            old.hide()
            self._outer.removeWidget(old)
            old.deleteLater()  # not now: one of its widgets may be inside its own signal
        rows = QWidget(self)
        layout = QFormLayout(rows)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._rows = rows
        self._outer.addWidget(rows)
        self.fields = {}
        return rows, layout

    def show_suggestion(self, found: Found) -> None:
        """Show a pending suggestion, read-only: its label, its suggested values (with their
        source and confidence) and the keys that accept or reject it."""
        had_focus = self.has_focus()
        rows, layout = self._new_rows()
        self.span, self.label, self.suggestion = None, None, found
        self.error = QLabel(rows)
        heading = QLabel(self.tr("%1 suggestion, not saved yet").replace("%1", found.label))
        heading.setObjectName("suggestionHeading")
        heading.setStyleSheet("font-style: italic; font-weight: bold;")
        heading.setWordWrap(True)
        layout.addRow(heading)
        values = QLabel(describe_suggestion(found))
        values.setObjectName("suggestionValues")
        values.setWordWrap(True)
        values.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addRow(values)
        hint = QLabel(
            self.tr(
                "Enter accepts it, Del rejects it, a label key accepts it with that label; "
                "the edge keys and P adjust it and accept it."
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        layout.addRow(hint)
        if had_focus:
            self.left.emit()

    def _build(self, span: Span | None, label: Label | None, completions: dict[str, list[str]]) -> None:
        had_focus = self.has_focus()
        self.span, self.label, self.suggestion = span, label, None
        self.completions = completions
        rows, layout = self._new_rows()
        self.error = QLabel(rows)
        self.error.setObjectName("attributeError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B00020;")
        if span is None or label is None:
            hint = QLabel(self.tr("Select a span to see its attributes."))
            hint.setWordWrap(True)
            hint.setEnabled(False)
            layout.addRow(hint)
            if had_focus:
                self.left.emit()
            return
        for attribute in label.attributes:
            widget: QWidget
            if attribute.type == CHOICE:
                combo = QComboBox()
                combo.addItem("—", None)
                for choice in attribute.choices:
                    combo.addItem(self.tr(choice), choice)
                combo.activated.connect(
                    lambda _i, n=attribute.name, w=combo, sid=span.id: self._commit(sid, n, w.currentData())
                )
                widget = combo
            elif attribute.type == FLAG:
                box = QCheckBox()
                box.clicked.connect(lambda checked, n=attribute.name, sid=span.id: self._commit(sid, n, checked))
                widget = box
            else:
                line = QLineEdit()
                line.setPlaceholderText(
                    {COUNT: "4, 10-15", DATE: "2019-01-19, 2019-01, 2019", TEXT: ""}.get(attribute.type, "")
                )
                line.editingFinished.connect(
                    lambda n=attribute.name, w=line, sid=span.id: self._commit(sid, n, w.text().strip())
                )
                widget = line
            widget.setObjectName(f"attr_{attribute.name}")
            widget.setToolTip(attribute.description)
            self.fields[attribute.name] = widget
            layout.addRow(self.tr(attribute.name), widget)
        self._update_completions(completions, force=True)

        note = QLineEdit()
        note.setObjectName("attr_note")
        note.setPlaceholderText(self.tr("A note for the adjudicator"))
        note.editingFinished.connect(lambda w=note, sid=span.id: self._emit(sid, {"note": w.text().strip()}))
        self.fields["note"] = note
        layout.addRow(self.tr("note"), note)
        unsure = QCheckBox(self.tr("unsure"))
        unsure.setObjectName("attr_unsure")
        unsure.clicked.connect(lambda checked, sid=span.id: self._emit(sid, {"unsure": bool(checked)}))
        self.fields["unsure"] = unsure
        layout.addRow("", unsure)
        layout.addRow(self.error)
        for widget in self.fields.values():
            widget.installEventFilter(self)
        self._fill(span)
        if had_focus:
            self.left.emit()  # the field the user was in is gone (another span): back to the text

    def _fill(self, span: Span) -> None:
        """Show the span's values in the fields, without emitting their edit signals."""
        label = self.label
        assert label is not None
        for attribute in label.attributes:
            widget = self.fields.get(attribute.name)
            value = span.attributes.get(attribute.name)
            if isinstance(widget, QComboBox):
                index = max(0, widget.findData(value)) if value is not None else 0
                if widget.currentIndex() != index:
                    widget.setCurrentIndex(index)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QLineEdit):
                if isinstance(value, list):
                    value = f"{value[0]}-{value[1]}"
                text = "" if value is None else str(value)
                if widget.text() != text:
                    widget.setText(text)
        note = self.fields["note"]
        assert isinstance(note, QLineEdit)
        if note.text() != span.note:
            note.setText(span.note)
        unsure = self.fields["unsure"]
        assert isinstance(unsure, QCheckBox)
        unsure.setChecked(span.unsure)

    def set_completions(self, completions: dict[str, list[str]]) -> None:
        """The values to complete each text field with (they came after the span was shown):
        the completers change, nothing else (the annotator may be typing)."""
        self._update_completions(completions)

    def _update_completions(self, completions: dict[str, list[str]], force: bool = False) -> None:
        if not force and completions == self.completions:
            return
        self.completions = completions
        for name, values in completions.items():
            widget = self.fields.get(name)
            if isinstance(widget, QLineEdit) and values:
                completer = QCompleter(values, widget)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                widget.setCompleter(completer)

    # --- the keyboard ----------------------------------------------------------------------

    def has_focus(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and any(focus is w for w in self.fields.values())

    def focus_first(self) -> bool:
        """Put the focus on the first field (``False`` when no span is shown)."""
        if self.span is None or not self.fields:
            return False
        first = next(iter(self.fields.values()))
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _step(self, widget: QWidget, step: int) -> None:
        order = list(self.fields.values())
        index = next(i for i, w in enumerate(order) if w is widget)
        order[(index + step) % len(order)].setFocus(
            Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or not any(watched is w for w in self.fields.values()):
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and _is_form_key(event):
            event.accept()  # the field's key, not a window shortcut
            return True
        if kind == QEvent.Type.KeyPress and _is_form_key(event):
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                backward = key == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._step(watched, -1 if backward else 1)
                return True
            if key in _LEAVE_KEYS:
                if isinstance(watched, QLineEdit) and key != Qt.Key.Key_Escape:
                    name = next(n for n, w in self.fields.items() if w is watched)
                    if not self._commit_field(name, watched):
                        return True  # a bad value: stay in the field, the reason is shown
                self.left.emit()
                return True
        return super().eventFilter(watched, event)

    def _commit_field(self, name: str, widget: QLineEdit) -> bool:
        """Commit a text field now; ``False`` when its value was refused."""
        if self.span is None:
            return True
        if name == "note":
            self._emit(self.span.id, {"note": widget.text().strip()})
            return True
        return self._commit(self.span.id, name, widget.text().strip())

    # --- committing ------------------------------------------------------------------------

    def _commit(self, span_id: str, name: str, value: Any) -> bool:
        if self.span is None or self.label is None or self.span.id != span_id:
            return True  # the field belonged to a span that is no longer shown
        attributes = dict(self.span.attributes)
        if value in (None, ""):
            attributes.pop(name, None)
        else:
            attributes[name] = value
        try:
            clean = validate_attributes(self.label, attributes)
        except ValueError as exc:
            self._mark(name, str(exc))
            return False
        self._mark(name, None)
        if clean != self.span.attributes:
            self._emit(span_id, {"attributes": clean})
        return True

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

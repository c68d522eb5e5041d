"""The project's guidelines in the window: the panel that shows them (F1) and the lead's editor.

The panel shows the guidelines as Markdown, with the labels and their keys below. In the
lead's project it has an "Edit guidelines…" button; in an annotator's copy it says why they
cannot be edited there (they come with the lead's project bundle). The editor is a dialog with
the Markdown source on one side and its preview on the other; Save runs the core's
:func:`~workbench.core.intents.set_guidelines` action through the window's undo stack (the core
refuses empty or too long text with a sentence), Cancel asks before it drops unsaved changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench import APP_NAME
from workbench.core import intents
from workbench.core.actions import Action, Change
from workbench.core.errors import WorkbenchError
from workbench.core.store.labels import Label
from workbench.core.store.project import Project, is_annotator_copy
from workbench.core.text.normalise import has_rtl, starts_rtl

PREVIEW_DELAY_MS = 250  # the preview follows the typing after this pause


def source_text(editor: QPlainTextEdit) -> str:
    """The editor's text as typed: ``toPlainText`` would turn no-break spaces into spaces."""
    return editor.document().toRawText().replace("\u2029", "\n")


def set_direction(editor: QPlainTextEdit, text: str) -> None:
    """Right to left when the text starts with Arabic (a plain text editor would draw Arabic
    paragraphs from the left edge otherwise), left to right for an English text."""
    rtl = starts_rtl(text)
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    option = editor.document().defaultTextOption()
    if option.textDirection() == direction and editor.layoutDirection() == direction:
        return
    option.setTextDirection(direction)
    # Absolute: a plain text editor aligns a leading (non-absolute) alignment to the left
    # whatever the direction (measured, Qt 6.8-6.11).
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    editor.document().setDefaultTextOption(option)
    editor.setLayoutDirection(direction)


def mostly_rtl(text: str) -> bool:
    """Whether a paragraph has more right-to-left letters than left-to-right ones: "- **DATE**:
    التاريخ كما ورد" is an Arabic list item though its first letter is Latin."""
    rtl = sum(1 for c in text if has_rtl(c))
    return rtl > sum(1 for c in text if c.isalpha()) - rtl


def show_markdown(browser: QTextBrowser, text: str) -> None:
    """Render ``text`` in ``browser``, each paragraph in the direction of most of its letters
    (Qt's own choice follows the first letter only)."""
    browser.setMarkdown(text)
    block = browser.document().begin()
    cursor = QTextCursor(browser.document())
    while block.isValid():
        if block.text().strip():
            direction = Qt.LayoutDirection.RightToLeft if mostly_rtl(block.text()) else Qt.LayoutDirection.LeftToRight
            if block.blockFormat().layoutDirection() != direction:
                cursor.setPosition(block.position())
                form = block.blockFormat()
                form.setLayoutDirection(direction)
                cursor.setBlockFormat(form)
        block = block.next()


class GuidelinesEditor(QDialog):
    """Edit the guidelines' Markdown with a live preview; Save stores them (one undoable action)."""

    def __init__(self, project: Project, run: Callable[[Action | None], bool], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("guidelinesEditor")
        self.setWindowTitle(self.tr("Edit guidelines"))
        self.project = project
        self.run = run
        self.original = project.guidelines
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "Markdown: # heading, **bold**, - list item. The annotators get these guidelines "
                "with their next project bundle."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.source = QPlainTextEdit()
        self.source.setObjectName("guidelinesSource")
        self.source.setPlainText(self.original)
        set_direction(self.source, self.original)
        self.preview = QTextBrowser()
        self.preview.setObjectName("guidelinesPreview")
        self.preview.setOpenExternalLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.source)
        splitter.addWidget(self.preview)
        splitter.setSizes([500, 500])
        layout.addWidget(splitter, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh_preview)
        self.source.textChanged.connect(self.timer.start)
        self.refresh_preview()
        self.resize(1000, 640)

    def text(self) -> str:
        return source_text(self.source)

    @property
    def modified(self) -> bool:
        return self.text() != self.original

    def refresh_preview(self) -> None:
        text = self.text()
        set_direction(self.source, text)
        show_markdown(self.preview, text)

    def save(self) -> bool:
        """Store the text (through the window's undo stack) and close; a refusal keeps the
        dialog open with the text as typed."""
        try:
            action = intents.set_guidelines(self.project, self.text())
        except WorkbenchError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return False
        if action is not None:
            action.text = self.tr("Edit guidelines")
            if not self.run(action):
                return False
        self.original = self.text()
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel, Esc or the close button: unsaved changes are saved, dropped or kept open, as asked."""
        if self.modified:
            answer = QMessageBox.question(
                self,
                APP_NAME,
                self.tr("The guidelines have unsaved changes. Save them?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return  # Cancel (or the box closed): keep editing
        super().reject()

    def closeEvent(self, event) -> None:
        if self.modified and self.isVisible() and self.result() != QDialog.DialogCode.Accepted:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


class GuidelinesPanel(QWidget):
    """The guidelines dock's content: the rendered guidelines and the labels; the lead's Edit button."""

    editRequested = Signal()

    def __init__(self, project: Project, labels: Callable[[], list[Label]], parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.labels = labels
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guidelines")
        self.browser.setOpenExternalLinks(False)
        layout.addWidget(self.browser, 1)
        self.editable = not is_annotator_copy(project)
        self.note = QLabel(
            self.tr(
                "Your lead writes these guidelines: they come with each project bundle, "
                "so they cannot be edited in your copy."
            )
        )
        self.note.setObjectName("guidelinesNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.note.setVisible(not self.editable)  # (in the layout first: shown alone it would be a window)
        self.edit_button = QPushButton(self.tr("Edit guidelines…"))
        self.edit_button.setObjectName("editGuidelinesButton")
        self.edit_button.setEnabled(project.writable)
        self.edit_button.clicked.connect(self.editRequested)
        layout.addWidget(self.edit_button)
        self.edit_button.setVisible(self.editable)
        self.refresh()

    def refresh(self) -> None:
        text = self.project.guidelines or (
            self.tr("This project has no guidelines yet. Write them with Edit guidelines…")
            if self.editable
            else self.tr("This project has no guidelines yet. The lead sets them in the project.")
        )
        key, heading = self.tr("key"), self.tr("Labels")
        labels = "\n".join(f"- **{label.name}** ({key} {label.key}): {label.description}" for label in self.labels())
        show_markdown(self.browser, f"{text}\n\n### {heading}\n\n{labels}\n")

    def on_change(self, change: Change) -> None:
        if change.extra.get("guidelines") or change.labels:
            self.refresh()

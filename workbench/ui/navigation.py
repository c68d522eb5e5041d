"""Document navigation: which document and which layer the window shows.

:class:`DocumentNavigator` loads a document's text and one layer's spans into the
window's :class:`~workbench.ui.document_spans.DocumentSpans` (from the store),
steps through the list, sets statuses (as intents) and follows an action that was
undone or redone in another document into that document.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtWidgets import QLabel

from workbench.core.actions import Change
from workbench.core.errors import WorkbenchError
from workbench.core.store import documents
from workbench.core.store import spans as span_store
from workbench.core.store import status as doc_status
from workbench.core.store.project import Project
from workbench.ui.document_panel import DocumentPanel
from workbench.ui.document_spans import DocumentSpans
from workbench.ui.runner import ActionRunner


class DocumentNavigator(QObject):
    opened = Signal(str)  # a document (or another layer of it) is now shown
    message = Signal(str, int)  # a line for the status bar, and how long (ms)

    def __init__(
        self,
        project: Project,
        settings: QSettings,
        model: DocumentSpans,
        runner: ActionRunner,
        panel: DocumentPanel,
        info: QLabel,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.project = project
        self.settings = settings
        self.model = model
        self.runner = runner
        self.panel = panel
        self.info = info
        panel.documentActivated.connect(self.open)

    @property
    def layer(self) -> str:
        return self.model.layer

    def first_document(self) -> str | None:
        """Where the window opens: the last document shown, else the first unfinished one."""
        last = self.settings.value("last_document")
        if last and documents.get(self.project.db, last):
            return str(last)
        return doc_status.next_unfinished(self.project.db, self.layer, None) or self.panel.neighbour(None, 1)

    def open(self, doc_id: str, *, again: bool = False) -> bool:
        """Show ``doc_id`` (``again``: read it again even if it is shown)."""
        if doc_id == self.model.doc_id and not again:
            return True
        document = documents.get(self.project.db, doc_id)
        if document is None:
            return False
        self.model.load(doc_id, document.text, span_store.for_document(self.project.db, doc_id, self.layer))
        self.panel.select(doc_id, emit=False)
        characters = QCoreApplication.translate("MainWindow", "characters")
        self.info.setText(f"{document.id} · {len(document.text):,} {characters}")
        self.settings.setValue("last_document", doc_id)
        self.opened.emit(doc_id)
        return True

    def step(self, step: int) -> None:
        target = self.panel.neighbour(self.model.doc_id, step)
        if target:
            self.open(target)

    def set_layer(self, name: str) -> bool:
        """Show and edit ``name``'s spans (an annotator's, or the gold layer); ``False`` if shown already."""
        if name == self.model.layer:
            return False
        self.model.layer = name
        if self.model.doc_id:
            self.open(self.model.doc_id, again=True)
        return True

    def reload(self) -> None:
        """Show the database again after work came in from elsewhere (merged bundles)."""
        current = self.model.doc_id
        self.panel.reload(keep=current)
        if current:
            self.open(current, again=True)

    def take_new_documents(self) -> bool:
        """List documents that other processes imported (the window came back to the front, or
        an action named a document the list has not shown), keeping the open one selected."""
        return self.panel.take_new_documents(keep=self.model.doc_id)

    # --- statuses ---------------------------------------------------------------------

    def set_status(self, status: str) -> bool:
        if not self.model.doc_id:
            return False
        from workbench.core import intents  # (the intents and the rules they bring: not at start-up)

        try:
            action = intents.set_status(self.project, self.model.doc_id, self.layer, status)
        except WorkbenchError as exc:
            self.runner.refused.emit(exc)
            return False
        return self.runner.run(action) is not None

    def mark_done_and_next(self) -> None:
        current = self.model.doc_id
        if not self.set_status("done"):
            return
        following = doc_status.next_unfinished(self.project.db, self.layer, current)
        if following:
            self.open(following)
        else:
            self.message.emit(QCoreApplication.translate("MainWindow", "Every document is done."), 5000)

    # --- following actions ------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        """Follow an action into its document (undo and redo there), and show new statuses.

        Only the documents whose status the action changed (``change.statuses``) are
        repainted in the list: repainting a row makes the list measure its rows again, and
        re-counting the progress reads every status (a tag in a big project paid both)."""
        if any(not self.panel.knows(doc_id) for doc_id in change.doc_ids):
            self.take_new_documents()  # a document the list has not shown: perhaps a new one
        if change.doc_id is not None and change.doc_id != self.model.doc_id:
            self.open(change.doc_id)
        for doc_id in dict.fromkeys(doc_id for doc_id, _annotator in change.statuses):
            self.panel.status_changed(doc_id)

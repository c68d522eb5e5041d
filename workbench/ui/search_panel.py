"""Find in the open document or in the whole corpus; corpus search runs off the UI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import search
from workbench.core.store.project import Project
from workbench.ui.background import BackgroundTask, run_in_background


def corpus_search(query: str):
    """The work of a corpus search, for :func:`~workbench.ui.background.run_in_background`."""

    def work(project: Project, progress, cancelled) -> list:
        return search.in_corpus(project.path, query, cancelled=cancelled, progress=progress)

    return work


class SearchPanel(QWidget):
    hitChosen = Signal(str, int, int)  # doc id, start, end (code points)

    DOCUMENT, CORPUS = 0, 1

    def __init__(self, project_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.project_path = project_path
        self.text_provider = lambda: ("", "")  # (doc id, text) of the open document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText(self.tr("Search (harakat, tatweel and أ/إ/آ, ى, ة are ignored)"))
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.scope = QComboBox()
        self.scope.setObjectName("searchScope")
        self.scope.addItems([self.tr("This document"), self.tr("All documents")])
        self.stop = QPushButton(self.tr("Stop"))
        self.stop.setVisible(False)
        self.stop.clicked.connect(self.cancel)
        row.addWidget(self.query, 1)
        row.addWidget(self.scope)
        row.addWidget(self.stop)
        layout.addLayout(row)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setTextVisible(False)
        layout.addWidget(self.bar)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.results.itemActivated.connect(self._choose)
        self.results.itemClicked.connect(self._choose)
        layout.addWidget(self.results, 1)
        self._task: BackgroundTask | None = None

    def focus(self, scope: int) -> None:
        self.scope.setCurrentIndex(scope)
        self.query.setFocus()
        self.query.selectAll()

    def run(self) -> None:
        query = self.query.text()
        self.cancel()
        if self.scope.currentIndex() == self.DOCUMENT:
            doc_id, text = self.text_provider()
            self._show(search.in_text(doc_id, text, query))
            return
        self.bar.setVisible(True)
        self.stop.setVisible(True)
        self.bar.setRange(0, 0)
        self._task = run_in_background(
            self.project_path,
            corpus_search(query),
            on_progress=self._progress,
            on_result=self._show,
            on_error=self._failed,
        )

    def cancel(self) -> None:
        """Stop a running corpus search; its hits are not shown."""
        if self._task is not None:
            self._task.abandon()
            self._task.join()
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)

    def wait(self) -> None:
        """Block until a running corpus search is over and its hits shown (for tests and shutdown)."""
        if self._task is not None:
            self._task.join()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)
        self.results.clear()
        self.summary.setText(str(exc))

    def _show(self, hits: list) -> None:
        self._task = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{hit.before} «{hit.match}» {hit.after}")
            item.setData(Qt.ItemDataRole.UserRole, (hit.doc_id, hit.start, hit.end))
            item.setToolTip(hit.doc_id)
            self.results.addItem(item)
        documents = len({h.doc_id for h in hits})
        self.summary.setText(
            self.tr("%1 matches in %2 documents").replace("%1", str(len(hits))).replace("%2", str(documents))
            if hits
            else self.tr("No matches.")
        )

    def next_hit(self) -> None:
        if self.results.count():
            row = (self.results.currentRow() + 1) % self.results.count()
            self.results.setCurrentRow(row)
            self._choose(self.results.item(row))

    def _choose(self, item: QListWidgetItem) -> None:
        doc_id, start, end = item.data(Qt.ItemDataRole.UserRole)
        self.hitChosen.emit(doc_id, start, end)

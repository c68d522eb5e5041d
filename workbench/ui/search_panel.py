"""Find in the open document or in the whole corpus; corpus search runs off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
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


class _CorpusSearch(QObject):
    progressed = Signal(int, int)
    finished = Signal(list)

    def __init__(self, path: Path, query: str):
        super().__init__()
        self.path, self.query = path, query
        self.cancel = threading.Event()

    def run(self) -> None:
        hits = search.in_corpus(
            self.path,
            self.query,
            cancelled=self.cancel.is_set,
            progress=lambda done, total: self.progressed.emit(done, total),
        )
        self.finished.emit(hits)


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
        self._thread: QThread | None = None
        self._worker: _CorpusSearch | None = None

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
        self._thread = QThread(self)
        self._worker = _CorpusSearch(self.project_path, query)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._progress)
        self._worker.finished.connect(self._show)
        self._worker.finished.connect(self._thread.quit)
        self._thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel.set()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._worker = None
        self.bar.setVisible(False)
        self.stop.setVisible(False)

    def wait(self) -> None:
        """Block until a running corpus search is over (for tests and shutdown)."""
        if self._thread is not None:
            self._thread.wait()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _show(self, hits: list) -> None:
        if self._thread is not None:
            self._thread.quit()  # do not leave it to the queued quit: wait() may come first
            self._thread.wait()
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
